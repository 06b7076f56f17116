"""Core's one table: exports built in the background (core/exports.py, core/tasks.py)."""
from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class Export(models.Model):
    """A report workbook or PDF built by the worker for the user who asked. The id is random (it is in the URL),
    the file has a random name under MEDIA_ROOT/exports/, and both are the asker's alone; the file is kept for
    QIANGJI_EXPORT_TTL_HOURS, then swept."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports",
                             verbose_name=_("requested by"))
    report_code = models.CharField(_("report"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    format = models.CharField(_("format"), max_length=8, choices=[("xlsx", "Excel"), ("pdf", "PDF")])
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="exports/", max_length=200, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    created = models.DateTimeField(_("requested at"), default=timezone.now)
    finished = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created"]
        indexes = [models.Index(fields=["expires"], name="core_export_expires_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="core_export_progress_max_100"),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_format_display()})"

    @property
    def is_expired(self) -> bool:
        return self.status == ExportStatus.EXPIRED or timezone.now() >= self.expires

    @property
    def is_pending(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING) and not self.is_expired
