"""报送县委组织部 on the month grid saves the page's edits first (issue 16, defect 2): nothing typed is lost."""
import pytest
from django.urls import reverse
from simple_history.utils import get_history_model_for_model

from core.periods import Month
from core.workflow import ReviewStatus
from members import services
from members.choices import Rating
from members.models import MonthlyResult, MonthlyReview
from tests.members.factories import grid_post, grid_url

MAY = Month(2026, 5)



@pytest.fixture
def saved(grid):
    """The grid's village-month saved once (all 合格), so it can be submitted."""
    world, _rule_set, members = grid
    services.monthly_grid_save(user=world.users["township_a"], village=world.village_a, month=MAY,
                               expected_version=0, entries=[])
    return world, members


def test_submit_from_the_grid_saves_the_unsaved_excellent_with_its_reason_first(saved, client_for):
    world, members = saved
    client = client_for(world.users["township_a"])
    page = client.get(grid_url(world.village_a)).content.decode()
    # The submit button belongs to the grid's form, so the page's edits travel with it.
    form = page[page.index('<form method="post" enctype="multipart/form-data" class="grid-form"'):]
    form = form[:form.index("</form>")]
    assert 'name="then" value="submit"' in form and "报送县委组织部" in form
    assert "报送时先保存本页的修改" in form
    version = MonthlyReview.objects.get().version
    response = client.post(grid_url(world.village_a), grid_post(members, version=version, then="submit", **{
        f"rating-{members[1].pk}": "excellent", f"reason-{members[1].pk}": "带头调解邻里纠纷"}), follow=True)
    content = response.content.decode()
    assert "已保存" in content and "已报送" in content
    review = MonthlyReview.objects.get()
    assert review.status == ReviewStatus.SUBMITTED
    result = MonthlyResult.objects.get(member=members[1])
    assert (result.rating, result.excellent_reason) == (Rating.EXCELLENT, "带头调解邻里纠纷")
    history = get_history_model_for_model(MonthlyResult).objects.filter(id=result.pk).latest("history_date")
    assert history.excellent_reason == "带头调解邻里纠纷" and history.history_user == world.users["township_a"]


def test_a_refused_save_submits_nothing_and_keeps_the_edits_on_the_page(saved, client_for):
    world, members = saved
    client = client_for(world.users["township_a"])
    version = MonthlyReview.objects.get().version
    response = client.post(grid_url(world.village_a), grid_post(members, version=version, then="submit", **{
        f"rating-{members[1].pk}": "excellent", f"reason-{members[1].pk}": ""}))
    assert response.status_code == 200
    content = response.content.decode()
    assert "未保存任何内容" in content
    # The page shows the refused edits and says they are unsaved, so leaving it asks first (core/unsaved.js).
    assert 'data-guard-unsaved="dirty"' in content
    assert MonthlyReview.objects.get().status == ReviewStatus.DRAFT
    assert MonthlyResult.objects.get(member=members[1]).rating == Rating.QUALIFIED


def test_a_stale_page_is_neither_saved_nor_submitted(saved, client_for):
    world, members = saved
    client = client_for(world.users["township_a"])
    # The page was opened before a colleague's save (version 0): its edits would overwrite theirs.
    response = client.post(grid_url(world.village_a), grid_post(members, version=0, then="submit", **{
        f"rating-{members[2].pk}": "excellent", f"reason-{members[2].pk}": "义务帮扶"}), follow=True)
    assert response.status_code == 200
    assert "已报送" not in response.content.decode()
    assert MonthlyReview.objects.get().status == ReviewStatus.DRAFT
    assert MonthlyResult.objects.get(member=members[2]).rating == Rating.QUALIFIED


def test_a_village_clerk_cannot_submit_through_the_grid_and_nothing_is_saved(saved, client_for):
    world, members = saved
    client = client_for(world.users["clerk_a"])
    page = client.get(grid_url(world.village_a)).content.decode()
    assert 'name="then" value="submit"' not in page
    version = MonthlyReview.objects.get().version
    response = client.post(grid_url(world.village_a), grid_post(members, version=version, then="submit", **{
        f"rating-{members[1].pk}": "excellent", f"reason-{members[1].pk}": "带头调解"}))
    assert response.status_code == 403
    assert MonthlyResult.objects.get(member=members[1]).rating == Rating.QUALIFIED
    assert MonthlyReview.objects.get().status == ReviewStatus.DRAFT


def test_data_entry_forms_are_guarded_against_leaving_with_unsaved_changes(saved, client_for):
    world, members = saved
    client = client_for(world.users["township_a"])
    page = client.get(grid_url(world.village_a)).content.decode()
    assert "core/unsaved" in page and "data-guard-unsaved>" in page
    form_page = client.get(reverse("members:warning_add")).content.decode()  # core/form.html
    assert "data-guard-unsaved>" in form_page
