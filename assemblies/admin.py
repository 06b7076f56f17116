from django.contrib import admin

from core.admin import ReadOnlyAdmin, ScopedAdmin

from . import services
from .models import (
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


@admin.register(Household)
class HouseholdAdmin(ScopedAdmin):
    list_display = ["village", "number", "head_name", "group", "representative"]
    list_filter = ["village__township"]
    search_fields = ["number", "head_name", "village__name"]
    raw_id_fields = ["village", "discussion_point"]

    def save_model(self, request, obj, form, change):
        data = {f: getattr(obj, f) for f in services.HOUSEHOLD_FIELDS}
        if change:
            services.household_update(user=request.user, household=obj, **data)
        else:
            obj.pk = services.household_create(user=request.user, village=obj.village, **data).pk


@admin.register(RepresentativeChange)
class RepresentativeChangeAdmin(ScopedAdmin):
    """Changes are recorded from the household page (they move the household's representative); read-only here."""

    list_display = ["household", "date", "from_person", "to_person", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DiscussionPoint)
class DiscussionPointAdmin(ScopedAdmin):
    list_display = ["village", "name", "convenor"]
    raw_id_fields = ["village", "convenor"]

    def save_model(self, request, obj, form, change):
        if change:
            services.discussion_point_update(user=request.user, point=obj, name=obj.name, convenor=obj.convenor)
        else:
            obj.pk = services.discussion_point_create(user=request.user, village=obj.village, name=obj.name,
                                                      convenor=obj.convenor).pk


@admin.register(SpeakerPilot)
class SpeakerPilotAdmin(ScopedAdmin):
    list_display = ["village", "speaker", "started", "ended"]
    raw_id_fields = ["village", "speaker"]

    def save_model(self, request, obj, form, change):
        obj.pk = services.speaker_pilot_set(user=request.user, village=obj.village, speaker=obj.speaker,
                                            started=obj.started, ended=obj.ended).pk


@admin.register(Meeting)
class MeetingAdmin(ScopedAdmin):
    list_display = ["date", "village", "topic", "households_present", "households_expected"]
    list_filter = ["village__township"]
    raw_id_fields = ["village", "discussion_point"]

    def save_model(self, request, obj, form, change):
        data = {f: getattr(obj, f) for f in services.MEETING_FIELDS}
        if change:
            services.meeting_update(user=request.user, meeting=obj, **data)
        else:
            obj.pk = services.meeting_create(user=request.user, village=obj.village, **data).pk


@admin.register(Matter)
class MatterAdmin(ScopedAdmin):
    list_display = ["title", "meeting", "category", "status", "is_typical"]
    list_filter = ["status", "category", "is_typical"]
    raw_id_fields = ["meeting"]

    def save_model(self, request, obj, form, change):
        data = {f: getattr(obj, f) for f in services.MATTER_FIELDS}
        if change:
            services.matter_update(user=request.user, matter=obj, **data)
        else:
            obj.pk = services.matter_create(user=request.user, meeting=obj.meeting, **data).pk


@admin.register(FollowUp)
class FollowUpAdmin(ScopedAdmin):
    list_display = ["matter", "date", "implemented"]
    raw_id_fields = ["matter"]

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.pk = services.follow_up_add(user=request.user, matter=obj.matter, date=obj.date, note=obj.note,
                                        implemented=obj.implemented).pk


@admin.register(Inspection)
class InspectionAdmin(ScopedAdmin):
    list_display = ["township", "year", "quarter", "inspected_on", "matters_decided", "matters_implemented"]

    def save_model(self, request, obj, form, change):
        obj.pk = services.inspection_save(
            user=request.user, township=obj.township, year=obj.year, quarter=obj.quarter,
            inspected_on=obj.inspected_on, findings=obj.findings, inspection=obj if change else None,
        ).pk


@admin.register(ModelVillage)
class ModelVillageAdmin(ScopedAdmin):
    list_display = ["year", "village", "reason"]
    raw_id_fields = ["village"]

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.pk = services.model_village_add(user=request.user, village=obj.village, year=obj.year,
                                           reason=obj.reason).pk

    def delete_model(self, request, obj):
        services.model_village_remove(user=request.user, model_village=obj)


@admin.register(Filing)
class FilingAdmin(ReadOnlyAdmin, ScopedAdmin):
    """Filings are compiled, submitted and acknowledged on the portal's pages (the workflow); read-only here."""

    list_display = ["township", "year", "quarter", "status", "submitted_at", "accepted_at"]
    list_filter = ["status", "year", "quarter"]
