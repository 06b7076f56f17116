"""What is in the database, table by table: to show that a failed or refused write left it exactly as it was."""
import hashlib

from django.apps import apps

# Sessions change with every login and carry no record a user keeps.
IGNORED = {"sessions.session"}


def snapshot() -> dict[str, tuple[int, str]]:
    """{app_label.model: (row count, sha256 of every row in primary-key order)} for every table, history included."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in IGNORED or model._meta.proxy or not model._meta.managed:
            continue
        rows = list(model._base_manager.order_by("pk").values_list())
        state[label] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return state


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before.keys() | after.keys() if before.get(label) != after.get(label))
