"""Time and weigh the imports through their pages (not a test; issue 15's targets).

Builds the demo county if the database is empty, then, inside one transaction that is rolled back at the end (nothing
it creates stays), prints one JSON object per line and case:

- month: the month workbook of the county's largest village (its template downloaded as it is, the 评议会议 sheet
  filled), preview then confirm.
- roster: a --rows-row party-member roster (new members of people recorded for the run) through the roster import
  page, preview then confirm as the township's demo account: ms of each and in all, queries.
- households: a household import of the same size (new representatives).
- people: a --people-rows-row people import (default 5,000, target < 20 s): new people with valid ID numbers
  spread over the villages of the busiest village's township, through the people import page as that township's
  account, preview then confirm.
- read_10mb: reading a ~--workbook-mb MB workbook (generated in a temporary directory) with the framework's
  reader: tracemalloc peak and growth of the process's peak RSS (ru_maxrss).
- zip_bomb: a workbook that expands to --bomb-mb MB (built at run time) uploaded to the roster page: the time to
  refuse it and the memory used while refusing, which shows it was never expanded.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import random
import resource
import tempfile
import time
import tracemalloc
import zipfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from core.demo import demo_today
from core.imports import read_workbook
from core.periods import Month
from members.resources import ROSTER_SPEC
from villages.idnumbers import make_id_number
from villages.models import County, Person, Village


class Rollback(Exception):
    """Raised at the end of the run to roll back everything the benchmark wrote."""


def _rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


@contextmanager
def measured():
    """{ms, queries} of the block (through the test client: no network)."""
    out = {}
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        yield out
        out["ms"] = round((time.perf_counter() - start) * 1000, 1)
    out["queries"] = len(ctx.captured_queries)


def _xlsx(headers, rows, *, title="Sheet1", extra_sheets=()) -> bytes:
    """A plain workbook as a user's program would save it (written with openpyxl's streaming writer)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for name, head, body in [(title, headers, rows), *extra_sheets]:
        ws = wb.create_sheet(name)
        ws.append(head)
        for row in body:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


