"""Backups hold the database and the uploaded files; a restore brings both back exactly, and a damaged backup
(truncated, corrupted, not a backup at all) changes neither the target database nor its files."""
import sqlite3
import tarfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from core.backup import DATABASE_MEMBERS, _dump_database, fingerprint, media_fingerprint
from core.periods import Month
from members import services as member_services
from members.services import MeetingEntry
from pledges import services as pledge_services
from tests.members.factories import members_for, rule_set_with_rules
from tests.pledges.factories import PDF_BYTES, PNG_BYTES


def _url(settings_dict):
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    from core.backup import _pg_uri

    return _pg_uri(settings_dict).replace("postgresql://", "postgres://", 1)


def _source_fingerprint(tmp_path):
    return fingerprint(connection.settings_dict if connection.vendor != "sqlite" else _sqlite_snapshot(tmp_path))


def check_backup_restores_exactly(tmp_path, empty_target):
    """Back up the (already seeded) demo county, restore it into an empty database, compare every table.
    Called from the seed_demo test so the county is seeded once."""
    from django.conf import settings

    source = _source_fingerprint(tmp_path)
    source_media = media_fingerprint(settings.MEDIA_ROOT)
    path = tmp_path / "backup.tar"
    call_command("backup", str(path))
    assert path.stat().st_size > 100_000

    with override_settings(MEDIA_ROOT=tmp_path / "restored-media"):
        call_command("restore", str(path), "--target-url", _url(empty_target))
    restored = fingerprint(empty_target)
    assert set(restored) == set(source)
    assert restored == source
    assert source["villages_village"][0] == 85
    assert media_fingerprint(tmp_path / "restored-media") == source_media

    # Restoring over a database that is not empty is refused without --force.
    with pytest.raises(CommandError, match="不是空的"):
        call_command("restore", str(path), "--target-url", _url(empty_target))


def _sqlite_snapshot(tmp_path):
    """Fingerprint the in-memory test database through a snapshot made independently of the backup command."""
    snap = tmp_path / "snapshot.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(snap) as target:
        connection.connection.backup(target)
    target.close()
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(snap)}


def test_restore_of_a_missing_file_says_so(tmp_path):
    with pytest.raises(CommandError, match="没有备份文件"):
        call_command("restore", str(tmp_path / "nope.dump"), "--target-url", f"sqlite:///{tmp_path / 'x.sqlite3'}")


@pytest.fixture
def uploads(world):
    """A cadre's archive entry and a month's minutes file, stored in MEDIA_ROOT (committed: pg_dump reads them)."""
    pledge_services.archive_entry_add(user=world.users["township_a"], person=world.person_a, category="training",
                                      title="培训证书", uploaded_file=SimpleUploadedFile("证书.pdf", PDF_BYTES))
    rule_set_with_rules(world.village_a)
    members_for(world.village_a, 2)
    member_services.monthly_grid_save(
        user=world.users["township_a"], village=world.village_a, month=Month(2026, 5), expected_version=0,
        entries=[], meeting=MeetingEntry(meeting_date=None, attendance=None, minutes="",
                                         minutes_file=SimpleUploadedFile("会议.png", PNG_BYTES), posted_date=None))
    return world


@pytest.mark.django_db(transaction=True)
def test_round_trip_brings_back_every_table_and_every_uploaded_file(uploads, tmp_path, empty_target, settings):
    source = _source_fingerprint(tmp_path)
    source_media = media_fingerprint(settings.MEDIA_ROOT)
    assert {p.split("/")[0] + "/" + p.split("/")[1] for p in source_media} >= {"pledges/archive", "members/minutes"}
    path = tmp_path / "backup.tar"
    call_command("backup", str(path))
    with tarfile.open(path) as tar:
        assert tar.getnames()[0] == "manifest.json"

    restored_media = tmp_path / "restored-media"
    with override_settings(MEDIA_ROOT=restored_media):
        call_command("restore", str(path), "--target-url", _url(empty_target))
    assert fingerprint(empty_target) == source
    assert source["pledges_archiveentry"][0] == 1
    assert media_fingerprint(restored_media) == source_media


# Damaged backups ----------------------------------------------------------------------------------------------------

