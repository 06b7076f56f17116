"""A user's scope lives in core.scope (core reads the user's org-unit attributes and knows no app); the names the
services and views of the apps use are kept here so their imports stay as they were."""
from core.scope import (  # noqa: F401 (re-exported)
    ALL,
    COUNTY,
    REGION,
    TOWNSHIP,
    VILLAGE,
    scope_for,
    township_assert_in_scope,
    village_assert_in_scope,
)
