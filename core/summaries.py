"""Summary tables: figures that are kept, not recomputed (issue 13).

Each initiative owns its summary tables and keeps them in step in its own services, in the same transaction as the
write that changes their inputs: it recomputes the touched rows from the raw rows (refresh). The portal's reports
read the summaries, so a county page costs the same whatever the number of member-months behind it.

An app describes each table once as a Summary (the summary model, its key columns and a function returning the
"fresh aggregate": a values() queryset over the raw rows whose names are the summary model's columns) and registers
it in its AppConfig.ready(). From that description this module derives, for every table:
- rebuild: DELETE + one INSERT … SELECT of the fresh aggregate;
- refresh(**filters): the same for the rows matching the filters (one village-month, one village-quarter …);
- check: the stored rows against the fresh aggregate, naming every key that differs.
`manage.py rebuild_summaries [--check]` runs them all. core imports no app: apps register themselves.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from django.db import connections, router, transaction
from django.db.models import Model, Q, QuerySet


@dataclass(frozen=True)
class Summary:
    name: str                                   # e.g. "members.villagemonth"
    model: type[Model]                          # the summary table
    key: tuple[str, ...]                        # columns identifying a row, e.g. ("review_id",)
    source: Callable[[], QuerySet]              # fresh aggregate: values(*columns) over the raw rows
    columns: tuple[str, ...]                    # every column, in the source's order (key columns included)
    label_columns: tuple[str, ...] = ()         # how --check names a row (default: the key)

    def fresh(self, q: Q | None = None) -> QuerySet:
        qs = self.source()
        return qs.filter(q) if q is not None else qs

    def stored(self, q: Q | None = None) -> QuerySet:
        qs = self.model._default_manager.all()
        return qs.filter(q) if q is not None else qs


_REGISTRY: dict[str, Summary] = {}


def register(summary: Summary) -> Summary:
    if summary.columns[:len(summary.key)] != summary.key:
        raise ValueError(f"{summary.name}: the key columns come first")
    _REGISTRY[summary.name] = summary
    return summary


def registered() -> list[Summary]:
    return list(_REGISTRY.values())


def _insert_select(summary: Summary, source: QuerySet) -> None:
    """INSERT INTO <summary> (<columns>) SELECT … — the fresh aggregate written in one statement."""
    using = router.db_for_write(summary.model)
    sql, params = source.values_list(*summary.columns).query.get_compiler(using=using).as_sql()
    connection = connections[using]
    qn = connection.ops.quote_name
    table = qn(summary.model._meta.db_table)
    columns = ", ".join(qn(summary.model._meta.get_field(c).column) for c in summary.columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)


@transaction.atomic
def refresh(summary: Summary, *, source_q: Q, stored_q: Q) -> None:
    """Recompute the rows selected by the filters (source_q on the raw rows, stored_q on the summary) from the raw
    rows: one DELETE and one INSERT … SELECT, inside the caller's transaction."""
    summary.stored(stored_q)._raw_delete(router.db_for_write(summary.model))
    _insert_select(summary, summary.fresh(source_q))


@transaction.atomic
def rebuild(summary: Summary) -> None:
    summary.stored()._raw_delete(router.db_for_write(summary.model))
    _insert_select(summary, summary.fresh())


def rebuild_all() -> None:
    for summary in registered():
        rebuild(summary)


def differences(summary: Summary) -> list[str]:
    """Every key whose stored row differs from the fresh aggregate (missing, extra or other figures), described."""
    width = len(summary.key)
    names = summary.label_columns or summary.key
    where = [summary.columns.index(n) for n in names]
    fresh = {row[:width]: row for row in summary.fresh().values_list(*summary.columns).iterator(chunk_size=5000)}
    stored = {row[:width]: row for row in summary.stored().values_list(*summary.columns).iterator(chunk_size=5000)}
    out = []
    for key in sorted(set(fresh) | set(stored), key=lambda k: tuple(str(v) for v in k)):
        a, b = stored.get(key), fresh.get(key)
        if a == b:
            continue
        row = a or b
        label = ", ".join(f"{name}={row[i]}" for name, i in zip(names, where))
        if a is None:
            out.append(f"{summary.name} [{label}]: missing")
        elif b is None:
            out.append(f"{summary.name} [{label}]: stored but has no raw rows")
        else:
            changed = [f"{name} {x!r} ≠ {y!r}" for name, x, y in zip(summary.columns, a, b) if x != y]
            out.append(f"{summary.name} [{label}]: " + "; ".join(changed))
    return out


def check_all() -> list[str]:
    out = []
    for summary in registered():
        out.extend(differences(summary))
    return out
