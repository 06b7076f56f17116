"""deploy/ (README "Serving a city or a province") through bin/check-deploy: the nginx site passes `nginx -t`, the
systemd units pass `systemd-analyze verify`, and the production settings with the example environment (replica and
S3 variables) pass `check --deploy`. A part whose tool is missing here is skipped, with the reason."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
needs_nginx = pytest.mark.skipif(NGINX is None or not shutil.which("openssl"),
                                 reason="nginx (apt-get install nginx-light) or openssl is not installed")
needs_systemd = pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")


def check_deploy(*parts, deploy_dir=None, **env):
    environ = {**os.environ, "PY": sys.executable, **env}
    if deploy_dir is not None:
        environ["DEPLOY_DIR"] = str(deploy_dir)
    result = subprocess.run([str(ROOT / "bin" / "check-deploy"), *parts], cwd=ROOT, env=environ,
                            capture_output=True, text=True, timeout=300)
    return result.returncode, result.stdout + result.stderr


@pytest.fixture
def deploy_copy(tmp_path):
    target = tmp_path / "deploy"
    shutil.copytree(ROOT / "deploy", target)
    return target


@needs_nginx
def test_the_nginx_site_passes_nginx_t_and_lets_the_largest_upload_through():
    code, out = check_deploy("nginx")
    assert code == 0, out
    assert "ok: nginx -t accepts deploy/nginx/qiangji.conf" in out
    assert "ok: client_max_body_size 12582912 bytes: above the largest upload limit (10485760 bytes)" in out


@needs_nginx
def test_a_broken_nginx_site_fails_the_check(deploy_copy):
    site = deploy_copy / "nginx" / "qiangji.conf"
    site.write_text(site.read_text().replace("keepalive 32;", "keepalive 32", 1))
    code, out = check_deploy("nginx", deploy_dir=deploy_copy)
    assert code == 1 and "FAILED: nginx -t" in out and '"keepalive" directive' in out


@needs_nginx
def test_an_upload_limit_above_the_proxys_fails_the_check():
    code, out = check_deploy("nginx", IMPORT_MAX_UPLOAD_BYTES=str(20 * 1024 * 1024))
    assert code == 1
    assert "FAILED: client_max_body_size is 12582912 bytes; the portal's largest upload limit is 20971520" in out


@needs_systemd
def test_the_units_pass_systemd_analyze_verify():
    code, out = check_deploy("systemd")
    assert code == 0, out
    assert "ok: systemd-analyze verify accepts qiangji-web.service qiangji-worker.service" in out


@needs_systemd
def test_a_unit_whose_command_is_missing_fails_the_check(deploy_copy):
    unit = deploy_copy / "systemd" / "qiangji-worker.service"
    unit.write_text(unit.read_text().replace(".venv/bin/python manage.py", ".venv/bin/no-such-python manage.py"))
    code, out = check_deploy("systemd", deploy_dir=deploy_copy)
    assert code == 1 and "FAILED: systemd-analyze verify" in out and "no-such-python" in out


def test_the_worker_unit_runs_django_tasks_db_worker():
    unit = (ROOT / "deploy" / "systemd" / "qiangji-worker.service").read_text()
    assert "ExecStart=/srv/qiangji/.venv/bin/python manage.py db_worker\n" in unit
    assert "EnvironmentFile=/etc/qiangji/qiangji.env" in unit


def test_prod_settings_with_the_replica_and_s3_variables_pass_check_deploy():
    code, out = check_deploy("settings")
    assert code == 0, out
    assert ("ok: config.settings.prod with deploy/qiangji.env.example (replica, S3): check --deploy finds no issues"
            in out)
    assert "ok: the example's replica, S3 store and database sessions are in the settings" in out
    assert "ok: gunicorn --check-config loads deploy/gunicorn.conf.py and the portal" in out
