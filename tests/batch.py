"""Helpers of the batch review tests (tests/<app>/test_batch_review.py): post a batch step as the list page does,
read the messages the list page then shows."""
from __future__ import annotations

from django.urls import reverse


def batch_post(client, route: str, ids, *, step: str = "accept", confirm: bool = True, reason: str = "",
               back: str = ""):
    """POST the selected ids to the batch URL (confirmed unless confirm=False) and follow to the page shown."""
    data = {"ids": [str(i) for i in ids], "step": step, "reason": reason}
    if confirm:
        data["confirm"] = "1"
    if back:
        data["next"] = back
    return client.post(reverse(route), data, follow=True)


def shown_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def accepts_in_history(obj) -> int:
    """How many times the audit trail recorded this period becoming accepted."""
    rows = list(type(obj).history.filter(id=obj.pk).order_by("history_date", "history_id").values_list("status",
                                                                                                          flat=True))
    return sum(1 for before, after in zip([None] + rows, rows) if after == "accepted" and before != "accepted")
