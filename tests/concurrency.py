"""Racing saves: several users POST at the same moment, each from its own thread and database connection.

Used by the concurrent-save tests, which run on PostgreSQL (CI runs the suite there too)."""
import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client

HOLD = 0.5  # seconds the first save holds its transaction open after claiming the period

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL; .ci/run runs these there")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def slow_claim(monkeypatch, module) -> list[float]:
    """Make module.version_claim hold the transaction open a moment after claiming, so the other save runs into
    it; returns the moments the claims succeeded."""
    real = module.version_claim
    claimed = []

    def claim(period, *, expected_version):
        real(period, expected_version=expected_version)
        claimed.append(time.monotonic())
        time.sleep(HOLD)

    monkeypatch.setattr(module, "version_claim", claim)
    return claimed


def race(posts, *, follow=True):
    """posts: [(name, client, url, data)], released together. Returns ({name: response}, {name: start time})."""
    start = threading.Barrier(len(posts))
    responses, started = {}, {}

    def run(name, client, url, data):
        try:
            start.wait(timeout=10)
            started[name] = time.monotonic()
            responses[name] = client.post(url, data, follow=follow)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=post) for post in posts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(responses) == len(posts), "a save did not finish"
    connection.close()
    return responses, started
