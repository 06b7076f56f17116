"""The overview's work queue: the periods waiting for this user, from every initiative.

The county sees what townships have submitted and it has not yet accepted; a township sees what the county has
returned, and (where a period has a due date) what is past due and not yet submitted. An app offers its periods
with a function work_queue(*, user) -> list[QueueSection] in its selectors.py, built with period_queue(), and
registers it in its AppConfig.ready() with register_queue(); the overview collects them in registration
(INSTALLED_APPS) order. One query per kind of period, and one more per section that has rows, whatever the data.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .workflow import ReviewStatus

LIMIT = 10


@dataclass
class QueueItem:
    title: str
    url: str
    state: str
    since: object = None  # the date the state refers to, named by since_label (submitted on, returned on, due on)
    detail: str = ""
    since_label: str = ""


@dataclass
class QueueSection:
    kind: str
    items: list[QueueItem] = field(default_factory=list)
    total: int = 0
    list_url: str = ""

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def _section(kind, qs, total, *, state, since, since_label, detail=None, list_url="") -> QueueSection | None:
    if not total:
        return None
    periods = list(qs[:LIMIT])
    items = [QueueItem(title=p.period_label(), url=p.get_absolute_url(), state=state, since=getattr(p, since),
                       since_label=since_label, detail=detail(p) if detail else "") for p in periods]
    if callable(list_url):
        list_url = list_url(periods[0])  # the list page showing the first (oldest) of them
    return QueueSection(kind=kind, items=items, total=total, list_url=list_url)


def period_queue(qs, *, user, kind: str, accept_perm: str, submit_perm: str, list_url="",
                 due_field: str | None = None, counted=None) -> list[QueueSection]:
    """The sections of one kind of period (qs: the periods in the user's scope, with what period_label needs).
    list_url: the page listing them, or a function of a period giving the list page that shows it.
    counted: where the sections are counted, if not qs: the periods' summary table (core.summaries) in the user's
    scope, with the same status and due-date columns.
    One query counts every section; the rows are fetched only for a section that has any."""
    wanted = {}
    if user.has_perm(accept_perm):
        wanted["submitted"] = Q(status=ReviewStatus.SUBMITTED)
    if user.has_perm(submit_perm):
        wanted["returned"] = Q(status=ReviewStatus.RETURNED)
        if due_field:
            wanted["overdue"] = Q(status=ReviewStatus.DRAFT, **{f"{due_field}__lt": timezone.localdate()})
    if not wanted:
        return []
    counts = (qs if counted is None else counted).aggregate(
        **{name: Count("pk", filter=q) for name, q in wanted.items()})
    sections = []
    if "submitted" in wanted:
        sections.append(_section(
            kind, qs.filter(wanted["submitted"]).order_by("submitted_at", "pk"), counts["submitted"],
            state=_("submitted, waiting for the county"), since="submitted_at", since_label=_("submitted on"),
            list_url=list_url))
    if "returned" in wanted:
        sections.append(_section(
            kind, qs.filter(wanted["returned"]).order_by("returned_at", "pk"), counts["returned"],
            state=_("returned by the county"), since="returned_at", since_label=_("returned on"),
            detail=lambda p: p.return_reason, list_url=list_url))
    if "overdue" in wanted:
        sections.append(_section(
            kind, qs.filter(wanted["overdue"]).order_by(due_field, "pk"), counts["overdue"],
            state=_("past due, not submitted"), since=due_field, since_label=_("due on"), list_url=list_url))
    return [s for s in sections if s is not None]


_PROVIDERS: list[Callable[..., list[QueueSection]]] = []


def register_queue(provider: Callable[..., list[QueueSection]]) -> None:
    """Called from an app's AppConfig.ready() with its work_queue(*, user)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def work_queue(*, user) -> list[QueueSection]:
    sections = []
    for provider in _PROVIDERS:
        sections.extend(provider(user=user))
    return sections
