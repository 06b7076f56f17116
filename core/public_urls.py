"""The portal's address as the public reaches it: the QR code and the link on a printed public notice must open on a
villager's phone, whoever built the document — a page (with a request to take the address from) or the background
worker (none: a bare path such as /notice/… is useless on paper).

The address, in this order:
1. settings.PUBLIC_BASE_URL (env PUBLIC_BASE_URL, e.g. https://qiangji.example.gov.cn), when set: the one public
   address, the same on every copy, also when an official prints from an intranet address a phone cannot reach;
2. the request's own (its host has passed ALLOWED_HOSTS);
3. without a request, the first name in ALLOWED_HOSTS that is one host (not a pattern such as .example.gov.cn or
   *), over https when the portal sends every request to https (SECURE_SSL_REDIRECT, production's default): the
   portal answers there, so the address is one it serves — a guess, logged, which `check --deploy` warns about;
4. else None: the caller prints its document without the address (a notice posted on the wall still is one).
"""
from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

logger = logging.getLogger(__name__)


def public_base_url(request=None) -> str | None:
    """scheme://host[:port] of the portal for the public, without a trailing slash; None when it cannot be told."""
    if settings.PUBLIC_BASE_URL:
        return settings.PUBLIC_BASE_URL.rstrip("/")
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    host = next((h for h in settings.ALLOWED_HOSTS if h and not h.startswith(".") and "*" not in h), None)
    if host is None:
        logger.warning("PUBLIC_BASE_URL is not set and ALLOWED_HOSTS names no single host: a document built "
                       "without a request carries no address of the portal")
        return None
    scheme = "https" if settings.SECURE_SSL_REDIRECT else "http"
    logger.warning("PUBLIC_BASE_URL is not set: a document built without a request carries %s://%s/", scheme, host)
    return f"{scheme}://{host}"


def absolute_url(path: str, *, request=None) -> str | None:
    """The full address of one of the portal's paths (from reverse()) for the public; None when none can be made."""
    base = public_base_url(request)
    return base + path if base else None


def _shape_problem(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "it must start with https:// (or http://) and name the host"
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return "give the scheme and host only (with a port if any): the portal's paths are added to it"
    return None


@checks.register()
def check_public_base_url(app_configs=None, **kwargs):
    value = settings.PUBLIC_BASE_URL
    problem = value and _shape_problem(value)
    if problem:
        return [checks.Error(f"PUBLIC_BASE_URL {value!r} is not the portal's address: {problem}.",
                             hint="e.g. PUBLIC_BASE_URL=https://qiangji.example.gov.cn", id="core.E001")]
    return []


@checks.register(checks.Tags.security, deploy=True)
def check_public_base_url_deploy(app_configs=None, **kwargs):
    value = settings.PUBLIC_BASE_URL
    if not value:
        return [checks.Warning(
            "PUBLIC_BASE_URL is not set: the QR code and link on a public notice built by the background worker "
            "would carry an address guessed from ALLOWED_HOSTS.",
            hint="Set PUBLIC_BASE_URL to the address villagers' phones reach the portal at, e.g. "
                 "https://qiangji.example.gov.cn (deploy/qiangji.env.example).", id="core.W001")]
    if not _shape_problem(value) and urlsplit(value).scheme != "https":
        return [checks.Warning(f"PUBLIC_BASE_URL {value!r} is not https: the public notice's address would be "
                               "opened unencrypted.", id="core.W002")]
    return []
