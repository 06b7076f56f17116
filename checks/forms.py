from django import forms
from django.utils.translation import gettext_lazy as _

from core.periods import Quarter, recent_quarters

from .sampling import DEFAULT_FLAGGED_WEIGHT


class SpotCheckDrawForm(forms.Form):
    quarter = forms.ChoiceField(label=_("Quarter"))
    per_township = forms.IntegerField(label=_("Village-months per township"), min_value=1, max_value=50, initial=2)
    flagged_weight = forms.IntegerField(
        label=_("Weight of a flagged village"), min_value=1, max_value=20, initial=DEFAULT_FLAGGED_WEIGHT,
        help_text=_("A month of a village the signals flag is this many times as likely to be drawn as another."))
    seed = forms.IntegerField(
        label=_("Random seed"), required=False, min_value=0, max_value=10**12,
        help_text=_("Leave blank for a new random draw; enter a recorded seed to repeat a draw."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = recent_quarters(8)
        self.fields["quarter"].initial = self.fields["quarter"].choices[1][0]  # last quarter

    def clean_quarter(self):
        try:
            return Quarter.parse(self.cleaned_data["quarter"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc))


class ReopenAskForm(forms.Form):
    reason = forms.CharField(label=_("Why it should be reopened"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 4}))


class ReopenDecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("The county's decision"), widget=forms.RadioSelect, choices=[
        ("approve", _("Approve: return the period to the township with its reason")),
        ("decline", _("Decline: the period stays locked")),
    ])
    answer = forms.CharField(label=_("Answer to the township"), max_length=1000, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Required when declining."))
