"""gunicorn's settings on a web host (deploy/systemd/qiangji-web.service). Environment variables override each.

Workers and threads as measured by the load test (loadtest/gunicorn.conf.py says why): processes = cores + 1, two
threads each, so a slow county dashboard holds one thread and not a whole process. The timeout matches the proxy's
(deploy/nginx/qiangji.conf, proxy_read_timeout 120s): a large workbook made in the request may take a minute; the
largest run as background tasks (qiangji-worker.service).
"""
import multiprocessing
import os

wsgi_app = "config.wsgi:application"
# Every address of the host: the proxy reaches it over the intranet (allow only the proxy in the firewall).
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
# Longer than nginx's upstream keepalive_timeout (60s), so gunicorn never closes a connection nginx is about to reuse.
keepalive = 75
# A worker is replaced after this many requests (and a random extra), so a slow leak never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# The proxy's X-Forwarded-* headers are believed from these addresses only (comma-separated).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
capture_output = True
control_socket_disable = True
