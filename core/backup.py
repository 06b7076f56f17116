"""Backup and restore of the whole portal — the database and the uploaded files — and a fingerprint to check a
restore is exact.

A backup is one tar file: `manifest.json` (format, database kind, and the size and SHA-256 of every other member),
the database (`database.sqlite3`, made with the sqlite3 online-backup API, or `database.dump`, pg_dump's custom
format) and every file under MEDIA_ROOT (`media/…`). It is written to a temporary name and renamed when complete.

Restore checks the whole artefact against its manifest before it touches anything; then
- PostgreSQL: pg_restore in one transaction (--single-transaction --exit-on-error): a dump that breaks half way
  leaves the target as it was;
- SQLite: the backup is copied into a temporary file next to the target, checked (PRAGMA integrity_check, a
  django_migrations table, no migration this code does not know) and only then moved into place (os.replace);
and only after the database is restored are the media files put in place (the previous MEDIA_ROOT, if it held
anything, is kept beside it). A bare database file made by the earlier `backup` (a SQLite file or a pg_dump archive)
is still restored, database only, with the same checks.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.db import connections
from django.utils.translation import gettext as _

FORMAT = "qiangji-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


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


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _dump_database(path: Path, *, using: str) -> None:
    """Write the database `using` (SQLite or PostgreSQL: backup() refuses any other first) to `path`."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        result = subprocess.run(
            [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(path),
             "--dbname", _pg_uri(connection.settings_dict)],
            capture_output=True, text=True,
        )
        if result.returncode:
            raise BackupError(_("pg_dump failed: %(error)s") % {"error": result.stderr.strip()})


