"""villages/ in the reports: the parameter forms that choose a township or a village within the user's scope.

The report machinery is core's (core.reports); every initiative's reports.py builds its forms on these."""
from django import forms
from django.utils.translation import gettext_lazy as _

from core.reports.forms import ReportParamsForm

from .selectors import county_list, region_wide, township_list, village_list


class TownshipParamsForm(ReportParamsForm):
    scope_fields = ("township",)
    township = forms.ModelChoiceField(
        label=_("Township"), queryset=None, required=False, empty_label=_("All townships"),
    )

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, user=user, **kwargs)
        townships = township_list(user=user)
        self.fields["township"].queryset = townships
        if townships.count() == 1:
            self.fields["township"].required = True
            self.fields["township"].initial = townships.first()
            self.fields["township"].empty_label = None


class CountyTownshipParamsForm(TownshipParamsForm):
    """For the reports that compare counties: a region's user (more than one county in scope) may choose a county,
    whose townships are then the rows; without one the rows are the counties. Other users do not see the field (a
    county outside their scope in the URL is still not found)."""

    scope_fields = ("township", "county")
    county = forms.ModelChoiceField(label=_("County"), queryset=None, required=False, empty_label=_("All counties"))

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, user=user, **kwargs)
        self.fields["county"].queryset = county_list(user=user)
        if region_wide(user=user):
            self.fields["township"].label_from_instance = lambda t: f"{t.county.name} · {t.name}"
            self.order_fields(["county", "township"])
        else:
            self.fields["county"].widget = forms.HiddenInput()


class VillageParamsForm(ReportParamsForm):
    scope_fields = ("village",)
    village = forms.ModelChoiceField(label=_("Village"), queryset=None)

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, user=user, **kwargs)
        self.fields["village"].queryset = village_list(user=user).select_related("township")
        self.fields["village"].label_from_instance = lambda v: f"{v.township.name} · {v.name}"
