"""Reports owned by villages/: the roster of serving two-committee cadres."""
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.choices import MembershipStatus
from reports.forms import TownshipParamsForm
from reports.registry import INT, PERCENT, Column, Report, ReportData, Section, register

from .choices import TWO_COMMITTEES, Education, Gender
from .selectors import cadre_post_list, township_list


@register
class CadreRosterReport(Report):
    code = "cadre-roster"
    title = gettext_lazy("Roster of village cadres")
    description = gettext_lazy("Serving two-committee cadres by township and village, with party membership and term.")
    permission = "villages.view_cadrepost"
    form_class = TownshipParamsForm

    def get_data(self, township=None, **params) -> ReportData:
        posts = cadre_post_list(user=self.user, current=True).filter(committee__in=TWO_COMMITTEES)
        if township is not None:
            posts = posts.filter(village__township=township)
        posts = posts.select_related("person__membership")
        today = timezone.localdate()
        gender = dict(Gender.choices)
        education = dict(Education.choices)
        rows = [
            (
                p.village.township.name, p.village.name, p.get_committee_display(), p.get_post_display(), p.person.name,
                str(gender.get(p.person.gender, "")), _age(p.person.birth_date, today),
                str(education.get(p.person.education, "")),
                _("yes") if _is_member(p.person) else _("no"), p.term, p.start_date,
            )
            for p in posts
        ]
        by_township = (
            posts.order_by().values("village__township__code", "village__township__name")
            .annotate(
                cadres=Count("person", distinct=True),
                party=Count("person", distinct=True, filter=Q(person__membership__status=MembershipStatus.ACTIVE)),
            )
            .order_by("village__township__code")
        )
        summary_rows = [
            (t["village__township__name"], t["cadres"], t["party"], (t["party"] / t["cadres"]) if t["cadres"] else None)
            for t in by_township
        ]
        total_cadres = sum(r[1] for r in summary_rows)
        total_party = sum(r[2] for r in summary_rows)
        scope_name = township.name if township else (_("the whole county") if township_list(user=self.user).count() > 1 else "")
        return ReportData(
            title=str(self.title),
            scope_name=scope_name,
            period_label=_("as of %(date)s") % {"date": today.isoformat()},
            filename=f"{self.title}-{scope_name or 'all'}-{today.isoformat()}",
            summary=[(_("Serving cadres"), total_cadres), (_("of whom party members"), total_party)],
            sections=[
                Section(
                    _("Summary by township"),
                    [Column(_("Township")), Column(_("Serving cadres"), INT), Column(_("Party members"), INT),
                     Column(_("Share of party members"), PERCENT)],
                    summary_rows,
                    totals=(_("Totals"), total_cadres, total_party, (total_party / total_cadres) if total_cadres else None),
                ),
                Section(
                    _("Cadres"),
                    [Column(_("Township")), Column(_("Village")), Column(_("Committee")), Column(_("Post")),
                     Column(_("Name")), Column(_("Gender")), Column(_("Age"), INT), Column(_("Education")),
                     Column(_("Party member")), Column(_("Term")), Column(_("In post since"), "date")],
                    rows,
                ),
            ],
        )


def _age(born, today):
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _is_member(person):
    membership = getattr(person, "membership", None)
    return membership is not None and membership.status == MembershipStatus.ACTIVE
