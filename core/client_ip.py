"""The caller's address, one answer for every limit kept per address: login lockouts (django-axes, through
AXES_CLIENT_IP_CALLABLE) and the public objection limit (django-ratelimit, through RATELIMIT_IP_META_KEY).

Behind the reverse proxy of deploy/ every request reaches gunicorn from the proxy's own address (REMOTE_ADDR); the
proxy puts the caller's in the header named by RATELIMIT_IP_META_KEY (deploy/nginx: X-Real-IP, so
HTTP_X_REAL_IP). Without the setting, REMOTE_ADDR. Trust the header only while nothing but the proxy reaches
gunicorn (README "Serving a city or a province")."""
from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str | None:
    key = getattr(settings, "RATELIMIT_IP_META_KEY", None) or "REMOTE_ADDR"
    return request.META.get(key) or request.META.get("REMOTE_ADDR")
