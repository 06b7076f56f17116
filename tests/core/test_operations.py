"""Operations: /healthz (database, migrations, media; no login, no data), request ids and timestamps on every log
line, and Sentry only when SENTRY_DSN is set, without personal data."""
import io
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder

from core.logging import sentry_before_send

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_without_login_and_without_data(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n" and response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies


def test_healthz_is_503_when_a_migration_is_not_applied(client):
    MigrationRecorder.Migration.objects.filter(app="members", name="0004_deduction_unique_rule").delete()
    response = client.get("/healthz")
    assert response.status_code == 503 and response.content == b"unavailable: migrations\n"


def test_healthz_is_503_when_media_is_not_writable(client, settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where MEDIA_ROOT's parent should be")
    settings.MEDIA_ROOT = blocker / "media"
    response = client.get("/healthz")
    assert response.status_code == 503 and response.content == b"unavailable: media\n"


def test_healthz_is_503_when_the_database_does_not_answer(client, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"unavailable: database, migrations\n"  # no error text in the answer


def test_every_log_line_has_its_time_and_its_requests_id_and_no_id_number(client):
    handler = logging.getLogger("django").handlers[0]
    stream = io.StringIO()
    old = handler.setStream(stream)
    try:
        response = client.get("/no-such-page/350702199001011234/")
    finally:
        handler.setStream(old)
    assert response.status_code == 404
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    line = stream.getvalue().strip().splitlines()[-1]
    assert re.match(rf"\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d,\d{{3}} WARNING \[{request_id}\] "
                    r"django.request: Not Found", line)
    assert "350702199001011234" not in line and "350702********1234" in line
    # Each request its own id.
    assert client.get("/healthz")["X-Request-ID"] != request_id


def _sentry_state(dsn):
    env = {k: v for k, v in os.environ.items() if k != "SENTRY_DSN"}
    if dsn:
        env["SENTRY_DSN"] = dsn
    code = ("import django, sentry_sdk; django.setup(); c = sentry_sdk.get_client(); "
            "print(c.is_active(), c.options.get('send_default_pii'), c.options.get('include_local_variables'), "
            "'DjangoIntegration' in {type(i).__name__ for i in c.integrations.values()})")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.test"})
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_sentry_reports_only_when_sentry_dsn_is_set_and_never_personal_data():
    assert _sentry_state(None)[0] == "False"
    # A DSN on a closed port: nothing is sent, the client is only configured.
    assert _sentry_state("http://key@127.0.0.1:9/1") == ["True", "False", "False", "True"]


def test_events_sent_to_sentry_have_id_and_mobile_numbers_masked():
    event = {"message": "bad row 350702199001011234", "exception": {"values": [
        {"type": "ValueError", "value": "phone 13912345678 taken"}]}, "breadcrumbs": {"values": [
            {"message": "looked up 350702199001011234"}]}, "level": "error"}
    sent = repr(sentry_before_send(event, {}))
    assert "350702199001011234" not in sent and "13912345678" not in sent
    assert "350702********1234" in sent and "error" in sent
