"""The base of every report's parameter form. The forms choosing a township or a village live in villages/reports.py."""
from django import forms


class ReportParamsForm(forms.Form):
    """Parameters of a report. Fields in `scope_fields` choose org units: a choice outside the user's scope is a 404
    (the report of another township does not exist for this user), not a form error."""

    scope_fields: tuple[str, ...] = ()

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user

    def out_of_scope(self) -> bool:
        return any(
            error.code == "invalid_choice"
            for name in self.scope_fields
            for error in self.errors.as_data().get(name, [])
        )
