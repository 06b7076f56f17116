"""Requests to reopen: a township asks with a reason, the request waits in the county's queue, approving returns the
period with that reason (month, pledge review, filing), declining answers the township; every step in the trail."""
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from checks import services
from checks.choices import ReopenKind, ReopenStatus
from checks.models import ReopenRequest
from core.queue import work_queue
from core.workflow import ReviewStatus
from tests.assemblies.factories import FilingFactory
from tests.checks.factories import accepted_month
from tests.pledges.factories import QuarterlyReviewFactory

pytestmark = pytest.mark.django_db

REASON = "王甲明五月的扣分录错了规则，需更正"


@pytest.fixture
def month(world):
    return accepted_month(world.village_a, month=5)


def _ask(client, kind, period, reason=REASON):
    return client.post(reverse("checks:reopen_add", args=[kind, period.pk]), {"reason": reason})


def test_ask_then_approve_returns_the_month_with_the_reason(world, month, client_for):
    township = client_for(world.users["township_a"])
    page = township.get(month.get_absolute_url()).content.decode()
    ask_url = reverse("checks:reopen_add", args=["month", month.pk])
    assert ask_url in page and "申请重新打开" in page  # the button on the accepted month's page

    assert _ask(township, "month", month).status_code == 302
    request = ReopenRequest.objects.get()
    assert (request.status, request.township, request.reason) == (ReopenStatus.PENDING, world.township_a, REASON)
    assert "正在等待县委组织部决定" in township.get(month.get_absolute_url()).content.decode()

    county = client_for(world.users["county"])
    queue = work_queue(user=world.users["county"])
    assert any(item.detail == REASON for s in queue if s.kind == "重新打开申请" for item in s.items)
    listed = county.get(reverse("checks:reopen_list")).content.decode()
    assert REASON in listed and reverse("checks:reopen_decide", args=[request.pk]) in listed
    confirm = county.get(reverse("checks:reopen_decide", args=[request.pk]) + "?decision=approve").content.decode()
    assert "同意后" in confirm and re.search(r'value="approve"[^>]*checked', confirm)  # preselected, not done
    month.refresh_from_db()
    assert month.status == ReviewStatus.ACCEPTED  # the confirmation page changes nothing

    response = county.post(reverse("checks:reopen_decide", args=[request.pk]), {"decision": "approve", "answer": ""})
    assert response.status_code == 302
    month.refresh_from_db()
    assert month.status == ReviewStatus.RETURNED
    assert REASON in month.return_reason and month.returned_by == world.users["county"]
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (ReopenStatus.APPROVED, world.users["county"])
    assert REASON in township.get(month.get_absolute_url()).content.decode()  # the returned month says why

    trail = [(h.history_user.username, h.status) for h in request.history.order_by("history_date", "history_id")]
    assert trail == [("township_a", ReopenStatus.PENDING), ("county", ReopenStatus.APPROVED)]
    history = county.get(reverse("record_history", args=["checks", "reopenrequest", request.pk])).content.decode()
    assert "已同意：已退回" in history


def test_ask_then_decline_answers_the_township_and_keeps_the_month_locked(world, month, client_for):
    _ask(client_for(world.users["township_a"]), "month", month)
    request = ReopenRequest.objects.get()
    county = client_for(world.users["county"])
    decide = reverse("checks:reopen_decide", args=[request.pk])

    refused = county.post(decide, {"decision": "decline", "answer": ""})
    assert refused.status_code == 200 and "请写明不同意的理由" in refused.content.decode()

    county.post(decide, {"decision": "decline", "answer": "扣分有谈话记录为证，维持原评定"})
    month.refresh_from_db()
    assert month.status == ReviewStatus.ACCEPTED
    request.refresh_from_db()
    assert request.status == ReopenStatus.DECLINED
    listed = client_for(world.users["township_a"]).get(reverse("checks:reopen_list")).content.decode()
    assert "扣分有谈话记录为证，维持原评定" in listed and "未同意" in listed
    assert [h.status for h in request.history.order_by("history_date", "history_id")] == [
        ReopenStatus.PENDING, ReopenStatus.DECLINED]
    assert not any(s.kind == "重新打开申请" for s in work_queue(user=world.users["county"]))