class Command(BaseCommand):
    help = "Build the demo county if the database is empty, then time the imports (one JSON object per case)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=500, help="Rows of the roster and household files.")
        parser.add_argument("--workbook-mb", type=float, default=10, help="Size of the workbook read for memory.")
        parser.add_argument("--bomb-mb", type=int, default=200, help="Uncompressed size of the zip bomb.")
        parser.add_argument("--people-rows", type=int, default=5000, help="Rows of the people import.")
        parser.add_argument("--scale", type=int, default=1, help="Passed to seed_demo when the county is built.")

    def handle(self, *args, rows=500, workbook_mb=10.0, bomb_mb=200, scale=1, people_rows=5000, **options):
        if not County.objects.exists():
            if not getattr(settings, "QIANGJI_DEMO_ALLOWED", False):
                raise CommandError("No data, and seed_demo is not allowed with these settings.")
            call_command("seed_demo", scale=scale, stdout=io.StringIO())
        if "testserver" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        self.rows, self.workbook_mb, self.bomb_mb, self.people_rows = rows, workbook_mb, bomb_mb, people_rows
        self.rng = random.Random(15)
        # The month first: the roster case adds its members to the same (largest) village.
        cases = [self.month, self.roster, self.households, self.people, self.read_workbook, self.zip_bomb]
        try:
            with transaction.atomic():
                for case in cases:
                    self.stdout.write(json.dumps({"db": connection.vendor, **case()}, ensure_ascii=False))
                raise Rollback
        except Rollback:
            pass

    # ---------------------------------------------------------------- helpers

    def township_client(self, village: Village) -> tuple[Client, User]:
        user = (User.objects.filter(township=village.township, village__isnull=True, is_active=True)
                .order_by("username").first())
        if user is None:
            raise CommandError(f"No township account for {village.township}: run seed_demo.")
        client = Client()
        client.force_login(user)
        return client, user

    def busiest_village(self) -> Village:
        return (Village.objects.annotate(n=Count("party_members", filter=Q(party_members__status="active")))
                .select_related("township").order_by("-n", "code").first())

    def new_people(self, village: Village, n: int, *, tag: str) -> list[Person]:
        """n people recorded in the village for the run, with valid ID numbers no one else has."""
        people, i = [], 0
        while len(people) < n:
            batch = []
            for _ in range(n - len(people)):
                born = dt.date(1950, 1, 1) + dt.timedelta(days=i // 10)
                batch.append(Person(name=f"测{tag}{len(people) + len(batch):04d}", gender="M", birth_date=born,
                                    village=village, id_number=make_id_number("350799", born, 900 + i % 10 * 9, "M")))
                i += 1
            taken = set(Person.objects.filter(id_number__in=[p.id_number for p in batch])
                        .values_list("id_number", flat=True))
            batch = [p for p in batch if p.id_number not in taken]
            Person.objects.bulk_create(batch, batch_size=500)
            people.extend(batch)
        return people

    def preview_confirm(self, client, url: str, data: bytes, name: str) -> dict:
        with measured() as preview:
            response = client.post(url, {"file": SimpleUploadedFile(name, data)})
        if response.status_code != 200 or b'name="confirm"' not in response.content:
            raise CommandError(f"{url}: the preview did not offer a confirmation:\n"
                               + response.content.decode(errors="replace")[-3000:])
        with measured() as confirm:
            response = client.post(url, {"confirm": "1"})
        if response.status_code != 302:
            raise CommandError(f"{url}: the confirmation was refused (HTTP {response.status_code}).")
        return {"preview_ms": preview["ms"], "confirm_ms": confirm["ms"], "ms": round(preview["ms"] + confirm["ms"], 1),
                "queries": preview["queries"] + confirm["queries"]}

    # ---------------------------------------------------------------- the cases

    def roster(self) -> dict:
        village = self.busiest_village()
        client, _user = self.township_client(village)
        people = self.new_people(village, self.rows, tag="党")
        headers = ROSTER_SPEC.names
        rows = [[village.code, p.id_number, p.name, "2001-07-01", "正式党员", "在册"] for p in people]
        return {"case": "roster", "rows": len(rows), "target_ms": 3000,
                **self.preview_confirm(client, reverse("members:partymember_import"), _xlsx(headers, rows),
                                       "roster.xlsx")}

    def households(self) -> dict:
        from assemblies.resources import HOUSEHOLD_SPEC

        village = self.busiest_village()
        client, _user = self.township_client(village)
        rows = []
        for i in range(self.rows):
            born = dt.date(1960, 1, 1) + dt.timedelta(days=i // 10)
            rep = make_id_number("350798", born, 900 + i % 10 * 9, "F")
            rows.append([village.code, str(800001 + i), f"户主{i:04d}", "一组", f"测户代表{i:04d}", rep])
        return {"case": "households", "rows": len(rows),
                **self.preview_confirm(client, reverse("assemblies:household_import"),
                                       _xlsx(HOUSEHOLD_SPEC.names, rows), "households.xlsx")}

    def people(self) -> dict:
        """New people, with ID numbers no one has, spread over the villages of the busiest village's township."""
        from villages.resources import PERSON_SPEC

        village = self.busiest_village()
        client, _user = self.township_client(village)
        codes = list(Village.objects.filter(township=village.township).order_by("code").values_list("code", flat=True))
        taken = set(Person.objects.filter(id_number__startswith="350797").values_list("id_number", flat=True))
        rows, i = [], 0
        while len(rows) < self.people_rows:
            born = dt.date(1940, 1, 1) + dt.timedelta(days=i // 20)
            gender = "F" if i % 2 else "M"
            number = make_id_number("350797", born, i % 20 * 4, gender)
            i += 1
            if number in taken:
                continue
            taken.add(number)
            rows.append([codes[len(rows) % len(codes)], f"测人{len(rows):05d}", number, "女" if gender == "F" else "男",
                         born, f"139{len(rows):08d}", "初中"])
        return {"case": "people", "rows": len(rows), "target_ms": 20000,
                **self.preview_confirm(client, reverse("villages:person_import"), _xlsx(PERSON_SPEC.names, rows),
                                       "people.xlsx")}

    def month(self) -> dict:
        from openpyxl import load_workbook

        from members.models import MonthlyReview

        village = self.busiest_village()
        client, _user = self.township_client(village)
        month = Month.of(demo_today())
        while True:  # the first month of the year from today on that the township may still change
            review = MonthlyReview.objects.filter(village=village, year=month.year, month=month.month).first()
            if review is None or review.is_editable:
                break
            month = month.next()
        kwargs = {"code": village.code, "month": str(month)}
        wb = load_workbook(io.BytesIO(client.get(reverse("members:monthlyreview_template", kwargs=kwargs)).content))
        results = wb.worksheets[0]  # the month's entries as the template holds them (合格 where none yet)
        meeting = wb["评议会议"]
        count = results.max_row - 1
        meeting["A2"], meeting["B2"] = month.last_day, count
        meeting["C2"], meeting["D2"] = "逐人评议，无异议。", month.last_day
        out = io.BytesIO()
        wb.save(out)
        return {"case": "month", "village": village.code, "month": str(month), "rows": count,
                **self.preview_confirm(client, reverse("members:monthlyreview_import", kwargs=kwargs),
                                       out.getvalue(), "month.xlsx")}

    def read_workbook(self) -> dict:
        """A roster-shaped workbook of about --workbook-mb MB (a long 备注 column of random text, which does not
        compress) read by the framework's reader."""
        target = int(self.workbook_mb * 1024 * 1024)
        rows_n = 5000 if target > 1024 * 1024 else 50
        letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        note_len = max(10, int(target * 0.97 / rows_n / 0.76))  # random letters compress to about 0.76 bytes
        headers = [*ROSTER_SPEC.names, "备注"]
        rows = ([f"35070210{i % 100:04d}", f"35079919500101{i % 1000:03d}X", f"测{i:05d}", "2001-07-01", "正式党员",
                 "在册", "".join(self.rng.choices(letters, k=note_len))] for i in range(rows_n))
        with tempfile.TemporaryDirectory(prefix="qiangji-bench-") as tmp:
            path = Path(tmp) / "big.xlsx"
            path.write_bytes(_xlsx(headers, rows))
            data = path.read_bytes()
        rss = _rss_kib()
        tracemalloc.start()
        start = time.perf_counter()
        try:
            sheet = read_workbook(data, ROSTER_SPEC)
            outcome = f"read {len(sheet.rows)} rows"
        except Exception as exc:  # noqa: BLE001 - a refusal is an outcome to print
            outcome = f"refused: {exc}"[:200]
        elapsed = time.perf_counter() - start
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return {"case": "read_10mb", "bytes": len(data), "rows": rows_n, "ms": round(elapsed * 1000, 1),
                "tracemalloc_peak_mb": round(peak / 2**20, 1), "rss_growth_mb": round((_rss_kib() - rss) / 1024, 1),
                "rss_peak_mb": round(_rss_kib() / 1024, 1), "target_mb": 300, "outcome": outcome}

    def zip_bomb(self) -> dict:
        """A workbook whose sheet expands to --bomb-mb MB, built in a temporary directory, uploaded to the roster
        page: refused with the framework's message before anything is expanded."""
        size = self.bomb_mb * 1024 * 1024
        with tempfile.TemporaryDirectory(prefix="qiangji-bench-") as tmp:
            path = Path(tmp) / "bomb.xlsx"
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
                archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.'
                                 'openxmlformats.org/package/2006/content-types"/>')
                with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
                    chunk = b"<row/>" * (1 << 17)
                    written = 0
                    while written < size:
                        sheet.write(chunk)
                        written += len(chunk)
            data = path.read_bytes()
        village = self.busiest_village()
        client, _user = self.township_client(village)
        rss = _rss_kib()
        tracemalloc.start()
        start = time.perf_counter()
        response = client.post(reverse("members:partymember_import"), {"file": SimpleUploadedFile("bomb.xlsx", data)})
        elapsed = time.perf_counter() - start
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        text = response.content.decode()
        refused = response.status_code == 200 and ("解压" in text or "expand" in text) and 'name="confirm"' not in text
        if not refused:
            raise CommandError("The zip bomb was not refused by its declared size.")
        return {"case": "zip_bomb", "bytes": len(data), "uncompressed_mb": self.bomb_mb, "refused": refused,
                "ms": round(elapsed * 1000, 1), "tracemalloc_peak_mb": round(peak / 2**20, 1),
                "rss_growth_mb": round((_rss_kib() - rss) / 1024, 1), "rss_peak_mb": round(_rss_kib() / 1024, 1)}
