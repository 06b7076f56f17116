"""Reports owned by members/: the monthly bulletin 通报, the public notice 公示, the cadres' 优 record, and the roster
of village cadres (with their party membership, which is members' data)."""
from __future__ import annotations

from django import forms
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from core.documents import DocumentNumber
from core.periods import Month, recent_months
from core.public_urls import absolute_url
from core.reports.registry import DATE, INT, PERCENT, Column, Report, ReportData, Section, register
from villages.choices import TWO_COMMITTEES, Education, Gender
from villages.models import CadrePost
from villages.reports import CountyTownshipParamsForm, TownshipParamsForm, VillageParamsForm
from villages.selectors import cadre_post_list, region_wide, township_list

from .choices import MembershipStatus, Rating
from .models import Deduction, MonthlyResult, MonthlyReview, PartyMember
from .qr import qr_svg
from .selectors import (
    county_policy_get,
    month_cell,
    monthly_review_list,
    notice_policy,
    notice_window,
    public_notice_url,
)


class MonthField(forms.CharField):
    """A month picked from the last twelve, or any month typed in the URL (e.g. 2007-05)."""

    def __init__(self, **kwargs):
        super().__init__(label=gettext_lazy("Month"), widget=forms.Select, **kwargs)

    @property
    def choices(self):
        return self.widget.choices

    @choices.setter
    def choices(self, value):
        self.widget.choices = value

    def clean(self, value):
        value = super().clean(value)
        try:
            return Month.parse(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc))


class BulletinParamsForm(TownshipParamsForm):
    month = MonthField()

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, user=user, **kwargs)
        self.fields["month"].choices = recent_months(12)
        self.fields["month"].initial = self.fields["month"].choices[1][0]  # last month


class NoticeParamsForm(VillageParamsForm):
    month = MonthField()

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, user=user, **kwargs)
        self.fields["month"].choices = recent_months(12)
        self.fields["month"].initial = self.fields["month"].choices[1][0]


def _results(user, month: Month):
    return MonthlyResult.objects.for_user(user).filter(
        review__year=month.year, review__month=month.month,
    ).select_related("member__person", "review__village__township")


def _deductions(user, month: Month):
    return Deduction.objects.for_user(user).filter(
        result__review__year=month.year, result__review__month=month.month,
    ).select_related("result__member__person", "result__review__village__township", "rule")


@register
class MonthlyBulletinReport(Report):
    code = "monthly-bulletin"
    title = gettext_lazy("Monthly bulletin of the bottom-line assessment")
    description = gettext_lazy("Per village and per person: who was rated excellent and why, who was deducted and why.")
    permission = "members.view_partymember"
    form_class = BulletinParamsForm

    def get_data(self, township=None, month=None, **params) -> ReportData:
        month = month or Month.parse(recent_months(2)[1][0])
        villages = monthly_review_list(user=self.user, month=month)
        results = _results(self.user, month).filter(rating=Rating.EXCELLENT)
        deductions = _deductions(self.user, month)
        if township is not None:
            villages = villages.filter(township=township)
            results = results.filter(review__village__township=township)
            deductions = deductions.filter(result__review__village__township=township)
        # A month not yet due reads 未到期 (not yet due), not as missing: November's until 10 December.
        policy, today = county_policy_get(user=self.user), timezone.localdate()
        default_due = month.due_date(policy.submission_due_days if policy else 10)
        village_rows = [
            (v.township.name, v.name, v.member_count, v.excellent_count, v.deducted_count, v.open_talks,
             month_cell(v.review_status, v.review_due or default_due, month, today).label)
            for v in villages
        ]
        excellent_rows = [
            (r.review.village.township.name, r.review.village.name, r.member.person.name, r.excellent_reason)
            for r in results.order_by("review__village__code", "member__person__name")
        ]
        deduction_rows = [
            (d.result.review.village.township.name, d.result.review.village.name, d.result.member.person.name,
             d.rule.text, d.points, d.note, d.talk_by or _("no talk yet"), d.talk_date)
            for d in deductions.order_by("result__review__village__code", "result__member__person__name", "pk")
        ]
        scope_name = township.name if township else _("the whole county")
        return ReportData(
            title=str(self.title), scope_name=scope_name, period_label=month.label,
            filename=f"{_('Monthly bulletin')}-{scope_name}-{month}",
            number=DocumentNumber(pgettext("document kind", "Bulletin"), month.year, month.month,
                                  township.code if township else ""),
            summary=[(_("Rated excellent"), len(excellent_rows)), (_("Deductions"), len(deduction_rows)),
                     (_("Deductions without a talk"), sum(1 for d in deductions if d.talk_date is None))],
            sections=[
                Section(_("By village"), [
                    Column(_("Township")), Column(_("Village")), Column(_("Active members"), INT),
                    Column(_("Excellent"), INT), Column(_("Deducted"), INT), Column(_("Without a talk"), INT),
                    Column(_("Month's status")),
                ], village_rows, totals=_totals(village_rows, (2, 3, 4, 5))),
                Section(_("Rated excellent"), [Column(_("Township")), Column(_("Village")), Column(_("Name")),
                                                Column(_("Reason"))], excellent_rows),
                Section(_("Deducted"), [
                    Column(_("Township")), Column(_("Village")), Column(_("Name")), Column(_("Rule")),
                    Column(_("Points"), INT), Column(_("Note")), Column(_("Talked to by")),
                    Column(_("Talked on"), DATE),
                ], deduction_rows),
            ],
        )


