"""What the personal areas' views share: a page of a list, and the permission check that answers 403."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 20


def page_of(request: HttpRequest, items: QuerySet[Any]) -> Page:
    """The page of `items` the request asks for (`?pagina=`), the first or last when out of range."""
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("pagina"))


def require_perm(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied(perm)
