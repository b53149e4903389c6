"""Public pages of the plan's versions: the list, one version with its changelog, and the comparison of two.

Each page answers in a fixed number of queries whatever the plan's size: the
list and a version never read snapshots; the comparison reads the two it
compares in one query. Version numbers come from the path or the query
string (`?da=1&a=2`); a number that names no version answers 404 with a
page that says so and offers the choice again, never a server error.
"""

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from socialplan.core.cache import cached_public_page
from socialplan.plan import readable, selectors
from socialplan.plan.models import Plan

from .current import current_plan

VERSIONS_PAGE_SIZE = 20
MAX_VERSION_NUMBER = 2**31 - 1


@cached_public_page
def version_list(request: HttpRequest) -> HttpResponse:
    plan = current_plan(request)
    if plan is None:
        return render(request, "portal/no_plan.html")
    page = Paginator(selectors.versions_of(plan=plan), VERSIONS_PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "portal/versions.html", {"plan": plan, "page": page})


@cached_public_page
def version_detail(request: HttpRequest, number: int) -> HttpResponse:
    plan = current_plan(request)
    in_range = 1 <= number <= MAX_VERSION_NUMBER  # a larger number would overflow the database's integer
    version = selectors.version_with_changelog(plan=plan, number=number) if plan and in_range else None
    if plan is None or version is None:
        raise Http404("No such version.")
    context = {"plan": plan, "version": version, "entries": list(version.changelog.all())}
    return render(request, "portal/version.html", context)


def _number(value: str | None) -> int | None:
    """A version number from the query string; None for anything that is not one."""
    if value is None or not value.strip().isdigit():
        return None
    number = int(value)
    return number if 1 <= number <= MAX_VERSION_NUMBER else None


@cached_public_page
def version_compare(request: HttpRequest) -> HttpResponse:
    """Compare two versions (`?da=<number>&a=<number>`); without both, the latest with the one before it."""
    plan = current_plan(request)
    if plan is None:
        return render(request, "portal/no_plan.html")
    numbers = list(selectors.versions_of(plan=plan).values_list("number", flat=True))
    asked = {"da": request.GET.get("da"), "a": request.GET.get("a")}
    if asked["da"] is None and asked["a"] is None:
        if len(numbers) < 2:
            return _compare_page(request, plan, numbers)
        asked = {"da": str(numbers[1]), "a": str(numbers[0])}
    old_number, new_number = _number(asked["da"]), _number(asked["a"])
    found = selectors.versions_by_number(plan=plan, numbers=[n for n in (old_number, new_number) if n])
    unknown = [asked[name] for name, number in (("da", old_number), ("a", new_number)) if number not in found]
    if unknown:
        named = [value.strip()[:20] for value in unknown if value and value.strip()]
        return _compare_page(request, plan, numbers, unknown=named, status=404)
    old, new = found[old_number], found[new_number]  # type: ignore[index]
    groups = readable.readable_diff(old.snapshot, new.snapshot)
    context = {"old": old, "new": new, "groups": groups, "change_count": readable.count_changes(groups)}
    return _compare_page(request, plan, numbers, extra=context)


def _compare_page(
    request: HttpRequest,
    plan: Plan,
    numbers: list[int],
    *,
    unknown: list[str] | None = None,
    status: int = 200,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """The comparison page. `unknown`, when given, lists the asked numbers that name no version (empty when
    a number was left out or is not a number)."""
    context = {"plan": plan, "numbers": numbers, "invalid": unknown is not None, "unknown": unknown or []}
    context |= extra or {}
    return render(request, "portal/versions_compare.html", context, status=status)
