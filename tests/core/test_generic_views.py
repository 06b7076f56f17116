"""core.views' generic pieces, through real pages: a scoped list keeps its filters across pages, the URL's object is
404 outside the user's scope and 403 without the permission, a form page shows the service's refusal in Chinese, and
a transition the service refuses says why in Chinese and changes nothing."""
import re

import pytest
from django.urls import reverse

from core.workflow import ReviewStatus
from tests.evaluations.factories import GOOD, enter, open_round, sheet_of
from tests.members.factories import PartyMemberFactory
from tests.villages.factories import CadrePostFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_pages(settings):
    settings.QIANGJI_PAGE_SIZE = 5
    return 5


def names_on(page: str, prefix: str) -> set[str]:
    return set(re.findall(prefix + r"\d+", page))


def test_a_scoped_list_pages_through_the_filtered_rows_and_its_links_keep_the_filter(world, client_for, small_pages):
    for i in range(7):
        PersonFactory(village=world.village_a2, name=f"甲二人{i}")
        PersonFactory(village=world.village_a, name=f"甲一人{i}")
    client = client_for(world.users["township_a"])
    url = reverse("villages:person_list") + f"?village={world.village_a2.pk}"

    first = client.get(url).content.decode()
    assert "第 1 页，共 2 页（共 7 条）" in first
    assert f"?village={world.village_a2.pk}&amp;page=2" in first
    second = client.get(url + "&page=2").content.decode()
    assert f"?village={world.village_a2.pk}&amp;page=1" in second

    seen_first, seen_second = names_on(first, "甲二人"), names_on(second, "甲二人")
    assert len(seen_first) == 5 and len(seen_second) == 2 and not seen_first & seen_second
    assert not names_on(first + second, "甲一人")


def test_a_scoped_list_and_its_filter_choices_stay_inside_the_scope(world, client_for):
    page = client_for(world.users["township_a"]).get(reverse("villages:person_list")).content.decode()
    assert world.person_a.name in page and world.person_b.name not in page
    assert world.village_a2.name in page  # a choice of the village filter
    assert world.township_b.name not in page and world.village_b.name not in page
    county = client_for(world.users["county"]).get(reverse("villages:person_list")).content.decode()
    assert world.township_b.name in county and world.village_b.name in county


def test_an_object_outside_the_scope_is_not_found_and_a_missing_permission_is_forbidden(world, client_for):
    township_a = client_for(world.users["township_a"])
    assert township_a.get(reverse("villages:person_detail", args=[world.person_b.pk])).status_code == 404
    assert township_a.get(reverse("villages:person_edit", args=[world.person_b.pk])).status_code == 404
    assert township_a.get(reverse("villages:person_edit", args=[world.person_a.pk])).status_code == 200
    county = client_for(world.users["county"])
    assert county.get(reverse("villages:person_detail", args=[world.person_b.pk])).status_code == 200
    assert county.get(reverse("villages:person_edit", args=[world.person_b.pk])).status_code == 403
    anonymous = client_for(None).get(reverse("villages:person_edit", args=[world.person_a.pk]))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")


def test_a_service_form_shows_the_services_refusal_in_chinese_and_writes_nothing(world, client_for):
    client = client_for(world.users["township_a"])
    url = reverse("villages:cadrepost_edit", args=[world.post_a.pk])
    page = client.get(url).content.decode()
    assert "<h1>修改职务 · " in page and f'href="{world.village_a.get_absolute_url()}"' in page
    data = {"person": world.person_a.pk, "post": world.post_a.post, "term_start_year": 2006, "term_end_year": 2009,
            "start_date": "2006-05-01", "end_date": "2006-01-01"}
    response = client.post(url, data)
    assert response.status_code == 200 and 'class="error"' in response.content.decode()
    world.post_a.refresh_from_db()
    assert world.post_a.end_date is None


def test_a_transition_refused_by_its_service_says_why_in_chinese_and_changes_nothing(world, client_for):
    round_ = open_round(world)
    sheet = sheet_of(round_, world.township_a)
    client = client_for(world.users["township_a"])
    response = client.post(reverse("evaluations:sheet_submit", kwargs={"pk": sheet.pk}), follow=True)
    assert response.redirect_chain[-1][0] == sheet.get_absolute_url()
    assert "还有1名干部尚无等次：请先录入其民主评议票数和五项考核分数，再报送。" in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.status == ReviewStatus.DRAFT


def test_a_transition_without_its_permission_is_forbidden_and_its_success_message_is_chinese(world, client_for):
    round_ = open_round(world)
    enter(world, round_, world.person_a, GOOD)
    sheet = sheet_of(round_, world.township_a)
    township = client_for(world.users["township_a"])
    assert township.post(reverse("evaluations:sheet_accept", kwargs={"pk": sheet.pk})).status_code == 403
    response = township.post(reverse("evaluations:sheet_submit", kwargs={"pk": sheet.pk}), follow=True)
    assert "已报送县里" in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.status == ReviewStatus.SUBMITTED
    other = client_for(world.users["township_b"])
    assert other.post(reverse("evaluations:sheet_submit", kwargs={"pk": sheet.pk})).status_code == 404


def test_the_village_pages_party_member_roster_is_paginated(world, client_for, small_pages):
    for i in range(8):
        PartyMemberFactory(person=PersonFactory(village=world.village_a, name=f"党员{i}"))
    client = client_for(world.users["township_a"])
    url = reverse("villages:village_detail", args=[world.village_a.code])
    first, second = client.get(url).content.decode(), client.get(url + "?page=2").content.decode()
    assert "(9)" in first  # the heading counts every member, not the page
    on_first, on_second = names_on(first, "党员"), names_on(second, "党员")
    assert len(on_first) == 5 and len(on_second) == 3 and not on_first & on_second  # 王甲明 sorts after 党员


def test_the_evaluation_sheet_pages_and_filters_by_village_and_a_save_returns_to_the_cadres_page(
        world, client_for, small_pages):
    for i in range(8):
        person = PersonFactory(village=world.village_a2, name=f"干部{i}")
        CadrePostFactory(person=person, post="committee_member")
    round_ = open_round(world)
    sheet = sheet_of(round_, world.township_a)
    client = client_for(world.users["township_a"])
    url = reverse("evaluations:sheet_detail", kwargs={"pk": sheet.pk})

    first = client.get(url).content.decode()
    assert "第 1 页，共 2 页（共 9 条）" in first
    only_a2 = client.get(url + f"?village={world.village_a2.pk}").content.decode()
    assert len(names_on(only_a2, "干部")) == 5 and world.person_a.name not in only_a2
    assert f"?village={world.village_a2.pk}&amp;page=2" in only_a2
    assert world.village_b.name not in only_a2  # the village choices are the sheet's township's

    order = [r.pk for r in client.get(url + "?page=2").context["results"]]
    result = sheet.results.get(pk=order[-1])
    response = client.post(reverse("evaluations:result_edit", kwargs={"pk": result.pk}),
                           {"version": result.version, **{k: ("on" if v is True else v) for k, v in GOOD.items()
                                                          if v not in (None, False)}})
    assert response.status_code == 302 and response["Location"].endswith(f"?page=2#r{result.pk}")
