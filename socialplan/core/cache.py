"""Whole-page cache of public pages for anonymous visitors (Django's cache framework).

Most visitors of the portal are anonymous and read pages that change only
when the plan office edits content. Each cached page is keyed by a *content
version* that any save or delete of public content replaces (see
`watch_public_content`). The version lives in the shared cache (`default`,
the database cache), so an edit is visible on the next request on every app
process, with no expiry to wait for; the pages themselves live in each
process's own memory (`pages`), which spares decoding large entries from the
database on every hit.

Requests that carry a session or messages cookie, and responses that set a
cookie, are never cached: nothing personal can leak into a shared page.
"""

from collections.abc import Callable, Iterable
from functools import wraps
from hashlib import sha256
from typing import Any
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache, caches
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

CONTENT_VERSION_KEY = "public-content-version"
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
KEPT_HEADERS = ("Content-Type", "Content-Disposition")

View = Callable[..., HttpResponse]


def kept_content_version() -> str | None:
    """The current content version, or None under a cache that keeps nothing (the tests' dummy cache)."""
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        cache.add(CONTENT_VERSION_KEY, uuid4().hex, timeout=None)
        version = cache.get(CONTENT_VERSION_KEY)
    return None if version is None else str(version)


def content_version() -> str:
    return str(kept_content_version())


def bump_content_version(**_signal: Any) -> None:
    """Signal receiver: public content changed, every cached page is now stale."""
    cache.set(CONTENT_VERSION_KEY, uuid4().hex, timeout=None)


def watch_public_content(model_classes: Iterable[type[models.Model]]) -> None:
    """Invalidate cached pages whenever one of these models is saved or deleted.

    Bulk writes (`bulk_create`, `QuerySet.update`) send no signals: code that
    uses them on public content must call `bump_content_version()` itself.
    """
    for model in model_classes:
        post_save.connect(bump_content_version, sender=model, dispatch_uid=f"cache-save-{model._meta.label}")
        post_delete.connect(bump_content_version, sender=model, dispatch_uid=f"cache-delete-{model._meta.label}")
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                bump_content_version,
                sender=field.remote_field.through,
                dispatch_uid=f"cache-m2m-{model._meta.label}-{field.name}",
            )


def cached_public_page(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or any(name in request.COOKIES for name in PERSONAL_COOKIES):
            return view(request, *args, **kwargs)
        path_hash = sha256(request.get_full_path().encode()).hexdigest()
        key = f"page:{content_version()}:{get_language()}:{path_hash}"
        pages = caches["pages"]
        cached = pages.get(key)
        if cached is not None:
            content, headers = cached
            return HttpResponse(content, headers=headers)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            # The headers that say what the content is (a page, a CSV to download, ...).
            headers = {name: response[name] for name in KEPT_HEADERS if name in response}
            pages.set(key, (response.content, headers), timeout=settings.PUBLIC_PAGE_CACHE_SECONDS)
        return response

    return wrapper
