"""Back up the demo county, restore it into an empty database, and compare every table exactly."""
import subprocess
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from core.backup import fingerprint


@pytest.fixture
def empty_target(tmp_path):
    """Settings of an empty database of the same kind as the test database (dropped afterwards)."""
    if connection.vendor == "sqlite":
        yield {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "restored.sqlite3")}
        return
    name = f"qiangji_restore_{uuid.uuid4().hex[:8]}"
    source = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute(f'create database "{name}"')
    target = {**source, "NAME": name}
    yield target
    with connection.cursor() as cursor:
        cursor.execute(f'drop database if exists "{name}" with (force)')


def _url(settings_dict):
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    from core.backup import _pg_uri

    return _pg_uri(settings_dict).replace("postgresql://", "postgres://", 1)


def check_backup_restores_exactly(tmp_path, empty_target):
    """Back up the (already seeded) demo county, restore it into an empty database, compare every table.
    Called from the seed_demo test so the county is seeded once."""
    source = fingerprint(connection.settings_dict if connection.vendor != "sqlite" else _sqlite_snapshot(tmp_path))
    path = tmp_path / ("backup.sqlite3" if connection.vendor == "sqlite" else "backup.dump")
    call_command("backup", str(path))
    assert path.stat().st_size > 100_000

    call_command("restore", str(path), "--target-url", _url(empty_target))
    restored = fingerprint(empty_target)
    assert set(restored) == set(source)
    assert restored == source
    assert source["villages_village"][0] == 85

    # Restoring over a database that is not empty is refused without --force.
    with pytest.raises(CommandError, match="不是空的"):
        call_command("restore", str(path), "--target-url", _url(empty_target))


def _sqlite_snapshot(tmp_path):
    """Fingerprint the in-memory test database through a snapshot made independently of the backup command."""
    import sqlite3

    snap = tmp_path / "snapshot.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(snap) as target:
        connection.connection.backup(target)
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(snap)}


def test_restore_of_a_missing_file_says_so(tmp_path):
    with pytest.raises(CommandError, match="没有备份文件"):
        call_command("restore", str(tmp_path / "nope.dump"), "--target-url", f"sqlite:///{tmp_path / 'x.sqlite3'}")
