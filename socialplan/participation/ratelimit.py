"""Rate limits on writes, per user and per address.

A fixed window per (action, who): `check(request, "comment")` counts one
write and raises `RateLimited` once the user, or the address, passed the
limit of the window. Limits are settings (`PARTICIPATION_RATE_LIMITS`:
action -> (count, seconds)), so a load test or a busy public event can raise
them. Addresses are kept only as a keyed hash (`address_hash`).
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from django.utils.translation import gettext as _

DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "comment": (10, 600),
    "annotation": (10, 600),
    "proposal": (5, 3600),
    "support": (60, 600),
    "vote": (600, 600),
    "statement": (5, 3600),
    "survey": (5, 3600),
    "report": (20, 3600),
    "anonymous": (5, 600),
    "registration": (20, 3600),
}


class RateLimited(Exception):
    def __init__(self, action: str, seconds: int) -> None:
        self.action = action
        self.seconds = seconds
        minutes = max(1, round(seconds / 60))
        super().__init__(
            _("Too many contributions in a short time: please wait %(minutes)s minutes and try again.")
            % {"minutes": minutes}
        )


def client_address(request: HttpRequest) -> str:
    """The sender's address as the server saw it (behind a proxy, set it to pass REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def address_hash(request: HttpRequest) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), client_address(request).encode(), hashlib.sha256).hexdigest()


def limit_of(action: str) -> tuple[int, int]:
    limits = {**DEFAULT_LIMITS, **getattr(settings, "PARTICIPATION_RATE_LIMITS", {})}
    return limits[action]


def check(request: HttpRequest, action: str) -> None:
    """Count one write of `action` by this user and this address; raise RateLimited past the limit."""
    count, seconds = limit_of(action)
    window = int(time.time() // seconds)
    cache = caches["ratelimit"]
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    # An address may be shared (a school, a public event behind one router): signed-in
    # participants are limited each, and their address only at five times the limit.
    keys = [(f"rl:{action}:a:{address_hash(request)[:32]}:{window}", count * 5 if signed_in else count)]
    if signed_in:
        keys.append((f"rl:{action}:u:{user.pk}:{window}", count))
    for key, allowed in keys:
        cache.add(key, 0, timeout=seconds)
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=seconds)
            used = 1
        if used > allowed:
            raise RateLimited(action, seconds)
