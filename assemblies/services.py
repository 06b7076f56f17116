"""Writes for household-representative meetings. Every function checks scope and records who made the change."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.scope import scope_for, township_assert_in_scope, village_assert_in_scope
from core.periods import Quarter
from core.workflow import assert_editable_by_township, review_accept, review_return, review_submit
from villages.models import Person, Township, Village

from .choices import MatterStatus
from .models import (
    MODEL_VILLAGES_MAX,
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
from .summaries import meeting_summary_refresh

HOUSEHOLD_FIELDS = ("number", "head_name", "group", "discussion_point")
POINT_FIELDS = ("name", "convenor")
MEETING_FIELDS = ("discussion_point", "date", "topic", "households_expected", "households_present", "minutes")
BATCH = 500
MATTER_FIELDS = ("title", "category", "decision", "votes_for", "votes_against", "votes_abstaining", "implementer",
                 "is_typical", "typical_writeup")


def _save(obj, *, user):
    obj._history_user = user
    obj.full_clean()
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise ValidationError(_("The record conflicts with one saved at the same moment; reload and try again."))
    return obj


def _apply(obj, data, allowed, fn):
    for field, value in data.items():
        if field not in allowed:
            raise TypeError(f"{fn}() got an unexpected field {field!r}")
        setattr(obj, field, value)


def _person_assert(*, person: Person | None, village: Village, field: str):
    if person is not None and person.village.township_id != village.township_id:
        raise ValidationError({field: _("%(name)s lives in another township.") % {"name": person.name}})


# Households and representatives ------------------------------------------------------------------------------

@transaction.atomic
def household_create(*, user, village: Village, number: str, head_name: str, group: str = "",
                     discussion_point: DiscussionPoint | None = None, representative: Person | None = None,
                     since: dt.date | None = None) -> Household:
    village_assert_in_scope(user=user, village=village)
    household = Household(village=village, number=str(number).strip(), head_name=head_name.strip(),
                          group=(group or "").strip(), discussion_point=discussion_point)
    _save(household, user=user)
    if representative is not None:
        representative_change(user=user, household=household, person=representative,
                              date=since or timezone.localdate(), reason=_("First representative recorded"))
    return household


@transaction.atomic
def household_update(*, user, household: Household, **data) -> Household:
    village_assert_in_scope(user=user, village=household.village)
    _apply(household, data, HOUSEHOLD_FIELDS, "household_update")
    return _save(household, user=user)


@transaction.atomic
def representative_change(*, user, household: Household, person: Person | None, date: dt.date,
                          reason: str) -> RepresentativeChange:
    """Name a new representative (or none) for the household, keeping the change: from, to, date, reason."""
    village_assert_in_scope(user=user, village=household.village)
    household = Household.objects.select_for_update().get(pk=household.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the representative changes.")})
    if person is not None and person.pk == household.representative_id:
        raise ValidationError({"person": _("%(name)s already represents this household.") % {"name": person.name}})
    if person is None and household.representative_id is None:
        raise ValidationError({"person": _("The household has no representative to remove.")})
    _person_assert(person=person, village=household.village, field="person")
    last = household.representative_changes.order_by("-date").values_list("date", flat=True).first()
    if last and date < last:
        raise ValidationError({"date": _("The last change was on %(date)s; a new change cannot be earlier.")
                               % {"date": last.isoformat()}})
    change = RepresentativeChange(household=household, from_person_id=household.representative_id, to_person=person,
                                  date=date, reason=reason)
    _save(change, user=user)
    household.representative = person
    _save(household, user=user)
    return change


@transaction.atomic
def households_save_many(*, user, new_people: list[Person], creates: list[Household], updates: list[Household],
                         representatives: list[tuple[Household, Person]], date: dt.date, reason: str) -> None:
    """Many households at once (the household import), with the checks of household_create, household_update and
    representative_change made once for the batch: scope of every village (before and after), each record's
    fields, one household a village and number, each representative from the household's township, no change
    dated before the household's last one. New people (villages.services.people_save_many), households, the
    changes and the history are written in bulk."""
    from villages.services import people_save_many

    households = [*creates, *updates]
    if not households and not new_people:
        return
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the representative changes.")})
    stored = dict(Household.objects.filter(pk__in=[h.pk for h in updates]).values_list("pk", "village_id"))
    villages = {h.village_id: h.village for h in households}
    for village in [*villages.values(), *Village.objects.filter(pk__in=set(stored.values()) - villages.keys())
                    .select_related("township")]:
        village_assert_in_scope(user=user, village=village)
    for household in households:
        # The village, discussion point and representative are objects looked up in scope by the caller.
        household.full_clean(exclude=["village", "discussion_point", "representative"], validate_unique=False,
                             validate_constraints=False)
    keys = [(h.village_id, h.number) for h in creates]
    taken = Household.objects.filter(village_id__in={v for v, _n in keys}, number__in={n for _v, n in keys})
    if len(set(keys)) != len(keys) or set(taken.values_list("village_id", "number")) & set(keys):
        raise ValidationError(_("This village already has a household with this number."))
    last = dict(RepresentativeChange.objects.filter(household_id__in=[h.pk for h, _p in representatives if h.pk])
                .order_by().values("household_id").annotate(last=models.Max("date"))
                .values_list("household_id", "last"))
    for household, person in representatives:
        if person.pk is not None and person.pk == household.representative_id:
            raise ValidationError({"person": _("%(name)s already represents this household.") % {"name": person.name}})
        _person_assert(person=person, village=household.village, field="person")
        if household.pk in last and date < last[household.pk]:
            raise ValidationError({"date": _("The last change was on %(date)s; a new change cannot be earlier.")
                                   % {"date": last[household.pk].isoformat()}})
    people_save_many(user=user, creates=new_people, updates=[])  # the new representatives get their ids
    previous = [(household, household.representative_id, person) for household, person in representatives]
    for household, _from, person in previous:
        household.representative = person
    bulk_create_with_history(creates, Household, batch_size=BATCH, default_user=user)
    bulk_update_with_history(updates, Household, ["head_name", "group", "representative"], batch_size=BATCH,
                             default_user=user)
    changes = [RepresentativeChange(household=household, from_person_id=from_id, to_person=person, date=date,
                                    reason=reason) for household, from_id, person in previous]
    bulk_create_with_history(changes, RepresentativeChange, batch_size=BATCH, default_user=user)


# Discussion points and speaker pilots -----------------------------------------------------------------------

@transaction.atomic
def discussion_point_create(*, user, village: Village, name: str, convenor: Person | None = None) -> DiscussionPoint:
    village_assert_in_scope(user=user, village=village)
    _person_assert(person=convenor, village=village, field="convenor")
    return _save(DiscussionPoint(village=village, name=name.strip(), convenor=convenor), user=user)


@transaction.atomic
def discussion_point_update(*, user, point: DiscussionPoint, **data) -> DiscussionPoint:
    village_assert_in_scope(user=user, village=point.village)
    _apply(point, data, POINT_FIELDS, "discussion_point_update")
    _person_assert(person=point.convenor, village=point.village, field="convenor")
    return _save(point, user=user)


@transaction.atomic
def speaker_pilot_set(*, user, village: Village, speaker: Person | None, started: dt.date,
                      ended: dt.date | None = None) -> SpeakerPilot:
    village_assert_in_scope(user=user, village=village)
    _person_assert(person=speaker, village=village, field="speaker")
    pilot = SpeakerPilot.objects.filter(village=village).first() or SpeakerPilot(village=village)
    pilot.speaker, pilot.started, pilot.ended = speaker, started, ended
    return _save(pilot, user=user)


# Meetings, decided matters, follow-up -----------------------------------------------------------------------

@transaction.atomic
def meeting_create(*, user, village: Village, **data) -> Meeting:
    village_assert_in_scope(user=user, village=village)
    meeting = Meeting(village=village)
    _apply(meeting, data, MEETING_FIELDS, "meeting_create")
    _save(meeting, user=user)
    meeting_summary_refresh(village_id=village.pk, dates=[meeting.date])
    return meeting


@transaction.atomic
def meeting_update(*, user, meeting: Meeting, **data) -> Meeting:
    village_assert_in_scope(user=user, village=meeting.village)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    date_before = meeting.date
    _apply(meeting, data, MEETING_FIELDS, "meeting_update")
    _save(meeting, user=user)
    meeting_summary_refresh(village_id=meeting.village_id, dates=[date_before, meeting.date])
    # The votes of the meeting's matters must still fit the households present.
    for matter in meeting.matters.all():
        matter.meeting = meeting
        try:
            matter.full_clean()
        except ValidationError:
            raise ValidationError({"households_present": _(
                "The matter “%(title)s” has more votes than %(present)d households present."
            ) % {"title": matter.title, "present": meeting.households_present}})
    return meeting


@transaction.atomic
def matter_create(*, user, meeting: Meeting, **data) -> Matter:
    village_assert_in_scope(user=user, village=meeting.village)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    matter = Matter(meeting=meeting)
    _apply(matter, data, MATTER_FIELDS, "matter_create")
    return _matter_refreshed(_save(matter, user=user))


@transaction.atomic
def matter_update(*, user, matter: Matter, **data) -> Matter:
    village_assert_in_scope(user=user, village=matter.meeting.village)
    _apply(matter, data, MATTER_FIELDS, "matter_update")
    return _matter_refreshed(_save(matter, user=user))


def _matter_refreshed(matter: Matter) -> Matter:
    # The meeting as stored (the caller's instance may hold an older date).
    village_id, date = Meeting.objects.values_list("village_id", "date").get(pk=matter.meeting_id)
    meeting_summary_refresh(village_id=village_id, dates=[date])
    return matter


@transaction.atomic
def follow_up_add(*, user, matter: Matter, date: dt.date, note: str, implemented: bool = False) -> FollowUp:
    """Record progress on a matter; the step that implements it closes the matter."""
    village_assert_in_scope(user=user, village=matter.meeting.village)
    matter = Matter.objects.select_for_update().select_related("meeting").get(pk=matter.pk)
    if matter.status == MatterStatus.IMPLEMENTED:
        raise ValidationError(_("“%(title)s” was implemented on %(date)s; no further follow-up is needed.")
                              % {"title": matter.title, "date": matter.implemented_on.isoformat()})
    if date > timezone.localdate():
        raise ValidationError({"date": _("A follow-up cannot be dated in the future.")})
    follow_up = _save(FollowUp(matter=matter, date=date, note=(note or "").strip(), implemented=implemented),
                      user=user)
    if implemented:
        matter.status, matter.implemented_on = MatterStatus.IMPLEMENTED, date
        _matter_refreshed(_save(matter, user=user))
    return follow_up


# Township practice -------------------------------------------------------------------------------------------

@transaction.atomic
def inspection_save(*, user, township: Township, year: int, quarter: int, inspected_on: dt.date, findings: str,
                    inspection: Inspection | None = None) -> Inspection:
    """Create or update a quarterly inspection; the facts are (re)computed from the records in the database."""
    from .selectors import township_practice_facts

    township_assert_in_scope(user=user, township=township)
    if inspection is None:
        inspection = Inspection(township=township)
    inspection.year, inspection.quarter = year, quarter
    inspection.inspected_on, inspection.findings = inspected_on, (findings or "").strip()
    try:
        period = Quarter(year, quarter)
    except (TypeError, ValueError):
        raise ValidationError({"quarter": _("Choose a quarter from 1 to 4.")})
    for name, value in township_practice_facts(township=township, quarter=period).items():
        setattr(inspection, name, value)
    return _save(inspection, user=user)


@transaction.atomic
def model_village_add(*, user, village: Village, year: int, reason: str) -> ModelVillage:
    """Name a good-practice village; a township names at most three a year (two or three is the rule)."""
    village_assert_in_scope(user=user, village=village)
    township = Township.objects.select_for_update().get(pk=village.township_id)  # one naming at a time per township
    named = ModelVillage.objects.filter(village__township=township, year=year).count()
    if named >= MODEL_VILLAGES_MAX and not ModelVillage.objects.filter(village=village, year=year).exists():
        raise ValidationError(_(
            "%(township)s has already named %(max)d good-practice villages for %(year)d; a township names two "
            "or three. Remove one before naming another."
        ) % {"township": township.name, "max": MODEL_VILLAGES_MAX, "year": year})
    return _save(ModelVillage(village=village, year=year, reason=(reason or "").strip()), user=user)


@transaction.atomic
def model_village_remove(*, user, model_village: ModelVillage) -> None:
    village_assert_in_scope(user=user, village=model_village.village)
    model_village._history_user = user
    model_village.delete()


# Quarterly filing -------------------------------------------------------------------------------------------

@transaction.atomic
def filing_create(*, user, township: Township, year: int, quarter: int) -> Filing:
    township_assert_in_scope(user=user, township=township)
    filing = _save(Filing(township=township, year=year, quarter=quarter), user=user)
    return filing_compile(user=user, filing=filing)


@transaction.atomic
def filing_compile(*, user, filing: Filing) -> Filing:
    """(Re)compile the quarter's decided matters and typical cases into the filing's frozen copy."""
    from .selectors import filing_snapshot_build

    township_assert_in_scope(user=user, township=filing.township)
    filing = Filing.objects.select_for_update().select_related("township").get(pk=filing.pk)
    assert_editable_by_township(filing)
    filing.snapshot = filing_snapshot_build(township=filing.township, quarter=filing.period)
    filing.compiled_at = timezone.now()
    return _save(filing, user=user)


@transaction.atomic
def filing_submit(*, user, filing: Filing) -> Filing:
    """Compile the register as it stands now and submit it; from here on the copy is frozen."""
    if not user.has_perm("assemblies.submit_filing"):
        raise PermissionDenied
    filing = filing_compile(user=user, filing=filing)
    return review_submit(period=filing, user=user)


def _county_assert(*, user, filing: Filing):
    if not user.has_perm("assemblies.acknowledge_filing"):
        raise PermissionDenied
    scope = scope_for(user)
    if not (scope.level == "all" or (scope.level == "county" and filing.township.county_id == scope.county_id)):
        raise PermissionDenied(_("Only the county organization department acknowledges filings."))


@transaction.atomic
def filing_acknowledge(*, user, filing: Filing) -> Filing:
    _county_assert(user=user, filing=filing)
    filing = Filing.objects.select_for_update().select_related("township").get(pk=filing.pk)
    return review_accept(period=filing, user=user)


@transaction.atomic
def filing_return(*, user, filing: Filing, reason: str) -> Filing:
    _county_assert(user=user, filing=filing)
    filing = Filing.objects.select_for_update().select_related("township").get(pk=filing.pk)
    return review_return(period=filing, user=user, reason=reason)
