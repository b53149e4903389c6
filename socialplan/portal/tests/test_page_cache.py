"""Anonymous visitors get cached pages that an edit invalidates at once."""

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from socialplan.plan.models import Theme

LOCAL_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}


@pytest.fixture
def page_cache():
    with override_settings(CACHES=LOCAL_CACHE):
        cache.clear()
        caches["pages"].clear()
        yield
        cache.clear()
        caches["pages"].clear()


def get_counting_queries(client: Client, path: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_second_anonymous_visit_is_served_from_the_cache(torino, page_cache) -> None:
    client = Client()
    first, first_queries = get_counting_queries(client, "/piano/")
    second, second_queries = get_counting_queries(client, "/piano/")
    assert first_queries > 0
    assert second_queries == 0
    assert second == first


def test_an_edit_is_visible_on_the_next_visit(torino, page_cache) -> None:
    client = Client()
    get_counting_queries(client, "/piano/")
    theme = Theme.objects.get(code="governance")
    theme.title_it = "Governance condivisa"
    theme.save()
    page, queries = get_counting_queries(client, "/piano/")
    assert queries > 0
    assert "Governance condivisa" in page


def test_languages_are_cached_apart(torino, page_cache) -> None:
    client = Client()
    italian, _ = get_counting_queries(client, "/piano/")
    english, _ = get_counting_queries(client, "/en/piano/")
    assert 'lang="it"' in italian and 'lang="en"' in english


def test_signed_in_visitors_are_never_served_a_shared_page(torino, roles, page_cache) -> None:
    get_counting_queries(Client(), "/piano/")
    client = Client()
    client.force_login(roles.participant)
    _, queries = get_counting_queries(client, "/piano/")
    assert queries > 0


def test_missing_pages_are_not_cached(torino, page_cache) -> None:
    client = Client()
    assert client.get("/temi/nope/").status_code == 404
    Theme.objects.filter(code="governance").update(code="nope")
    assert client.get("/temi/nope/").status_code == 200
