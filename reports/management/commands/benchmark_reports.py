"""Time the county dashboard, the quarterly workbook and the quarterly PDF on the demo county (not a test)."""
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from core.periods import Quarter
from villages.models import County


class Command(BaseCommand):
    help = "Build the demo county if the database is empty, then time the dashboard and the quarterly report."

    def add_arguments(self, parser):
        parser.add_argument("--quarter", help="Quarter to report on, e.g. 2026Q3 (default: the last complete one).")
        parser.add_argument("--repeat", type=int, default=3, help="Runs of each; the best is reported.")
        parser.add_argument("--scale", type=int, default=1, help="Passed to seed_demo when the county is built.")

    def handle(self, *args, quarter=None, repeat=3, scale=1, **options):
        if not County.objects.exists():
            if not getattr(settings, "QIANGJI_DEMO_ALLOWED", False):
                raise CommandError("No data, and seed_demo is not allowed with these settings.")
            call_command("seed_demo", scale=scale)
        user = User.objects.filter(username="county").first()
        if user is None:
            raise CommandError("The demo account 'county' is missing: run seed_demo first.")
        if "testserver" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        client = Client()
        client.force_login(user)
        if quarter is None:
            import datetime as dt

            q = Quarter.of(dt.date.today())
            quarter = str(Quarter(q.year - (q.quarter == 1), (q.quarter - 2) % 4 + 1))
        report = reverse("reports:report_run", args=["quarterly"])
        targets = [
            ("county dashboard (quarter)", reverse("reports:dashboard") + f"?period={quarter}"),
            ("quarterly report page", f"{report}?quarter={quarter}"),
            ("quarterly workbook (.xlsx)", f"{report}?quarter={quarter}&format=xlsx"),
            ("quarterly PDF", f"{report}?quarter={quarter}&format=pdf"),
        ]
        self.stdout.write(f"Demo county: {County.objects.first()}, quarter {quarter}, best of {repeat}")
        for label, url in targets:
            best, queries, size = None, 0, 0
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as ctx:
                    start = time.perf_counter()
                    response = client.get(url)
                    elapsed = time.perf_counter() - start
                if response.status_code != 200:
                    raise CommandError(f"{label}: HTTP {response.status_code}")
                best = elapsed if best is None else min(best, elapsed)
                queries, size = len(ctx.captured_queries), len(response.content)
            self.stdout.write(f"  {label:<28} {best * 1000:8.0f} ms  {queries:3d} queries  {size / 1024:8.0f} KiB")
