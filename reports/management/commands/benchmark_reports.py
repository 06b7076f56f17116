"""Time the county's report pages (not a test).

Without --json: the county dashboard, the quarterly report page, workbook and PDF, as a table.
With --json: one JSON object per line and page — page, ms, queries, bytes, bound_ms, ratio (= ms / bound_ms) —
for the dashboard (year, quarter, month), the quarterly report page and workbook, the signals page and the month
overview's first page, all as the demo's county account; bound_ms is the time of the raw-SQL aggregate over the raw
rows that computes the same figures (reports/bounds.py, PostgreSQL only), measured in the same run. Best of --repeat.
"""
import datetime as dt
import json
import re
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from core.demo import demo_today
from core.gc import freeze_startup_heap
from core.periods import Month, Quarter
from members.models import CountyPolicy
from reports.bounds import bound_statements
from villages.models import County

VILLAGE_LINK = re.compile(r"/members/months/(\d{6,12})/")


def _best(repeat: int, run) -> tuple[float, object]:
    best, last = None, None
    for _ in range(repeat):
        start = time.perf_counter()
        last = run()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, last


class Command(BaseCommand):
    help = "Build the demo county if the database is empty, then time the county's report pages."

    def add_arguments(self, parser):
        parser.add_argument("--quarter", help="Quarter to report on, e.g. 2026Q3 (default: the last complete one).")
        parser.add_argument("--repeat", type=int, default=3, help="Runs of each; the best is reported.")
        parser.add_argument("--scale", type=int, default=1, help="Passed to seed_demo when the county is built.")
        parser.add_argument("--json", action="store_true", dest="as_json",
                            help="One JSON object per page with its raw-SQL bound (PostgreSQL).")

    def handle(self, *args, quarter=None, repeat=3, scale=1, as_json=False, **options):
        if as_json and connection.vendor != "postgresql":
            raise CommandError("--json measures raw-SQL bounds written for PostgreSQL; use a PostgreSQL DATABASE_URL.")
        if not County.objects.exists():
            if not getattr(settings, "QIANGJI_DEMO_ALLOWED", False):
                raise CommandError("No data, and seed_demo is not allowed with these settings.")
            call_command("seed_demo", scale=scale)
        user = User.objects.filter(username="county").first()
        if user is None:
            raise CommandError("The demo account 'county' is missing: run seed_demo first.")
        if "testserver" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        self.client = Client()
        self.client.force_login(user)
        self.client.get(reverse("reports:dashboard"))  # load URL patterns and templates, as a worker's first request
        freeze_startup_heap()  # as config/wsgi.py does in a worker (core/gc.py)
        self.repeat = repeat
        today = demo_today()
        q = Quarter.parse(quarter) if quarter else Quarter.of(today).previous()
        if as_json:
            self._json(user, today, q)
        else:
            self._table(q)

    def _get(self, label: str, url: str):
        with CaptureQueriesContext(connection) as ctx:
            elapsed, response = _best(self.repeat, lambda: self.client.get(url))
        if response.status_code != 200:
            raise CommandError(f"{label}: HTTP {response.status_code}")
        return elapsed, len(ctx.captured_queries) // self.repeat, response.content

    def _table(self, quarter: Quarter):
        report = reverse("reports:report_run", args=["quarterly"])
        targets = [
            ("county dashboard (quarter)", reverse("reports:dashboard") + f"?period={quarter}"),
            ("quarterly report page", f"{report}?quarter={quarter}"),
            ("quarterly workbook (.xlsx)", f"{report}?quarter={quarter}&format=xlsx"),
            ("quarterly PDF", f"{report}?quarter={quarter}&format=pdf"),
        ]
        self.stdout.write(f"Demo county: {County.objects.first()}, quarter {quarter}, best of {self.repeat}")
        for label, url in targets:
            best, queries, content = self._get(label, url)
            self.stdout.write(f"  {label:<28} {best * 1000:8.0f} ms  {queries:3d} queries  "
                              f"{len(content) / 1024:8.0f} KiB")

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
            elapsed, queries, content = self._get(page, url)
            limit = len(set(VILLAGE_LINK.findall(content.decode(errors="replace")))) or None
            statements = bound_statements(page, county=county.pk, today=today, year=year, m_from=m_from,
                                          m_to=m_to, z=z, quarter=quarter.quarter, limit=limit)

            def run_bound():
                with connection.cursor() as cursor:
                    for sql, params in statements:
                        cursor.execute(sql, params)
                        cursor.fetchall()

            bound, _ = _best(self.repeat, run_bound)
            self.stdout.write(json.dumps({
                "page": page, "ms": round(elapsed * 1000, 1), "queries": queries, "bytes": len(content),
                "bound_ms": round(bound * 1000, 1), "ratio": round(elapsed / bound, 2) if bound else None,
            }, ensure_ascii=False))
