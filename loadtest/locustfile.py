"""Locust users for bin/load-test: township clerks entering village-month grids, county officials on the dashboard.

Everything goes through the pages as a browser would: the login form with its CSRF token, the month overview, the
grid page, and the grid's own form posted back with every field it holds (multipart, as the page's enctype says),
one member changed. Each save rates one member who is 合格 and has no reason yet as 优 with the reason
`压测-<uuid>`, so every save writes something unique that loadtest/db.py can find afterwards.

Settings (environment, set by bin/load-test):
  LOAD_MONTH            the month to enter (YYYY-MM; the demo's open month)
  LOAD_TOWNSHIP_USERS   simulated clerks (default 14: two per township account)
  LOAD_COUNTY_USERS     simulated county officials (default 3)
  LOAD_SAVES_FILE       where each save the server answered is recorded (JSON lines)
  LOAD_REQUESTS_FILE    where every request's kind, time and outcome is recorded (CSV), for loadtest/report.py
  LOAD_THINK_MIN/MAX    think time between steps in seconds (default 1–3)
  LOAD_SHARE_VILLAGES   1: the clerks of one township account share all its villages (contention on purpose,
                        to watch stale-edit refusals; the default gives each clerk villages of its own)

No two simulated clerks share a village: clerk i works for township account i mod 7 and takes every n-th village
of that township, so a stale-edit refusal would mean a real concurrency problem, not the script's own doing; it is
counted apart from errors and the page is reloaded, as a clerk would.
"""
from __future__ import annotations

import csv
import html
import itertools
import json
import os
import random
import re
import time
import uuid
from html.parser import HTMLParser

import gevent
from locust import HttpUser, between, events, task

PASSWORD = "qiangji-demo"
TOWNSHIP_ACCOUNTS = [f"township{i:02d}" for i in range(1, 8)]
MONTH = os.environ.get("LOAD_MONTH", "")
TOWNSHIP_USERS = int(os.environ.get("LOAD_TOWNSHIP_USERS", "14"))
COUNTY_USERS = int(os.environ.get("LOAD_COUNTY_USERS", "3"))
SHARE_VILLAGES = os.environ.get("LOAD_SHARE_VILLAGES") == "1"
THINK = (float(os.environ.get("LOAD_THINK_MIN", "1")), float(os.environ.get("LOAD_THINK_MAX", "3")))
SAVES_FILE = os.environ.get("LOAD_SAVES_FILE", "var/load/saves.jsonl")
REQUESTS_FILE = os.environ.get("LOAD_REQUESTS_FILE", "var/load/requests.csv")

# Request kinds, as reported.
LOGIN, OVERVIEW, GRID, SAVE, DASHBOARD = "login", "month overview", "grid page", "grid save", "dashboard"

_clerk_numbers = itertools.count()
_saves = None
_requests: list[tuple[str, float, float, int]] = []  # (kind, start, milliseconds, ok)


@events.request.add_listener
def _record_request(request_type, name, response_time, exception, start_time=None, **kwargs):
    _requests.append((name, start_time or time.time(), response_time, 0 if exception else 1))


@events.test_start.add_listener
def _open_files(environment, **kwargs):
    global _saves
    os.makedirs(os.path.dirname(SAVES_FILE) or ".", exist_ok=True)
    _saves = open(SAVES_FILE, "w", encoding="utf-8")


@events.test_stop.add_listener
def _write_requests(environment, **kwargs):
    if _saves:
        _saves.close()
    with open(REQUESTS_FILE, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["kind", "start", "ms", "ok"])
        writer.writerows(_requests)


def _record_save(**record) -> None:
    _saves.write(json.dumps(record, ensure_ascii=False) + "\n")
    _saves.flush()


