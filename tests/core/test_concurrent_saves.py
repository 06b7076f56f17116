"""The other saves that carry a version, raced by two users at the same moment (PostgreSQL, two threads): a
village's quarterly pledge review and a cadre's evaluation. One save wins; the other is told someone else saved
and writes nothing; the history holds only the winner's write. (The monthly grid: tests/members.)"""
import pytest
from django.urls import reverse
from django.utils import timezone

from core import workflow
from evaluations import services as evaluation_services
from evaluations.models import CadreEvaluation
from pledges.models import ItemReview, QuarterlyReview
from tests.accounts.factories import make_user
from tests.concurrency import HOLD, logged_in, postgresql_only, race, slow_claim
from tests.evaluations.factories import GOOD, open_round, result_of
from tests.pledges.factories import pledge_world

pytestmark = [pytest.mark.django_db(transaction=True), postgresql_only]

STALE = "已有其他人保存过"


@pytest.fixture
def second_clerk(world):
    return make_user("township_a2", role="township_staff", county=world.county, township=world.township_a)


def _outcome(responses, saved_marker):
    pages = {name: r.content.decode() for name, r in responses.items()}
    saved = [n for n, p in pages.items() if saved_marker in p]
    refused = [n for n, p in pages.items() if STALE in p]
    assert len(saved) == 1 and len(refused) == 1 and saved != refused, pages
    return saved[0], refused[0]


def test_quarterly_pledge_review(world, second_clerk, monkeypatch):
    pledge_world(world)
    review, item = world.extra["review"], world.extra["item"]
    first = world.users["township_a"]
    clients = {first.username: logged_in(first), second_clerk.username: logged_in(second_clerk)}
    url = reverse("pledges:review_detail", kwargs={"code": world.village_a.code, "quarter": "2026Q1"})

    def data(comment):
        return {"meeting_date": "2026-04-08", "party_members_present": 31, "representatives_present": 18,
                "supervisors_present": 3, "version": review.version, f"status-{item.pk}": "done",
                f"comment-{item.pk}": comment}

    race_start = timezone.now()
    claimed = slow_claim(monkeypatch, workflow)
    responses, started = race([(name, client, url, data(f"{name}的评议意见")) for name, client in clients.items()])
    winner, loser = _outcome(responses, "已保存")
    assert len(claimed) == 1 and started[loser] < claimed[0] + HOLD

    assert QuarterlyReview.objects.get(pk=review.pk).version == review.version + 1
    assert ItemReview.objects.get(item=item).comment == f"{winner}的评议意见"
    assert not ItemReview.history.filter(comment=f"{loser}的评议意见").exists()
    written = ItemReview.history.filter(history_date__gte=race_start)
    assert set(written.values_list("history_user__username", flat=True)) == {winner}


def test_a_cadres_evaluation(world, second_clerk, monkeypatch):
    result = result_of(open_round(world), world.person_a)
    first = world.users["township_a"]
    clients = {first.username: logged_in(first), second_clerk.username: logged_in(second_clerk)}
    url = reverse("evaluations:result_edit", kwargs={"pk": result.pk})

    def data(comment):
        values = {**GOOD, "comment_ji": comment}
        post = {k: ("on" if v is True else str(v)) for k, v in values.items() if v is not False}
        return {**post, "version": result.version}

    race_start = timezone.now()
    claimed = slow_claim(monkeypatch, evaluation_services)
    responses, started = race([(name, client, url, data(f"{name}的评语")) for name, client in clients.items()])
    winner, loser = _outcome(responses, "已保存")
    assert len(claimed) == 1 and started[loser] < claimed[0] + HOLD

    saved = CadreEvaluation.objects.get(pk=result.pk)
    assert (saved.version, saved.comment_ji, str(saved.total_score)) == (result.version + 1, f"{winner}的评语", "81.72")
    assert not CadreEvaluation.history.filter(comment_ji=f"{loser}的评语").exists()
    written = CadreEvaluation.history.filter(history_date__gte=race_start)
    assert set(written.values_list("history_user__username", flat=True)) == {winner}
