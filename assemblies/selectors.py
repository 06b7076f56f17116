"""Reads for household-representative meetings, always narrowed to the user's scope (outside it: 404)."""
from __future__ import annotations

import datetime as dt

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.ordering import natural_order
from core.periods import Quarter
from core.queries import subquery_count
from core.workflow import next_waiting
from villages.models import Township, Village
from villages.selectors import township_list

from .choices import MatterStatus
from .models import (
    MODEL_VILLAGES_MIN,
    OPEN_MATTER_FLAG_DAYS,
    AssemblyQuarterSummary,
    DiscussionPoint,
    Filing,
    FollowUp,
    Household,
    Inspection,
    Matter,
    Meeting,
    ModelVillage,
    RepresentativeChange,
    SpeakerPilot,
)


def _total(qs):
    """A correlated COUNT(*) of qs as a subquery (no GROUP BY), for facts about one outer row."""
    counted = qs.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _get(qs, pk, message):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404(message)


# Villages --------------------------------------------------------------------------------------------------

def village_list(*, user) -> QuerySet[Village]:
    """Villages in scope with household, unrepresented-household, discussion-point and meeting counts."""
    households = Household.objects.filter(village=OuterRef("pk"))
    pilot = SpeakerPilot.objects.filter(village=OuterRef("pk"), ended__isnull=True)
    return (
        Village.objects.for_user(user).select_related("township")
        .annotate(
            household_count=subquery_count(households, "village"),
            unrepresented_count=subquery_count(households.filter(representative__isnull=True), "village"),
            point_count=subquery_count(DiscussionPoint.objects.filter(village=OuterRef("pk")), "village"),
            meeting_count=subquery_count(Meeting.objects.filter(village=OuterRef("pk")), "village"),
            is_piloting=Exists(pilot),
        )
        .order_by("code")
    )


def village_get(*, user, code: str) -> Village:
    try:
        return village_list(user=user).get(code=code)
    except Village.DoesNotExist:
        raise Http404(_("No such village in your area."))


# Households -------------------------------------------------------------------------------------------------

def household_list(*, user, village: Village | None = None) -> QuerySet[Household]:
    qs = Household.objects.for_user(user).select_related(
        "village__township", "representative", "discussion_point",
    ).order_by("village__code", "number")
    if village is not None:
        qs = natural_order(qs.filter(village=village), "number")  # 1, 2, … 10, not 1, 10, 2
    return qs


def household_get(*, user, pk) -> Household:
    return _get(household_list(user=user), pk, _("No such household in your area."))


def representative_change_list(*, user, household: Household) -> QuerySet[RepresentativeChange]:
    return RepresentativeChange.objects.for_user(user).select_related("from_person", "to_person").filter(
        household=household,
    ).order_by("-date", "-pk")


def representative_change_get(*, user, pk) -> RepresentativeChange:
    qs = RepresentativeChange.objects.for_user(user).select_related("household")
    return _get(qs, pk, _("No such change in your area."))


def discussion_point_list(*, user, village: Village | None = None) -> QuerySet[DiscussionPoint]:
    qs = DiscussionPoint.objects.for_user(user).select_related("village__township", "convenor").annotate(
        household_count=subquery_count(Household.objects.filter(discussion_point=OuterRef("pk")), "discussion_point"),
    ).order_by("village__code", "name")
    if village is not None:
        # One village's points in natural order: 一组议事点, 二组议事点, 三组议事点 … 十一组议事点.
        qs = natural_order(qs.filter(village=village))
    return qs


def discussion_point_get(*, user, pk) -> DiscussionPoint:
    return _get(discussion_point_list(user=user), pk, _("No such discussion point in your area."))


def speaker_pilot_get(*, user, pk) -> SpeakerPilot:
    return _get(SpeakerPilot.objects.for_user(user).select_related("village"), pk, _("No such pilot in your area."))


# Meetings and matters ---------------------------------------------------------------------------------------

def meeting_list(*, user, village: Village | None = None) -> QuerySet[Meeting]:
    qs = Meeting.objects.for_user(user).select_related("village__township", "discussion_point").annotate(
        matter_count=subquery_count(Matter.objects.filter(meeting=OuterRef("pk")), "meeting"),
    ).order_by("-date", "-pk")
    if village is not None:
        qs = qs.filter(village=village)
    return qs


def meeting_get(*, user, pk) -> Meeting:
    return _get(meeting_list(user=user), pk, _("No such meeting in your area."))


