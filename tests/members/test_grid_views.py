import pytest
from django.urls import reverse

from core.periods import Month
from core.workflow import ReviewStatus
from members import services
from members.choices import Rating
from members.models import Deduction, MonthlyResult, MonthlyReview
from members.services import ResultEntry
from tests.members.factories import grid_post, members_for, rule_set_with_rules

MAY = Month(2026, 5)


def grid_url(village, month=MAY):
    return reverse("members:monthlyreview_grid", kwargs={"code": village.code, "month": str(month)})


def test_township_enters_and_saves_on_the_page(grid, client_for):
    world, rule_set, members = grid
    rule = rule_set.rules.get(number=3)
    client = client_for(world.users["township_a"])
    page = client.get(grid_url(world.village_a))
    assert page.status_code == 200 and world.person_a.name in page.content.decode()
    data = grid_post(members, **{
        f"rating-{members[0].pk}": "excellent", f"reason-{members[0].pk}": "带头抢险",
        f"d-{members[1].pk}-0-rule": str(rule.pk), f"d-{members[1].pk}-0-note": "缺席",
        f"d-{members[1].pk}-0-talk_by": "书记", f"d-{members[1].pk}-0-talk_date": "2026-05-28",
        "meeting-minutes": "五月评议", "meeting-posted_date": "2026-05-31", "meeting-meeting_date": "2026-05-30",
    })
    response = client.post(grid_url(world.village_a), data)
    assert response.status_code == 302
    review = MonthlyReview.objects.get()
    assert review.posted_date.isoformat() == "2026-05-31" and review.minutes == "五月评议"
    assert MonthlyResult.objects.get(member=members[0]).rating == Rating.EXCELLENT
    d = Deduction.objects.get()
    assert (d.points, d.talk_by) == (5, "书记")
    page = client.get(grid_url(world.village_a)).content.decode()
    assert "带头抢险" in page and "缺席" in page
    # The stored deduction's rule is the one selected on its row, and only there.
    assert page.count(" selected>") == 2  # 优 on the first row, the rule on the second
    assert f'<option value="{rule.pk}" data-number="3" data-text="{rule.text}" selected>' in page


def test_the_last_months_column_names_its_months(grid, client_for):
    world, _rule_set, _members = grid
    page = client_for(world.users["township_a"]).get(grid_url(world.village_a)).content.decode()
    head = page[page.index("近几月"):page.index("本年累计")]
    assert [f"{n}月" in head for n in (2, 3, 4)] == [True, True, True]  # May's grid shows the three months before


