"""Links to a contribution's actions, built without a `reverse` each: a page of comments holds hundreds of them."""

from __future__ import annotations

import re
from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# Numbers no path of the portal holds, reversed in place of the ids and then replaced by them.
PLACEHOLDERS = ("987654321", "987654322", "987654323")
PLACEHOLDER = re.compile("|".join(PLACEHOLDERS))


@lru_cache(maxsize=512)
def _pattern(name: str, arity: int, language: str, prefix: str, urlconf: str | None) -> str:
    return reverse(name, args=PLACEHOLDERS[:arity], urlconf=urlconf)


def url_with_ids(name: str, *ids: int) -> str:
    """`reverse(name, args=ids)` for a URL whose arguments are all ids, reversed once per language."""
    pattern = _pattern(name, len(ids), get_language() or "", get_script_prefix(), get_urlconf())
    values = dict(zip(PLACEHOLDERS, (str(int(value)) for value in ids), strict=False))
    return PLACEHOLDER.sub(lambda match: values[match.group()], pattern)
