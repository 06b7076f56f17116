from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import ListedModelChoiceField, QuickChoiceField
from villages.forms import DateInput

from .models import Disposition, MemberWarning
from .services import DeductionEntry, MeetingEntry, ResultEntry

EMPTY_DEDUCTION_SLOTS = 1


class MeetingForm(forms.Form):
    meeting_date = forms.DateField(label=gettext_lazy("Review meeting on"), required=False, widget=DateInput())
    attendance = forms.IntegerField(label=gettext_lazy("Members attending"), required=False, min_value=0)
    minutes = forms.CharField(label=gettext_lazy("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    minutes_file = forms.FileField(label=gettext_lazy("Minutes (scan or document)"), required=False)
    posted_date = forms.DateField(label=gettext_lazy("Results posted publicly on"), required=False, widget=DateInput())

    def entry(self) -> MeetingEntry:
        d = self.cleaned_data
        return MeetingEntry(meeting_date=d["meeting_date"], attendance=d["attendance"], minutes=d["minutes"],
                            minutes_file=d["minutes_file"], posted_date=d["posted_date"])


class ReturnForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for returning"), widget=forms.Textarea(attrs={"rows": 2}))


def _number(value: str) -> int | None:
    """An id posted by the page: ASCII digits only (str.isdigit() also admits '²', which int() refuses)."""
    return int(value) if value.isascii() and value.isdigit() else None


def _date(value: str):
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(value)


def state_from_rows(rows) -> dict[int, dict]:
    """The grid's editable values as stored (GET)."""
    states = {}
    for row in rows:
        r = row.result
        states[row.member.pk] = {
            "excellent": bool(r and r.rating == "excellent"),
            "reason": r.excellent_reason if r else "",
            "deductions": [{"id": d.pk, "rule_id": d.rule_id, "note": d.note, "talk_by": d.talk_by,
                            "talk_date": d.talk_date.isoformat() if d.talk_date else ""} for d in row.deductions],
        }
    return states


def usual_reason(value: str, usual_reasons) -> str:
    """A 优 reason as typed: its number in the village's usual reasons (1–9, as the grid lists them) stands for
    that reason; anything else is the reason itself."""
    number = _number(value.translate(FULLWIDTH_DIGITS))
    if number is not None and 1 <= number <= len(usual_reasons):
        return usual_reasons[number - 1]
    return value


FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def parse_grid(post, rows, rules, usual_reasons=()) -> tuple[list[ResultEntry], dict[int, dict], dict[int, list[str]]]:
    """Read the grid's POST into service entries; also return the posted state (to show again on errors) and
    the errors found while reading (bad dates, unknown rules), per member. A reason given as a number is the
    village's usual reason of that number (usual_reasons, as the page listed them)."""
    entries, states, errors = [], {}, {}
    rule_ids = {r.pk for r in rules}
    for row in rows:
        pk = row.member.pk
        if f"m-{pk}" not in post:
            continue
        name = row.member.person.name
        excellent = post.get(f"rating-{pk}") == "excellent"
        reason = usual_reason(post.get(f"reason-{pk}", "").strip(), usual_reasons)
        state = {"excellent": excellent, "reason": reason, "deductions": []}
        entry = ResultEntry(member_id=pk, excellent=excellent, excellent_reason=reason)
        k = 0
        while f"d-{pk}-{k}-rule" in post:
            prefix = f"d-{pk}-{k}-"
            k += 1
            rule = post.get(prefix + "rule", "").strip()
            did = post.get(prefix + "id", "").strip()
            d_state = {"id": _number(did), "rule_id": _number(rule),
                       "note": post.get(prefix + "note", "").strip(),
                       "talk_by": post.get(prefix + "talk_by", "").strip(),
                       "talk_date": post.get(prefix + "talk_date", "").strip()}
            if post.get(prefix + "delete") or not rule:
                continue
            state["deductions"].append(d_state)
            if d_state["rule_id"] not in rule_ids:
                errors.setdefault(pk, []).append(
                    _("%(name)s: choose a rule of this village's rule set.") % {"name": name})
                continue
            try:
                talk_date = _date(d_state["talk_date"])
            except ValueError:
                errors.setdefault(pk, []).append(
                    _("%(name)s: “%(value)s” is not a date (use e.g. 2007-05-20).")
                    % {"name": name, "value": d_state["talk_date"]})
                continue
            entry.deductions.append(DeductionEntry(rule_id=d_state["rule_id"], note=d_state["note"],
                                                   talk_by=d_state["talk_by"], talk_date=talk_date, id=d_state["id"]))
        states[pk] = state
        entries.append(entry)
    return entries, states, errors


class WarningForm(forms.ModelForm):
    class Meta:
        model = MemberWarning
        fields = ["member", "reason", "issued_by", "issued_date", "deadline", "outcome", "outcome_note"]
        widgets = {"issued_date": DateInput(), "deadline": DateInput(), "reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        from .selectors import party_member_list

        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = party_member_list(user=user).order_by("village__code", "person__name")
        self.fields["member"].label_from_instance = lambda m: f"{m.village.name} · {m.person.name}"


class DispositionForm(forms.ModelForm):
    class Meta:
        model = Disposition
        fields = ["member", "kind", "reason", "decision_date", "approved_by", "outcome", "outcome_note"]
        widgets = {"decision_date": DateInput(), "reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        from .selectors import party_member_list

        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = party_member_list(user=user).order_by("village__code", "person__name")
        self.fields["member"].label_from_instance = lambda m: f"{m.village.name} · {m.person.name}"


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))


class RuleSetAdoptForm(forms.Form):
    village = forms.ModelChoiceField(label=gettext_lazy("Village"), queryset=None)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    adopted_date = forms.DateField(label=gettext_lazy("Adopted at the party-member assembly on"), widget=DateInput())
    specific = forms.CharField(
        label=gettext_lazy("Specific requirements of the village"), required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("One per line: the requirement, a vertical bar, the points it deducts, e.g. "
                               "不带头参加村道保洁|2. The county's basic requirements are added first."))
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=200)

    def __init__(self, *args, user, **kwargs):
        from villages.selectors import village_list

        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = village_list(user=user).select_related("township")
        self.fields["village"].label_from_instance = lambda v: f"{v.township.name} · {v.name}"

    def clean_specific(self):
        from .choices import RuleCategory
        from .services import RuleSpec

        specs = []
        for i, line in enumerate(self.cleaned_data["specific"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            text, sep, points = line.replace("｜", "|").rpartition("|")
            if not sep or not points.strip().isdigit() or not 1 <= int(points) <= 20 or not text.strip():
                raise forms.ValidationError(_("Line %(n)d: write the requirement, “|” and the points (1–20).")
                                            % {"n": i})
            specs.append(RuleSpec(category=RuleCategory.DUTY, text=text.strip(), points=int(points)))
        return specs


class CountyPolicyForm(forms.ModelForm):
    class Meta:
        from .models import CountyPolicy

        model = CountyPolicy
        fields = ["submission_due_days", "warning_points", "disposition_points", "flag_z", "notice_working_days",
                  "notice_public_days"]


class BasicRequirementForm(forms.ModelForm):
    class Meta:
        from .models import BasicRequirement

        model = BasicRequirement
        fields = ["number", "category", "text", "points", "active"]


class RuleSetReviseForm(forms.Form):
    adopted_date = forms.DateField(label=gettext_lazy("Adopted at the party-member assembly on"), widget=DateInput())
    rules = forms.CharField(
        label=gettext_lazy("Rules"), widget=forms.Textarea(attrs={"rows": 14}),
        help_text=gettext_lazy("One per line: the rule, a vertical bar, the points it deducts. The current version "
                               "stays as it is for the months that used it; a new version is made."))
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=200)

    def __init__(self, *args, rule_set, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule_set = rule_set
        if not self.is_bound:
            self.initial["rules"] = "\n".join(f"{r.text}|{r.points}" for r in rule_set.rules.order_by("number"))

    def clean_rules(self):
        from .choices import RuleCategory, RuleKind
        from .services import RuleSpec

        previous = {r.text: r for r in self.rule_set.rules.all()}
        specs = []
        for i, line in enumerate(self.cleaned_data["rules"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            text, sep, points = line.replace("｜", "|").rpartition("|")
            text = text.strip()
            if not sep or not points.strip().isdigit() or not 1 <= int(points) <= 20 or not text:
                raise forms.ValidationError(_("Line %(n)d: write the requirement, “|” and the points (1–20).")
                                            % {"n": i})
            old = previous.get(text)
            specs.append(RuleSpec(category=old.category if old else RuleCategory.DUTY, text=text, points=int(points),
                                  kind=old.kind if old else RuleKind.SPECIFIC,
                                  requirement=old.requirement if old else None))
        if not specs:
            raise forms.ValidationError(_("A rule set needs at least one rule."))
        return specs


class VillageListFilterForm(forms.Form):
    """Filters of the long per-village lists (the month overview, the signals page): a township in scope."""

    township = ListedModelChoiceField(label=gettext_lazy("Township"), queryset=None, required=False,
                                      empty_label=gettext_lazy("All townships"))

    def __init__(self, data=None, *, user, **kwargs):
        from villages.selectors import township_list

        super().__init__(data, **kwargs)
        self.fields["township"].queryset = township_list(user=user)

    def value(self, name):
        return self.cleaned_data.get(name) if self.is_valid() else None


class MonthOverviewFilterForm(VillageListFilterForm):
    status = QuickChoiceField(label=gettext_lazy("Status"), required=False)

    def __init__(self, data=None, *, user, **kwargs):
        from core.workflow import ReviewStatus

        super().__init__(data, user=user, **kwargs)
        self.fields["status"].choices = ([("", gettext_lazy("Any status"))] + list(ReviewStatus.choices)
                                         + [("missing", gettext_lazy("Not started"))])


class SignalsFilterForm(VillageListFilterForm):
    """A region's user chooses the county (each county's villages are compared among themselves), the first by
    default; others have one county and see no such field."""

    county = ListedModelChoiceField(label=gettext_lazy("County"), queryset=None, required=False, empty_label=None)
    flagged = forms.BooleanField(label=gettext_lazy("Flagged only"), required=False)

    field_order = ["county", "township", "flagged"]

    def __init__(self, data=None, *, user, **kwargs):
        from villages.selectors import county_list, region_wide

        super().__init__(data, user=user, **kwargs)
        self.fields["county"].queryset = county_list(user=user)
        if not region_wide(user=user):
            self.fields["county"].widget = forms.HiddenInput()

    def chosen_county(self):
        """The county whose villages are listed: the township's, the one chosen, or the first in scope."""
        township = self.value("township")
        if township is not None:
            return township.county
        return self.value("county") or self.fields["county"].queryset.order_by("code").first()

    def out_of_scope(self) -> bool:
        return any(e.code == "invalid_choice" for name in ("county", "township")
                   for e in self.errors.as_data().get(name, []))


class PublicObjectionForm(forms.Form):
    """The public notice's objection form: about one member or the whole notice; the name and phone are optional."""

    member = forms.TypedChoiceField(label=gettext_lazy("About"), required=False, coerce=int, empty_value=None)
    text = forms.CharField(label=gettext_lazy("Your objection"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 5}))
    name = forms.CharField(label=gettext_lazy("Your name (optional)"), max_length=30, required=False)
    phone = forms.RegexField(label=gettext_lazy("Your phone (optional)"), max_length=20, required=False,
                             regex=r"^[0-9+\- ]{5,20}$",
                             error_messages={"invalid": gettext_lazy("Enter a phone number (digits only).")})

    def __init__(self, data=None, *, members: list[tuple[int, str]], **kwargs):
        super().__init__(data, **kwargs)
        self.fields["member"].choices = [("", _("The whole notice"))] + [(str(pk), name) for pk, name in members]


class ObjectionAnswerForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=gettext_lazy("Answer"), coerce=lambda v: v == "1", widget=forms.RadioSelect,
        choices=[("1", gettext_lazy("Upheld: correct the month and post it again")),
                 ("0", gettext_lazy("Dismissed, for the reason below"))])
    answer = forms.CharField(label=gettext_lazy("Reply (shown on the public notice after its window)"),
                             max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
