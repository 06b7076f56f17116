"""Backup and restore of the whole database, and a fingerprint to check a restore is exact.

SQLite: the sqlite3 online-backup API copies a consistent snapshot into a single file.
PostgreSQL: pg_dump's custom format, restored with pg_restore (the client tools must match the server's major version).
"""
from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import quote

from django.db import connections
from django.utils.translation import gettext as _


class BackupError(Exception):
    pass


def _pg_uri(settings_dict: dict) -> str:
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "localhost"
    port = settings_dict.get("PORT") or "5432"
    return f"postgresql://{auth}{host}:{port}/{quote(settings_dict['NAME'], safe='')}"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(_("%(tool)s is not installed (Debian: postgresql-client).") % {"tool": name})
    return path


def backup(path: Path, *, using: str = "default") -> Path:
    connection = connections[using]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
        target.close()
    elif connection.vendor == "postgresql":
        result = subprocess.run(
            [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(path),
             "--dbname", _pg_uri(connection.settings_dict)],
            capture_output=True, text=True,
        )
        if result.returncode:
            raise BackupError(_("pg_dump failed: %(error)s") % {"error": result.stderr.strip()})
    else:
        raise BackupError(_("Backups are supported for SQLite and PostgreSQL only."))
    return path


def _is_empty_sqlite(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return True
    with sqlite3.connect(path) as db:
        return not db.execute("select count(*) from sqlite_master where type = 'table'").fetchone()[0]


def restore(path: Path, *, settings_dict: dict, force: bool = False) -> None:
    """Restore `path` into the database described by `settings_dict` (Django DATABASES form)."""
    path = Path(path)
    if not path.exists():
        raise BackupError(_("No backup file at %(path)s.") % {"path": path})
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        target_path = Path(settings_dict["NAME"])
        if not force and not _is_empty_sqlite(target_path):
            raise BackupError(_("The target database is not empty; restore refuses to overwrite it without --force."))
        with sqlite3.connect(path) as source, sqlite3.connect(target_path) as target:
            source.backup(target)
    elif engine.endswith("postgresql"):
        uri = _pg_uri(settings_dict)
        import psycopg2

        with psycopg2.connect(uri) as db, db.cursor() as cursor:
            cursor.execute("select count(*) from information_schema.tables where table_schema = 'public'")
            tables = cursor.fetchone()[0]
        db.close()
        if tables and not force:
            raise BackupError(_("The target database is not empty; restore refuses to overwrite it without --force."))
        args = [_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--dbname", uri]
        if force:
            args[1:1] = ["--clean", "--if-exists"]
        result = subprocess.run(args + [str(path)], capture_output=True, text=True)
        if result.returncode:
            raise BackupError(_("pg_restore failed: %(error)s") % {"error": result.stderr.strip()})
    else:
        raise BackupError(_("Backups are supported for SQLite and PostgreSQL only."))


def fingerprint(settings_dict: dict) -> dict[str, tuple[int, str]]:
    """Each table's row count and a SHA-256 over its rows (sorted, so the order the database returns does not matter)."""
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        db = sqlite3.connect(settings_dict["NAME"])
        tables = [r[0] for r in db.execute(
            "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")]
        quote_name = lambda n: f'"{n}"'  # noqa: E731
    else:
        import psycopg2

        db = psycopg2.connect(_pg_uri(settings_dict))
        with db.cursor() as cursor:
            cursor.execute("select table_name from information_schema.tables where table_schema = 'public' "
                           "and table_type = 'BASE TABLE' order by table_name")
            tables = [r[0] for r in cursor.fetchall()]
        quote_name = lambda n: f'"{n}"'  # noqa: E731
    result = {}
    try:
        for table in tables:
            cursor = db.cursor()
            cursor.execute(f"select * from {quote_name(table)}")
            # Sorted in Python: a history table's first column (the record's id) repeats, so "order by 1"
            # would leave the order of its rows to the database.
            rows = sorted(repr(row) for row in cursor.fetchall())
            cursor.close()
            digest = hashlib.sha256()
            for row in rows:
                digest.update(row.encode())
            result[table] = (len(rows), digest.hexdigest())
    finally:
        db.close()
    return result