def overdue_before(today: dt.date | None = None) -> dt.date:
    return (today or timezone.localdate()) - dt.timedelta(days=OPEN_MATTER_FLAG_DAYS)


def matter_list(*, user, today: dt.date | None = None) -> QuerySet[Matter]:
    """Decided matters in scope; `is_overdue` flags matters still open OPEN_MATTER_FLAG_DAYS after the meeting."""
    return Matter.objects.for_user(user).select_related(
        "meeting__village__township", "meeting__discussion_point",
    ).annotate(
        is_overdue=Case(
            When(status=MatterStatus.OPEN, meeting__date__lt=overdue_before(today), then=Value(True)),
            default=Value(False), output_field=BooleanField(),
        ),
        follow_up_count=subquery_count(FollowUp.objects.filter(matter=OuterRef("pk")), "matter"),
    ).order_by("-meeting__date", "-pk")


def overdue_matter_list(*, user, today: dt.date | None = None) -> QuerySet[Matter]:
    """The matters in scope still open OPEN_MATTER_FLAG_DAYS after the meeting, filtered on the columns (not on
    matter_list's is_overdue, which PostgreSQL cannot use an index for), unannotated: for counting."""
    return Matter.objects.for_user(user).filter(status=MatterStatus.OPEN, meeting__date__lt=overdue_before(today))


def matter_get(*, user, pk) -> Matter:
    return _get(matter_list(user=user), pk, _("No such matter in your area."))


def follow_up_get(*, user, pk) -> FollowUp:
    qs = FollowUp.objects.for_user(user).select_related("matter")
    return _get(qs, pk, _("No such follow-up in your area."))


# Township practice ------------------------------------------------------------------------------------------

def township_practice_facts(*, township: Township, quarter: Quarter) -> dict:
    """The inspection's facts for a township and quarter, computed in one database query."""
    start, end = quarter.first_day, quarter.last_day
    t = OuterRef("pk")
    matters = Matter.objects.filter(meeting__village__township=t, meeting__date__range=(start, end))
    points = DiscussionPoint.objects.filter(village__township=t)
    row = Township.objects.filter(pk=township.pk).annotate(
        f_changes=_total(RepresentativeChange.objects.filter(household__village__township=t, date__range=(start, end))),
        f_pilots=_total(SpeakerPilot.objects.filter(village__township=t, started__lte=end)
                        .filter(Q(ended__isnull=True) | Q(ended__gte=start))),
        f_points=_total(points),
        f_convenors=_total(points.filter(convenor__isnull=False)),
        f_meetings=_total(Meeting.objects.filter(village__township=t, date__range=(start, end))),
        f_decided=_total(matters),
        f_implemented=_total(matters.filter(status=MatterStatus.IMPLEMENTED, implemented_on__lte=end)),
    ).values("f_changes", "f_pilots", "f_points", "f_convenors", "f_meetings", "f_decided", "f_implemented").get()
    return {
        "representative_changes": row["f_changes"], "speaker_pilots": row["f_pilots"],
        "discussion_points": row["f_points"], "convenors": row["f_convenors"], "meetings_held": row["f_meetings"],
        "matters_decided": row["f_decided"], "matters_implemented": row["f_implemented"],
    }


def inspection_list(*, user) -> QuerySet[Inspection]:
    return Inspection.objects.for_user(user).select_related("township")


def inspection_get(*, user, pk) -> Inspection:
    return _get(inspection_list(user=user), pk, _("No such inspection in your area."))


def model_village_list(*, user, year: int | None = None) -> QuerySet[ModelVillage]:
    qs = ModelVillage.objects.for_user(user).select_related("village__township")
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "village__code")


def model_village_get(*, user, pk) -> ModelVillage:
    return _get(model_village_list(user=user), pk, _("No such good-practice village in your area."))


def model_village_summary(*, user, year: int) -> QuerySet[Township]:
    """Townships in scope with how many good-practice villages they named for the year, and whether that is short."""
    return township_list(user=user).annotate(
        named=Count("villages__assembly_model_years", filter=Q(villages__assembly_model_years__year=year)),
    ).annotate(
        too_few=Case(When(named__lt=MODEL_VILLAGES_MIN, then=Value(True)), default=Value(False),
                     output_field=BooleanField()),
    ).order_by("code")


def filing_list(*, user) -> QuerySet[Filing]:
    return Filing.objects.for_user(user).select_related("township", "submitted_by", "accepted_by")


