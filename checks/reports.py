"""The spot-check report: one draw's sampled village-months and the ratings the check did not confirm."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from core.documents import DocumentNumber
from core.reports.forms import ReportParamsForm
from core.reports.registry import INT, Column, Report, ReportData, Section, register

from .selectors import discrepancy_list, sample_list, spot_check_list


class SpotCheckParamsForm(ReportParamsForm):
    scope_fields = ("spot_check",)
    spot_check = forms.ModelChoiceField(label=gettext_lazy("Spot-check"), queryset=None, required=False,
                                        empty_label=gettext_lazy("the latest"))

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, user=user, **kwargs)
        draws = spot_check_list(user=user).order_by("-year", "-quarter", "-pk")
        self.fields["spot_check"].queryset = draws
        self.fields["spot_check"].initial = draws.first()


@register
class SpotCheckReport(Report):
    code = "spot-check"
    title = gettext_lazy("Spot-check of village ratings")
    description = gettext_lazy("The village-months a county spot-check drew (with its seed) and each rating the "
                               "check on the ground did not confirm.")
    permission = "checks.view_spotcheck"
    form_class = SpotCheckParamsForm

    def get_data(self, spot_check=None, **params) -> ReportData:
        spot_check = spot_check or spot_check_list(user=self.user).first()
        if spot_check is None:
            return ReportData(title=str(self.title), scope_name=_("the whole county"), filename=_("Spot-check"),
                              sections=[Section(_("Sampled village-months"), [Column(_("Village"))], [],
                                                note=_("No spot-check drawn yet."))])
        samples = list(sample_list(user=self.user, spot_check=spot_check).order_by("position"))
        findings = list(discrepancy_list(user=self.user).filter(sample__spot_check=spot_check))
        yes, no = _("yes"), _("no")
        sample_rows = [(s.position, s.review.village.township.name, s.review.village.name, s.month.label,
                        yes if s.flagged else no, s.checked, s.disputed) for s in samples]
        finding_rows = [(f.sample.review.village.township.name, f.sample.review.village.name,
                         f.sample.month.label, f.member.person.name, f.rating, f.note) for f in findings]
        label = spot_check.period.label
        return ReportData(
            title=str(self.title), scope_name=_("the whole county"), period_label=label,
            filename=f"{_('Spot-check')}-{spot_check.period}-{spot_check.seed}",
            number=DocumentNumber(pgettext("document kind", "Spot-check"), spot_check.year, spot_check.pk),
            summary=[(_("Random seed"), spot_check.seed), (_("Village-months sampled"), len(sample_rows)),
                     (_("Ratings not confirmed"), len(finding_rows))],
            sections=[
                Section(_("Sampled village-months"), [
                    Column(_("Order drawn"), INT), Column(_("Township")), Column(_("Village")), Column(_("Month")),
                    Column(_("Flagged village")), Column(_("Members checked"), INT), Column(_("Not confirmed"), INT),
                ], sample_rows, note=_("Drawn with seed %(seed)s, %(n)s village-months per township, a flagged "
                                       "village's month weighted %(w)s.") % {
                    "seed": spot_check.seed, "n": spot_check.per_township, "w": spot_check.flagged_weight}),
                Section(_("Ratings not confirmed"), [
                    Column(_("Township")), Column(_("Village")), Column(_("Month")), Column(_("Party member")),
                    Column(_("Rating checked")), Column(_("What the check found")),
                ], finding_rows),
            ],
        )
