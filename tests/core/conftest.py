"""Fixtures shared by the core tests (the backup tests and the seed test both restore into an empty database)."""
import uuid

import pytest
from django.db import connection


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
