import datetime as dt

from django.urls import reverse

from pledges.models import ItemReview, QuarterlyReview

from .factories import pledge_world


def test_admin_refuses_changes_to_a_locked_quarter(world, client_for):
    pledge_world(world)
    review = world.extra["review"]
    review.status, review.accepted_at = "accepted", dt.datetime(2026, 5, 1, tzinfo=dt.timezone.utc)
    review.save()
    client = client_for(world.users["admin"])
    row = ItemReview.objects.get()
    url = reverse("admin:pledges_itemreview_change", args=[row.pk])
    r = client.post(url, {"review": review.pk, "item": row.item_id, "status": "done", "comment": ""})
    assert r.status_code in (200, 403)
    assert ItemReview.objects.get().status == "behind"
    url = reverse("admin:pledges_quarterlyreview_change", args=[review.pk])
    client.post(url, {"village": review.village_id, "year": 2026, "quarter": 1, "meeting_date": "2026-04-10",
                      "party_members_present": 99, "representatives_present": 1, "supervisors_present": 1,
                      "status": "accepted"})
    assert QuarterlyReview.objects.get().party_members_present == 20


def test_admin_lists_are_scoped(world, client_for):
    pledge_world(world)
    r = client_for(world.users["admin"]).get(reverse("admin:pledges_rectification_changelist"))
    assert r.status_code == 200 and world.extra["rectification"].problem in r.content.decode()
