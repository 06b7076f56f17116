"""Reads of the cadre evaluation, narrowed to the user's scope (outside it: 404).

evaluations stands on members and pledges and reads them only through these selectors (tests/test_layers.py holds
the list): members.selectors.member_year_totals, county_of, active_member_ids_in_county; pledges.selectors.Fulfilment,
pledge_fulfilment_rates, open_rectification_list. They never read evaluations: the cadre archive (pledges) gets the
published results through core.hooks.published_cadre_results, which EvaluationsConfig.ready() answers.
"""
from __future__ import annotations

from decimal import Decimal

from django.db.models import Case, Count, DecimalField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from core.workflow import next_waiting
from members.selectors import member_year_totals
from pledges.selectors import Fulfilment, open_rectification_list, pledge_fulfilment_rates
from villages.selectors import POST_ORDER, county_list

from .choices import CaseStatus, Grade
from .models import CadreEvaluation, HandlingCase, Round, TownshipEvaluation


def _get(qs, pk, message):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404(message)


# ---------------------------------------------------------------- rounds

def round_list(*, user) -> QuerySet[Round]:
    return Round.objects.filter(county__in=county_list(user=user)).select_related("county").order_by("-year")


def round_get(*, user, pk) -> Round:
    return _get(round_list(user=user), pk, _("No such evaluation round in your area."))


def _grade_counts(prefix: str = "results") -> dict:
    def count(**filters):
        return Count(prefix, filter=Q(**{f"{prefix}__{k}": v for k, v in filters.items()}))

    return {
        "cadre_count": Count(prefix),
        "graded_count": count(grade__in=[g.value for g in Grade]),
        "excellent_count": count(grade=Grade.EXCELLENT),
        "competent_count": count(grade=Grade.COMPETENT),
        "basic_count": count(grade=Grade.BASIC),
        "incompetent_count": count(grade=Grade.INCOMPETENT),
    }


def sheet_list(*, user, round_: Round, township=None, status: str = "") -> QuerySet[TownshipEvaluation]:
    """The round's township sheets in scope, each with its grade counts and its 'excellent' allowance (one query);
    optionally of one township, in one review status."""
    qs = TownshipEvaluation.objects.for_user(user).filter(round=round_).select_related("township", "round")
    if township is not None:
        qs = qs.filter(township=township)
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(**_grade_counts()).order_by("township__code")


def sheet_batch(*, user, ids) -> QuerySet[TownshipEvaluation]:
    """The sheets of these ids in the user's scope (a batch confirm or return), by round and township code."""
    return (TownshipEvaluation.objects.for_user(user).filter(pk__in=ids).select_related("township", "round")
            .order_by("round__year", "township__code"))


def sheet_next_waiting(*, user, sheet: TownshipEvaluation) -> TownshipEvaluation | None:
    """The next township's (by code) sheet of the same round in the user's scope that waits for the county."""
    return next_waiting(TownshipEvaluation.objects.for_user(user).filter(round_id=sheet.round_id)
                        .select_related("township"), order_by="township__code", after=sheet.township.code)


def sheet_get(*, user, pk) -> TownshipEvaluation:
    qs = TownshipEvaluation.objects.for_user(user).select_related(
        "township", "round__county", "submitted_by", "accepted_by", "returned_by", "published_by",
    )
    return _get(qs.annotate(**_grade_counts()), pk, _("No such evaluation sheet in your area."))


def sheet_cap(sheet: TownshipEvaluation) -> dict:
    """The township's 'excellent' count against the round's cap (from sheet_get's annotations)."""
    allowed = sheet.cadre_count * sheet.round.excellent_cap // 100
    return {"count": sheet.excellent_count, "allowed": allowed, "cadres": sheet.cadre_count,
            "percent": sheet.round.excellent_cap, "over": sheet.excellent_count > allowed}


