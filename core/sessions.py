"""The idle limit of a session (SESSION_COOKIE_AGE) without a database write on every request.

SESSION_SAVE_EVERY_REQUEST wrote the session row (BEGIN, UPDATE, COMMIT) on every page, a write and a commit to
the database for every read of a report. Instead, a request that did not change the session pushes its expiry
forward at most once every SESSION_REFRESH_SECONDS (by marking it changed, so SessionMiddleware saves it): a user
idle for SESSION_COOKIE_AGE is logged out, give or take that interval."""
from __future__ import annotations

import time

from django.conf import settings

KEY = "_refreshed"


class SessionRefreshMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():  # no session, or one just flushed (a logout): nothing to keep
            return response
        now = int(time.time())
        if session.modified or now - session.get(KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
            session[KEY] = now  # saved now anyway (a login, a message) or due: either way the expiry moves on
        return response
