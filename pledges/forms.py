from django import forms
from django.utils.translation import gettext_lazy as _

from villages.choices import TWO_COMMITTEES
from villages.forms import DateInput
from villages.models import Person

from .choices import ArchiveCategory, ItemStatus, PledgeKind
from .models import PLEDGE_COMMITTEES, Pledge, PledgeItem, QuarterlyReview, Rectification
from .uploads import max_upload_bytes


class PledgeForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=PledgeKind.choices)
    person = forms.ModelChoiceField(label=_("cadre"), queryset=Person.objects.none(), required=False,
                                    help_text=_("Annual pledges: the cadre who pledges."))
    committee = forms.ChoiceField(label=_("committee"), choices=[("", "—")] + PLEDGE_COMMITTEES, required=False,
                                  help_text=_("Term pledges: the committee that pledges."))
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100,
                              help_text=_("Annual pledges: the year; term pledges: the first year of the term."))
    term_end_year = forms.IntegerField(label=_("term to (year)"), min_value=2000, max_value=2100, required=False)

    def __init__(self, *args, village, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            Person.objects.filter(posts__village=village, posts__committee__in=TWO_COMMITTEES,
                                  posts__end_date__isnull=True).distinct().order_by("name")
        )


class AdoptionForm(forms.ModelForm):
    class Meta:
        model = Pledge
        fields = ["party_assembly_date", "representative_meeting", "representative_meeting_date",
                  "publicly_pledged_date"]
        widgets = {f: DateInput()
                   for f in ("party_assembly_date", "representative_meeting_date", "publicly_pledged_date")}


class PledgeItemForm(forms.ModelForm):
    class Meta:
        model = PledgeItem
        fields = ["category", "commitment", "target", "due_date", "position"]
        widgets = {"due_date": DateInput(), "commitment": forms.Textarea(attrs={"rows": 3})}


class MeetingForm(forms.ModelForm):
    class Meta:
        model = QuarterlyReview
        fields = ["meeting_date", "party_members_present", "representatives_present", "supervisors_present", "notes"]
        widgets = {"meeting_date": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}


STATUS_CHOICES = [("", "—")] + list(ItemStatus.choices)


class RectificationOpenForm(forms.ModelForm):
    class Meta:
        model = Rectification
        fields = ["item", "problem", "responsible", "deadline"]
        widgets = {"deadline": DateInput(), "problem": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        self.fields["item"].label_from_instance = lambda i: (
            f"{i.pledge.person.name if i.pledge.person_id else i.pledge.get_committee_display()} · {i.commitment[:40]}"
        )


class RectificationForm(forms.ModelForm):
    class Meta:
        model = Rectification
        fields = ["problem", "responsible", "deadline", "status", "verified_how", "verified_on"]
        widgets = {"deadline": DateInput(), "verified_on": DateInput(), "problem": forms.Textarea(attrs={"rows": 3}),
                   "verified_how": forms.Textarea(attrs={"rows": 2})}


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("reason for returning"), widget=forms.Textarea(attrs={"rows": 2}))


class ArchiveEntryForm(forms.Form):
    category = forms.ChoiceField(label=_("category"), choices=ArchiveCategory.choices)
    title = forms.CharField(label=_("title"), max_length=120)
    date = forms.DateField(label=_("date of the material"), required=False, widget=DateInput())
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    uploaded_file = forms.FileField(label=_("file"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.template.defaultfilters import filesizeformat

        self.fields["uploaded_file"].help_text = _("A PDF or an image (scan or photo), at most %(limit)s.") % {
            "limit": filesizeformat(max_upload_bytes())}
        self.fields["uploaded_file"].widget.attrs["accept"] = "application/pdf,image/*"


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("reason for withdrawing"), widget=forms.Textarea(attrs={"rows": 2}))


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("year"), required=False, min_value=2000, max_value=2100)