def test_a_pledge_review_and_a_filing_are_returned_through_their_own_services(world):
    review = QuarterlyReviewFactory(village=world.village_a, status=ReviewStatus.ACCEPTED, accepted_at=timezone.now())
    filing = FilingFactory(township=world.township_a, status=ReviewStatus.ACCEPTED, accepted_at=timezone.now())
    for kind, period in ((ReopenKind.PLEDGE_REVIEW, review), (ReopenKind.FILING, filing)):
        request = services.reopen_request_create(user=world.users["township_a"], kind=kind, period=period,
                                                 reason=REASON)
        services.reopen_request_approve(user=world.users["county"], request=request)
        period.refresh_from_db()
        assert period.status == ReviewStatus.RETURNED and REASON in period.return_reason


def test_the_accepted_pledge_review_and_filing_pages_offer_the_request(world, client_for):
    review = QuarterlyReviewFactory(village=world.village_a, status=ReviewStatus.ACCEPTED, accepted_at=timezone.now())
    filing = FilingFactory(township=world.township_a, status=ReviewStatus.ACCEPTED, accepted_at=timezone.now())
    client = client_for(world.users["township_a"])
    assert reverse("checks:reopen_add", args=["pledgereview", review.pk]) in client.get(
        review.get_absolute_url()).content.decode()
    assert reverse("checks:reopen_add", args=["filing", filing.pk]) in client.get(
        filing.get_absolute_url()).content.decode()
    # The county does not ask itself.
    county_page = client_for(world.users["county"]).get(filing.get_absolute_url()).content.decode()
    assert reverse("checks:reopen_add", args=["filing", filing.pk]) not in county_page
    assert "申请重新打开" not in county_page


def test_only_an_accepted_period_is_asked_for_and_only_once(world, month):
    township = world.users["township_a"]
    services.reopen_request_create(user=township, kind=ReopenKind.MONTH, period=month, reason=REASON)
    with pytest.raises(ValidationError, match="已在等待"):
        services.reopen_request_create(user=township, kind=ReopenKind.MONTH, period=month, reason=REASON)
    draft = accepted_month(world.village_a2, month=5)
    draft.status = ReviewStatus.DRAFT
    draft.save()
    with pytest.raises(ValidationError, match="无需重新打开"):
        services.reopen_request_create(user=township, kind=ReopenKind.MONTH, period=draft, reason=REASON)


def test_out_of_scope_is_not_found_and_only_the_county_decides(world, month, client_for):
    assert _ask(client_for(world.users["township_b"]), "month", month).status_code == 404
    assert not ReopenRequest.objects.exists()
    request = services.reopen_request_create(user=world.users["township_a"], kind=ReopenKind.MONTH, period=month,
                                             reason=REASON)
    decide = reverse("checks:reopen_decide", args=[request.pk])
    assert client_for(world.users["township_b"]).post(decide, {"decision": "approve"}).status_code == 404
    assert client_for(world.users["township_a"]).post(decide, {"decision": "approve"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.reopen_request_approve(user=world.users["township_a"], request=request)
    month.refresh_from_db()
    assert month.status == ReviewStatus.ACCEPTED
    assert REASON not in client_for(world.users["township_b"]).get(reverse("checks:reopen_list")).content.decode()


def test_the_list_shows_the_requests_waiting_for_the_county_first(world, client_for):
    older, newer = accepted_month(world.village_a, month=4), accepted_month(world.village_a, month=5)
    waiting = services.reopen_request_create(user=world.users["township_a"], kind=ReopenKind.MONTH, period=older,
                                             reason="四月的评议录错，请退回")
    declined = services.reopen_request_create(user=world.users["township_a"], kind=ReopenKind.MONTH, period=newer,
                                              reason="五月补评，请退回")
    services.reopen_request_decline(user=world.users["county"], request=declined, answer="评定无误")
    page = client_for(world.users["county"]).get(reverse("checks:reopen_list")).content.decode()
    assert page.index(waiting.reason) < page.index(declined.reason)  # it read 未同意 first: status in abc order
    assert '<td class="rowactions"><a class="button"' in page  # its buttons in a cell of the row


def test_one_status_lists_the_newest_request_first(world, client_for):
    first = services.reopen_request_create(user=world.users["township_a"], kind=ReopenKind.MONTH,
                                           period=accepted_month(world.village_a, month=4), reason="四月录错，请退回")
    second = services.reopen_request_create(user=world.users["township_a"], kind=ReopenKind.MONTH,
                                            period=accepted_month(world.village_a, month=5), reason="五月录错，请退回")
    page = client_for(world.users["county"]).get(reverse("checks:reopen_list") + "?status=pending").content.decode()
    assert page.index(second.reason) < page.index(first.reason)
