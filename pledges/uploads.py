"""Archive uploads: a PDF or an image, recognised by its content (not its name), within the archive's size limit."""
from django.conf import settings

from core.uploads import check_upload as core_check_upload

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def max_upload_bytes() -> int:
    return getattr(settings, "PLEDGES_ARCHIVE_MAX_BYTES", MAX_UPLOAD_BYTES)


def check_upload(uploaded_file) -> str:
    return core_check_upload(uploaded_file, field="uploaded_file", max_bytes=max_upload_bytes())
