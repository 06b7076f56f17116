import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_check(env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL")}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING", "--settings=config.settings.prod"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_prod_settings_pass_check_deploy():
    result = run_check({
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "party.example.gov.cn",
        "DATABASE_URL": "postgres://qiangji:secret@127.0.0.1:5432/qiangji",
    })
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_prod_settings_have_no_default_secret():
    result = run_check({"ALLOWED_HOSTS": "party.example.gov.cn", "DATABASE_URL": "postgres://x@127.0.0.1/x"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
