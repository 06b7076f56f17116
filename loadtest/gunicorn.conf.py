"""gunicorn's settings for bin/load-test (the bind address comes from the command line).

Workers: the machine has two cores, shared by the portal, PostgreSQL and locust itself. The portal's requests are
mostly CPU (templates, ORM) with short database waits, so more processes than cores only adds context switches;
three processes (cores + 1) keep both cores busy while one waits on the database. Each has two threads
(gthread) so that a slow request — a county dashboard, a login's password hash — holds one thread, not a whole
process, and a clerk's grid page does not queue behind it. LOAD_WORKERS / LOAD_THREADS override both.
"""
import os

wsgi_app = "config.wsgi:application"
workers = int(os.environ.get("LOAD_WORKERS", "3"))
threads = int(os.environ.get("LOAD_THREADS", "2"))
worker_class = "gthread"
# Longer than the clients' longest pause (3 s of think time): with gunicorn's default of 2 s the server closes an
# idle connection just as a client reuses it, and the request fails without ever reaching the portal.
keepalive = 5
timeout = 30
graceful_timeout = 10
errorlog = os.environ.get("LOAD_GUNICORN_LOG", "-")
capture_output = True  # the portal's own log lines (a 500's traceback) go to the same file
pidfile = os.environ.get("LOAD_GUNICORN_PID")
# No control socket (gunicorn 25.1+ opens one in $HOME by default); older versions ignore the setting.
control_socket_disable = True
