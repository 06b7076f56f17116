from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from core.admin import ReadOnlyAdmin, ScopedAdmin

from . import services
from .models import (
    BasicRequirement,
    CountyPolicy,
    Deduction,
    Disposition,
    MemberWarning,
    MonthlyResult,
    MonthlyReview,
    NoticeObjection,
    PartyMember,
    Rule,
    RuleSet,
)


@admin.register(PartyMember)
class PartyMemberAdmin(ScopedAdmin):
    list_display = ["person", "village", "joined_date", "kind", "status"]
    list_filter = ["status", "kind", "village__township"]
    search_fields = ["person__name"]
    autocomplete_fields = ["person", "village"]

    def save_model(self, request, obj, form, change):
        data = {f: getattr(obj, f) for f in services.MEMBER_FIELDS}
        if change:
            services.party_member_update(user=request.user, member=obj, **data)
        else:
            obj.pk = services.party_member_create(user=request.user, **data).pk


@admin.register(CountyPolicy)
class CountyPolicyAdmin(ScopedAdmin):
    list_display = ["county", "submission_due_days", "warning_points", "disposition_points", "flag_z"]

    def save_model(self, request, obj, form, change):
        services.county_policy_save(user=request.user, policy=obj)


@admin.register(BasicRequirement)
class BasicRequirementAdmin(ScopedAdmin):
    list_display = ["number", "category", "text", "points", "active"]
    list_filter = ["category", "active"]

    def save_model(self, request, obj, form, change):
        services.basic_requirement_save(user=request.user, requirement=obj)


class RuleInline(admin.TabularInline):
    model = Rule
    extra = 0
    fields = ["number", "kind", "category", "text", "points"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RuleSet)
class RuleSetAdmin(ScopedAdmin):
    list_display = ["village", "year", "version", "adopted_date"]
    list_filter = ["year", "village__township"]
    search_fields = ["village__name"]
    inlines = [RuleInline]
    readonly_fields = ["village", "year", "version"]

    def has_add_permission(self, request):
        return False  # adopted through the service, which copies the county template

    def save_model(self, request, obj, form, change):
        from accounts.scope import village_assert_in_scope

        village_assert_in_scope(user=request.user, village=obj.village)
        obj._history_user = request.user
        obj.full_clean()
        obj.save()


class LockCheckForm(forms.ModelForm):
    """Admin edits of a month's rows say why a locked (or submitted) month refuses them."""

    def review_of(self, obj):
        return obj.review

    def clean(self):
        from core.workflow import assert_editable_by_township

        cleaned = super().clean()
        if self.instance.pk:
            try:
                assert_editable_by_township(self.review_of(self.instance))
            except ValidationError as exc:
                raise ValidationError(exc.messages)
        return cleaned


class MonthlyResultForm(LockCheckForm):
    class Meta:
        model = MonthlyResult
        fields = ["rating", "excellent_reason"]


class DeductionForm(LockCheckForm):
    class Meta:
        model = Deduction
        fields = ["note", "talk_by", "talk_date"]

    def review_of(self, obj):
        return obj.result.review


class _MonthRowAdmin(ScopedAdmin):
    def has_add_permission(self, request):
        return False  # rows are entered on the month's grid

    def has_delete_permission(self, request, obj=None):
        return False  # a deduction is removed on the grid, which keeps the lock and the history


@admin.register(MonthlyReview)
class MonthlyReviewAdmin(ScopedAdmin):
    list_display = ["village", "year", "month", "status", "submitted_at", "accepted_at", "posted_date"]
    list_filter = ["status", "year", "month", "village__township"]
    search_fields = ["village__name"]
    readonly_fields = ["village", "year", "month", "rule_set", "status", "meeting_date", "attendance", "minutes",
                       "minutes_file", "posted_date"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # entered on the grid; submitted, accepted and returned through the workflow pages

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NoticeObjection)
class NoticeObjectionAdmin(ReadOnlyAdmin, ScopedAdmin):
    """Read-only: objections are filed on the public notice and answered on the township's page (with history)."""
    list_display = ["review", "member", "filed_at", "status", "answered_at", "answered_by"]
    list_filter = ["status", "review__year", "review__month", "review__village__township"]
    search_fields = ["review__village__name", "member__person__name"]
    readonly_fields = ["review", "member", "text", "name", "phone", "notice_version", "filed_at", "status", "answer",
                       "answered_at", "answered_by"]


@admin.register(MonthlyResult)
class MonthlyResultAdmin(_MonthRowAdmin):
    form = MonthlyResultForm
    list_display = ["member", "review", "rating"]
    list_filter = ["rating", "review__year", "review__month", "review__village__township"]
    search_fields = ["member__person__name"]

    def save_model(self, request, obj, form, change):
        services.monthly_result_update(user=request.user, result=obj, rating=obj.rating,
                                       excellent_reason=obj.excellent_reason)


@admin.register(Deduction)
class DeductionAdmin(_MonthRowAdmin):
    form = DeductionForm
    list_display = ["result", "rule", "points", "talk_by", "talk_date"]
    list_filter = ["result__review__year", "result__review__village__township"]

    def save_model(self, request, obj, form, change):
        services.deduction_update(user=request.user, deduction=obj, note=obj.note, talk_by=obj.talk_by,
                                  talk_date=obj.talk_date)


@admin.register(MemberWarning)
class MemberWarningAdmin(ScopedAdmin):
    list_display = ["member", "issued_date", "deadline", "outcome"]
    list_filter = ["outcome"]
    raw_id_fields = ["member"]

    def save_model(self, request, obj, form, change):
        data = {f: getattr(obj, f) for f in services.WARNING_FIELDS}
        if change:
            services.warning_update(user=request.user, warning=obj, **data)
        else:
            obj.pk = services.warning_create(user=request.user, **data).pk


@admin.register(Disposition)
class DispositionAdmin(ScopedAdmin):
    list_display = ["member", "kind", "decision_date", "outcome"]
    list_filter = ["kind", "outcome"]
    raw_id_fields = ["member"]

    def save_model(self, request, obj, form, change):
        data = {f: getattr(obj, f) for f in services.DISPOSITION_FIELDS}
        if change:
            services.disposition_update(user=request.user, disposition=obj, **data)
        else:
            obj.pk = services.disposition_create(user=request.user, **data).pk
