from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CadrePost, Person
from .selectors import person_list, village_list


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "gender", "birth_date", "id_number", "phone", "education", "village"]
        widgets = {"birth_date": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = village_list(user=user).select_related("township")
        self.fields["village"].label_from_instance = lambda v: f"{v.township.name} · {v.name}"
        self.fields["id_number"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        if self.instance.pk:
            # Staff may replace an ID number but the form never shows the stored one.
            self.initial["id_number"] = ""
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = _("Leave empty to keep the recorded ID number.")

    def clean_id_number(self):
        value = self.cleaned_data.get("id_number")
        if not value and self.instance.pk:
            return self.instance.id_number
        return value


class CadrePostForm(forms.ModelForm):
    class Meta:
        model = CadrePost
        fields = ["person", "post", "term_start_year", "term_end_year", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, user, village, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.village = village
        self.fields["person"].queryset = person_list(user=user).filter(village__township=village.township_id)
        self.fields["person"].label_from_instance = lambda p: f"{p.name}（{p.village.name}）"
