from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from .models import CadreEvaluation, HandlingCase, Round
from .services import CASE_FIELDS, RESULT_FIELDS, ROUND_SETTINGS


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = ["year"] + ROUND_SETTINGS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["year"].disabled = True


class ResultForm(forms.Form):
    """A cadre's ballots and scores. A plain form: the service validates the whole row and writes it."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in fields_for_model(CadreEvaluation, fields=RESULT_FIELDS).items():
            self.fields[name] = field
            if name.startswith(("party_", "rep_")):
                field.widget.attrs["min"] = 0
            if name.startswith("score_"):
                field.widget.attrs.update({"min": 0, "max": 100, "step": "0.5"})

    def party_fields(self):
        return [self[f] for f in RESULT_FIELDS if f.startswith("party_")]

    def rep_fields(self):
        return [self[f] for f in RESULT_FIELDS if f.startswith("rep_")]

    def dimension_rows(self):
        from .choices import DIMENSIONS

        return [(label, self[f"score_{code}"], self[f"comment_{code}"]) for code, label in DIMENSIONS]


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason for returning"), widget=forms.Textarea(attrs={"rows": 2}))


class CaseForm(forms.ModelForm):
    class Meta:
        model = HandlingCase
        fields = CASE_FIELDS
        widgets = {"measure_date": forms.DateInput(attrs={"type": "date"}),
                   "closed_on": forms.DateInput(attrs={"type": "date"}),
                   "outcome": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self):
        pass  # the service validates and writes


class SheetFilterForm(forms.Form):
    """The round page's township sheets: one township in scope, one review status."""

    township = forms.ModelChoiceField(label=_("Township"), queryset=None, required=False,
                                      empty_label=_("All townships"))
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, data=None, *, user, **kwargs):
        from core.workflow import ReviewStatus
        from villages.selectors import township_list

        super().__init__(data, **kwargs)
        self.fields["township"].queryset = township_list(user=user)
        self.fields["status"].choices = [("", _("Any status")), *ReviewStatus.choices]

    def value(self, name):
        return self.cleaned_data.get(name) if self.is_valid() else None
