"""Time the county's report pages (not a test).

Without --json: the county dashboard, the quarterly report page, workbook and PDF, as a table.
With --json: one JSON object per line and page — page, ms, queries, bytes, bound_ms, ratio (= ms / bound_ms) —
for the dashboard (year, quarter, month), the quarterly report page and workbook, the signals page and the month
overview's first page, all as the demo's county account; bound_ms is the time of the raw-SQL aggregate over the raw
rows that computes the same figures (reports/bounds.py, PostgreSQL only), measured in the same run in turns with
the page (page, bound, page …). Best of --repeat.

--user NAME (default `county`) measures the pages that account sees. For a region's account (`city`, `province`:
it sees several counties) they are the region's dashboard (year, quarter, month), the region's quarterly report
page and the signals page (its first county); the region's workbook (and, in the table, its PDF) is built in the
background, so its time is that of core.exports.export_build_file on an export started for the account, labelled
"quarterly workbook (background build)" (the export, its file and its queued task are removed again). The bound
of a region page is the sum of its statements over the region's counties (the signals page's: its one county).
"""
import datetime as dt
import json
import re
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from core.demo import demo_today
from core.exports import export_build_file, export_start
from core.gc import freeze_startup_heap
from core.periods import Month, Quarter
from core.reports.registry import report_get
from members.models import CountyPolicy
from reports.bounds import bound_statements
from villages.models import County
from villages.selectors import county_list, region_wide

VILLAGE_LINK = re.compile(r"/members/months/(\d{6,12})/")


def _best(repeat: int, run) -> tuple[float, object]:
    best, last = None, None
    for _ in range(repeat):
        start = time.perf_counter()
        last = run()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, last


def _run_statements(statements: list[tuple[str, dict]]) -> None:
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            cursor.fetchall()


