from django.contrib import admin

from core.admin import ScopedAdmin

from . import services
from .models import CadreEvaluation, HandlingCase, Round, TownshipEvaluation


@admin.register(Round)
class RoundAdmin(ScopedAdmin):
    list_display = ["year", "county", "status"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_open:
            return [f.name for f in Round._meta.fields]
        return super().get_readonly_fields(request, obj)

    def save_model(self, request, obj, form, change):
        settings = {f: getattr(obj, f) for f in services.ROUND_SETTINGS}
        if change:
            services.round_update(user=request.user, round_=obj, **settings)
        else:
            obj.pk = services.round_create(user=request.user, county=obj.county, year=obj.year, **settings).pk

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TownshipEvaluation)
class TownshipEvaluationAdmin(ScopedAdmin):
    list_display = ["round", "township", "status", "published_at"]
    list_filter = ["status"]

    def has_change_permission(self, request, obj=None):
        return False  # the workflow runs through the sheet's page

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CadreEvaluation)
class CadreEvaluationAdmin(ScopedAdmin):
    list_display = ["person", "village", "sheet", "total_score", "grade"]
    list_filter = ["grade"]
    readonly_fields = ["sheet", "person"]
    fields = services.RESULT_FIELDS

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # A submitted or confirmed sheet is read-only here as everywhere else.
        if obj is not None and not obj.sheet.is_editable:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Through the service: the sheet's lock and the tallies are checked like on every other path.
        services.result_save(user=request.user, result=obj, expected_version=None,
                             data={f: getattr(obj, f) for f in services.RESULT_FIELDS})


@admin.register(HandlingCase)
class HandlingCaseAdmin(ScopedAdmin):
    list_display = ["person", "village", "status", "measure"]
    list_filter = ["status"]
    fields = services.CASE_FIELDS

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.case_update(user=request.user, case=obj, **{f: getattr(obj, f) for f in services.CASE_FIELDS})


