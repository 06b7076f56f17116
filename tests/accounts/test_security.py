import datetime as dt
import logging

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from core.logging import MaskPersonalDataFilter, mask_personal_data
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_repeated_wrong_passwords_lock_the_login_with_a_chinese_page(world, client):
    url = reverse("login")
    for _ in range(2):
        response = client.post(url, {"username": "township_a", "password": "wrong"})
        assert response.status_code == 200
    response = client.post(url, {"username": "township_a", "password": "wrong"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录已锁定" in page and "30 分钟" in page
    # Even the right password is refused while locked.
    assert client.post(url, {"username": "township_a", "password": PASSWORD}).status_code == 429
    # The administrator's command clears it.
    call_command("axes_reset")
    response = client.post(url, {"username": "township_a", "password": PASSWORD})
    assert response.status_code == 302


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3, RATELIMIT_IP_META_KEY="HTTP_X_REAL_IP")
def test_behind_the_proxy_a_lockout_holds_the_callers_address_not_the_proxys(world, client):
    """Every request comes from the proxy (one REMOTE_ADDR); the caller is in X-Real-IP. Three wrong passwords from
    one caller lock that caller out of the account, not everyone else behind the same proxy."""
    url = reverse("login")
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(3):
        response = client.post(url, {"username": "township_a", "password": "wrong"}, HTTP_X_REAL_IP="203.0.113.7",
                               **proxy)
    assert response.status_code == 429
    other = client.post(url, {"username": "township_a", "password": PASSWORD}, HTTP_X_REAL_IP="198.51.100.4",
                        **proxy)
    assert other.status_code == 302
    call_command("axes_reset")


def test_security_headers_and_a_strict_content_security_policy(world, client_for):
    response = client_for(world.users["county"]).get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "object-src 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_scripts_or_styles(world, client_for):
    client = client_for(world.users["township_a"])
    for url in (reverse("home"), reverse("villages:village_detail", args=[world.village_a.code]),
                reverse("villages:person_detail", args=[world.person_a.pk]), reverse("villages:person_add")):
        page = client.get(url).content.decode()
        assert "<script>" not in page and " style=" not in page and "onclick" not in page, url


def test_sessions_end_after_30_idle_minutes_and_with_the_browser(settings):
    assert settings.SESSION_COOKIE_AGE == 1800 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_a_page_does_not_write_the_session_but_activity_keeps_it_alive(world, client_for, monkeypatch):
    """The expiry moves forward at most once a minute (core.sessions), not with a write on every page."""
    import time

    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.users["township_a"])
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)
    client.get(reverse("home"))  # the first page after login sets the refresh time
    key = client.session.session_key
    first = Session.objects.get(pk=key).expire_date
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("home")).status_code == 200
    assert not [q for q in ctx.captured_queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]]
    assert Session.objects.get(pk=key).expire_date == first
    monkeypatch.setattr(time, "time", lambda: now + 61)  # a minute later: the expiry is pushed on (saved)
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("home"))
    assert [q for q in ctx.captured_queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]]
    later = Session.objects.get(pk=key).expire_date
    assert later > first
    # Idle past the limit: the session is gone and the next page asks for a login.
    Session.objects.filter(pk=key).update(expire_date=later - dt.timedelta(seconds=1801))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("password, message", [
    ("short1", "密码太短"),
    ("password123", "这个密码太常见了"),
    ("8203948571029", "密码只包含数字"),
])
def test_weak_passwords_are_refused(world, client_for, password, message):
    client = client_for(world.users["township_a"])
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": password, "new_password2": password,
    })
    assert message in response.content.decode()


def test_logs_never_carry_id_or_phone_numbers(world):
    number = world.person_a.id_number
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "saving %s with phone %s", (number, "13912345678"),
                               None)
    MaskPersonalDataFilter().filter(record)
    text = record.getMessage()
    assert number not in text and "13912345678" not in text
    assert number[:6] in text and "139****5678" in text
    assert mask_personal_data("ID 11010519491231002X.") == "ID 110105********002X."


def test_every_log_handler_masks_personal_data(settings):
    for handler in settings.LOGGING["handlers"].values():
        assert "mask_personal_data" in handler.get("filters", [])


def test_logging_out_leaves_no_session_behind(world, client_for):
    """A flushed session is not brought back by the expiry refresh (core.sessions)."""
    from django.contrib.sessions.models import Session

    client = client_for(world.users["township_a"])
    client.get(reverse("home"))
    client.post(reverse("logout"))
    assert Session.objects.count() == 0 and not client.cookies["sessionid"].value