class Command(BaseCommand):
    help = "Build the demo county if the database is empty, then time the county's report pages."

    def add_arguments(self, parser):
        parser.add_argument("--quarter", help="Quarter to report on, e.g. 2026Q3 (default: the last complete one).")
        parser.add_argument("--repeat", type=int, default=3, help="Runs of each; the best is reported.")
        parser.add_argument("--scale", type=int, default=1, help="Passed to seed_demo when the county is built.")
        parser.add_argument("--json", action="store_true", dest="as_json",
                            help="One JSON object per page with its raw-SQL bound (PostgreSQL).")
        parser.add_argument("--user", default="county",
                            help="The account whose pages are timed (default: county; city or province: a region's).")

    def handle(self, *args, quarter=None, repeat=3, scale=1, as_json=False, user="county", **options):
        if as_json and connection.vendor != "postgresql":
            raise CommandError("--json measures raw-SQL bounds written for PostgreSQL; use a PostgreSQL DATABASE_URL.")
        if not County.objects.exists():
            if not getattr(settings, "QIANGJI_DEMO_ALLOWED", False):
                raise CommandError("No data, and seed_demo is not allowed with these settings.")
            call_command("seed_demo", scale=scale)
        username = user
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"The demo account '{username}' is missing: run seed_demo first.")
        if "testserver" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        self.client = Client()
        self.client.force_login(user)
        self.client.get(reverse("reports:dashboard"))  # load URL patterns and templates, as a worker's first request
        freeze_startup_heap()  # as config/wsgi.py does in a worker (core/gc.py)
        self.repeat = repeat
        today = demo_today()
        q = Quarter.parse(quarter) if quarter else Quarter.of(today).previous()
        region = region_wide(user=user)
        if as_json:
            (self._region_json if region else self._json)(user, today, q)
        else:
            (self._region_table if region else self._table)(user, q)

    def _get(self, label: str, url: str):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            elapsed, response = _best(self.repeat, lambda: self.client.get(url))
        if response.status_code != 200:
            raise CommandError(f"{label}: HTTP {response.status_code}")
        return elapsed, len(ctx.captured_queries) // self.repeat, response.content

    def _table(self, user, quarter: Quarter):
        report = reverse("reports:report_run", args=["quarterly"])
        targets = [
            ("county dashboard (quarter)", reverse("reports:dashboard") + f"?period={quarter}"),
            ("quarterly report page", f"{report}?quarter={quarter}"),
            ("quarterly workbook (.xlsx)", f"{report}?quarter={quarter}&format=xlsx"),
            ("quarterly PDF", f"{report}?quarter={quarter}&format=pdf"),
        ]
        county = user.county or County.objects.first()  # the account's own (the demo has one county)
        self.stdout.write(f"Demo county: {county}, quarter {quarter}, best of {self.repeat}")
        for label, url in targets:
            best, queries, content = self._get(label, url)
            self._table_line(label, best, queries, len(content))

    def _table_line(self, label: str, best: float, queries: int, size: int, width: int = 28):
        self.stdout.write(f"  {label:<{width}} {best * 1000:8.0f} ms  {queries:3d} queries  {size / 1024:8.0f} KiB")

    def _region_table(self, user, quarter: Quarter):
        report = reverse("reports:report_run", args=["quarterly"])
        targets = [
            ("region dashboard (quarter)", reverse("reports:dashboard") + f"?period={quarter}"),
            ("region quarterly report page", f"{report}?quarter={quarter}"),
        ]
        counties = county_list(user=user).count()
        self.stdout.write(f"Region of {user.username}: {user.region or '-'}, {counties} counties, quarter {quarter}, "
                          f"best of {self.repeat}")
        for label, url in targets:
            best, queries, content = self._get(label, url)
            self._table_line(label, best, queries, len(content), width=38)
        for label, fmt in (("quarterly workbook (background build)", "xlsx"),
                           ("quarterly PDF (background build)", "pdf")):
            self._table_line(label, *self._background_build(user, quarter, fmt), width=38)

    def _background_build(self, user, quarter: Quarter, fmt: str) -> tuple[float, int, int]:
        """Best time, queries and file size of building the region's quarterly file as the worker does
        (export_build_file on an export started for the user); each export, its file and its task are removed."""
        from django_tasks_db.models import DBTaskResult

        report = report_get(user=user, code="quarterly")(user)
        best, queries, size = None, 0, 0
        for _ in range(self.repeat):
            tasks = set(DBTaskResult.objects.values_list("pk", flat=True))
            export = export_start(user=user, report=report, fmt=fmt, params={"quarter": str(quarter)})
            DBTaskResult.objects.exclude(pk__in=tasks).delete()  # built here, not by a worker
            try:
                with CaptureQueriesContext(connection) as ctx:
                    start = time.perf_counter()
                    export = export_build_file(export_id=str(export.pk))
                    elapsed = time.perf_counter() - start
                if export.status != "done":
                    raise CommandError(f"quarterly {fmt} (background build): {export.status} {export.error}")
                best = elapsed if best is None else min(best, elapsed)
                queries, size = len(ctx.captured_queries), export.file.size
            finally:
                if export.file:
                    export.file.delete(save=False)
                export.delete()
        return best, queries, size

    def _run_bound(self, statements: list[tuple[str, dict]]) -> float:
        return _best(self.repeat, lambda: _run_statements(statements))[0]

    def _get_and_bound(self, label: str, url: str, statements: list[tuple[str, dict]]):
        """(ms, queries, bytes, bound) of a page and of its raw-SQL bound measured in turns — page, bound, page,
        bound … — the best of --repeat of each: a change in the machine's speed during the run (a shared machine's
        does, by ±20 % within a minute) then weighs on the page and on its bound alike."""
        page = bound = None
        for _ in range(self.repeat):
            reset_queries()  # with DEBUG on, a full query log (9,000) shifts under the context's indices
            with CaptureQueriesContext(connection) as ctx:
                elapsed, response = _best(1, lambda: self.client.get(url))
            if response.status_code != 200:
                raise CommandError(f"{label}: HTTP {response.status_code}")
            page = elapsed if page is None else min(page, elapsed)
            elapsed = _best(1, lambda: _run_statements(statements))[0]
            bound = elapsed if bound is None else min(bound, elapsed)
        return page, len(ctx.captured_queries), len(response.content), bound

    def _write_json(self, page: str, elapsed: float, queries: int, size: int, bound: float):
        self.stdout.write(json.dumps({
            "page": page, "ms": round(elapsed * 1000, 1), "queries": queries, "bytes": size,
            "bound_ms": round(bound * 1000, 1), "ratio": round(elapsed / bound, 2) if bound else None,
        }, ensure_ascii=False))

    def _region_json(self, user, today: dt.date, quarter: Quarter):
        counties = list(county_list(user=user).order_by("code"))
        z_of = dict(CountyPolicy.objects.filter(county__in=counties).values_list("county_id", "flag_z"))
        month = Month.of(today).previous()
        dashboard = reverse("reports:dashboard")
        report = reverse("reports:report_run", args=["quarterly"])
        q_months = (quarter.year, quarter.months[0].month, quarter.months[-1].month)
        pages = [
            ("dashboard year", f"{dashboard}?period={today.year}", (today.year, 1, 12), counties),
            ("dashboard quarter", f"{dashboard}?period={quarter}", q_months, counties),
            ("dashboard month", f"{dashboard}?period={month}", (month.year, month.month, month.month), counties),
            ("quarterly report page", f"{report}?quarter={quarter}", q_months, counties),
            ("quarterly workbook (background build)", None, q_months, counties),
            # The signals page shows one county at a time: the first by default.
            ("signals", reverse("members:signals") + f"?year={today.year}", (today.year, 1, 12), counties[:1]),
        ]
        for page, url, (year, m_from, m_to), shown in pages:
            statements = [
                statement for county in shown
                for statement in bound_statements(page, county=county.pk, today=today, year=year, m_from=m_from,
                                                  m_to=m_to, z=float(z_of.get(county.pk, 2.0)),
                                                  quarter=quarter.quarter)
            ]
            if url is None:
                elapsed, queries, size = self._background_build(user, quarter, "xlsx")
                self._write_json(page, elapsed, queries, size, self._run_bound(statements))
            else:
                self._write_json(page, *self._get_and_bound(page, url, statements))

    def _json(self, user, today: dt.date, quarter: Quarter):
        county = County.objects.get(pk=user.county_id) if user.county_id else County.objects.first()
        policy = CountyPolicy.objects.filter(county=county).first()
        z = float(policy.flag_z) if policy else 2.0
        month = Month.of(today).previous()
        dashboard = reverse("reports:dashboard")
        report = reverse("reports:report_run", args=["quarterly"])
        q_months = (quarter.year, quarter.months[0].month, quarter.months[-1].month)
        pages = [
            ("dashboard year", f"{dashboard}?period={today.year}", (today.year, 1, 12)),
            ("dashboard quarter", f"{dashboard}?period={quarter}", q_months),
            ("dashboard month", f"{dashboard}?period={month}", (month.year, month.month, month.month)),
            ("quarterly report page", f"{report}?quarter={quarter}", q_months),
            ("quarterly workbook", f"{report}?quarter={quarter}&format=xlsx", q_months),
            ("signals", reverse("members:signals") + f"?year={today.year}", (today.year, 1, 12)),
            ("month overview", reverse("members:monthlyreview_list") + f"?month={month}",
             (month.year, month.month, month.month)),
        ]
        for page, url, (year, m_from, m_to) in pages:
            content = self.client.get(url).content  # the bound lists as many villages as the page links to
            limit = len(set(VILLAGE_LINK.findall(content.decode(errors="replace")))) or None
            statements = bound_statements(page, county=county.pk, today=today, year=year, m_from=m_from,
                                          m_to=m_to, z=z, quarter=quarter.quarter, limit=limit)
            self._write_json(page, *self._get_and_bound(page, url, statements))
