"""Logging filters: resident ID numbers and mobile numbers masked in every log record (and in every event sent to
Sentry), and each record marked with its request's id (django-guid)."""
import logging
import re

from django_guid.log_filters import CorrelationId

from .pii import mask_id_number, mask_phone

ID_PATTERN = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")
PHONE_PATTERN = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def mask_personal_data(text: str) -> str:
    text = ID_PATTERN.sub(lambda m: mask_id_number(m.group(0)), text)
    return PHONE_PATTERN.sub(lambda m: mask_phone(m.group(0)), text)


class MaskPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler
            return True
        record.msg, record.args = mask_personal_data(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        return True


class RequestIdFilter(CorrelationId):
    """django-guid's request id on every record as `request_id` ("-" outside a request: commands, start-up)."""

    def __init__(self) -> None:
        super().__init__(correlation_id_field="request_id")

    def filter(self, record: logging.LogRecord) -> bool:
        super().filter(record)
        record.request_id = record.request_id or "-"
        return True


def _mask_all(value):
    if isinstance(value, str):
        return mask_personal_data(value)
    if isinstance(value, dict):
        return {k: _mask_all(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_mask_all(v) for v in value)
    return value


def sentry_before_send(event: dict, hint: dict) -> dict:
    """Sentry's last look at an event: ID and mobile numbers masked in every string of it (messages, exception
    values, breadcrumbs), as in the logs."""
    return _mask_all(event)
