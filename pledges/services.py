"""Writes: pledges and their adoption, quarterly reviews (with the county's lock), rectifications, archive entries."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.scope import village_assert_in_scope
from core import workflow
from core.periods import Quarter
from core.uploads import save_keeping_no_orphan
from villages.choices import TWO_COMMITTEES
from villages.models import CadrePost, Person, Village

from .choices import ItemStatus, PledgeKind, RectificationStatus
from .models import ArchiveEntry, ItemReview, Pledge, PledgeItem, QuarterlyReview, Rectification
from .summaries import review_summary_refresh
from .uploads import check_upload

ADOPTION_FIELDS = ("party_assembly_date", "representative_meeting", "representative_meeting_date",
                   "publicly_pledged_date")
ITEM_FIELDS = ("category", "commitment", "target", "due_date", "position")
MEETING_FIELDS = ("meeting_date", "party_members_present", "representatives_present", "supervisors_present", "notes")
RECTIFICATION_FIELDS = ("problem", "responsible", "deadline", "status", "verified_how", "verified_on")


def _save(obj, *, user):
    obj._history_user = user
    obj.full_clean()
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise ValidationError(_("The record conflicts with one already recorded; reload the page and check."))
    return obj


def _assert_cadre(person: Person, village: Village) -> None:
    if not CadrePost.objects.filter(person=person, village=village, committee__in=TWO_COMMITTEES).exists():
        raise ValidationError({"person": _("%(name)s holds no two-committee post in %(village)s.") % {
            "name": person.name, "village": village.name}})


# Pledges -----------------------------------------------------------------------------------------------------------

@transaction.atomic
def pledge_create(*, user, village: Village, kind: str, year: int, person: Person | None = None,
                  committee: str = "", term_end_year: int | None = None) -> Pledge:
    village_assert_in_scope(user=user, village=village)
    if kind == PledgeKind.ANNUAL and person is not None:
        _assert_cadre(person, village)
    pledge = Pledge(village=village, kind=kind, year=year, person=person, committee=committee or "",
                    term_end_year=term_end_year)
    if kind == PledgeKind.ANNUAL and person and Pledge.objects.filter(kind=kind, person=person, year=year).exists():
        raise ValidationError({"year": _("%(name)s already has an annual pledge for %(year)s.") % {
            "name": person.name, "year": year}})
    if (kind == PledgeKind.TERM
            and Pledge.objects.filter(kind=kind, village=village, committee=committee, year=year).exists()):
        raise ValidationError({"committee": _("This committee already has a term pledge for that term.")})
    return _save(pledge, user=user)


@transaction.atomic
def pledge_adopt(*, user, pledge: Pledge, **data) -> Pledge:
    """Record the adoption steps; the public pledge only once both meetings have adopted it."""
    village_assert_in_scope(user=user, village=pledge.village)
    for field, value in data.items():
        if field not in ADOPTION_FIELDS:
            raise TypeError(f"pledge_adopt() got an unexpected field {field!r}")
        setattr(pledge, field, value if value is not None else ("" if field == "representative_meeting" else None))
    return _save(pledge, user=user)


@transaction.atomic
def pledge_item_add(*, user, pledge: Pledge, category: str, commitment: str, target: str = "", due_date=None,
                    position: int | None = None) -> PledgeItem:
    village_assert_in_scope(user=user, village=pledge.village)
    if position is None:
        position = pledge.items.count() + 1
    item = PledgeItem(pledge=pledge, category=category, commitment=commitment.strip(), target=(target or "").strip(),
                      due_date=due_date, position=position)
    return _save(item, user=user)


# What the county accepted a review against: frozen once a quarter that checked the item is locked.
ITEM_REVIEWED_FIELDS = ("category", "commitment", "target")


@transaction.atomic
def pledge_item_update(*, user, item: PledgeItem, **data) -> PledgeItem:
    village_assert_in_scope(user=user, village=item.pledge.village)
    changed = set()
    for field, value in data.items():
        if field not in ITEM_FIELDS:
            raise TypeError(f"pledge_item_update() got an unexpected field {field!r}")
        if getattr(item, field) != value:
            changed.add(field)
        setattr(item, field, value)
    if changed & set(ITEM_REVIEWED_FIELDS):
        locked = (QuarterlyReview.objects.filter(item_reviews__item=item, status=workflow.ReviewStatus.ACCEPTED)
                  .select_related("village").order_by("-year", "-quarter").first())
        if locked is not None:
            workflow.assert_writable(locked)
    return _save(item, user=user)


def _shift_year(day: dt.date | None, years: int) -> dt.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def pledge_copy_to_next_year(*, user, pledge: Pledge) -> Pledge:
    """Start the cadre's next annual pledge from this one: the same items, due dates a year later, not yet adopted."""
    village_assert_in_scope(user=user, village=pledge.village)
    if pledge.kind != PledgeKind.ANNUAL:
        raise ValidationError(_("Only annual pledges are copied to the next year."))
    new = pledge_create(user=user, village=pledge.village, kind=PledgeKind.ANNUAL, year=pledge.year + 1,
                        person=pledge.person)
    new.copied_from = pledge
    new._history_user = user
    new.save(update_fields=["copied_from"])
    items = [
        PledgeItem(pledge=new, position=i.position, category=i.category, commitment=i.commitment, target=i.target,
                   due_date=_shift_year(i.due_date, 1))
        for i in pledge.items.all()
    ]
    bulk_create_with_history(items, PledgeItem, default_user=user)
    return new


