from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdmin, ScopedAdmin

from . import services
from .models import CadrePost, County, Person, PersonalDataView, Region, Township, Village


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    """Cities and provinces: not scoped (their names are no secret); the administrator keeps them."""

    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]


@admin.register(County)
class CountyAdmin(ScopedAdmin):
    list_display = ["code", "name", "region", "printed_authority"]

    @admin.display(description=_("authority on documents"))
    def printed_authority(self, county):
        return county.issuer.authority


@admin.register(Township)
class TownshipAdmin(ScopedAdmin):
    list_display = ["code", "name", "county"]
    search_fields = ["code", "name"]


@admin.register(Village)
class VillageAdmin(ScopedAdmin):
    list_display = ["code", "name", "township"]
    list_filter = ["township"]
    search_fields = ["code", "name"]


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    list_display = ["name", "gender", "birth_date", "village"]
    list_filter = ["village__township", "gender", "education"]
    search_fields = ["name"]
    autocomplete_fields = ["village"]

    def save_model(self, request, obj, form, change):
        data = {f: getattr(obj, f) for f in services.PERSON_FIELDS}
        if change:
            services.person_update(user=request.user, person=obj, **data)
        else:
            obj.pk = services.person_create(user=request.user, **data).pk


@admin.register(CadrePost)
class CadrePostAdmin(ScopedAdmin):
    list_display = ["village", "post", "person", "term_start_year", "term_end_year", "start_date", "end_date"]
    list_filter = ["committee", "post", "village__township", "term_start_year"]
    search_fields = ["person__name", "village__name"]
    autocomplete_fields = ["person", "village"]

    def save_model(self, request, obj, form, change):
        data = {f: getattr(obj, f) for f in services.POST_FIELDS}
        if change:
            services.cadre_post_update(user=request.user, cadre_post=obj, **data)
        else:
            obj.pk = services.cadre_post_create(user=request.user, **data).pk


@admin.register(PersonalDataView)
class PersonalDataViewAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only: the record of who was shown full ID numbers."""

    list_display = ["viewed_at", "user", "person"]
    list_filter = ["user"]
    date_hierarchy = "viewed_at"

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)
