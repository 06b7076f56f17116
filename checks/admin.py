from django.contrib import admin

from core.admin import ReadOnlyAdmin, ScopedAdmin

from .models import ReopenRequest, SpotCheck


class ChecksAdmin(ReadOnlyAdmin, ScopedAdmin):
    """Read only: a draw, its findings and a request to reopen are written through checks/services.py (the seed,
    the return through the period's own service), never edited past them."""


@admin.register(SpotCheck)
class SpotCheckAdmin(ChecksAdmin):
    list_display = ("year", "quarter", "seed", "per_township", "flagged_weight", "drawn_by", "drawn_at")
    list_filter = ("year", "quarter")


@admin.register(ReopenRequest)
class ReopenRequestAdmin(ChecksAdmin):
    list_display = ("period_label", "kind", "township", "status", "requested_by", "requested_at", "decided_by")
    list_filter = ("status", "kind")
    search_fields = ("period_label", "reason")
