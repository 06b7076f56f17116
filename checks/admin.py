from django.contrib import admin

from core.admin import ScopedAdmin

from .models import ReopenRequest, SpotCheck


class ReadOnlyAdmin(ScopedAdmin):
    """Read only: a draw, its findings and a request to reopen are written through checks/services.py (the seed,
    the return through the period's own service), never edited past them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SpotCheck)
class SpotCheckAdmin(ReadOnlyAdmin):
    list_display = ("year", "quarter", "seed", "per_township", "flagged_weight", "drawn_by", "drawn_at")
    list_filter = ("year", "quarter")


@admin.register(ReopenRequest)
class ReopenRequestAdmin(ReadOnlyAdmin):
    list_display = ("period_label", "kind", "township", "status", "requested_by", "requested_at", "decided_by")
    list_filter = ("status", "kind")
    search_fields = ("period_label", "reason")