def test_bad_input_on_the_page_writes_nothing(grid, client_for, settings):
    world, rule_set, members = grid
    client = client_for(world.users["township_a"])
    data = grid_post(members, **{f"rating-{members[0].pk}": "excellent",
                                  f"d-{members[1].pk}-0-rule": str(rule_set.rules.first().pk),
                                  f"d-{members[1].pk}-0-talk_date": "五月"})
    response = client.post(grid_url(world.village_a), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "五月" in content  # the posted values are shown again
    assert not MonthlyResult.objects.exists()


def test_stale_page_save_is_refused_with_a_message(grid, client_for):
    world, rule_set, members = grid
    client = client_for(world.users["township_a"])
    client.post(grid_url(world.village_a), grid_post(members))
    response = client.post(grid_url(world.village_a), grid_post(members, version=0, **{
        f"rating-{members[0].pk}": "excellent", f"reason-{members[0].pk}": "x"}), follow=True)
    assert "其他人" in response.content.decode() or "someone else" in response.content.decode()
    assert MonthlyResult.objects.get(member=members[0]).rating == Rating.QUALIFIED


def test_locked_month_page_refuses_and_says_why(grid, client_for):
    world, rule_set, members = grid
    review = services.monthly_grid_save(user=world.users["township_a"], village=world.village_a, month=MAY,
                                        expected_version=0, entries=[])
    services.monthly_review_submit(user=world.users["township_a"], review=review)
    client = client_for(world.users["county"])
    accept_url = reverse("members:monthlyreview_accept", kwargs={"code": world.village_a.code, "month": "2026-05"})
    assert client.post(accept_url).status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.ACCEPTED
    client = client_for(world.users["township_a"])
    page = client.get(grid_url(world.village_a)).content.decode()
    assert "锁定" in page or "locked" in page
    response = client.post(grid_url(world.village_a), grid_post(members, version=review.version, **{
        f"rating-{members[0].pk}": "excellent", f"reason-{members[0].pk}": "x"}), follow=True)
    assert "锁定" in response.content.decode() or "locked" in response.content.decode()
    assert MonthlyResult.objects.get(member=members[0]).rating == Rating.QUALIFIED
    # The county returns it with a reason; the township can edit again.
    client = client_for(world.users["county"])
    client.post(reverse("members:monthlyreview_return", kwargs={"code": world.village_a.code, "month": "2026-05"}),
                {"reason": "请补充谈话记录"})
    review.refresh_from_db()
    assert review.status == ReviewStatus.RETURNED
    client = client_for(world.users["township_a"])
    assert "请补充谈话记录" in client.get(grid_url(world.village_a)).content.decode()
    client.post(grid_url(world.village_a), grid_post(members, version=review.version, **{
        f"rating-{members[0].pk}": "excellent", f"reason-{members[0].pk}": "x"}))
    assert MonthlyResult.objects.get(member=members[0]).rating == Rating.EXCELLENT


def test_admin_refuses_a_locked_month(grid, client_for):
    world, rule_set, members = grid
    review = services.monthly_grid_save(user=world.users["township_a"], village=world.village_a, month=MAY,
                                        expected_version=0, entries=[])
    services.monthly_review_submit(user=world.users["township_a"], review=review)
    services.monthly_review_accept(user=world.users["county"], review=review)
    result = MonthlyResult.objects.get(member=members[0])
    client = client_for(world.users["admin"])
    url = reverse("admin:members_monthlyresult_change", args=[result.pk])
    response = client.post(url, {"rating": "excellent", "excellent_reason": "改"})
    assert response.status_code == 200
    assert "锁定" in response.content.decode() or "locked" in response.content.decode()
    assert MonthlyResult.objects.get(pk=result.pk).rating == Rating.QUALIFIED


@pytest.mark.parametrize("n", [10, 200])
def test_grid_query_count_is_bounded(n, world, client_for, django_assert_max_num_queries):
    rule_set = rule_set_with_rules(world.village_a)
    members = members_for(world.village_a, n)
    rule = rule_set.rules.first()
    township = world.users["township_a"]
    # Earlier months give the "last months" and year-to-date columns something to show.
    for month in (Month(2026, 3), Month(2026, 4)):
        services.monthly_grid_save(user=township, village=world.village_a, month=month, expected_version=0,
                                   entries=[ResultEntry(member_id=m.pk,
                                                        deductions=[services.DeductionEntry(rule_id=rule.pk)])
                                            for m in members[::2]])
    client = client_for(township)
    with django_assert_max_num_queries(20):
        assert client.get(grid_url(world.village_a)).status_code == 200
    data = grid_post(members)
    for m in members:  # every field the page sends, as a browser would
        data.update({f"reason-{m.pk}": "", f"d-{m.pk}-0-id": "", f"d-{m.pk}-0-note": "", f"d-{m.pk}-0-talk_by": "",
                     f"d-{m.pk}-0-talk_date": ""})
    for m in members[::3]:
        data[f"d-{m.pk}-0-rule"] = str(rule.pk)
    with django_assert_max_num_queries(45):  # 38–39 measured for 10 and for 200 members
        assert client.post(grid_url(world.village_a), data).status_code == 302
    assert MonthlyResult.objects.filter(review__month=5).count() == n + 1  # + person_a
    assert Deduction.objects.filter(result__review__month=5).count() == len(members[::3])
    with django_assert_max_num_queries(20):
        assert client.get(grid_url(world.village_a)).status_code == 200


def test_grid_lists_each_member_once_whatever_their_history(grid, client_for):
    """A member who has left keeps the row of a month they have a result in, and every member is one row however
    many months they have results for. The member query does not join the results (one row per member and month,
    folded by DISTINCT after the year-to-date subqueries ran for each): under load that made the page slower
    with every month of history."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from members.choices import MembershipStatus

    world, rule_set, members = grid
    township = world.users["township_a"]
    for month in (Month(2026, 1), Month(2026, 2), Month(2026, 3), Month(2026, 4), MAY):
        services.monthly_grid_save(user=township, village=world.village_a, month=month, expected_version=0,
                                   entries=[])
    gone = members[2]
    gone.status = MembershipStatus.TRANSFERRED_OUT
    gone.save()
    client = client_for(township)
    with CaptureQueriesContext(connection) as queries:
        content = client.get(grid_url(world.village_a)).content.decode()
    assert [content.count(f'name="m-{m.pk}"') for m in members] == [1, 1, 1]
    assert gone.get_status_display() in content
    member_queries = [q["sql"] for q in queries.captured_queries
                      if q["sql"].startswith(('SELECT "members_partymember".',
                                              'SELECT DISTINCT "members_partymember".'))]
    assert member_queries
    assert not any("DISTINCT" in sql or 'OUTER JOIN "members_monthlyresult"' in sql for sql in member_queries)
    # June has no review yet: only the active members.
    assert client.get(grid_url(world.village_a, Month(2026, 6))).content.decode().count(f'name="m-{gone.pk}"') == 0


def test_minutes_can_be_uploaded_instead_of_typed(grid, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    world, rule_set, members = grid
    client = client_for(world.users["township_a"])
    data = grid_post(members, **{"meeting-meeting_date": "2026-05-30"})
    data["meeting-minutes_file"] = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes",
                                                      content_type="application/pdf")
    assert client.post(grid_url(world.village_a), data).status_code == 302
    review = MonthlyReview.objects.get()
    assert review.minutes == "" and review.minutes_file.name.endswith(".pdf") and review.has_minutes
    from members.selectors import village_period_stats

    stats = village_period_stats(user=world.users["township_a"], year=2026).get(pk=world.village_a.pk)
    assert stats.months_without_minutes == 0 and stats.months_without_posting == 1


def test_printable_notice_lists_results_per_person(grid, client_for):
    world, rule_set, members = grid
    rule = rule_set.rules.get(number=2)
    services.monthly_grid_save(user=world.users["township_a"], village=world.village_a, month=MAY, expected_version=0,
                               entries=[ResultEntry(member_id=members[1].pk,
                                                    deductions=[services.DeductionEntry(rule_id=rule.pk)])])
    content = client_for(world.users["township_a"]).get(
        reverse("members:monthlyreview_notice", kwargs={"code": world.village_a.code, "month": "2026-05"})
    ).content.decode()
    assert all(m.person.name in content for m in members) and f"{rule.text}（−{rule.points}）" in content
    assert client_for(world.users["township_a"]).get(
        reverse("members:monthlyreview_notice", kwargs={"code": world.village_a.code, "month": "2026-06"})
    ).status_code == 404


def test_removing_a_deduction_keeps_its_history(grid, client_for):
    world, rule_set, members = grid
    rule = rule_set.rules.first()
    township = world.users["township_a"]
    review = services.monthly_grid_save(user=township, village=world.village_a, month=MAY, expected_version=0,
                                        entries=[ResultEntry(member_id=members[1].pk,
                                                             deductions=[services.DeductionEntry(rule_id=rule.pk)])])
    deduction = Deduction.objects.get()
    data = grid_post(members, version=review.version, **{
        f"d-{members[1].pk}-0-id": str(deduction.pk), f"d-{members[1].pk}-0-rule": str(rule.pk),
        f"d-{members[1].pk}-0-delete": "1", f"d-{members[1].pk}-1-rule": ""})
    assert client_for(township).post(grid_url(world.village_a), data).status_code == 302
    assert not Deduction.objects.exists()
    assert MonthlyResult.objects.get(member=members[1]).rating == Rating.QUALIFIED
    removed = Deduction.history.get(id=deduction.pk, history_type="-")
    assert removed.history_user == township and removed.rule_id == rule.pk
