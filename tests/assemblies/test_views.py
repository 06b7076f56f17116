import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from assemblies import services
from assemblies.choices import MatterStatus
from assemblies.models import Filing, FollowUp, Household, Matter, Meeting, ModelVillage
from core.workflow import ReviewStatus
from tests.villages.factories import PersonFactory, VillageFactory

from .factories import DiscussionPointFactory, HouseholdFactory, MatterFactory, MeetingFactory, ModelVillageFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_township_records_follows_up_files_and_county_acknowledges(world, client_for):
    """The issue's first "done when", through the pages."""
    client = client_for(world.users["township_a"])
    meeting_date = TODAY
    r = client.post(reverse("assemblies:meeting_add", args=[world.village_a.code]), {
        "date": meeting_date.isoformat(), "topic": "修建机耕路", "households_expected": 30,
        "households_present": 24, "minutes": "经讨论表决"})
    meeting = Meeting.objects.get()
    assert r.status_code == 302 and r["Location"] == meeting.get_absolute_url()
    r = client.post(reverse("assemblies:matter_add", args=[meeting.pk]), {
        "title": "机耕路硬化", "category": "infrastructure", "decision": "筹资硬化800米", "votes_for": 20,
        "votes_against": 3, "votes_abstaining": 1, "implementer": "村委会主任", "is_typical": "on",
        "typical_writeup": "群众议、群众定"})
    matter = Matter.objects.get()
    assert r.status_code == 302
    r = client.post(reverse("assemblies:followup_add", args=[matter.pk]), {
        "date": TODAY.isoformat(), "note": "已完工验收", "implemented": "on"})
    matter.refresh_from_db()
    assert matter.status == MatterStatus.IMPLEMENTED
    page = client.get(matter.get_absolute_url()).content.decode()
    assert "已完工验收" in page and "已落实" in page

    quarter = (TODAY.month - 1) // 3 + 1
    year = TODAY.year
    r = client.post(reverse("assemblies:filing_add"), {"township": world.township_a.pk, "quarter": f"{year}Q{quarter}"})
    filing = Filing.objects.get()
    assert r.status_code == 302 and filing.snapshot["totals"] == {"decided": 1, "implemented": 1, "typical": 1}
    r = client.post(reverse("assemblies:filing_submit", args=[filing.pk]))
    filing.refresh_from_db()
    assert filing.status == ReviewStatus.SUBMITTED

    county = client_for(world.users["county"])
    r = county.post(reverse("assemblies:filing_acknowledge", args=[filing.pk]))
    filing.refresh_from_db()
    assert filing.status == ReviewStatus.ACCEPTED

    client = client_for(world.users["township_a"])
    client.post(reverse("assemblies:matter_edit", args=[matter.pk]), {
        "title": "机耕路硬化（改）", "category": "infrastructure", "decision": "改为硬化1000米", "votes_for": 20,
        "votes_against": 3, "votes_abstaining": 1, "implementer": "村委会主任", "is_typical": "on",
        "typical_writeup": "群众议、群众定"})
    matter.refresh_from_db()
    assert matter.title == "机耕路硬化（改）"
    page = client.get(filing.get_absolute_url()).content.decode()
    assert "筹资硬化800米" in page and "改为硬化1000米" not in page
    assert "群众议、群众定" in page
    r = client.post(reverse("assemblies:filing_compile", args=[filing.pk]), follow=True)
    assert "接收并锁定" in r.content.decode()


def test_meeting_below_quorum_is_refused_on_the_page(world, client_for):
    client = client_for(world.users["township_a"])
    r = client.post(reverse("assemblies:meeting_add", args=[world.village_a.code]), {
        "date": TODAY.isoformat(), "topic": "议事", "households_expected": 30, "households_present": 15})
    assert r.status_code == 200
    assert "未达到法定人数：应到30户，实到15户，至少需要20户" in r.content.decode()
    assert not Meeting.objects.exists()


def test_votes_above_households_present_are_refused_on_the_page(world, client_for):
    meeting = MeetingFactory(village=world.village_a, households_expected=30, households_present=24)
    r = client_for(world.users["township_a"]).post(reverse("assemblies:matter_add", args=[meeting.pk]), {
        "title": "事项", "category": "other", "decision": "同意", "votes_for": 20, "votes_against": 5,
        "votes_abstaining": 0, "implementer": "村委会"})
    assert r.status_code == 200
    assert "共投25票，但到会户只有24户" in r.content.decode()
    assert not Matter.objects.exists()


