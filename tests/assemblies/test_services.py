import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assemblies import services
from assemblies.choices import MatterCategory, MatterStatus
from assemblies.models import Filing, FollowUp, Matter, Meeting, ModelVillage, RepresentativeChange
from assemblies.selectors import matter_list, township_practice_facts, village_get
from core.periods import Quarter
from core.workflow import ReviewStatus
from tests.villages.factories import PersonFactory, VillageFactory

from .factories import HouseholdFactory, MatterFactory, MeetingFactory

pytestmark = pytest.mark.django_db

MATTER = dict(title="修建村道", category=MatterCategory.INFRASTRUCTURE, decision="硬化村道1.2公里",
              votes_for=20, votes_against=2, votes_abstaining=1, implementer="村委会", is_typical=False,
              typical_writeup="")


def _meeting(world, **kw):
    data = dict(discussion_point=None, date=dt.date(2026, 10, 12), topic="村道硬化", households_expected=30,
                households_present=25, minutes="记录")
    data.update(kw)
    return services.meeting_create(user=world.users["township_a"], village=world.village_a, **data)


def test_meeting_below_quorum_is_refused_and_nothing_written(world):
    with pytest.raises(ValidationError) as exc:
        _meeting(world, households_expected=30, households_present=19)
    assert "未达到法定人数" in str(exc.value.message_dict["households_present"])
    assert "至少需要20户" in str(exc.value.message_dict["households_present"])
    assert not Meeting.objects.exists()


def test_meeting_at_two_thirds_is_accepted(world):
    meeting = _meeting(world, households_expected=30, households_present=20)
    assert meeting.pk and meeting.quorum_needed == 20


def test_votes_exceeding_households_present_are_refused(world):
    meeting = _meeting(world, households_present=25)
    with pytest.raises(ValidationError) as exc:
        services.matter_create(user=world.users["township_a"], meeting=meeting,
                               **{**MATTER, "votes_for": 20, "votes_against": 4, "votes_abstaining": 2})
    assert "共投26票，但到会户只有25户" in str(exc.value.message_dict["votes_for"])
    assert not Matter.objects.exists()


def test_matter_needs_a_majority_of_those_present(world):
    meeting = _meeting(world, households_present=24)
    with pytest.raises(ValidationError):
        services.matter_create(user=world.users["township_a"], meeting=meeting, **{**MATTER, "votes_for": 12})
    assert not Matter.objects.exists()


def test_lowering_households_present_below_the_votes_is_refused(world):
    meeting = _meeting(world, households_expected=30, households_present=25)
    services.matter_create(user=world.users["township_a"], meeting=meeting, **MATTER)  # 23 votes cast
    with pytest.raises(ValidationError):
        services.meeting_update(user=world.users["township_a"], meeting=meeting, households_present=21)
    meeting.refresh_from_db()
    assert meeting.households_present == 25


def test_typical_case_needs_a_write_up(world):
    meeting = _meeting(world)
    with pytest.raises(ValidationError) as exc:
        services.matter_create(user=world.users["township_a"], meeting=meeting, **{**MATTER, "is_typical": True})
    assert "typical_writeup" in exc.value.message_dict


def test_township_cannot_write_outside_its_area(world):
    with pytest.raises(PermissionDenied):
        services.meeting_create(user=world.users["township_b"], village=world.village_a, discussion_point=None,
                                date=dt.date(2026, 10, 1), topic="x", households_expected=3, households_present=3,
                                minutes="")
    assert not Meeting.objects.exists()


def test_follow_up_to_implemented_closes_the_matter(world):
    user = world.users["township_a"]
    matter = services.matter_create(user=user, meeting=_meeting(world), **MATTER)
    services.follow_up_add(user=user, matter=matter, date=dt.date(2026, 10, 20), note="已招标")
    matter.refresh_from_db()
    assert matter.status == MatterStatus.OPEN
    services.follow_up_add(user=user, matter=matter, date=dt.date(2026, 11, 10), note="已完工验收", implemented=True)
    matter.refresh_from_db()
    assert (matter.status, matter.implemented_on) == (MatterStatus.IMPLEMENTED, dt.date(2026, 11, 10))
    with pytest.raises(ValidationError):
        services.follow_up_add(user=user, matter=matter, date=dt.date(2026, 11, 12), note="再次")
    assert FollowUp.objects.filter(matter=matter).count() == 2