# Quarterly reviews -------------------------------------------------------------------------------------------------

def review_items(*, village: Village, year: int):
    """The pledge items a village's quarterly review checks: this year's annual pledges and the current term pledges."""
    from django.db.models import Q

    return (
        PledgeItem.objects.filter(pledge__village=village)
        .filter(Q(pledge__kind=PledgeKind.ANNUAL, pledge__year=year)
                | Q(pledge__kind=PledgeKind.TERM, pledge__year__lte=year, pledge__term_end_year__gte=year))
        .select_related("pledge__person")
        .order_by("pledge__kind", "pledge__person__name", "pledge_id", "position", "pk")
    )


@transaction.atomic
def quarterly_review_get_or_create(*, user, village: Village, quarter: Quarter) -> QuarterlyReview:
    village_assert_in_scope(user=user, village=village)
    review = QuarterlyReview.objects.select_for_update().filter(village=village, year=quarter.year,
                                                                quarter=quarter.quarter).first()
    if review is None:
        review = _save(QuarterlyReview(village=village, year=quarter.year, quarter=quarter.quarter), user=user)
        review_summary_refresh(review_ids=[review.pk])
    return review


@transaction.atomic
def quarterly_review_save(*, user, review: QuarterlyReview, expected_version: int | None, meeting: dict,
                          statuses: dict[int, tuple[str, str]]) -> QuarterlyReview:
    """Save the meeting and every item's status and comment (statuses: item id → (status, comment)).

    Refused when the quarter is submitted or locked, or when someone saved since the page was opened."""
    village_assert_in_scope(user=user, village=review.village)
    review = QuarterlyReview.objects.select_for_update().get(pk=review.pk)
    workflow.assert_editable_by_township(review)
    workflow.version_claim(review, expected_version=expected_version)
    for field, value in meeting.items():
        if field not in MEETING_FIELDS:
            raise TypeError(f"quarterly_review_save() got an unexpected field {field!r}")
        setattr(review, field, value)
    _save(review, user=user)

    allowed = set(review_items(village=review.village, year=review.year).values_list("pk", flat=True))
    unknown = set(statuses) - allowed
    if unknown:
        raise ValidationError(
            _("Some items do not belong to this village's pledges for %(year)s.") % {"year": review.year})
    valid = set(ItemStatus.values)
    existing = {r.item_id: r for r in review.item_reviews.all()}
    new, changed = [], []
    for item_id, (status, comment) in statuses.items():
        if not status:
            continue
        if status not in valid:
            raise ValidationError(_("“%(status)s” is not a review status.") % {"status": status})
        comment = (comment or "").strip()
        row = existing.get(item_id)
        if row is None:
            new.append(ItemReview(review=review, item_id=item_id, status=status, comment=comment))
        elif (row.status, row.comment) != (status, comment):
            row.status, row.comment = status, comment
            changed.append(row)
    if new:
        bulk_create_with_history(new, ItemReview, default_user=user, batch_size=500)
    if changed:
        bulk_update_with_history(changed, ItemReview, ["status", "comment"], default_user=user, batch_size=500)
    review_summary_refresh(review_ids=[review.pk])
    return review


def _assert_perm(user, perm):
    if not user.has_perm(perm):
        raise PermissionDenied(_("You may not do this."))


