"""End-to-end journeys: Debian's Chromium (never a downloaded browser) driving the portal served on 127.0.0.1 from
the test database, seeded once with the demo county for every journey in this folder.

The seeded data is removed again when the folder is done (flush, then the database as migrations left it), so the
rest of the suite sees the same empty database as without these tests. Screenshots of each journey's last page go to
test-artifacts/e2e/.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--lang=zh-CN"]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "e2e"
PASSWORD = "qiangji-demo"
TIMEOUT_MS = 15_000


def require_chromium(path: str = CHROMIUM) -> str:
    """The browser's path, or a one-line failure naming the Debian package."""
    if not os.path.exists(path):
        pytest.fail(f"Chromium is missing at {path}: apt-get install chromium", pytrace=False)
    return path


@pytest.fixture(scope="package")
def chromium_path():
    return require_chromium()


@pytest.fixture(scope="package")
def demo_server(django_db_setup, django_db_blocker, chromium_path):
    """The demo county in the test database and a live server on 127.0.0.1 serving it (one for all journeys)."""
    from django.core.management import call_command
    from django.db import connection
    from pytest_django.live_server_helper import LiveServer

    if os.environ.get("E2E_BASE_URL"):
        # Development only: journeys against a portal already serving a freshly seeded copy of the demo county.
        yield type("External", (), {"url": os.environ["E2E_BASE_URL"].rstrip("/")})()
        return
    old_async = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    # Playwright's sync API runs an event loop in this thread; the ORM checks below are plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with django_db_blocker.unblock():
        own_db = None
        if connection.settings_dict["NAME"] != connection.creation._get_test_db_name():
            # Only journeys were selected (no test asked pytest-django for the database): create it here.
            from django.test.utils import setup_databases

            own_db = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        pristine = connection.creation.serialize_db_to_string()
        call_command("seed_demo", verbosity=0)
        server = LiveServer("127.0.0.1:0")
        server._live_server_modified_settings.enable()
        try:
            yield server
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", interactive=False, verbosity=0, reset_sequences=False, inhibit_post_migrate=True)
            connection.creation.deserialize_db_from_string(pristine)
            if own_db is not None:
                from django.test.utils import teardown_databases

                teardown_databases(own_db, verbosity=0)
            if old_async is None:
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = old_async


@pytest.fixture(scope="package")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Portal:
    """One browser context (one signed-in user at a time) and helpers for the journeys."""

    def __init__(self, context, base_url):
        self.context = context
        self.base_url = base_url
        self.page = context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str):
        return self.page.goto(self.url(path))

    def login(self, username: str):
        self.context.clear_cookies()
        self.goto("/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(lambda u: "/login/" not in u)
        return self

    def screenshot(self, name: str):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def portal(browser, demo_server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900}, accept_downloads=True)
    try:
        yield Portal(context, demo_server.url)
    finally:
        context.close()
