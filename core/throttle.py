"""A fixed-window request limit kept in the cache (for public, anonymous forms such as a notice's objections).

hit(key, limit=…, seconds=…) counts one request under `key` and says whether it is still within `limit` in the
current window of `seconds`. With the default local-memory cache each server process counts on its own; a shared
cache (CACHES) makes the limit hold across processes."""
from __future__ import annotations

import time

from django.core.cache import cache


def hit(key: str, *, limit: int, seconds: int) -> bool:
    window = int(time.time()) // seconds
    name = f"throttle:{key}:{window}"
    if cache.add(name, 1, timeout=seconds + 1):
        return True
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.add(name, 1, timeout=seconds + 1)
        count = 1
    return count <= limit


def client_address(request) -> str:
    """The caller's address: REMOTE_ADDR (the proxy in front sets it; X-Forwarded-For is not trusted here)."""
    return request.META.get("REMOTE_ADDR", "")
