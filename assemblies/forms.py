from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.periods import Quarter, recent_quarters
from villages.forms import DateInput
from villages.selectors import person_list, township_list

from .models import QUORUM_RULE, DiscussionPoint, Household, Inspection, Matter, Meeting
from .selectors import discussion_point_list, village_list


def _people_of_township(user, village):
    qs = person_list(user=user).filter(village__township=village.township_id).order_by("village__code", "name")
    return qs


def _label_person(p):
    return f"{p.name}（{p.village.name}）"


class HouseholdForm(forms.ModelForm):
    class Meta:
        model = Household
        fields = ["number", "head_name", "group", "discussion_point"]

    def __init__(self, *args, user, village, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.village = village
        self.fields["discussion_point"].queryset = discussion_point_list(user=user, village=village)


class RepresentativeForm(forms.Form):
    person = forms.ModelChoiceField(label=_("New representative"), queryset=None, required=False,
                                    help_text=_("Leave empty to record that the household has no representative now."))
    date = forms.DateField(label=_("Date of the change"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, user, village, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _people_of_township(user, village)
        self.fields["person"].label_from_instance = _label_person
        self.fields["date"].initial = timezone.localdate()


class DiscussionPointForm(forms.ModelForm):
    class Meta:
        model = DiscussionPoint
        fields = ["name", "convenor"]

    def __init__(self, *args, user, village, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.village = village
        self.fields["convenor"].queryset = _people_of_township(user, village)
        self.fields["convenor"].label_from_instance = _label_person


class SpeakerPilotForm(forms.Form):
    speaker = forms.ModelChoiceField(label=_("Speaker"), queryset=None, required=False)
    started = forms.DateField(label=_("Pilot started"), widget=DateInput())
    ended = forms.DateField(label=_("Pilot ended"), widget=DateInput(), required=False)

    def __init__(self, *args, user, village, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speaker"].queryset = _people_of_township(user, village)
        self.fields["speaker"].label_from_instance = _label_person


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["discussion_point", "date", "topic", "households_expected", "households_present", "minutes"]
        widgets = {"date": DateInput(), "minutes": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, user, village, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.village = village
        self.fields["discussion_point"].queryset = discussion_point_list(user=user, village=village)
        self.fields["households_present"].help_text = QUORUM_RULE


class MatterForm(forms.ModelForm):
    class Meta:
        model = Matter
        fields = ["title", "category", "decision", "votes_for", "votes_against", "votes_abstaining", "implementer",
                  "is_typical", "typical_writeup"]
        widgets = {"decision": forms.Textarea(attrs={"rows": 3}), "typical_writeup": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting


class FollowUpForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    note = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}))
    implemented = forms.BooleanField(label=_("The matter is implemented with this step"), required=False)


class TownshipQuarterForm(forms.Form):
    township = forms.ModelChoiceField(label=_("Township"), queryset=None)
    quarter = forms.ChoiceField(label=_("Quarter"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = township_list(user=user)
        if self.fields["township"].queryset.count() == 1:
            self.fields["township"].initial = self.fields["township"].queryset.first()
        self.fields["quarter"].choices = recent_quarters(8)

    def clean_quarter(self):
        return Quarter.parse(self.cleaned_data["quarter"])


class InspectionForm(TownshipQuarterForm):
    inspected_on = forms.DateField(label=_("Inspected on"), widget=DateInput())
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 6}))


class InspectionEditForm(forms.ModelForm):
    class Meta:
        model = Inspection
        fields = ["inspected_on", "findings"]
        widgets = {"inspected_on": DateInput(), "findings": forms.Textarea(attrs={"rows": 6})}


class ModelVillageForm(forms.Form):
    village = forms.ModelChoiceField(label=_("Village"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    reason = forms.CharField(label=_("Why it is named"), max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = village_list(user=user)
        self.fields["village"].label_from_instance = lambda v: f"{v.township.name} · {v.name}"
        self.fields["year"].initial = timezone.localdate().year


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason for returning"), widget=forms.Textarea(attrs={"rows": 3}))
