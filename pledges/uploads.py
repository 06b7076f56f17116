"""Archive uploads: a PDF or an image, recognised by its content (not its name), within a size limit."""
import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ALLOWED_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp", "image/tiff", "image/bmp"}
MAX_UPLOAD_BYTES = getattr(settings, "PLEDGES_ARCHIVE_MAX_BYTES", 10 * 1024 * 1024)


def max_upload_bytes() -> int:
    return getattr(settings, "PLEDGES_ARCHIVE_MAX_BYTES", MAX_UPLOAD_BYTES)


def check_upload(uploaded_file) -> str:
    """The file's real type (from its first bytes); ValidationError when too large or not a PDF or image."""
    if uploaded_file is None:
        raise ValidationError({"uploaded_file": _("Choose a file to upload.")})
    limit = max_upload_bytes()
    if uploaded_file.size > limit:
        raise ValidationError({"uploaded_file": _(
            "The file is %(size)s; files in the archive may be at most %(limit)s."
        ) % {"size": filesizeformat(uploaded_file.size), "limit": filesizeformat(limit)}})
    if uploaded_file.size == 0:
        raise ValidationError({"uploaded_file": _("The file is empty.")})
    uploaded_file.seek(0)
    head = uploaded_file.read(8192)
    uploaded_file.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError({"uploaded_file": _(
            "Only PDF files and images (JPEG, PNG, GIF, WebP, TIFF, BMP) can be added to the archive; "
            "this file is not one, whatever its name says."
        )})
    return kind.mime
