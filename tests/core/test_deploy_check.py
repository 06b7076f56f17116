import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_prod(args, env_overrides):
    env = {k: v for k, v in os.environ.items()
           if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "CONN_MAX_AGE", "PUBLIC_BASE_URL")}
    env.update(env_overrides)
    return subprocess.run([sys.executable, "manage.py", *args, "--settings=config.settings.prod"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def run_check(env_overrides):
    return run_prod(["check", "--deploy", "--fail-level", "WARNING"], env_overrides)


def test_prod_settings_pass_check_deploy():
    result = run_check({
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "party.example.gov.cn",
        "DATABASE_URL": "postgres://qiangji:secret@127.0.0.1:5432/qiangji",
        "PUBLIC_BASE_URL": "https://party.example.gov.cn",
    })
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_asks_for_the_public_address():
    """Without PUBLIC_BASE_URL a notice the worker builds would carry an address guessed from ALLOWED_HOSTS."""
    env = {"SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": "party.example.gov.cn",
           "DATABASE_URL": "postgres://qiangji:secret@127.0.0.1:5432/qiangji"}
    result = run_check(env)
    assert result.returncode != 0 and "core.W001" in result.stderr and "PUBLIC_BASE_URL" in result.stderr
    result = run_check({**env, "PUBLIC_BASE_URL": "party.example.gov.cn"})  # no scheme: not an address
    assert result.returncode != 0 and "core.E001" in result.stderr


def test_prod_settings_have_no_default_secret():
    result = run_check({"ALLOWED_HOSTS": "party.example.gov.cn", "DATABASE_URL": "postgres://x@127.0.0.1/x"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_prod_settings_keep_database_connections():
    """Each worker thread reuses its connection (checked first) instead of opening one per request."""
    show = ["shell", "-v", "0", "-c", "from django.conf import settings; d = settings.DATABASES['default']; "
                           "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"]
    env = {"SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": "party.example.gov.cn",
           "DATABASE_URL": "postgres://qiangji:secret@127.0.0.1:5432/qiangji"}
    result = run_prod(show, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["60", "True"]
    turned_off = run_prod(show, {**env, "DATABASE_URL": env["DATABASE_URL"] + "?conn_max_age=0"})
    assert turned_off.stdout.split() == ["0", "True"]
