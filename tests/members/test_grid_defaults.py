"""The clerk's shortcuts on the month grid (issue 16, item 10): a new deduction's talk comes prefilled with the
branch secretary and the review meeting's date, and a 优 reason is picked by its number among the village's usual
reasons. What the page prefills is what is saved, with its history."""
import datetime as dt
import re

from simple_history.utils import get_history_model_for_model

from core.periods import Month
from members import services
from members.models import Deduction, MonthlyResult, MonthlyReview
from members.services import DeductionEntry, MeetingEntry, ResultEntry
from tests.members.factories import grid_post, grid_url, members_for, rule_set_with_rules
from tests.villages.factories import CadrePostFactory, PersonFactory

MAY = Month(2026, 5)


def slot_values(page: str, member_pk: int, slot: int) -> dict:
    """The values rendered into a member's deduction slot, by field."""
    return dict(re.findall(rf'name="d-{member_pk}-{slot}-(talk_by|talk_date)" value="([^"]*)"', page))


def test_a_new_deduction_talk_defaults_to_the_secretary_on_the_meeting_day(grid, client_for):
    world, rule_set, members = grid
    township = world.users["township_a"]
    rule = rule_set.rules.get(number=2)
    # An earlier secretary who left is not the default; 王甲明 (world.post_a) holds the post now.
    CadrePostFactory(person=PersonFactory(village=world.village_a, name="赵前任"), start_date=dt.date(2021, 3, 1),
                     end_date=dt.date(2024, 3, 1), term_start_year=2021, term_end_year=2024)
    # One deduction is already there without a talk: an open item, which no default closes.
    services.monthly_grid_save(user=township, village=world.village_a, month=MAY, expected_version=0,
                               entries=[ResultEntry(member_id=members[1].pk,
                                                    deductions=[DeductionEntry(rule_id=rule.pk)])],
                               meeting=MeetingEntry(meeting_date=dt.date(2026, 5, 27)))
    client = client_for(township)
    page = client.get(grid_url(world.village_a)).content.decode()
    assert slot_values(page, members[2].pk, 0) == {"talk_by": "王甲明", "talk_date": "2026-05-27"}
    assert slot_values(page, members[1].pk, 0) == {"talk_by": "", "talk_date": ""}  # the open one stays open
    assert slot_values(page, members[1].pk, 1) == {"talk_by": "王甲明", "talk_date": "2026-05-27"}
    assert "赵前任" not in page

    # The clerk picks a rule for the third member and saves the page as it stands.
    version = MonthlyReview.objects.get().version
    data = grid_post(members, version=version, **{
        f"d-{members[1].pk}-0-id": str(Deduction.objects.get().pk), f"d-{members[1].pk}-0-rule": str(rule.pk),
        f"d-{members[2].pk}-0-rule": str(rule.pk), f"d-{members[2].pk}-0-talk_by": "王甲明",
        f"d-{members[2].pk}-0-talk_date": "2026-05-27", "meeting-meeting_date": "2026-05-27"})
    assert client.post(grid_url(world.village_a), data).status_code == 302
    saved = Deduction.objects.get(result__member=members[2])
    assert (saved.talk_by, saved.talk_date) == ("王甲明", dt.date(2026, 5, 27))
    history = get_history_model_for_model(Deduction).objects.get(id=saved.pk)
    assert (history.talk_by, history.talk_date, history.history_user) == ("王甲明", dt.date(2026, 5, 27), township)
    assert Deduction.objects.get(result__member=members[1]).talk_date is None


def test_without_a_meeting_date_only_the_talker_is_prefilled(grid, client_for):
    world, rule_set, members = grid
    page = client_for(world.users["township_a"]).get(grid_url(world.village_a)).content.decode()
    assert slot_values(page, members[0].pk, 0) == {"talk_by": "王甲明", "talk_date": ""}


def test_a_village_without_a_secretary_gets_no_talker(world, client_for):
    rule_set_with_rules(world.village_a2)
    member = members_for(world.village_a2, 1)[0]
    page = client_for(world.users["township_a"]).get(grid_url(world.village_a2)).content.decode()
    assert slot_values(page, member.pk, 0) == {"talk_by": "", "talk_date": ""}


def test_an_excellent_reason_is_picked_by_its_number_among_the_usual_ones(grid, client_for):
    world, rule_set, members = grid
    township = world.users["township_a"]
    rule_set_with_rules(world.village_a, year=2025)
    # Earlier months: 带头修路 twice, 帮扶困难户 once; and one from more than a year ago, which is not offered.
    for month, reasons in ((Month(2026, 3), ["带头修路", "帮扶困难户"]), (Month(2026, 4), ["带头修路"]),
                           (Month(2025, 4), ["陈年旧事", "陈年旧事", "陈年旧事"])):
        services.monthly_grid_save(user=township, village=world.village_a, month=month, expected_version=0,
                                   entries=[ResultEntry(member_id=m.pk, excellent=True, excellent_reason=r)
                                            for m, r in zip(members, reasons)])
    client = client_for(township)
    page = client.get(grid_url(world.village_a)).content.decode()
    listed = re.findall(r'<li data-reason="([^"]*)">', page)
    assert listed == ["带头修路", "帮扶困难户"]
    assert "本村常用评优理由" in page and 'list="usual-reasons"' in page
    # Typed (or pasted) as its number: the reason of that number is saved, in full, with its history.
    # (１: a full-width digit, as a Chinese input method types it.)
    data = grid_post(members, **{f"rating-{members[0].pk}": "excellent", f"reason-{members[0].pk}": "2",
                                 f"rating-{members[2].pk}": "excellent", f"reason-{members[2].pk}": "１"})
    assert client.post(grid_url(world.village_a), data).status_code == 302
    result = MonthlyResult.objects.get(member=members[0], review__month=5)
    assert result.excellent_reason == "帮扶困难户"
    assert get_history_model_for_model(MonthlyResult).objects.get(id=result.pk).excellent_reason == "帮扶困难户"
    assert MonthlyResult.objects.get(member=members[2], review__month=5).excellent_reason == "带头修路"