@transaction.atomic
def quarterly_review_submit(*, user, review: QuarterlyReview) -> QuarterlyReview:
    village_assert_in_scope(user=user, village=review.village)
    _assert_perm(user, "pledges.submit_quarterlyreview")
    review = QuarterlyReview.objects.select_for_update().get(pk=review.pk)
    if not review.meeting_date:
        raise ValidationError(_("Record the date of the review meeting before submitting."))
    return _refreshed(workflow.review_submit(period=review, user=user))


@transaction.atomic
def quarterly_review_accept(*, user, review: QuarterlyReview) -> QuarterlyReview:
    village_assert_in_scope(user=user, village=review.village)
    _assert_perm(user, "pledges.accept_quarterlyreview")
    review = QuarterlyReview.objects.select_for_update().get(pk=review.pk)
    return _refreshed(workflow.review_accept(period=review, user=user))


@transaction.atomic
def quarterly_review_return(*, user, review: QuarterlyReview, reason: str) -> QuarterlyReview:
    village_assert_in_scope(user=user, village=review.village)
    _assert_perm(user, "pledges.accept_quarterlyreview")
    review = QuarterlyReview.objects.select_for_update().get(pk=review.pk)
    return _refreshed(workflow.review_return(period=review, user=user, reason=reason))


def _refreshed(review: QuarterlyReview) -> QuarterlyReview:
    review_summary_refresh(review_ids=[review.pk])
    return review


# Rectifications ----------------------------------------------------------------------------------------------------

@transaction.atomic
def rectification_open(*, user, review: QuarterlyReview, problem: str, responsible: str, deadline,
                       item: PledgeItem | None = None) -> Rectification:
    """A problem found in the review; part of the review, so refused once the quarter is submitted or locked."""
    village_assert_in_scope(user=user, village=review.village)
    workflow.assert_editable_by_township(review)
    if item is not None and item.pledge.village_id != review.village_id:
        raise ValidationError({"item": _("The item belongs to another village's pledge.")})
    rect = Rectification(village=review.village, review=review, item=item, problem=(problem or "").strip(),
                         responsible=(responsible or "").strip(), deadline=deadline)
    _save(rect, user=user)
    review_summary_refresh(review_ids=[review.pk])
    return rect


@transaction.atomic
def rectification_update(*, user, rectification: Rectification, **data) -> Rectification:
    """Follow a rectification up and close it once verified (allowed after the quarter is locked: it is follow-up)."""
    village_assert_in_scope(user=user, village=rectification.village)
    for field, value in data.items():
        if field not in RECTIFICATION_FIELDS:
            raise TypeError(f"rectification_update() got an unexpected field {field!r}")
        if field in ("problem", "responsible", "deadline") and value != getattr(rectification, field):
            # What was found and agreed belongs to the review: locked with it.
            workflow.assert_writable(rectification.review)
        setattr(rectification, field, value)
    if rectification.status == RectificationStatus.OPEN:
        rectification.verified_on = rectification.verified_on or None
    _save(rectification, user=user)
    review_summary_refresh(review_ids=[rectification.review_id])
    return rectification


# Archive -----------------------------------------------------------------------------------------------------------

@transaction.atomic
def archive_entry_add(*, user, person: Person, category: str, title: str, uploaded_file, date=None,
                      description: str = "") -> ArchiveEntry:
    """Add material to a cadre's archive. The file must be a PDF or an image by its content, within the size limit."""
    village_assert_in_scope(user=user, village=person.village)
    content_type = check_upload(uploaded_file)
    entry = ArchiveEntry(
        person=person, village=person.village, category=category, title=(title or "").strip(), date=date,
        description=(description or "").strip(), original_name=(uploaded_file.name or "")[:200],
        content_type=content_type, size=uploaded_file.size, added_by=user,
    )
    entry.file = uploaded_file
    entry._history_user = user
    entry.full_clean(exclude=["file"])
    save_keeping_no_orphan(entry, "file")  # writes the file under a random name
    return entry


@transaction.atomic
def archive_entry_withdraw(*, user, entry: ArchiveEntry, reason: str) -> ArchiveEntry:
    """Withdraw an entry: it stays in the archive (and its file on disk), marked withdrawn with who, when and why."""
    village_assert_in_scope(user=user, village=entry.village)
    entry = ArchiveEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.is_withdrawn:
        raise ValidationError(_("This entry was already withdrawn."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the entry is withdrawn.")})
    entry.withdrawn_at = timezone.now()
    entry.withdrawn_by = user
    entry.withdrawal_reason = reason
    return _save(entry, user=user)
