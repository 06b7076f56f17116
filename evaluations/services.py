"""Writes of the cadre evaluation. Every write checks scope and permission; result writes check the sheet's lock."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.scope import ALL, scope_for, township_assert_in_scope, village_assert_in_scope
from core.workflow import (
    ReviewStatus,
    assert_editable_by_township,
    review_accept,
    review_return,
    review_submit,
    version_claim,
)
from members.selectors import active_member_ids_in_county
from villages.choices import TWO_COMMITTEES, Post
from villages.models import CadrePost, Township

from .choices import DIMENSIONS, VOTES, CaseStatus, Grade, RoundStatus
from .models import CadreEvaluation, HandlingCase, Round, TownshipEvaluation
from .scoring import evaluate

ROUND_SETTINGS = [
    "appraisal_weight", "assessment_weight", "party_weight", "representative_weight",
    "weight_de", "weight_neng", "weight_qin", "weight_ji", "weight_lian",
    "points_excellent", "points_competent", "points_basic", "points_incompetent",
    "band_excellent", "band_competent", "band_basic", "excellent_cap", "integrity_cap_grade", "failing_grade",
    "coef_excellent", "coef_competent", "coef_basic", "coef_incompetent",
]
TALLY_FIELDS = [f"{p}_{c}" for p in ("party", "rep") for c in ["ballots"] + [code for code, _l in VOTES]]
SCORE_FIELDS = [f"score_{code}" for code, _l in DIMENSIONS] + [f"comment_{code}" for code, _l in DIMENSIONS] + [
    "integrity_violation"]
RESULT_FIELDS = TALLY_FIELDS + SCORE_FIELDS


def _assert_perm(user, perm):
    if not user.has_perm(perm):
        raise PermissionDenied(_("You do not have permission to do this."))


def _assert_county(user, county_id):
    scope = scope_for(user)
    if scope.level != ALL and scope.county_id != county_id:
        raise PermissionDenied(_("This is outside your area."))


def _save(obj, *, user):
    obj._history_user = user
    obj.full_clean()
    obj.save()
    return obj


# ---------------------------------------------------------------- rounds

def _assert_round_settings_editable(round_: Round):
    if round_.is_open:
        raise ValidationError(_("The round of %(year)s is open: its settings are fixed so that every result can be "
                                "recomputed.") % {"year": round_.year}, code="round_open")


@transaction.atomic
def round_create(*, user, county, year: int, **settings) -> Round:
    _assert_perm(user, "evaluations.add_round")
    _assert_county(user, county.pk)
    if Round.objects.filter(county=county, year=year).exists():
        raise ValidationError({"year": _("The county already has a round for %(year)s.") % {"year": year}})
    round_ = Round(county=county, year=year, **{k: v for k, v in settings.items() if k in ROUND_SETTINGS})
    return _save(round_, user=user)


@transaction.atomic
def round_update(*, user, round_: Round, **settings) -> Round:
    _assert_perm(user, "evaluations.change_round")
    _assert_county(user, round_.county_id)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _assert_round_settings_editable(round_)
    for key, value in settings.items():
        if key in ROUND_SETTINGS:
            setattr(round_, key, value)
    return _save(round_, user=user)


def serving_cadres(township_ids):
    """{person id: (village id, post)}: each serving two-committee cadre once, at their highest post."""
    rank = Case(*[When(post=p, then=Value(i)) for i, p in enumerate(Post.values)], default=Value(99),
                output_field=IntegerField())
    rows = (CadrePost.objects.filter(village__township_id__in=township_ids, committee__in=TWO_COMMITTEES,
                                     end_date__isnull=True)
            .annotate(rank=rank).order_by("person_id", "rank", "start_date")
            .values_list("person_id", "village_id", "village__township_id", "post"))
    posts = {}
    for person_id, village_id, township_id, post in rows:
        posts.setdefault(person_id, (village_id, township_id, post))
    return posts


@transaction.atomic
def round_open(*, user, round_: Round, prefill=None) -> Round:
    """Fix the settings and start a sheet for every township, with a row for every serving two-committee cadre.

    `prefill(row)` (demo data, imports of paper tallies) may set a row's tallies and scores before it is written;
    each row is then validated and its total and grade computed like any saved result."""
    _assert_perm(user, "evaluations.open_round")
    _assert_county(user, round_.county_id)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _assert_round_settings_editable(round_)
    round_.full_clean()
    round_.status = RoundStatus.OPEN
    round_.opened_at = timezone.now()
    round_.opened_by = user
    _save(round_, user=user)
    townships = list(Township.objects.filter(county_id=round_.county_id).order_by("code"))
    sheets = bulk_create_with_history([TownshipEvaluation(round=round_, township=t) for t in townships],
                                      TownshipEvaluation, default_user=user)
    sheets = {s.township_id: s for s in TownshipEvaluation.objects.filter(round=round_)}
    for sheet in sheets.values():
        sheet.round = round_
    members = active_member_ids_in_county(county_id=round_.county_id)
    rows = [
        CadreEvaluation(sheet=sheets[township_id], person_id=person_id, village_id=village_id, post=post,
                        is_party_member=person_id in members)
        for person_id, (village_id, township_id, post) in serving_cadres([t.pk for t in townships]).items()
    ]
    if prefill is not None:
        for row in rows:
            prefill(row)
            row.clean_fields(exclude=["sheet", "person", "village"])
            row.clean()
            result_compute(row)
    bulk_create_with_history(rows, CadreEvaluation, batch_size=500, default_user=user)
    return round_


# ---------------------------------------------------------------- results

def result_compute(result: CadreEvaluation) -> CadreEvaluation:
    outcome = evaluate(result.sheet.round, result)
    result.appraisal_score = outcome.appraisal
    result.assessment_score = outcome.assessment
    result.total_score = outcome.total
    result.grade = outcome.grade
    result.grade_capped = outcome.capped
    return result


@transaction.atomic
def result_save(*, user, result: CadreEvaluation, expected_version: int | None, data: dict) -> CadreEvaluation:
    """Save a cadre's tallies and assessment; recompute the total and grade from the round's settings."""
    _assert_perm(user, "evaluations.change_cadreevaluation")
    village_assert_in_scope(user=user, village=result.village)
    result = CadreEvaluation.objects.select_related("sheet__round", "sheet__township", "person").get(pk=result.pk)
    sheet = TownshipEvaluation.objects.select_for_update().select_related("round", "township").get(pk=result.sheet_id)
    assert_editable_by_township(sheet)
    result.sheet = sheet
    for key, value in data.items():
        if key in RESULT_FIELDS:
            setattr(result, key, value)
    result.full_clean()  # before claiming the version: bad input writes nothing
    version_claim(result, expected_version=expected_version)
    result_compute(result)
    result._history_user = user
    result.save()
    return result


# ---------------------------------------------------------------- the township's sheet

def excellent_cap(sheet: TownshipEvaluation) -> dict:
    counts = sheet.results.aggregate(n=Count("pk"), excellent=Count("pk", filter=Q(grade=Grade.EXCELLENT)))
    allowed = counts["n"] * sheet.round.excellent_cap // 100
    return {"count": counts["excellent"], "allowed": allowed, "cadres": counts["n"],
            "percent": sheet.round.excellent_cap, "over": counts["excellent"] > allowed}


def _sheet_locked(sheet):
    return TownshipEvaluation.objects.select_for_update().select_related("round", "township").get(pk=sheet.pk)


@transaction.atomic
def sheet_submit(*, user, sheet: TownshipEvaluation) -> TownshipEvaluation:
    _assert_perm(user, "evaluations.submit_townshipevaluation")
    township_assert_in_scope(user=user, township=sheet.township)
    sheet = _sheet_locked(sheet)
    assert_editable_by_township(sheet)
    missing = sheet.results.filter(grade="").count()
    if missing:
        raise ValidationError(_("%(n)s cadres have no grade yet: enter their ballots and all five scores before "
                                "submitting.") % {"n": missing}, code="incomplete")
    cap = excellent_cap(sheet)
    if cap["over"]:
        raise ValidationError(_(
            "%(count)s cadres are graded 'excellent' but the county allows at most %(allowed)s "
            "(%(percent)s%% of %(cadres)s). Review the grades before submitting.") % cap, code="over_cap")
    return review_submit(period=sheet, user=user)


@transaction.atomic
def sheet_accept(*, user, sheet: TownshipEvaluation) -> TownshipEvaluation:
    _assert_perm(user, "evaluations.confirm_townshipevaluation")
    township_assert_in_scope(user=user, township=sheet.township)
    return review_accept(period=_sheet_locked(sheet), user=user)


@transaction.atomic
def sheet_return(*, user, sheet: TownshipEvaluation, reason: str) -> TownshipEvaluation:
    _assert_perm(user, "evaluations.confirm_townshipevaluation")
    township_assert_in_scope(user=user, township=sheet.township)
    sheet = _sheet_locked(sheet)
    if sheet.is_published:
        raise ValidationError(_("%(period)s has been published; published results are not returned.") % {
            "period": sheet.period_label()}, code="published")
    return review_return(period=sheet, user=user, reason=reason)


@transaction.atomic
def sheet_publish(*, user, sheet: TownshipEvaluation) -> TownshipEvaluation:
    """Publish confirmed results and open a handling case for every cadre failing this year and the year before."""
    _assert_perm(user, "evaluations.confirm_townshipevaluation")
    township_assert_in_scope(user=user, township=sheet.township)
    sheet = _sheet_locked(sheet)
    if sheet.status != ReviewStatus.ACCEPTED:
        raise ValidationError(_("%(period)s must be confirmed by the county before it is published.") % {
            "period": sheet.period_label()}, code="not_confirmed")
    if sheet.is_published:
        raise ValidationError(_("%(period)s is already published.") % {"period": sheet.period_label()})
    sheet.published_at = timezone.now()
    sheet.published_by = user
    _save(sheet, user=user)
    cases_open_for(user=user, sheet=sheet)
    return sheet


def cases_open_for(*, user, sheet: TownshipEvaluation) -> list[HandlingCase]:
    """Two strikes: a failing result this year and a published failing result the year before."""
    failing = sheet.round.failing_grades()
    previous = CadreEvaluation.objects.filter(
        person=OuterRef("person"), sheet__round__county_id=sheet.round.county_id,
        sheet__round__year=sheet.round.year - 1, sheet__published_at__isnull=False, grade__in=failing)
    rows = list(
        sheet.results.filter(grade__in=failing).filter(Exists(previous))
        .exclude(Exists(HandlingCase.objects.filter(evaluation=OuterRef("pk"))))
        .values_list("pk", "person_id", "village_id")
    )
    prev_ids = dict(CadreEvaluation.objects.filter(
        person_id__in=[r[1] for r in rows], sheet__round__county_id=sheet.round.county_id,
        sheet__round__year=sheet.round.year - 1).values_list("person_id", "pk"))
    cases = [HandlingCase(evaluation_id=pk, person_id=person_id, village_id=village_id, previous_id=prev_ids[person_id])
             for pk, person_id, village_id in rows]
    return bulk_create_with_history(cases, HandlingCase, default_user=user)


# ---------------------------------------------------------------- handling cases

CASE_FIELDS = ["status", "measure", "measure_date", "handled_by", "outcome", "closed_on"]


@transaction.atomic
def case_update(*, user, case: HandlingCase, **data) -> HandlingCase:
    _assert_perm(user, "evaluations.change_handlingcase")
    village_assert_in_scope(user=user, village=case.village)
    case = HandlingCase.objects.select_for_update().get(pk=case.pk)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("The case is closed; its outcome is on record."))
    for key, value in data.items():
        if key in CASE_FIELDS:
            setattr(case, key, value)
    return _save(case, user=user)

