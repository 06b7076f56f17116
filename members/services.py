"""Writes of the bottom-line assessment. Every write checks the user's scope, and every write to a month checks
its lock (core.workflow), so pages, imports, the admin and scripts all refuse a locked month the same way."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.scope import village_assert_in_scope
from core.periods import Month
from core.uploads import check_upload, save_keeping_no_orphan
from core.workflow import (
    assert_editable_by_township,
    assert_writable,
    review_accept,
    review_return,
    review_submit,
    version_claim,
)

from .choices import MembershipStatus, Rating, RuleKind
from .models import (
    BasicRequirement,
    CountyPolicy,
    Deduction,
    Disposition,
    MemberWarning,
    MonthlyResult,
    MonthlyReview,
    PartyMember,
    Rule,
    RuleSet,
)
from .summaries import member_summary_refresh, month_summary_refresh

MEMBER_FIELDS = ("person", "village", "joined_date", "kind", "status")
BATCH = 500


# ---------------------------------------------------------------- party members

@transaction.atomic
def party_member_create(*, user, person, village, joined_date, kind, status) -> PartyMember:
    village_assert_in_scope(user=user, village=village)
    member = PartyMember(person=person, village=village, joined_date=joined_date, kind=kind, status=status)
    member._history_user = user
    member.full_clean()
    member.save()
    member_summary_refresh(village_ids=[village.pk])
    return member


@transaction.atomic
def party_member_update(*, user, member: PartyMember, **data) -> PartyMember:
    village_assert_in_scope(user=user, village=member.village)
    for name, value in data.items():
        if name not in MEMBER_FIELDS:
            raise TypeError(f"party_member_update() got an unexpected field {name!r}")
        setattr(member, name, value)
    village_assert_in_scope(user=user, village=member.village)
    # The village it was in before (the admin hands over an instance already changed): both counts change.
    stored_village = PartyMember.objects.filter(pk=member.pk).values_list("village_id", flat=True).first()
    member._history_user = user
    member.full_clean()
    member.save()
    member_summary_refresh(village_ids={member.village_id, stored_village} - {None})
    return member


@transaction.atomic
def party_members_save_many(*, user, creates: list[PartyMember], updates: list[PartyMember]) -> None:
    """Many memberships at once (the roster import): the checks of party_member_create and party_member_update
    made once for the batch (scope per village, before and after; each row's fields; one membership a person),
    the rows and their history written in bulk, the villages' member counts refreshed once."""
    members = [*creates, *updates]
    if not members:
        return
    stored = dict(PartyMember.objects.filter(pk__in=[m.pk for m in updates]).values_list("pk", "village_id"))
    villages = {m.village_id: m.village for m in members}
    from villages.models import Village

    for village in [*villages.values(), *Village.objects.filter(pk__in=set(stored.values()) - villages.keys())]:
        village_assert_in_scope(user=user, village=village)
    new_people = [m.person_id for m in creates]
    if len(set(new_people)) != len(new_people) or PartyMember.objects.filter(person_id__in=new_people).exists():
        raise ValidationError({"person": _("This person is already a party member.")})
    errors = {}
    for member in members:
        try:
            member.clean_fields(exclude=["person", "village"])  # both are looked up, in scope, by the caller
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    bulk_create_with_history(creates, PartyMember, batch_size=BATCH, default_user=user)
    bulk_update_with_history(updates, PartyMember, ["village", "joined_date", "kind", "status"], batch_size=BATCH,
                             default_user=user)
    member_summary_refresh(village_ids=villages.keys() | set(stored.values()))


# ---------------------------------------------------------------- county policy and template

def county_policy_for(county) -> CountyPolicy:
    """The county's thresholds; the defaults (unsaved) until the county sets its own."""
    return CountyPolicy.objects.filter(county=county).first() or CountyPolicy(county=county)


def _assert_county_official(user, county):
    from accounts.scope import ALL, COUNTY, scope_for

    scope = scope_for(user)
    if not (scope.level == ALL or (scope.level == COUNTY and scope.county_id == county.pk)):
        raise PermissionDenied(_("Only the county organization department sets county-wide templates and thresholds."))


@transaction.atomic
def county_policy_save(*, user, policy: CountyPolicy) -> CountyPolicy:
    _assert_county_official(user, policy.county)
    policy._history_user = user
    policy.full_clean()
    policy.save()
    return policy


@transaction.atomic
def basic_requirement_save(*, user, requirement: BasicRequirement) -> BasicRequirement:
    _assert_county_official(user, requirement.county)
    requirement._history_user = user
    requirement.full_clean()
    requirement.save()
    return requirement


# ---------------------------------------------------------------- rule sets

@dataclass
class RuleSpec:
    category: str
    text: str
    points: int
    kind: str = RuleKind.SPECIFIC
    requirement: BasicRequirement | None = None


def _rules_bulk(rule_set, specs, user):
    rules = [
        Rule(rule_set=rule_set, number=i, kind=s.kind, category=s.category, text=s.text.strip(), points=s.points,
             requirement=s.requirement)
        for i, s in enumerate(specs, start=1)
    ]
    for rule in rules:
        rule.full_clean(exclude=["rule_set", "requirement"], validate_unique=False, validate_constraints=False)
    return bulk_create_with_history(rules, Rule, batch_size=BATCH, default_user=user)


@transaction.atomic
def rule_set_adopt(*, user, village, year: int, adopted_date: dt.date, specific: list[RuleSpec] = (),
                   note: str = "") -> RuleSet:
    """A village adopts the county's basic requirements for a year, adding its own specific requirements."""
    village_assert_in_scope(user=user, village=village)
    if RuleSet.objects.filter(village=village, year=year).exists():
        raise ValidationError(_("%(village)s already has bottom lines for %(year)d; revise them to make a new version.")
                              % {"village": village.name, "year": year})
    rule_set = RuleSet(village=village, year=year, version=1, adopted_date=adopted_date, note=note)
    rule_set._history_user = user
    rule_set.full_clean()
    rule_set.save()
    template = BasicRequirement.objects.filter(county_id=village.township.county_id, active=True).order_by("number")
    specs = [RuleSpec(category=r.category, text=r.text, points=r.points, kind=RuleKind.BASIC, requirement=r)
             for r in template]
    specs += [RuleSpec(category=s.category, text=s.text, points=s.points, kind=RuleKind.SPECIFIC) for s in specific]
    if not specs:
        raise ValidationError(_("A rule set needs at least one rule."))
    _rules_bulk(rule_set, specs, user)
    return rule_set


@transaction.atomic
def rule_set_revise(
    *, user, rule_set: RuleSet, adopted_date: dt.date, rules: list[RuleSpec], note: str = ""
) -> RuleSet:
    """Changes to adopted bottom lines make a new version; the old one (and the scores that name it) stay."""
    village_assert_in_scope(user=user, village=rule_set.village)
    latest = RuleSet.objects.filter(village=rule_set.village, year=rule_set.year).order_by("-version").first()
    new = RuleSet(village=rule_set.village, year=rule_set.year, version=latest.version + 1,
                  adopted_date=adopted_date, note=note)
    new._history_user = user
    new.full_clean()
    new.save()
    if not rules:
        raise ValidationError(_("A rule set needs at least one rule."))
    _rules_bulk(new, rules, user)
    return new


@transaction.atomic
def rule_delete(*, user, rule: Rule) -> None:
    village_assert_in_scope(user=user, village=rule.rule_set.village)
    if rule.deductions.exists():
        raise ValidationError(_("Rule No. %(number)d has been used in deductions and cannot be removed; "
                                "revise the rule set to make a new version instead.") % {"number": rule.number})
    rule._history_user = user
    try:
        rule.delete()
    except ProtectedError:
        raise ValidationError(_("Rule No. %(number)d is in use and cannot be removed.") % {"number": rule.number})


@transaction.atomic
def rule_update(*, user, rule: Rule, text: str, points: int, category: str) -> Rule:
    village_assert_in_scope(user=user, village=rule.rule_set.village)
    if rule.deductions.exists() and (points != rule.points or text.strip() != rule.text):
        raise ValidationError(_("Rule No. %(number)d has been used in deductions; revise the rule set to make a new "
                                "version instead of changing it.") % {"number": rule.number})
    rule.text, rule.points, rule.category = text.strip(), points, category
    rule._history_user = user
    rule.full_clean()
    rule.save()
    return rule


# ---------------------------------------------------------------- the month

def month_due_date(month: Month, policy: CountyPolicy) -> dt.date:
    return month.due_date(policy.submission_due_days)


def _review_for_write(*, user, village, month: Month) -> MonthlyReview:
    """The village-month, created on the first write, locked against concurrent transitions."""
    village_assert_in_scope(user=user, village=village)
    review = (MonthlyReview.objects.select_for_update().select_related("village__township", "rule_set")
              .filter(village=village, year=month.year, month=month.month).first())
    if review is not None:
        return review
    rule_set = RuleSet.objects.filter(village=village, year=month.year).order_by("-version").first()
    if rule_set is None:
        raise ValidationError(_("%(village)s has not adopted its bottom lines for %(year)d; record the rule set first.")
                              % {"village": village.name, "year": month.year})
    policy = county_policy_for(village.township.county)
    review = MonthlyReview(village=village, year=month.year, month=month.month, rule_set=rule_set,
                           due_date=month_due_date(month, policy))
    review._history_user = user
    review.full_clean(exclude=["village", "rule_set"], validate_unique=False)
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:
        # Someone created it at the same moment: their version wins, ours will be refused as stale.
        review = MonthlyReview.objects.select_for_update().get(village=village, year=month.year, month=month.month)
    return review


@dataclass
class DeductionEntry:
    rule_id: int
    note: str = ""
    talk_by: str = ""
    talk_date: dt.date | None = None
    id: int | None = None


@dataclass
class ResultEntry:
    member_id: int
    excellent: bool = False
    excellent_reason: str = ""
    deductions: list[DeductionEntry] = field(default_factory=list)


@dataclass
class MeetingEntry:
    meeting_date: dt.date | None = None
    attendance: int | None = None
    minutes: str = ""
    minutes_file: object = None  # an uploaded file, or None to keep the stored one
    posted_date: dt.date | None = None


def meeting_problems(meeting: MeetingEntry, *, active_members: int) -> dict[str, str]:
    """What is wrong with a month's review meeting as entered (grid or workbook), by field: the results posted
    before the meeting, more members attending than the village has."""
    problems = {}
    if meeting.meeting_date and meeting.posted_date and meeting.posted_date < meeting.meeting_date:
        problems["posted_date"] = _("The results cannot be posted before the review meeting.")
    if meeting.attendance is not None and meeting.attendance > active_members:
        problems["attendance"] = _("%(attendance)d members attending, but the village has %(members)d active party "
                                   "members.") % {"attendance": meeting.attendance, "members": active_members}
    return problems


class CellMessage(str):
    """A grid error that belongs to one cell: `cell` is the input's name without the member, as the grid names it
    ("reason", "d-0-note", "d-1-talk_by"); the template marks that input and shows the message beside it."""

    def __new__(cls, message: str, *, cell: str):
        obj = super().__new__(cls, message)
        obj.cell = cell
        return obj


class GridErrors(ValidationError):
    """Errors of a grid save, per member (by_member) with messages naming the member."""

    def __init__(self, by_member: dict[int, list[str]], messages: list[str]):
        super().__init__(messages)
        self.by_member = by_member


def max_deductions_per_month() -> int:
    """How many deductions one member may have in one month (the setting MEMBERS_MAX_DEDUCTIONS_PER_MONTH)."""
    return settings.MEMBERS_MAX_DEDUCTIONS_PER_MONTH


def _too_long(value: str, model, field_name: str, *, name: str, cell: str) -> CellMessage | None:
    """The cell's error when `value` exceeds the model field's max_length, naming the member and the column."""
    model_field = model._meta.get_field(field_name)
    if len(value.strip()) <= model_field.max_length:
        return None
    return CellMessage(_("%(name)s · %(column)s: at most %(limit)d characters (this has %(length)d).") % {
        "name": name, "column": model_field.verbose_name, "limit": model_field.max_length,
        "length": len(value.strip())}, cell=cell)


def _entry_errors(entry: ResultEntry, member, rules, name: str) -> list[str]:
    errors = []
    if entry.excellent and not entry.excellent_reason.strip():
        errors.append(_("%(name)s: give the reason for rating excellent.") % {"name": name})
    if entry.excellent and entry.deductions:
        errors.append(_("%(name)s: a member with a deduction cannot be excellent in the same month.") % {"name": name})
    if entry.excellent:
        errors.append(_too_long(entry.excellent_reason, MonthlyResult, "excellent_reason", name=name, cell="reason"))
    limit = max_deductions_per_month()
    if len(entry.deductions) > limit:
        # Refused before the rows are looked at: the page would otherwise grow with every save.
        errors.append(_("%(name)s: at most %(limit)d deductions in one month (this has %(count)d).")
                      % {"name": name, "limit": limit, "count": len(entry.deductions)})
        return errors
    seen_rules = set()
    for i, d in enumerate(entry.deductions):
        if d.rule_id not in rules:
            errors.append(_("%(name)s: the deduction names a rule that is not in this village's rule set.")
                          % {"name": name})
        elif d.rule_id in seen_rules:
            errors.append(CellMessage(_("%(name)s: rule No. %(number)d is deducted twice; a rule counts once a month.")
                                    % {"name": name, "number": rules[d.rule_id].number}, cell=f"d-{i}-rule"))
        seen_rules.add(d.rule_id)
        if bool(d.talk_by.strip()) != bool(d.talk_date):
            errors.append(_("%(name)s: a talk needs both who held it and the date.") % {"name": name})
        errors.append(_too_long(d.note, Deduction, "note", name=name, cell=f"d-{i}-note"))
        errors.append(_too_long(d.talk_by, Deduction, "talk_by", name=name, cell=f"d-{i}-talk_by"))
    return [e for e in errors if e]


def _delete_with_history(objs, user):
    """Delete rows one by one so django-simple-history records each removal with the user (removals are rare:
    a deduction taken back on the grid or replaced by an upload)."""
    for obj in objs:
        obj._history_user = user
        obj.delete()


@transaction.atomic
def monthly_grid_save(*, user, village, month: Month, expected_version: int, entries: list[ResultEntry],
                      meeting: MeetingEntry | None = None) -> MonthlyReview:
    """Save a village-month's grid in one transaction. Members without an entry are qualified (the default).

    Refuses a locked or submitted month, and a save based on an older version than the stored one."""
    if not user.has_perm("members.change_monthlyresult"):
        raise PermissionDenied(_("You may not enter monthly results."))
    if meeting is not None and meeting.minutes_file:
        # A PDF or an image by its content, within the size limit; refused before anything is written.
        check_upload(meeting.minutes_file, field="minutes_file")
    review = _review_for_write(user=user, village=village, month=month)
    assert_editable_by_township(review)
    version_claim(review, expected_version=expected_version)

    members = {m.pk: m for m in PartyMember.objects.filter(village=village, status=MembershipStatus.ACTIVE)
               .select_related("person")}
    if meeting is not None:
        problems = meeting_problems(meeting, active_members=len(members))
        if problems:
            raise ValidationError(problems)
    rules = {r.pk: r for r in Rule.objects.filter(rule_set_id=review.rule_set_id)}
    existing = {r.member_id: r for r in MonthlyResult.objects.filter(review=review)}
    existing_deductions: dict[int, dict[int, Deduction]] = {}
    for d in Deduction.objects.filter(result__review=review):
        existing_deductions.setdefault(d.result_id, {})[d.pk] = d

    by_member: dict[int, list[str]] = {}
    messages: list[str] = []
    entry_for: dict[int, ResultEntry] = {}
    for entry in entries:
        member = members.get(entry.member_id)
        if member is None:
            if entry.member_id in existing:
                member_name = str(entry.member_id)
            else:
                messages.append(_("A row names someone who is not an active party member of %(village)s.")
                                % {"village": village.name})
                continue
        else:
            member_name = member.person.name
        if entry.member_id in entry_for:
            messages.append(_("%(name)s appears twice.") % {"name": member_name})
            continue
        entry_for[entry.member_id] = entry
        errs = _entry_errors(entry, member, rules, member_name)
        if errs:
            by_member[entry.member_id] = errs
            messages.extend(errs)
    if messages:
        raise GridErrors(by_member, messages)

    # Results: one per active member (and per member who already has one).
    new_results, changed_results = [], []
    for member_id in set(members) | set(existing):
        entry = entry_for.get(member_id)
        result = existing.get(member_id)
        if entry is None:
            if result is not None:
                continue  # not on this save: leave it as it is
            entry = ResultEntry(member_id=member_id)
        rating = Rating.DEDUCTED if entry.deductions else (Rating.EXCELLENT if entry.excellent else Rating.QUALIFIED)
        reason = entry.excellent_reason.strip() if rating == Rating.EXCELLENT else ""
        if result is None:
            result = MonthlyResult(review=review, member_id=member_id, rating=rating, excellent_reason=reason)
            result.full_clean(exclude=["review", "member"], validate_unique=False, validate_constraints=False)
            new_results.append(result)
        elif (result.rating, result.excellent_reason) != (rating, reason):
            result.rating, result.excellent_reason = rating, reason
            result.full_clean(exclude=["review", "member"], validate_unique=False, validate_constraints=False)
            changed_results.append(result)
    if new_results:
        bulk_create_with_history(new_results, MonthlyResult, batch_size=BATCH, default_user=user)
        existing = {r.member_id: r for r in MonthlyResult.objects.filter(review=review)}
    if changed_results:
        bulk_update_with_history(changed_results, MonthlyResult, ["rating", "excellent_reason"], batch_size=BATCH,
                                 default_user=user)

    # Deductions: create, change, remove.
    new_deductions, changed_deductions, removed = [], [], []
    fields = ["points", "note", "talk_by", "talk_date"]
    for member_id, entry in entry_for.items():
        result = existing[member_id]
        stored = existing_deductions.get(result.pk, {})
        kept = set()
        for d in entry.deductions:
            rule = rules[d.rule_id]
            values = {"rule_id": rule.pk, "points": rule.points, "note": d.note.strip(), "talk_by": d.talk_by.strip(),
                      "talk_date": d.talk_date}
            current = stored.get(d.id) if d.id else None
            if current is not None and current.rule_id != rule.pk:
                # Under another rule it is another deduction: removed and made anew, so that moving two deductions
                # between rules never meets the one-deduction-per-rule constraint half way.
                current = None
            if current is None:
                obj = Deduction(result=result, **values)
                obj.full_clean(exclude=["result", "rule"], validate_unique=False, validate_constraints=False)
                new_deductions.append(obj)
                continue
            kept.add(current.pk)
            if any(getattr(current, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(current, k, v)
                current.full_clean(exclude=["result", "rule"], validate_unique=False, validate_constraints=False)
                changed_deductions.append(current)
        removed.extend(d for pk, d in stored.items() if pk not in kept)
    # Removals first: a rule taken back and given again in one save must not meet the constraint twice.
    _delete_with_history(removed, user)
    if changed_deductions:
        bulk_update_with_history(changed_deductions, Deduction, fields, batch_size=BATCH, default_user=user)
    if new_deductions:
        bulk_create_with_history(new_deductions, Deduction, batch_size=BATCH, default_user=user)

    if meeting is not None:
        review.meeting_date = meeting.meeting_date
        review.attendance = meeting.attendance
        review.minutes = (meeting.minutes or "").strip()
        if meeting.minutes_file:
            review.minutes_file = meeting.minutes_file
        review.posted_date = meeting.posted_date
    review._history_user = user
    review.full_clean(exclude=["village", "rule_set"], validate_unique=False, validate_constraints=False)
    save_keeping_no_orphan(review, "minutes_file")
    month_summary_refresh(review_ids=[review.pk])
    return review


@transaction.atomic
def monthly_result_update(*, user, result: MonthlyResult, rating: str, excellent_reason: str) -> MonthlyResult:
    """Change one result (the admin uses this); the month's lock applies."""
    review = MonthlyReview.objects.select_for_update().select_related("village__township").get(pk=result.review_id)
    village_assert_in_scope(user=user, village=review.village)
    assert_editable_by_township(review)
    result.rating, result.excellent_reason = rating, excellent_reason.strip()
    if rating != Rating.EXCELLENT:
        result.excellent_reason = ""
    result._history_user = user
    result.full_clean()
    result.save()
    month_summary_refresh(review_ids=[review.pk])
    return result


@transaction.atomic
def deduction_update(*, user, deduction: Deduction, note: str, talk_by: str, talk_date) -> Deduction:
    review = MonthlyReview.objects.select_for_update().select_related("village__township").get(
        pk=deduction.result.review_id)
    village_assert_in_scope(user=user, village=review.village)
    assert_editable_by_township(review)
    deduction.note, deduction.talk_by, deduction.talk_date = note.strip(), talk_by.strip(), talk_date
    deduction._history_user = user
    deduction.full_clean()
    deduction.save()
    month_summary_refresh(review_ids=[review.pk])
    return deduction


def _locked_review(review: MonthlyReview) -> MonthlyReview:
    return MonthlyReview.objects.select_for_update().select_related("village__township").get(pk=review.pk)


@transaction.atomic
def monthly_review_submit(*, user, review: MonthlyReview) -> MonthlyReview:
    review = _locked_review(review)
    village_assert_in_scope(user=user, village=review.village)
    if not user.has_perm("members.submit_monthlyreview"):
        raise PermissionDenied(_("Only township staff submit a month to the county."))
    if not review.results.exists():
        raise ValidationError(_("%(period)s has no results yet; save the grid before submitting.")
                              % {"period": review.period_label()})
    review = review_submit(period=review, user=user)
    month_summary_refresh(review_ids=[review.pk])
    return review


@transaction.atomic
def monthly_review_accept(*, user, review: MonthlyReview) -> MonthlyReview:
    review = _locked_review(review)
    village_assert_in_scope(user=user, village=review.village)
    if not user.has_perm("members.review_monthlyreview"):
        raise PermissionDenied(_("Only the county organization department accepts a month."))
    review = review_accept(period=review, user=user)
    month_summary_refresh(review_ids=[review.pk])
    return review


@transaction.atomic
def monthly_review_return(*, user, review: MonthlyReview, reason: str) -> MonthlyReview:
    review = _locked_review(review)
    village_assert_in_scope(user=user, village=review.village)
    if not user.has_perm("members.review_monthlyreview"):
        raise PermissionDenied(_("Only the county organization department returns a month."))
    review = review_return(period=review, user=user, reason=reason)
    month_summary_refresh(review_ids=[review.pk])
    return review


def monthly_review_assert_writable(review: MonthlyReview) -> None:
    """For paths that write a month's rows outside the grid (admin deletes)."""
    assert_writable(review)


# ---------------------------------------------------------------- warnings and dispositions

WARNING_FIELDS = ("member", "reason", "issued_by", "issued_date", "deadline", "outcome", "outcome_note")
DISPOSITION_FIELDS = ("member", "kind", "reason", "decision_date", "approved_by", "outcome", "outcome_note")


def _save_member_record(obj, *, user, fields, data):
    for name, value in data.items():
        if name not in fields:
            raise TypeError(f"unexpected field {name!r}")
        setattr(obj, name, value)
    village_assert_in_scope(user=user, village=obj.member.village)
    obj._history_user = user
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def warning_create(*, user, **data) -> MemberWarning:
    return _save_member_record(MemberWarning(), user=user, fields=WARNING_FIELDS, data=data)


@transaction.atomic
def warning_update(*, user, warning: MemberWarning, **data) -> MemberWarning:
    village_assert_in_scope(user=user, village=warning.member.village)
    return _save_member_record(warning, user=user, fields=WARNING_FIELDS, data=data)


@transaction.atomic
def disposition_create(*, user, **data) -> Disposition:
    return _save_member_record(Disposition(), user=user, fields=DISPOSITION_FIELDS, data=data)


@transaction.atomic
def disposition_update(*, user, disposition: Disposition, **data) -> Disposition:
    village_assert_in_scope(user=user, village=disposition.member.village)
    return _save_member_record(disposition, user=user, fields=DISPOSITION_FIELDS, data=data)
