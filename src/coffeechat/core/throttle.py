"""Rate limits that hold across processes: counters in the shared cache.

The cache is the database's cache table unless ``COFFEECHAT_CACHE_URL`` names Redis
(settings.py), so every web process and worker counts in the same place. A window
is fixed: the first use starts it, and it ends ``seconds`` later.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# scope → (uses allowed, per seconds), per account.
LIMITS = {
    "api-token": (10, 60 * 60),
    "export": (10, 60 * 60),
    "smtp-test": (5, 60),
    "imap-test": (5, 60),
    "staff-invite": (50, 60 * 60),
}


def allow(scope: str, key: object) -> bool:
    """Count one use of ``scope`` by ``key``; False when it is over the limit."""
    limit, seconds = LIMITS[scope]
    name = f"coffeechat:throttle:{scope}:{key}"
    cache.add(name, 0, timeout=seconds)
    try:
        count = cache.incr(name)
    except ValueError:  # the window ended between add and incr
        cache.add(name, 1, timeout=seconds)
        count = 1
    return count <= limit


def too_many(request: HttpRequest, what: str, scope: str) -> HttpResponse:
    """The 429 page: what was refused and for how long the limit counts."""
    limit, seconds = LIMITS[scope]
    period = "hour" if seconds == 3600 else f"{seconds // 60} minutes" if seconds > 60 else "minute"
    return render(
        request,
        "core/too_many.html",
        {"what": what, "limit": limit, "period": period},
        status=429,
    )
