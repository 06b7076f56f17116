from django.contrib import admin

from core.admin import ScopedAdmin

from .models import PartyMember


@admin.register(PartyMember)
class PartyMemberAdmin(ScopedAdmin):
    list_display = ["person", "village", "joined_date", "kind", "status"]
    list_filter = ["status", "kind", "village__township"]
    search_fields = ["person__name"]
    autocomplete_fields = ["person", "village"]

    def save_model(self, request, obj, form, change):
        from . import services

        data = {f: getattr(obj, f) for f in services.MEMBER_FIELDS}
        if change:
            services.party_member_update(user=request.user, member=obj, **data)
        else:
            obj.pk = services.party_member_create(user=request.user, **data).pk
