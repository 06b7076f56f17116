"""The admin shows spot-checks and requests to reopen read only, narrowed to the user's scope."""
import pytest
from django.urls import reverse

from checks import services
from checks.choices import ReopenKind
from tests.checks.factories import accepted_month

pytestmark = pytest.mark.django_db


def test_the_admin_lists_requests_read_only(world, client_for):
    month = accepted_month(world.village_a, month=5)
    request = services.reopen_request_create(user=world.users["township_a"], kind=ReopenKind.MONTH, period=month,
                                             reason="评定录入有误")
    client = client_for(world.users["admin"])
    assert month.period_label() in client.get(reverse("admin:checks_reopenrequest_changelist")).content.decode()
    assert client.get(reverse("admin:checks_reopenrequest_change", args=[request.pk])).status_code == 200
    assert client.get(reverse("admin:checks_reopenrequest_add")).status_code == 403
    delete = reverse("admin:checks_reopenrequest_delete", args=[request.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    request.refresh_from_db()
