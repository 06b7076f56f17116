"""`manage.py benchmark_reports --user NAME` on a city of two tiny counties: a region's account times its region
pages and the background build of its quarterly workbook (and leaves no export, file or task behind); the county's
account times its county pages as before; with --json (PostgreSQL) every region page has its raw-SQL bound."""
import io
import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.dbstate import changed_tables, snapshot

LINE = re.compile(r"  (\S.*?) +\d+ ms +\d+ queries +\d+ KiB$")


def _labels(lines):
    return [LINE.match(line).group(1) for line in lines]


@pytest.fixture
def bench(city, settings):
    settings.QIANGJI_DEMO_TODAY = "2026-11-26"

    def run(*args, **options):
        out = io.StringIO()
        call_command("benchmark_reports", *args, repeat=1, quarter="2026Q2", stdout=out, **options)
        return out.getvalue().splitlines()

    return run


def test_a_city_account_times_its_region_pages_and_the_background_workbook(bench, city):
    before = snapshot()
    head, *lines = bench(user="region")
    assert head == "Region of region: 强基市, 2 counties, quarter 2026Q2, best of 1"
    assert _labels(lines) == ["region dashboard (quarter)", "region quarterly report page",
                              "quarterly workbook (background build)", "quarterly PDF (background build)"]
    # The exports built for timing, their files and tasks are gone; only the account's last login changed.
    assert changed_tables(before, snapshot()) == ["accounts.historicaluser", "accounts.user"]


def test_the_county_account_times_the_county_pages_as_before(bench, city):
    head, *lines = bench()  # --user county by default
    assert head.startswith(f"Demo county: {city.county}, quarter 2026Q2")
    assert _labels(lines) == ["county dashboard (quarter)", "quarterly report page", "quarterly workbook (.xlsx)",
                              "quarterly PDF"]
    assert all(re.match(r"  .{28} [ \d]{7}\d ms", line) for line in lines)  # its 28-character label column kept


def test_an_unknown_account_is_refused(bench):
    with pytest.raises(CommandError, match="The demo account 'nobody' is missing"):
        bench(user="nobody")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="--json runs raw-SQL bounds written for PostgreSQL")
def test_json_gives_each_region_page_its_bound(bench):
    rows = [json.loads(line) for line in bench("--json", user="region")]
    assert [r["page"] for r in rows] == ["dashboard year", "dashboard quarter", "dashboard month",
                                         "quarterly report page", "quarterly workbook (background build)", "signals"]
    for row in rows:
        assert row["ms"] > 0 and row["queries"] > 0 and row["bytes"] > 0 and row["bound_ms"] >= 0