class FormReader(HTMLParser):
    """The fields a browser would submit from the first <form> whose class list holds `form_class` (any form if
    empty): enabled inputs (checkboxes only when checked), each select's selected option (else its first),
    textareas; file inputs are listed apart (a browser sends them as empty file parts)."""

    def __init__(self, form_class: str = ""):
        super().__init__(convert_charrefs=True)
        self.form_class = form_class
        self.fields: list[tuple[str, str]] = []
        self.files: list[str] = []
        self._inside = self._done = False
        self._select = None  # [name, first value, selected value]
        self._textarea = None  # [name, text]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self._inside and not self._done:
            self._inside = not self.form_class or self.form_class in (a.get("class") or "").split()
            return
        if not self._inside or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind == "file":
                self.files.append(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((name, a.get("value") or "on"))
            elif kind not in ("submit", "button", "reset", "image"):
                self.fields.append((name, a.get("value") or ""))
        elif tag == "select" and name:
            self._select = [name, None, None]
        elif tag == "option" and self._select is not None:
            value = a.get("value") or ""  # the portal's options always carry a value
            if self._select[1] is None:
                self._select[1] = value
            if "selected" in a:
                self._select[2] = value
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self._inside:
            self._inside, self._done = False, True
        elif tag == "select" and self._select is not None:
            name, first, selected = self._select
            if (selected or first) is not None:
                self.fields.append((name, selected if selected is not None else first))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self.fields.append((name, text[1:] if text.startswith("\n") else text))  # as browsers drop it
            self._textarea = None

    @classmethod
    def read(cls, text: str, form_class: str = "") -> "FormReader":
        reader = cls(form_class)
        reader.feed(text)
        reader.close()
        return reader


def _why(response) -> str:
    """The status, or the connection error when there was no answer (status 0)."""
    error = getattr(response, "error", None)
    return f"{response.status_code} {error!r}" if error else str(response.status_code)


def _think():
    gevent.sleep(random.uniform(*THINK))


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(*THINK)
    username = ""

    def login(self) -> None:
        with self.client.get("/login/", name=LOGIN, catch_response=True) as page:
            token = dict(FormReader.read(page.text).fields).get("csrfmiddlewaretoken")
            if page.status_code != 200 or not token:
                page.failure(f"login page: {_why(page)}, no CSRF token")
                raise RuntimeError("no login page")
        with self.client.post("/login/", name=LOGIN, allow_redirects=False, catch_response=True,
                              headers={"Origin": self.host, "Referer": self.host + "/login/"},
                              data={"csrfmiddlewaretoken": token, "username": self.username,
                                    "password": PASSWORD, "next": ""}) as response:
            if response.status_code != 302 or "/login/" in response.headers.get("Location", ""):
                response.failure(f"login as {self.username} refused: {_why(response)}")
                raise RuntimeError("login refused")


class TownshipClerk(PortalUser):
    """A township's clerk entering the open month: overview, a village's grid, save, the grid again."""

    fixed_count = TOWNSHIP_USERS

    def on_start(self):
        number = next(_clerk_numbers)
        accounts = len(TOWNSHIP_ACCOUNTS)
        self.username = TOWNSHIP_ACCOUNTS[number % accounts]
        slots = 1 if SHARE_VILLAGES else -(-TOWNSHIP_USERS // accounts)  # clerks per township account
        self.slot, self.slots = (number // accounts) % slots, slots
        self.login()
        villages = self.open_overview()
        self.villages = villages[self.slot::self.slots]
        if not self.villages:
            raise RuntimeError(f"{self.username} (clerk {number}) has no village of its own")
        random.shuffle(self.villages)
        self.next_village = itertools.cycle(self.villages)

    def open_overview(self) -> list[str]:
        with self.client.get(f"/members/months/?month={MONTH}", name=OVERVIEW, catch_response=True) as page:
            codes = re.findall(rf'href="/members/months/([^/"]+)/{MONTH}/"', page.text)
            if page.status_code != 200 or not codes:
                page.failure(f"overview: {_why(page)}, {len(codes)} villages")
            return codes

    def grid_path(self, code: str) -> str:
        return f"/members/months/{code}/{MONTH}/"

    @task(1)
    def overview(self):
        self.open_overview()

    @task(4)
    def enter_a_village(self):
        code = next(self.next_village)
        path = self.grid_path(code)
        with self.client.get(path, name=GRID, catch_response=True) as page:
            if page.status_code != 200 or 'class="grid-form"' not in page.text:
                page.failure(f"grid page {code}: {_why(page)}")
                return
            text = page.text
        form = FormReader.read(text, "grid-form")
        fields = dict(form.fields)
        members = [name[2:] for name, _ in form.fields if name.startswith("m-")]
        free = [pk for pk in members if fields.get(f"rating-{pk}") == "qualified" and not fields.get(f"reason-{pk}")
                and not fields.get(f"d-{pk}-0-id") and not fields.get(f"d-{pk}-0-rule")]
        if not free:
            return  # every member of this village already carries a result of the run: nothing left to enter
        member = random.choice(free)
        reason = f"压测-{uuid.uuid4().hex}"
        data = [(name, reason if name == f"reason-{member}" else "excellent" if name == f"rating-{member}" else value)
                for name, value in form.fields]
        _think()
        with self.client.post(path, name=SAVE, data=data, allow_redirects=False, catch_response=True,
                              headers={"Origin": self.host, "Referer": self.host + path},
                              files=[(name, ("", b"", "application/octet-stream")) for name in form.files]) as response:
            if response.status_code != 302 or not response.headers.get("Location", "").endswith(path):
                response.failure(f"grid save {code}: {_why(response)}")
                return
        # The redirect back to the grid says whether the save was taken (success) or refused (stale/locked).
        record = dict(user=self.username, village=code, month=MONTH, member=int(member), reason=reason,
                      version=int(fields.get("version") or 0))
        with self.client.get(path, name=GRID, catch_response=True) as page:
            if 'class="message success"' in page.text:
                _record_save(outcome="accepted", **record)
            elif 'class="message error"' in page.text:
                # Refused as stale (someone saved the month since the page was opened) and told so: not an
                # error, and the page is the clerk's reload. db.py verify checks it wrote nothing.
                _record_save(outcome="refused", **record)
                page.success()
            else:
                page.failure(f"grid {code} after save: {_why(page)}, no message")


class CountyOfficial(PortalUser):
    """The county organisation department watching the dashboard, now and then drilling down to a township."""

    fixed_count = COUNTY_USERS
    username = "county"

    def on_start(self):
        self.login()
        self.townships = []

    @task(3)
    def dashboard(self):
        with self.client.get("/reports/dashboard/", name=DASHBOARD, catch_response=True) as page:
            if page.status_code != 200:
                page.failure(f"dashboard: {_why(page)}")
                return
            self.townships = [html.unescape(q) for q in re.findall(r'href="(\?[^"]*township=\d+)"', page.text)] \
                or self.townships

    @task(1)
    def township_dashboard(self):
        if not self.townships:
            return self.dashboard()
        query = random.choice(self.townships)
        with self.client.get(f"/reports/dashboard/{query}", name=DASHBOARD, catch_response=True) as page:
            if page.status_code != 200:
                page.failure(f"dashboard {query}: {_why(page)}")
