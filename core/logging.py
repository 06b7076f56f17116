"""Logging filter that masks resident ID numbers and mobile numbers in every log record."""
import logging
import re

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