class PlacesDecimalField(DecimalField):
    """A computed decimal with the field's places: SQLite hands an expression's decimal back with 15 significant
    digits (0.800000000000000); PostgreSQL already keeps the places (0.80)."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else value.quantize(Decimal(1).scaleb(-self.decimal_places))


def coefficient_annotation(round_: Round):
    return Case(*[When(grade=g, then=Value(round_.coefficient_for(g))) for g in Grade], default=None,
                output_field=PlacesDecimalField(max_digits=4, decimal_places=2))


def result_list(*, user, sheet: TownshipEvaluation) -> QuerySet[CadreEvaluation]:
    qs = CadreEvaluation.objects.for_user(user).filter(sheet=sheet).select_related("person", "village")
    return qs.annotate(coefficient=coefficient_annotation(sheet.round), post_rank=POST_ORDER).order_by(
        "village__code", "post_rank", "person__name", "pk")


def result_get(*, user, pk) -> CadreEvaluation:
    qs = CadreEvaluation.objects.for_user(user).select_related(
        "person", "village__township", "sheet__round", "sheet__township")
    return _get(qs, pk, _("No such evaluation in your area."))


def evidence_for(*, user, results: list[CadreEvaluation], year: int) -> dict:
    """What the portal already knows about each cadre's year, in a fixed number of queries:
    {person id: {"fulfilment", "open_rectifications", "member"}}."""
    person_ids = [r.person_id for r in results]
    rates = pledge_fulfilment_rates(user=user, persons=person_ids, year=year)
    open_rects = dict(
        open_rectification_list(user=user)
        .filter(item__pledge__person_id__in=person_ids)
        .order_by().values("item__pledge__person_id").annotate(n=Count("pk"))
        .values_list("item__pledge__person_id", "n")
    )
    members = {m.person_id: m for m in member_year_totals(user=user, year=year).filter(person_id__in=person_ids)}
    return {pid: {"fulfilment": rates.get(pid, Fulfilment()), "open_rectifications": open_rects.get(pid, 0),
                  "member": members.get(pid)} for pid in person_ids}


def open_rectifications_of(*, user, person) -> QuerySet:
    return open_rectification_list(user=user).filter(item__pledge__person=person)


def pay_table(*, user, sheet: TownshipEvaluation) -> QuerySet[CadreEvaluation]:
    return result_list(user=user, sheet=sheet)


# ---------------------------------------------------------------- cadres and cases

def cadre_results(*, user, person) -> QuerySet[CadreEvaluation]:
    """A cadre's results over the years (their evaluation record), published ones marked."""
    return CadreEvaluation.objects.for_user(user).filter(person=person).select_related(
        "sheet__round", "village", "sheet__township",
    ).order_by("-sheet__round__year")


def published_cadre_results(*, user, person) -> QuerySet[CadreEvaluation]:
    """A cadre's published results: they enter the cadre's archive in pledges/ (through core.hooks)."""
    return cadre_results(user=user, person=person).filter(sheet__published_at__isnull=False)


def case_list(*, user, status: str | None = CaseStatus.OPEN) -> QuerySet[HandlingCase]:
    qs = HandlingCase.objects.for_user(user).select_related(
        "person", "village__township", "evaluation__sheet__round", "previous__sheet__round")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "village__code", "person__name")


def case_get(*, user, pk) -> HandlingCase:
    return _get(case_list(user=user, status=None), pk, _("No such handling case in your area."))


def open_cases(*, user) -> QuerySet[HandlingCase]:
    """The open handling cases in scope, unordered, nothing joined: for counting."""
    return HandlingCase.objects.for_user(user).filter(status=CaseStatus.OPEN)


def open_case_count(*, user) -> int:
    return open_cases(user=user).count()


HISTORY_SELECTORS = {
    "round": round_get,
    "townshipevaluation": sheet_get,
    "cadreevaluation": result_get,
    "handlingcase": case_get,
}


def work_queue(*, user):
    """The township evaluation sheets waiting for this user (core.queue)."""
    from django.urls import reverse

    from core.queue import period_queue

    qs = TownshipEvaluation.objects.for_user(user).select_related("township", "round")
    return period_queue(qs, user=user, kind=_("Township evaluation sheet"),
                        accept_perm="evaluations.confirm_townshipevaluation",
                        submit_perm="evaluations.submit_townshipevaluation", list_url=reverse("evaluations:round_list"))