def test_open_matters_older_than_the_limit_are_flagged(world):
    old = MatterFactory(meeting=MeetingFactory(village=world.village_a, date=dt.date(2026, 6, 1)))
    recent = MatterFactory(meeting=MeetingFactory(village=world.village_a, date=dt.date(2026, 11, 1)))
    flags = dict(matter_list(user=world.users["county"], today=dt.date(2026, 11, 26)).values_list("pk", "is_overdue"))
    assert flags == {old.pk: True, recent.pk: False}


def test_filing_is_a_frozen_copy_after_submission(world):
    township, county = world.users["township_a"], world.users["county"]
    meeting = _meeting(world, date=dt.date(2026, 10, 12))
    matter = services.matter_create(user=township, meeting=meeting, **MATTER)
    services.follow_up_add(user=township, matter=matter, date=dt.date(2026, 11, 2), note="完工", implemented=True)
    filing = services.filing_create(user=township, township=world.township_a, year=2026, quarter=4)
    filing = services.filing_submit(user=township, filing=filing)
    assert filing.status == ReviewStatus.SUBMITTED
    services.filing_acknowledge(user=county, filing=filing)

    services.matter_update(user=township, matter=matter, title="改过的标题", votes_for=21)
    services.matter_create(user=township, meeting=meeting, **{**MATTER, "title": "后来补录的事项"})
    filing.refresh_from_db()
    assert filing.status == ReviewStatus.ACCEPTED
    assert [m["title"] for m in filing.snapshot["matters"]] == ["修建村道"]
    assert filing.snapshot["matters"][0]["votes_for"] == 20
    assert filing.snapshot["totals"] == {"decided": 1, "implemented": 1, "typical": 0}
    with pytest.raises(ValidationError) as exc:
        services.filing_compile(user=township, filing=filing)
    assert "接收并锁定" in exc.value.messages[0]


def test_submitted_filing_cannot_be_recompiled_until_returned(world):
    township, county = world.users["township_a"], world.users["county"]
    filing = services.filing_submit(
        user=township, filing=services.filing_create(user=township, township=world.township_a, year=2026, quarter=4))
    MatterFactory(meeting=MeetingFactory(village=world.village_a, date=dt.date(2026, 11, 1)))
    with pytest.raises(ValidationError):
        services.filing_compile(user=township, filing=filing)
    services.filing_return(user=county, filing=filing, reason="请补充")
    filing = services.filing_compile(user=township, filing=filing)
    assert filing.snapshot["totals"]["decided"] == 1


def test_only_the_county_acknowledges(world):
    township = world.users["township_a"]
    filing = services.filing_submit(
        user=township, filing=services.filing_create(user=township, township=world.township_a, year=2026, quarter=4))
    with pytest.raises(PermissionDenied):
        services.filing_acknowledge(user=township, filing=filing)
    filing.refresh_from_db()
    assert filing.status == ReviewStatus.SUBMITTED


def test_a_filing_per_township_and_quarter(world):
    user = world.users["township_a"]
    services.filing_create(user=user, township=world.township_a, year=2026, quarter=4)
    with pytest.raises(ValidationError):
        services.filing_create(user=user, township=world.township_a, year=2026, quarter=4)
    assert Filing.objects.count() == 1


def test_fourth_good_practice_village_is_refused(world):
    user = world.users["township_a"]
    villages = [world.village_a, world.village_a2] + [VillageFactory(township=world.township_a) for _ in range(2)]
    for v in villages[:3]:
        services.model_village_add(user=user, village=v, year=2026, reason="好")
    with pytest.raises(ValidationError) as exc:
        services.model_village_add(user=user, village=villages[3], year=2026, reason="好")
    assert "已评定3个落实较好村" in exc.value.messages[0]
    assert ModelVillage.objects.filter(year=2026).count() == 3
    # Another year, or another township, is counted separately.
    services.model_village_add(user=user, village=villages[3], year=2027, reason="好")
    services.model_village_add(user=world.users["township_b"], village=world.village_b, year=2026, reason="好")