def _truncated(good, bad, cut=None):
    data = good.read_bytes()
    bad.write_bytes(data[: len(data) - (cut or len(data) // 2)])


def _corrupted(good, bad):
    """64 bytes flipped in the middle of the database member's data (the middle of the whole file can fall in the
    zero padding between tar members, which no reader needs, as it did once the cache table made the dump longer)."""
    import tarfile

    with tarfile.open(good) as tar:
        member = max(tar.getmembers(), key=lambda m: m.size)
    data = bytearray(good.read_bytes())
    middle = member.offset_data + member.size // 2
    for i in range(middle, middle + min(64, member.size // 2)):
        data[i] ^= 0xFF
    bad.write_bytes(bytes(data))


def _not_a_backup(good, bad):
    bad.write_bytes("区,镇,村\n甲镇,甲一村,3\n".encode() * 200)


DAMAGE = {"truncated": _truncated, "corrupted": _corrupted, "not a backup": _not_a_backup}


@pytest.fixture
def restored_target(uploads, tmp_path, empty_target):
    """A target database and MEDIA_ROOT holding a good restore of the test world; and the good backup."""
    good = tmp_path / "good.tar"
    call_command("backup", str(good))
    media = tmp_path / "target-media"
    with override_settings(MEDIA_ROOT=media):
        call_command("restore", str(good), "--target-url", _url(empty_target))
    assert fingerprint(empty_target)["villages_village"][0] == 3
    return good, empty_target, media


def _refused_and_unchanged(bad, target, media, match):
    before, media_before = fingerprint(target), media_fingerprint(media)
    with override_settings(MEDIA_ROOT=media), pytest.raises(CommandError, match=match):
        call_command("restore", str(bad), "--target-url", _url(target), "--force")
    assert fingerprint(target) == before
    assert media_fingerprint(media) == media_before and media_before
    assert not list(media.parent.glob("target-media.before-restore-*"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_backup_leaves_the_target_database_and_files_as_they_were(restored_target, tmp_path, damage):
    good, target, media = restored_target
    bad = tmp_path / "bad.tar"
    DAMAGE[damage](good, bad)
    match = "不是强基的备份" if damage == "not a backup" else "备份文件已损坏或不完整"
    _refused_and_unchanged(bad, target, media, match)


@pytest.mark.django_db(transaction=True)
def test_a_truncated_bare_database_file_is_restored_in_one_piece_or_not_at_all(restored_target, tmp_path):
    """A database file made by the earlier `backup` (no manifest): the database's own checks refuse it —
    pg_restore in one transaction, SQLite's integrity check before the file is moved into place."""
    _good, target, media = restored_target
    dump = tmp_path / DATABASE_MEMBERS[connection.vendor]
    _dump_database(dump, using="default")
    bad = tmp_path / ("bad-" + dump.name)
    # Cut near the end, as a copy interrupted late would be: the table of contents is whole (a PostgreSQL
    # archive's is at its start and most of its size), the data of the last tables is missing. More than a SQLite
    # page (4 KiB): the last ones are the empty cache table's, whose cut tail held nothing to lose.
    _truncated(dump, bad, cut=7000)
    _refused_and_unchanged(bad, target, media, "备份文件已损坏或不完整|pg_restore 失败")


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_leaves_an_empty_target_empty(uploads, tmp_path, empty_target):
    good, bad = tmp_path / "good.tar", tmp_path / "bad.tar"
    call_command("backup", str(good))
    _corrupted(good, bad)
    before = fingerprint(empty_target) if connection.vendor != "sqlite" else {}
    with override_settings(MEDIA_ROOT=tmp_path / "media"), pytest.raises(CommandError, match="已损坏"):
        call_command("restore", str(bad), "--target-url", _url(empty_target))
    after = fingerprint(empty_target) if connection.vendor != "sqlite" else {}
    assert after == before == {}
    if connection.vendor == "sqlite":
        from pathlib import Path

        target = Path(empty_target["NAME"])
        assert not target.exists() or not (
            sqlite3.connect(target).execute("select count(*) from sqlite_master").fetchone()[0])
    assert not (tmp_path / "media").exists()
