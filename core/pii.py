"""Masking of personal data (resident ID and phone numbers) for pages, lists, history and logs.

Core's own: the audit trail, the log filter and the template tags mask with these. Validating an ID number
(GB 11643) belongs to villages (villages/idnumbers.py)."""


def mask_id_number(value: str) -> str:
    value = value or ""
    if len(value) < 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    value = value or ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
