"""The audit trail as users read it: each change to a record with who, when, and every field's old → new value.

django-simple-history stores a full row per change (bulk writes through bulk_create_with_history /
bulk_update_with_history included); this module turns consecutive rows into field-level changes.
Records are looked up through the owning app's HISTORY_SELECTORS, so the trail is scoped like the record.
"""
import datetime as dt
from importlib import import_module

from django.apps import apps
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from .pii import mask_id_number, mask_phone

MASKED_FIELDS = {"id_number": mask_id_number, "phone": mask_phone}


def _selector(app_label: str, model_name: str):
    try:
        config = apps.get_app_config(app_label)
        module = import_module(f"{config.name}.selectors")
    except (LookupError, ModuleNotFoundError):
        raise Http404
    selector = getattr(module, "HISTORY_SELECTORS", {}).get(model_name)
    if selector is None:
        raise Http404
    return selector


def _display(field, value, related_names, user):
    if value is None or value == "":
        return "—"
    if field.name in MASKED_FIELDS:
        # Masked here too: full numbers are shown only through the recorded reveal on the person page.
        return MASKED_FIELDS[field.name](str(value))
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(field, models.ForeignKey):
        return related_names.get((field.name, value), f"#{value}")
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    # Dates as everywhere else in the portal (1976-01-03), not in the language's long form (1976年1月3日).
    if isinstance(value, dt.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def history_get(*, user, app_label: str, model_name: str, pk: int) -> dict:
    obj = _selector(app_label, model_name)(user=user, pk=pk)
    model = type(obj)
    kept = {h.name for h in obj.history.model._meta.fields}
    fields = [f for f in model._meta.concrete_fields if f.name != "id" and f.name in kept]
    records = list(obj.history.all().select_related("history_user").order_by("history_date", "history_id"))

    # Names of referenced rows, one query per foreign key whatever the number of changes.
    related_names = {}
    for field in fields:
        if isinstance(field, models.ForeignKey):
            ids = {getattr(r, field.attname) for r in records} - {None}
            for related in field.related_model._default_manager.filter(pk__in=ids):
                related_names[(field.name, related.pk)] = str(related)

    entries = []
    previous = None
    for record in records:
        changes = []
        for field in fields:
            new = getattr(record, field.attname)
            old = getattr(previous, field.attname) if previous is not None else None
            if previous is None or old != new:
                if previous is None and new in (None, ""):
                    continue
                changes.append({
                    "field": field.verbose_name,
                    "old": _display(field, old, related_names, user) if previous is not None else "",
                    "new": _display(field, new, related_names, user),
                })
        entries.append({
            "date": record.history_date,
            "user": record.history_user,
            "type": {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}[record.history_type],
            "reason": record.history_change_reason,
            "changes": changes,
        })
        previous = record
    entries.reverse()
    return {"object": obj, "model_verbose_name": model._meta.verbose_name, "entries": entries}
