"""Admin pages, scoped like every other path; writes go through the services (locks and scope checks included)."""
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from core import workflow
from core.admin import ReadOnlyAdmin, ScopedAdmin

from . import services
from .models import ArchiveEntry, ItemReview, Pledge, PledgeItem, QuarterlyReview, Rectification


@admin.register(Pledge)
class PledgeAdmin(ScopedAdmin):
    list_display = ["__str__", "village", "kind", "year", "publicly_pledged_date"]
    list_filter = ["kind", "year"]
    search_fields = ["person__name", "village__name"]
    raw_id_fields = ["village", "person"]

    def save_model(self, request, obj, form, change):
        if change:
            services.pledge_adopt(user=request.user, pledge=obj,
                                  **{f: getattr(obj, f) for f in services.ADOPTION_FIELDS})
        else:
            created = services.pledge_create(user=request.user, village=obj.village, kind=obj.kind, year=obj.year,
                                             person=obj.person, committee=obj.committee,
                                             term_end_year=obj.term_end_year)
            obj.pk = created.pk

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PledgeItem)
class PledgeItemAdmin(ScopedAdmin):
    list_display = ["commitment", "pledge", "category", "due_date"]
    raw_id_fields = ["pledge"]

    def save_model(self, request, obj, form, change):
        data = {f: getattr(obj, f) for f in services.ITEM_FIELDS}
        if change:
            services.pledge_item_update(user=request.user, item=obj, **data)
        else:
            obj.pk = services.pledge_item_add(user=request.user, pledge=obj.pledge, **data).pk

    def has_delete_permission(self, request, obj=None):
        return False


class LockedReadOnlyMixin:
    """Rows of an accepted quarter are read-only here too (the services refuse the write anyway)."""

    def _review_of(self, obj):
        return obj if isinstance(obj, QuarterlyReview) else getattr(obj, "review", None)

    def has_change_permission(self, request, obj=None):
        review = self._review_of(obj) if obj is not None else None
        if review is not None and review.is_locked:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(QuarterlyReview)
class QuarterlyReviewAdmin(LockedReadOnlyMixin, ScopedAdmin):
    list_display = ["village", "year", "quarter", "status", "meeting_date"]
    readonly_fields = ["status"]  # moves only through submit / accept / return on the review page
    list_filter = ["status", "year", "quarter"]
    raw_id_fields = ["village"]

    def save_model(self, request, obj, form, change):
        meeting = {f: getattr(obj, f) for f in services.MEETING_FIELDS}
        if not change:
            from core.periods import Quarter

            review = services.quarterly_review_get_or_create(user=request.user, village=obj.village,
                                                             quarter=Quarter(obj.year, obj.quarter))
        else:
            review = QuarterlyReview.objects.get(pk=obj.pk)
        try:
            services.quarterly_review_save(user=request.user, review=review, expected_version=review.version,
                                           meeting=meeting, statuses={})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        obj.pk = review.pk


@admin.register(ItemReview)
class ItemReviewAdmin(LockedReadOnlyMixin, ScopedAdmin):
    list_display = ["review", "item", "status"]
    raw_id_fields = ["review", "item"]

    def save_model(self, request, obj, form, change):
        review = obj.review
        try:
            services.quarterly_review_save(user=request.user, review=review, expected_version=None, meeting={},
                                           statuses={obj.item_id: (obj.status, obj.comment)})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))


@admin.register(Rectification)
class RectificationAdmin(ScopedAdmin):
    list_display = ["problem", "village", "responsible", "deadline", "status"]
    list_filter = ["status"]
    raw_id_fields = ["village", "review", "item"]

    def save_model(self, request, obj, form, change):
        if change:
            current = Rectification.objects.get(pk=obj.pk)
            services.rectification_update(user=request.user, rectification=current,
                                          **{f: getattr(obj, f) for f in services.RECTIFICATION_FIELDS})
        else:
            workflow.assert_editable_by_township(obj.review)
            obj.pk = services.rectification_open(user=request.user, review=obj.review, problem=obj.problem,
                                                 responsible=obj.responsible, deadline=obj.deadline, item=obj.item).pk

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ArchiveEntry)
class ArchiveEntryAdmin(ReadOnlyAdmin, ScopedAdmin):
    """Read-only here: material is added and withdrawn on the archive pages (content-checked, never deleted)."""

    list_display = ["title", "person", "category", "added_at", "withdrawn_at"]
    list_filter = ["category"]
