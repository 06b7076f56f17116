"""Uploaded files: checked by content (not by name), size-limited, stored under random names in MEDIA_ROOT.

Apps serve them only through views that look the owning record up with a scoped selector.
"""
from __future__ import annotations

import uuid
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF_AND_IMAGES = frozenset({"application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp", "image/tiff",
                            "image/bmp"})


def default_max_bytes() -> int:
    return getattr(settings, "QIANGJI_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)


def check_upload(uploaded_file, *, field: str = "uploaded_file", max_bytes: int | None = None,
                 allowed: frozenset[str] = PDF_AND_IMAGES) -> str:
    """The file's real type from its first bytes; a ValidationError on `field` when empty, too large or not allowed."""
    if uploaded_file is None:
        raise ValidationError({field: _("Choose a file to upload.")})
    limit = max_bytes or default_max_bytes()
    if uploaded_file.size > limit:
        raise ValidationError({field: _("The file is %(size)s; uploads here may be at most %(limit)s.") % {
            "size": filesizeformat(uploaded_file.size), "limit": filesizeformat(limit)}})
    if uploaded_file.size == 0:
        raise ValidationError({field: _("The file is empty.")})
    kind = _detected_kind(uploaded_file)
    if kind is None or kind.mime not in allowed:
        raise ValidationError({field: _(
            "Only PDF files and images (JPEG, PNG, GIF, WebP, TIFF, BMP) can be uploaded here; "
            "this file is not one, whatever its name says."
        )})
    return kind.mime


def _detected_kind(file):
    """filetype's guess from the first bytes of `file` (a File or an uploaded file), its position left at 0."""
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    return filetype.guess(head)


# The suffixes a stored name may carry: those of the types check_upload lets through, as filetype names them.
_STORED_SUFFIXES = frozenset(f".{k.extension}" for k in filetype.types if k.mime in PDF_AND_IMAGES)


def random_upload_path(prefix: str, filename: str) -> str:
    """A random stored name under `prefix`: the original name is kept in the row, never in the path.

    The suffix is the one save_keeping_no_orphan() put there from the detected type (a PDF sent as `x.html` is stored
    as `.pdf`); any other suffix is dropped, so a client's name never decides how the stored file is served."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"{prefix.rstrip('/')}/{uuid.uuid4().hex}{suffix if suffix in _STORED_SUFFIXES else ''}"


def save_keeping_no_orphan(obj, field: str) -> None:
    """obj.save(), which stores a newly assigned upload in `field` under a name whose suffix follows its detected
    type; if the save fails after storing it (a history
    record, a signal), delete the stored file too: the rows roll back with the transaction, a file would not."""
    fieldfile = getattr(obj, field)
    new_upload = bool(fieldfile) and not fieldfile._committed
    if new_upload:
        # The name upload_to sees: its suffix from the content, not from the client (random_upload_path).
        kind = _detected_kind(fieldfile.file)
        fieldfile.name = f"upload.{kind.extension}" if kind else "upload"
    try:
        obj.save()
    except BaseException:
        stored = getattr(obj, field)
        if new_upload and stored and stored._committed:
            stored.storage.delete(stored.name)
        raise