def _media_files(media_root: Path) -> list[tuple[str, Path]]:
    """(name in the archive, path on disk) of every regular file under MEDIA_ROOT, sorted."""
    if not media_root.is_dir():
        return []
    files = []
    for path in sorted(media_root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            files.append((MEDIA_PREFIX + path.relative_to(media_root).as_posix(), path))
    return files


def backup(path: Path, *, using: str = "default", media_root: Path | None = None) -> Path:
    """Write one backup artefact (database and uploaded files) to `path`; nothing is left at `path` on failure."""
    path = Path(path)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".qiangji-backup-", dir=path.parent) as work:
        vendor = connections[using].vendor
        database_member = DATABASE_MEMBERS.get(vendor)
        if database_member is None:
            raise BackupError(_("Backups are supported for SQLite and PostgreSQL only."))
        database_file = Path(work) / database_member
        _dump_database(database_file, using=using)
        members = [(database_member, database_file)] + _media_files(media_root)
        manifest = {
            "format": FORMAT, "version": FORMAT_VERSION, "database": vendor, "database_member": database_member,
            "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "files": {name: {"size": p.stat().st_size, "sha256": _sha256(p)} for name, p in members},
        }
        partial = Path(work) / "backup.tar"
        with tarfile.open(partial, "w") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(dt.datetime.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
            for name, p in members:
                tar.add(p, arcname=name, recursive=False)
        with open(partial, "rb") as f:
            os.fsync(f.fileno())
        os.replace(partial, path)
    return path


# Restore ------------------------------------------------------------------------------------------------------------

def _damaged(detail: str) -> BackupError:
    return BackupError(_("The backup file is damaged or incomplete (%(detail)s); nothing was restored.")
                       % {"detail": detail})


def _not_a_backup() -> BackupError:
    return BackupError(_("This file is not a Qiangji backup; nothing was restored."))


def _safe_member_name(name: str) -> bool:
    pure = PurePosixPath(name)
    return not pure.is_absolute() and ".." not in pure.parts and name == pure.as_posix()


def _unpack(path: Path, work: Path) -> tuple[dict, Path, Path]:
    """Extract a backup artefact into `work` and check every member against the manifest.
    Returns (manifest, database file, media directory)."""
    try:
        with tarfile.open(path, "r:") as tar:
            names = tar.getnames()
            if MANIFEST not in names:
                raise _not_a_backup()
            manifest = json.load(tar.extractfile(MANIFEST))
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise _not_a_backup()
            files = manifest.get("files") or {}
            if manifest.get("version") != FORMAT_VERSION or manifest.get("database_member") not in files:
                raise BackupError(_("This backup was made by another version of Qiangji; nothing was restored."))
            unexpected = set(names) - set(files) - {MANIFEST}
            if unexpected or not all(_safe_member_name(n) for n in files):
                raise _damaged(_("unexpected entries"))
            missing = set(files) - set(names)
            if missing:
                raise _damaged(_("%(count)d files missing") % {"count": len(missing)})
            tar.extractall(work / "content", members=[tar.getmember(n) for n in files], filter="data")
    except tarfile.TarError as exc:
        raise _damaged(str(exc)) from exc
    except (ValueError, UnicodeDecodeError) as exc:  # an unreadable manifest
        raise _damaged(_("the manifest cannot be read")) from exc
    except EOFError as exc:
        raise _damaged(_("the file ends too early")) from exc
    content = work / "content"
    for name, expected in files.items():
        extracted = content / name
        if (not extracted.is_file() or extracted.stat().st_size != expected.get("size")
                or _sha256(extracted) != expected.get("sha256")):
            raise _damaged(_("%(name)s does not match its checksum") % {"name": name})
    return manifest, content / manifest["database_member"], content / MEDIA_PREFIX.rstrip("/")


def _kind_of_bare_file(path: Path) -> str | None:
    with open(path, "rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    return None


def _is_empty_sqlite(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return True
    with sqlite3.connect(path) as db:
        empty = not db.execute("select count(*) from sqlite_master where type = 'table'").fetchone()[0]
    db.close()
    return empty


def _known_migrations() -> set[tuple[str, str]]:
    from django.db.migrations.loader import MigrationLoader

    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def _check_sqlite(path: Path) -> None:
    """Refuse a SQLite file that is damaged, is not a Django database, or was made by newer code than this."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = [row[0] for row in db.execute("pragma integrity_check")]
            if result != ["ok"]:
                raise _damaged(_("integrity check: %(result)s") % {"result": "; ".join(result[:3])})
            if not db.execute("select 1 from sqlite_master where type = 'table' and name = 'django_migrations'"
                              ).fetchone():
                raise _not_a_backup()
            applied = set(db.execute("select app, name from django_migrations"))
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        raise _damaged(str(exc)) from exc
    unknown = applied - _known_migrations()
    if unknown:
        raise BackupError(_("The backup holds migrations this version of Qiangji does not have (%(names)s); "
                            "restore it with the version that made it.")
                          % {"names": ", ".join(sorted(f"{a}.{n}" for a, n in unknown)[:5])})


def _restore_sqlite(source: Path, *, settings_dict: dict, force: bool) -> None:
    target_path = Path(settings_dict["NAME"])
    if not force and not _is_empty_sqlite(target_path):
        raise BackupError(_("The target database is not empty; restore refuses to overwrite it without --force."))
    target_path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{target_path.name}.restoring-", dir=target_path.parent)
    os.close(fd)
    temporary = Path(temporary)
    try:
        try:
            src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            dst = sqlite3.connect(temporary)
            try:
                src.backup(dst)
            finally:
                src.close()
                dst.close()
        except sqlite3.DatabaseError as exc:
            raise _damaged(str(exc)) from exc
        _check_sqlite(temporary)
        if target_path.exists():
            # Fold a write-ahead log into the old file first, so no stale log is replayed onto the restored one.
            with sqlite3.connect(target_path) as old:
                old.execute("pragma wal_checkpoint(truncate)")
            old.close()
        os.replace(temporary, target_path)
    finally:
        temporary.unlink(missing_ok=True)


def _restore_postgresql(source: Path, *, settings_dict: dict, force: bool) -> None:
    uri = _pg_uri(settings_dict)
    import psycopg2

    with psycopg2.connect(uri) as db, db.cursor() as cursor:
        cursor.execute("select count(*) from information_schema.tables where table_schema = 'public'")
        tables = cursor.fetchone()[0]
    db.close()
    if tables and not force:
        raise BackupError(_("The target database is not empty; restore refuses to overwrite it without --force."))
    # One transaction: a dump that breaks half way (truncated, corrupted) leaves the target exactly as it was.
    args = [_tool("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
    if force:
        args += ["--clean", "--if-exists"]
    result = subprocess.run(args + ["--dbname", uri, str(source)], capture_output=True, text=True)
    if result.returncode:
        raise BackupError(_("pg_restore failed; the target database is unchanged: %(error)s")
                          % {"error": result.stderr.strip()[-2000:]})


def _restore_database(source: Path, kind: str, *, settings_dict: dict, force: bool) -> None:
    engine = settings_dict["ENGINE"]
    target_kind = "sqlite" if engine.endswith("sqlite3") else "postgresql" if engine.endswith("postgresql") else None
    if target_kind is None:
        raise BackupError(_("Backups are supported for SQLite and PostgreSQL only."))
    if kind != target_kind:
        raise BackupError(_("This backup holds a %(kind)s database and cannot be restored into %(target)s.")
                          % {"kind": kind, "target": target_kind})
    if kind == "sqlite":
        _restore_sqlite(source, settings_dict=settings_dict, force=force)
    else:
        _restore_postgresql(source, settings_dict=settings_dict, force=force)


def _put_media_in_place(media: Path, media_root: Path) -> Path | None:
    """Move the restored files to MEDIA_ROOT; a MEDIA_ROOT that held files is kept beside it (returned)."""
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".{media_root.name}.restoring-", dir=media_root.parent))
    if media.is_dir():
        shutil.copytree(media, staged, dirs_exist_ok=True)
    kept = None
    if media_root.exists():
        if any(media_root.iterdir()):
            kept = media_root.with_name(f"{media_root.name}.before-restore-{dt.datetime.now():%Y%m%d-%H%M%S}")
            media_root.rename(kept)
        else:
            media_root.rmdir()
    staged.rename(media_root)
    return kept


def restore(path: Path, *, settings_dict: dict, force: bool = False, media_root: Path | None = None) -> Path | None:
    """Restore `path` into the database described by `settings_dict` (Django DATABASES form), then its files into
    MEDIA_ROOT. Returns where the previous uploaded files were kept, if there were any."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("No backup file at %(path)s.") % {"path": path})
    media_root = Path(media_root or settings.MEDIA_ROOT)
    bare_kind = _kind_of_bare_file(path)
    if bare_kind:  # a database file from before backups held the uploaded files
        _restore_database(path, bare_kind, settings_dict=settings_dict, force=force)
        return None
    if not tarfile.is_tarfile(path):
        raise _not_a_backup()
    work_parent = Path(settings_dict["NAME"]).parent if settings_dict["ENGINE"].endswith("sqlite3") else None
    with tempfile.TemporaryDirectory(prefix=".qiangji-restore-", dir=work_parent) as work:
        manifest, database_file, media = _unpack(path, Path(work))
        _restore_database(database_file, manifest.get("database"), settings_dict=settings_dict, force=force)
        return _put_media_in_place(media, media_root)


def media_fingerprint(media_root: Path) -> dict[str, str]:
    """{relative path: sha256} of every file under MEDIA_ROOT."""
    return {name[len(MEDIA_PREFIX):]: _sha256(p) for name, p in _media_files(Path(media_root))}


def fingerprint(settings_dict: dict) -> dict[str, tuple[int, str]]:
    """Each table's row count and a SHA-256 over its rows (sorted, so the order the database returns does not
    matter)."""
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