def filing_batch(*, user, ids) -> QuerySet[Filing]:
    """The filings of these ids in the user's scope (a batch acknowledge or return), by township code."""
    return filing_list(user=user).filter(pk__in=ids).order_by("township__code")


def filing_next_waiting(*, user, filing: Filing) -> Filing | None:
    """The next township's (by code) filing of the same quarter in the user's scope that waits for the county."""
    return next_waiting(filing_list(user=user).filter(year=filing.year, quarter=filing.quarter),
                        order_by="township__code", after=filing.township.code)


def filing_get(*, user, pk) -> Filing:
    return _get(filing_list(user=user), pk, _("No such filing in your area."))


def filing_snapshot_build(*, township: Township, quarter: Quarter) -> dict:
    """The register of the quarter's decided matters (and typical cases) as plain data, to freeze in a filing."""
    rows = list(
        Matter.objects.filter(meeting__village__township=township,
                              meeting__date__range=(quarter.first_day, quarter.last_day))
        .order_by("meeting__village__code", "meeting__date", "pk")
        .values("pk", "title", "category", "decision", "votes_for", "votes_against", "votes_abstaining",
                "implementer", "status", "implemented_on", "is_typical", "typical_writeup", "meeting__date",
                "meeting__topic", "meeting__village__name", "meeting__village__code",
                "meeting__households_expected", "meeting__households_present")
    )
    matters = []
    for r in rows:
        matters.append({
            "id": r["pk"], "village": r["meeting__village__name"], "village_code": r["meeting__village__code"],
            "meeting_date": r["meeting__date"].isoformat(), "meeting_topic": r["meeting__topic"],
            "households_expected": r["meeting__households_expected"],
            "households_present": r["meeting__households_present"],
            "title": r["title"], "category": r["category"], "decision": r["decision"],
            "votes_for": r["votes_for"], "votes_against": r["votes_against"],
            "votes_abstaining": r["votes_abstaining"], "implementer": r["implementer"], "status": r["status"],
            "implemented_on": r["implemented_on"].isoformat() if r["implemented_on"] else None,
            "is_typical": r["is_typical"], "typical_writeup": r["typical_writeup"],
        })
    return {
        "quarter": str(quarter),
        "matters": matters,
        "totals": {
            "decided": len(matters),
            "implemented": sum(1 for m in matters if m["status"] == MatterStatus.IMPLEMENTED),
            "typical": sum(1 for m in matters if m["is_typical"]),
        },
    }


# The audit-trail pages (core.history) look records up through these, so history is scoped too.
HISTORY_SELECTORS = {
    "household": household_get,
    "representativechange": representative_change_get,
    "discussionpoint": discussion_point_get,
    "speakerpilot": speaker_pilot_get,
    "meeting": meeting_get,
    "matter": matter_get,
    "followup": follow_up_get,
    "inspection": inspection_get,
    "modelvillage": model_village_get,
    "filing": filing_get,
}


def work_queue(*, user):
    """The quarterly filings waiting for this user (core.queue)."""
    from django.urls import reverse

    from core.queue import period_queue

    return period_queue(filing_list(user=user), user=user, kind=_("Quarterly filing"),
                        accept_perm="assemblies.acknowledge_filing", submit_perm="assemblies.submit_filing",
                        list_url=reverse("assemblies:filing_list"))


# ---------------------------------------------------------------- the quarterly report's figures (summaries)

MEETING_FIGURES = ("meetings_held", "matters_decided", "matters_implemented", "typical_cases")


def meeting_quarter_figures(*, user, quarter: Quarter, by: str = "township", township=None) -> dict[int, dict]:
    """Per county (by="county", for a region), per township (by="township") or village: the quarter's meetings,
    the matters they decided, those implemented by the quarter's end and the typical cases, summed from the
    summaries. {pk: {figure: value}}."""
    key = {"county": "village__township__county", "township": "village__township"}.get(by, "village")
    qs = AssemblyQuarterSummary.objects.filter(year=quarter.year, quarter=quarter.quarter).for_user(user)
    if township is not None:
        qs = qs.filter(village__township=township)
    rows = qs.values(key).annotate(**{f"f_{name}": Coalesce(Sum(name), 0) for name in MEETING_FIGURES}).order_by()
    return {row.pop(key): {k[2:]: v for k, v in row.items()} for row in rows}