def test_representative_changes_keep_from_to_and_reason(world):
    user = world.users["township_a"]
    first, second = PersonFactory(village=world.village_a), PersonFactory(village=world.village_a)
    household = services.household_create(user=user, village=world.village_a, number="12", head_name="王大",
                                          representative=first, since=dt.date(2025, 1, 5))
    services.representative_change(user=user, household=household, person=second, date=dt.date(2026, 3, 1),
                                   reason="外出务工")
    household.refresh_from_db()
    assert household.representative == second
    changes = list(RepresentativeChange.objects.filter(household=household).order_by("date")
                   .values_list("from_person", "to_person", "reason"))
    assert changes == [(None, first.pk, "首次登记户代表"), (first.pk, second.pk, "外出务工")]
    with pytest.raises(ValidationError):
        services.representative_change(user=user, household=household, person=second, date=dt.date(2026, 4, 1),
                                       reason="重复")
    with pytest.raises(ValidationError):
        services.representative_change(user=user, household=household, person=PersonFactory(village=world.village_b),
                                       date=dt.date(2026, 4, 1), reason="外乡镇")
    assert RepresentativeChange.objects.count() == 2


def test_village_counts_households_without_a_representative(world):
    HouseholdFactory(village=world.village_a, representative=world.person_a)
    HouseholdFactory.create_batch(2, village=world.village_a)
    village = village_get(user=world.users["township_a"], code=world.village_a.code)
    assert (village.household_count, village.unrepresented_count) == (3, 2)


def test_inspection_facts_come_from_the_records(world):
    user = world.users["township_a"]
    point = services.discussion_point_create(user=user, village=world.village_a, name="一组", convenor=world.person_a)
    services.discussion_point_create(user=user, village=world.village_a2, name="二组")
    services.speaker_pilot_set(user=user, village=world.village_a, speaker=world.person_a, started=dt.date(2026, 1, 1))
    household = HouseholdFactory(village=world.village_a, discussion_point=point)
    services.representative_change(user=user, household=household, person=world.person_a, date=dt.date(2026, 8, 1),
                                   reason="新立户")
    m1 = MatterFactory(meeting=MeetingFactory(village=world.village_a, date=dt.date(2026, 7, 10)))
    MatterFactory(meeting=MeetingFactory(village=world.village_a2, date=dt.date(2026, 9, 10)))
    MatterFactory(meeting=MeetingFactory(village=world.village_b, date=dt.date(2026, 9, 10)))  # other township
    services.follow_up_add(user=user, matter=m1, date=dt.date(2026, 9, 1), note="完成", implemented=True)
    assert township_practice_facts(township=world.township_a, quarter=Quarter(2026, 3)) == {
        "representative_changes": 1, "speaker_pilots": 1, "discussion_points": 2, "convenors": 1,
        "meetings_held": 2, "matters_decided": 2, "matters_implemented": 1,
    }
    inspection = services.inspection_save(user=user, township=world.township_a, year=2026, quarter=3,
                                          inspected_on=dt.date(2026, 9, 30), findings="台账齐全")
    assert (inspection.matters_decided, inspection.findings) == (2, "台账齐全")


def test_speaker_pilot_cannot_end_before_it_starts(world):
    from assemblies.models import SpeakerPilot

    with pytest.raises(ValidationError) as exc:
        services.speaker_pilot_set(user=world.users["township_a"], village=world.village_a, speaker=None,
                                   started=dt.date(2026, 5, 1), ended=dt.date(2026, 4, 1))
    assert "试点结束日期不能早于开始日期" in exc.value.message_dict["ended"][0]
    assert not SpeakerPilot.objects.exists()