@register
class PublicNoticeReport(Report):
    code = "public-notice"
    title = gettext_lazy("Public notice of the month's assessment")
    description = gettext_lazy("A printable A4 notice per village and month, to post on the wall.")
    permission = "members.view_partymember"
    form_class = NoticeParamsForm
    formats = ("html", "pdf")
    pdf_template = "members/public_notice_pdf.html"

    def get_data(self, village=None, month=None, **params) -> ReportData:
        month = month or Month.parse(recent_months(2)[1][0])
        results = _results(self.user, month).filter(review__village=village)
        excellent = [(r.member.person.name, r.excellent_reason) for r in
                     results.filter(rating=Rating.EXCELLENT).order_by("member__person__name")]
        deducted = [(d.result.member.person.name, d.rule.text, d.points) for d in
                    _deductions(self.user, month).filter(result__review__village=village)
                    .order_by("result__member__person__name", "pk")]
        qualified = results.filter(rating=Rating.QUALIFIED).count()
        review = MonthlyReview.objects.for_user(self.user).filter(
            village=village, year=month.year, month=month.month).select_related("village__township").first()
        extra = {}
        if review is not None:  # the online notice: its address as a QR code and as a link
            extra = {"window": notice_window(review), "working_days": notice_policy(review).notice_working_days}
            # Absolute also when the worker builds it (no request): PUBLIC_BASE_URL (core/public_urls.py).
            url = absolute_url(public_notice_url(review), request=self.request)
            if url is not None:  # None: no address can be told; the paper notice goes without the code
                extra.update(public_url=url, qr=qr_svg(url, scale=3))
        return ReportData(
            title=_("%(village)s party members' bottom-line assessment for %(month)s: public notice") % {
                "village": village.name, "month": month.label},
            scope_name=f"{village.township.name} {village.name}", period_label=month.label,
            filename=f"{_('Public notice')}-{village.name}-{month}",
            number=DocumentNumber(pgettext("document kind", "Notice"), month.year, month.month, village.code),
            summary=[(_("Rated excellent"), len(excellent)), (_("Deducted"), len(deducted)),
                     (_("Qualified"), qualified)],
            sections=[
                Section(_("Rated excellent"), [Column(_("Name")), Column(_("Reason"))], excellent),
                Section(_("Deducted"), [Column(_("Name")), Column(_("Rule")), Column(_("Points"), INT)], deducted),
            ],
            extra=extra,
        )


class TermParamsForm(CountyTownshipParamsForm):
    term_start_year = forms.TypedChoiceField(label=gettext_lazy("Elected in"), coerce=int)

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, user=user, **kwargs)
        years = (
            CadrePost.objects.for_user(user)
            .order_by("-term_start_year").values_list("term_start_year", "term_end_year").distinct()
        )
        self.fields["term_start_year"].choices = [(s, f"{s}–{e}") for s, e in years]
        if years:
            self.fields["term_start_year"].initial = years[0][0]