def test_fourth_good_practice_village_is_refused_on_the_page(world, client_for):
    for v in (world.village_a, world.village_a2, VillageFactory(township=world.township_a)):
        ModelVillageFactory(village=v, year=2026)
    fourth = VillageFactory(township=world.township_a)
    r = client_for(world.users["township_a"]).post(reverse("assemblies:modelvillage_add"), {
        "village": fourth.pk, "year": 2026, "reason": "规范"})
    assert r.status_code == 200
    assert "2026年已评定3个落实较好村" in r.content.decode()
    assert ModelVillage.objects.count() == 3


def test_village_page_lists_households_without_a_representative(world, client_for):
    HouseholdFactory(village=world.village_a, head_name="有代表户", representative=world.person_a)
    HouseholdFactory(village=world.village_a, head_name="无代表户")
    r = client_for(world.users["township_a"]).get(reverse("assemblies:village_detail", args=[world.village_a.code]))
    content = r.content.decode()
    section = content.split('id="unrepresented"')[1].split("</table>")[0]
    assert "无代表户" in section and "有代表户" not in section


def test_representative_change_through_the_page(world, client_for):
    household = HouseholdFactory(village=world.village_a)
    person = PersonFactory(village=world.village_a, name="赵新代")
    r = client_for(world.users["township_a"]).post(
        reverse("assemblies:household_representative", args=[household.pk]),
        {"person": person.pk, "date": TODAY.isoformat(), "reason": "原户代表外出"})
    assert r.status_code == 302
    page = client_for(world.users["township_a"]).get(household.get_absolute_url()).content.decode()
    assert "赵新代" in page and "原户代表外出" in page


def test_overdue_matters_are_flagged_on_the_list(world, client_for):
    MatterFactory(title="拖了很久的事", meeting=MeetingFactory(village=world.village_a,
                                                             date=TODAY - dt.timedelta(days=200)))
    r = client_for(world.users["county"]).get(reverse("assemblies:matter_list") + "?overdue=1")
    content = r.content.decode()
    assert "拖了很久的事" in content and "超期未落实" in content
    r = client_for(world.users["county"]).get(reverse("assemblies:matter_list") + "?overdue=0")
    assert "拖了很久的事" not in r.content.decode()


def _bulk(world, n):
    for village in (world.village_a, world.village_a2):
        point = DiscussionPointFactory(village=village)
        for _i in range(n):
            HouseholdFactory(village=village, discussion_point=point)
            MatterFactory(meeting=MeetingFactory(village=village, discussion_point=point))


@pytest.mark.parametrize("n", [1, 8])
def test_pages_use_a_bounded_number_of_queries(world, client_for, django_assert_max_num_queries, n):
    _bulk(world, n)
    client = client_for(world.users["township_a"])
    meeting = Meeting.objects.filter(village=world.village_a).first()
    matter = meeting.matters.first()
    for _i in range(n):
        FollowUp.objects.create(matter=matter, date=meeting.date, note="进展")
    household = Household.objects.filter(village=world.village_a).first()
    user = world.users["township_a"]
    services.representative_change(user=user, household=household, person=world.person_a, date=TODAY, reason="新")
    filing = services.filing_create(user=user, township=world.township_a, year=meeting.date.year,
                                    quarter=(meeting.date.month - 1) // 3 + 1)
    assert len(filing.snapshot["matters"]) == n * 2
    urls = [
        matter.get_absolute_url(),
        household.get_absolute_url(),
        filing.get_absolute_url(),
        reverse("assemblies:village_list"),
        reverse("assemblies:village_detail", args=[world.village_a.code]),
        reverse("assemblies:meeting_list"),
        reverse("assemblies:matter_list"),
        meeting.get_absolute_url(),
        reverse("assemblies:modelvillage_list"),
        reverse("assemblies:inspection_list"),
        reverse("assemblies:filing_list"),
    ]
    for url in urls:
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200


def test_a_second_inspection_of_the_same_quarter_is_refused(world, client_for):
    client = client_for(world.users["township_a"])
    data = {"township": world.township_a.pk, "quarter": "2026Q3", "inspected_on": "2026-09-28", "findings": "好"}
    assert client.post(reverse("assemblies:inspection_add"), data).status_code == 302
    r = client.post(reverse("assemblies:inspection_add"), {**data, "findings": "第二次"})
    assert "该乡镇本季度的调研督查已登记" in r.content.decode()
    from assemblies.models import Inspection

    assert list(Inspection.objects.values_list("findings", flat=True)) == ["好"]
