"""The one scoped FilterSet base: choice filters offer only what lies in the user's scope."""
from __future__ import annotations

from collections.abc import Callable

import django_filters


class ScopedFilterSet(django_filters.FilterSet):
    """A FilterSet built with the signed-in user. `scoped_choices` maps a filter's name to a selector called as
    selector(user=user) for its choices (core imports no app: an app names its own selectors there)."""

    scoped_choices: dict[str, Callable] = {}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name, selector in self.scoped_choices.items():
            if name in self.filters:
                self.filters[name].queryset = selector(user=user)
