"""The load script's database steps; run by bin/load-test with DATABASE_URL and config.settings.load.

    python loadtest/db.py reset          drop and recreate the load database (PostgreSQL) or delete its file (SQLite)
    python loadtest/db.py analyze        vacuum and refresh the planner's statistics after the bulk seed,
                                         as autovacuum would
    python loadtest/db.py plan           print the month the simulated clerks enter (the demo's open month)
    python loadtest/db.py verify FILE    check every save the load run recorded against the database and its audit trail

`reset` refuses a database whose name does not contain "load", so a DATABASE_URL left pointing at real data
cannot be dropped by mistake.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _database() -> dict:
    import environ

    return environ.Env.db_url_config(os.environ["DATABASE_URL"])


def reset() -> None:
    db = _database()
    name = str(db["NAME"])
    if "load" not in Path(name).name:
        sys.exit(f"load-test: refusing to drop {name!r}: the load database's name must contain 'load'.")
    if db["ENGINE"] == "django.db.backends.sqlite3":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(name + suffix).unlink(missing_ok=True)
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        print(f"load-test: fresh SQLite file {name}")
        return
    if db["ENGINE"] != "django.db.backends.postgresql":
        sys.exit(f"load-test: unsupported database engine {db['ENGINE']}")
    import psycopg2
    from psycopg2 import sql

    conn = psycopg2.connect(dbname="postgres", user=db.get("USER") or None, password=db.get("PASSWORD") or None,
                            host=db.get("HOST") or None, port=db.get("PORT") or None)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()
    print(f"load-test: fresh PostgreSQL database {name} on {db.get('HOST')}:{db.get('PORT')}")


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.load")
    import django

    django.setup()


def analyze() -> None:
    """A production database is vacuumed and has planner statistics (autovacuum keeps both); a freshly
    bulk-loaded one has neither: PostgreSQL plans the grid's subqueries as if the tables were empty, and
    autovacuum would set about the new tables in the middle of the run."""
    _django()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def plan() -> None:
    """The latest month still in draft for every village: what the township clerks are entering now."""
    _django()
    from core.workflow import ReviewStatus
    from members.models import MonthlyReview

    review = MonthlyReview.objects.filter(status=ReviewStatus.DRAFT).order_by("-year", "-month").first()
    if review is None:
        sys.exit("load-test: the demo county has no month in draft")
    print(f"{review.year:04d}-{review.month:02d}")


def verify(path: str) -> None:
    """Every accepted save's unique 优 reason must be stored for its member in its village-month, and its audit
    trail entry must name the clerk's account; no refused save may have written its reason. Prints the counts;
    exits 1 when a save is lost, missing from the audit trail, or a refused one was written."""
    _django()
    from members.choices import Rating
    from members.models import MonthlyResult

    accepted, refused = [], []
    file = Path(path)
    if file.exists():
        for line in file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                (accepted if record["outcome"] == "accepted" else refused).append(record)
    marked = {"excellent_reason__startswith": "压测-"}
    stored = set(MonthlyResult.objects.filter(rating=Rating.EXCELLENT, **marked).values_list(
        "excellent_reason", "member_id", "review__village__code", "review__year", "review__month"))
    audited = set(MonthlyResult.history.filter(rating=Rating.EXCELLENT, **marked).values_list(
        "excellent_reason", "history_user__username"))
    stored_reasons = {s[0] for s in stored}

    def key(r):
        year, month = map(int, r["month"].split("-"))
        return (r["reason"], r["member"], r["village"], year, month)

    lost = [r for r in accepted if key(r) not in stored]
    unaudited = [r for r in accepted if (r["reason"], r["user"]) not in audited]
    written_anyway = [r for r in refused if r["reason"] in stored_reasons]
    print(f"saves accepted by the server:      {len(accepted)}")
    print(f"saves refused (stale), reloaded:   {len(refused)}")
    print(f"load-test reasons in the database: {len(stored)}")
    for label, records in (("LOST", lost), ("NOT IN THE AUDIT TRAIL", unaudited),
                           ("REFUSED BUT WRITTEN", written_anyway)):
        for r in records[:20]:
            print(f"  {label}: {r['village']} {r['month']} member {r['member']} {r['reason']}")
    print(f"lost saves: {len(lost)}")
    if unaudited:
        print(f"saves missing from the audit trail: {len(unaudited)}")
    if written_anyway:
        print(f"refused saves written anyway: {len(written_anyway)}")
    sys.exit(1 if lost or unaudited or written_anyway else 0)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "reset":
        reset()
    elif command == "analyze":
        analyze()
    elif command == "plan":
        plan()
    elif command == "verify" and len(sys.argv) == 3:
        verify(sys.argv[2])
    else:
        sys.exit(__doc__)