@register
class CadreExcellentRecordReport(Report):
    code = "cadre-excellent-record"
    title = gettext_lazy("Party-member cadres with an excellent record")
    description = gettext_lazy(
        "Of the party-member cadres elected in a term, how many were rated excellent at least once in the "
        "bottom-line assessment during the term, and their share."
    )
    permission = "members.view_partymember"
    form_class = TermParamsForm

    def get_data(self, township=None, term_start_year=None, county=None, **params) -> ReportData:
        posts = CadrePost.objects.for_user(self.user).filter(committee__in=TWO_COMMITTEES)
        if county is not None:
            posts = posts.filter(village__township__county=county)
        # A region compares its counties (the speech's 168 of 358 is one county's row), a county its townships.
        unit = "village__township__county" if county is None and township is None and region_wide(
            user=self.user) else "village__township"
        if term_start_year is None:
            term_start_year = posts.order_by("-term_start_year").values_list("term_start_year", flat=True).first()
        posts = posts.filter(term_start_year=term_start_year)
        if township is not None:
            posts = posts.filter(village__township=township)
        term_end_year = posts.values_list("term_end_year", flat=True).first() or term_start_year
        excellent = MonthlyResult.objects.filter(
            member=OuterRef("pk"), rating=Rating.EXCELLENT,
            review__year__gte=term_start_year, review__year__lte=term_end_year,
        )
        # One row per party-member cadre elected in the term (a person with two posts counts once).
        cadres = (
            PartyMember.objects.filter(person__posts__in=posts, status=MembershipStatus.ACTIVE).distinct()
            .annotate(has_excellent=Exists(excellent))
        )
        by_township = (
            PartyMember.objects.filter(pk__in=cadres.values("pk"))
            .annotate(has_excellent=Exists(excellent))
            .values(f"{unit}__code", f"{unit}__name")
            .annotate(cadres=Count("pk"), with_excellent=Count("pk", filter=Q(has_excellent=True)))
            .order_by(f"{unit}__code")
        )
        rows = [(t[f"{unit}__name"], t["cadres"], t["with_excellent"],
                 t["with_excellent"] / t["cadres"] if t["cadres"] else None) for t in by_township]
        total = sum(r[1] for r in rows)
        with_excellent = sum(r[2] for r in rows)
        share = with_excellent / total if total else None
        term = f"{term_start_year}–{term_end_year}"
        by_county = unit == "village__township__county"
        scope_name = (township.name if township else county.name if county
                      else str(self.user.region or _("all counties")) if by_county else _("the whole county"))
        headline = _("Of the %(total)d party-member cadres elected for %(term)s, "
                     "%(n)d had an excellent record: %(share)s.") % {
            "total": total, "term": term, "n": with_excellent,
            "share": f"{share * 100:.1f}%" if share is not None else "—"}
        return ReportData(
            title=str(self.title), scope_name=scope_name, period_label=_("term %(term)s") % {"term": term},
            filename=f"{self.title}-{scope_name}-{term}",
            number=DocumentNumber(pgettext("document kind", "Record"), term_start_year, 1,
                                  township.code if township else ""),
            summary=[(_("Party-member cadres"), total), (_("With an excellent record"), with_excellent),
                     (_("Share"), f"{share * 100:.1f}%" if share is not None else "—")],
            sections=[Section(_("By county") if by_county else _("By township"), [
                Column(_("County") if by_county else _("Township")), Column(_("Party-member cadres"), INT),
                Column(_("With an excellent record"), INT), Column(_("Share"), PERCENT)],
                rows, totals=(_("Totals"), total, with_excellent, share), note=headline)],
        )


def _totals(rows, indexes):
    if not rows:
        return None
    return tuple(_("Totals") if i == 0 else (sum(r[i] for r in rows) if i in indexes else "")
                 for i in range(len(rows[0])))


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
        county_wide = township_list(user=self.user).count() > 1
        scope_name = township.name if township else (_("the whole county") if county_wide else "")
        return ReportData(
            title=str(self.title),
            scope_name=scope_name,
            period_label=_("as of %(date)s") % {"date": today.isoformat()},
            filename=f"{self.title}-{scope_name or 'all'}-{today.isoformat()}",
            number=DocumentNumber(pgettext("document kind", "Roster"), today.year, f"{today:%m%d}",
                                  township.code if township else ""),
            summary=[(_("Serving cadres"), total_cadres), (_("of whom party members"), total_party)],
            sections=[
                Section(
                    _("Summary by township"),
                    [Column(_("Township")), Column(_("Serving cadres"), INT), Column(_("Party members"), INT),
                     Column(_("Share of party members"), PERCENT)],
                    summary_rows,
                    totals=(_("Totals"), total_cadres, total_party,
                            (total_party / total_cadres) if total_cadres else None),
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
