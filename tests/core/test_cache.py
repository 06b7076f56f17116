"""The shared cache (core/cache.py): django-ratelimit's counts last as long as their window and none is lost when
requests come at once."""
import datetime as dt
import threading

import pytest
from django.core.cache import cache
from django.core.cache.backends import db as db_cache
from django.db import connection, connections
from django.utils import timezone


@pytest.fixture(autouse=True)
def _clear_cache(db):
    cache.clear()
    yield
    cache.clear()


def test_an_increment_keeps_the_expiry_the_count_was_added_with(monkeypatch):
    assert cache.add("objections", 1, 3600)
    assert cache.incr("objections") == 2 and cache.incr("objections") == 3
    later = timezone.now()
    monkeypatch.setattr(db_cache, "tz_now", lambda: later + dt.timedelta(minutes=10))
    assert cache.get("objections") == 3  # Django's own incr() would have left it five minutes to live
    monkeypatch.setattr(db_cache, "tz_now", lambda: later + dt.timedelta(minutes=61))
    assert cache.get("objections") is None


def test_a_missing_count_is_not_incremented():
    with pytest.raises(ValueError):
        cache.incr("never-added")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's in-memory test database has one writer")
def test_increments_at_the_same_moment_each_count():
    cache.add("burst", 0, 3600)
    start = threading.Barrier(8)
    errors = []

    def hit():
        try:
            start.wait()
            for _ in range(5):
                cache.incr("burst")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=hit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and cache.get("burst") == 40
