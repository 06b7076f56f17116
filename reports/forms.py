from django import forms
from django.utils.translation import gettext_lazy as _

from villages.selectors import township_list, village_list


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


class TownshipParamsForm(ReportParamsForm):
    scope_fields = ("township",)
    township = forms.ModelChoiceField(label=_("Township"), queryset=None, required=False, empty_label=_("All townships"))

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, user=user, **kwargs)
        townships = township_list(user=user)
        self.fields["township"].queryset = townships
        if townships.count() == 1:
            self.fields["township"].required = True
            self.fields["township"].initial = townships.first()
            self.fields["township"].empty_label = None


class VillageParamsForm(ReportParamsForm):
    scope_fields = ("village",)
    village = forms.ModelChoiceField(label=_("Village"), queryset=None)

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, user=user, **kwargs)
        self.fields["village"].queryset = village_list(user=user).select_related("township")
        self.fields["village"].label_from_instance = lambda v: f"{v.township.name} · {v.name}"
