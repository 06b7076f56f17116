"""Extension points: where a lower floor shows something a higher floor owns, core names the question and the
higher app answers it from its AppConfig.ready(). The lower app calls the hook and never imports the higher one.

    # members/apps.py
    def ready(self):
        from core import hooks
        from . import selectors
        hooks.village_party_members.provide(selectors.party_member_list)

    # villages/views.py
    ctx["members"] = hooks.village_party_members(user=user, village=village)

A hook nobody answers gives its default (the app that would answer is not installed).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable


class Hook:
    def __init__(self, name: str, default: Callable[..., Any]):
        self.name = name
        self.default = default
        self.provider: Callable[..., Any] | None = None

    def provide(self, func: Callable[..., Any]) -> Callable[..., Any]:
        if self.provider is not None and self.provider is not func:
            raise ValueError(f"hook {self.name!r} answered twice")
        self.provider = func
        return func

    def __call__(self, **kwargs):
        return (self.provider or self.default)(**kwargs)


# villages ← members: the party members of a village (page), and the active memberships to count per village or
# township (an unscoped queryset with a `village` foreign key; None when members is not installed).
village_party_members = Hook("village_party_members", default=lambda **kwargs: [])
active_party_members = Hook("active_party_members", default=lambda **kwargs: None)
# villages ← members: active party members counted per unit from the kept summary (not by counting memberships):
# active_member_counts(villages=<a Village queryset>, by="village__township" or "village") → {unit id: count}.
active_member_counts = Hook("active_member_counts", default=lambda **kwargs: {})

# pledges ← evaluations: a cadre's published evaluation results, which enter the cadre's archive (评议考核).
published_cadre_results = Hook("published_cadre_results", default=lambda **kwargs: [])


class Gathered:
    """An extension point several apps answer: calling it gathers every answer's items, in registration (that is
    INSTALLED_APPS) order. Nobody answering gives an empty list."""

    def __init__(self, name: str):
        self.name = name
        self.providers: list[Callable[..., list]] = []

    def provide(self, func: Callable[..., list]) -> Callable[..., list]:
        if func not in self.providers:
            self.providers.append(func)
        return func

    def __call__(self, **kwargs) -> list:
        return [item for provider in self.providers for item in provider(**kwargs)]


@dataclass(frozen=True)
class Link:
    label: str
    url: str


# villages ← members, pledges, assemblies: the village page's links to what each app holds of the village,
# village_links(user=, village=) → [Link], only those the user may open (the village is in the user's scope).
village_links = Gathered("village_links")


# core ← villages: who issues the documents a user prints (the authority at the head of a PDF and its number's
# mark), for documents core builds itself (background exports); the configured county's when villages does not say.
def _default_issuer(**kwargs):
    from .documents import default_issuer

    return default_issuer()


document_issuer = Hook("document_issuer", default=_default_issuer)

# members ← checks: the ratings a county spot-check did not confirm, in the user's scope, for the signals page:
# spot_check_discrepancies(user=…, year=…) → findings with .sample.review.village, .member.person, .rating, .note.
spot_check_discrepancies = Hook("spot_check_discrepancies", default=lambda **kwargs: [])
# members, pledges, assemblies ← checks: on an accepted period's page, the township's "ask the county to reopen"
# link: reopen_request_url(user=…, period=…) → {"url": …, "pending": request or None}, or None.
reopen_request_url = Hook("reopen_request_url", default=lambda **kwargs: None)
