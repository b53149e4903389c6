"""What every page's header and footer need: the plan, its promoters, the language links."""

from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language

from .current import current_plan


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    is_current: bool


def language_links(request: HttpRequest) -> list[LanguageLink]:
    """The same page in every language, as plain links: switching needs neither a form nor JavaScript."""
    active = get_language()
    # The query string stays: a filtered list or a comparison of versions is the same page in the other language.
    query = request.META.get("QUERY_STRING", "")
    suffix = f"?{query}" if query else ""
    return [
        LanguageLink(
            code=code, name=str(name), url=translate_url(request.path, code) + suffix, is_current=code == active
        )
        for code, name in settings.LANGUAGES
    ]


# The URL namespaces under "Take part" in the navigation.
PARTICIPATION_NAMESPACES = ("participation", "consultations", "proposals", "opinions", "engagement")


def portal(request: HttpRequest) -> dict[str, Any]:
    """Lazy values (templates call callables): admin and account pages that never show them pay nothing."""
    return {
        "portal_plan": partial(current_plan, request),
        "language_links": partial(language_links, request),
        "participation_namespaces": PARTICIPATION_NAMESPACES,
    }
