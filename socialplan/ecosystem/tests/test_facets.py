"""The directory's facet index: kept per content version, rebuilt after a change, paged like a list."""

from array import array

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from hypothesis import given
from hypothesis import strategies as st

from socialplan.ecosystem import selectors
from socialplan.ecosystem.facets import FacetIndex, OrganizationsOf, facet_index
from socialplan.ecosystem.models import LegalForm
from socialplan.ecosystem.selectors import DirectoryFilters
from socialplan.territory.services import load_territory

from .public_sample import build_sample

KEEPING_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "facet-index-tests"},
    "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}


@pytest.fixture
def sample(torino):
    load_territory(code="TO")
    return build_sample(torino)


def queries_of(function) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as captured:
        result = function()
    return result, len(captured)


@override_settings(CACHES=KEEPING_CACHE)
def test_the_index_is_kept_until_the_content_changes(torino, sample):
    caches["default"].clear()
    first, built = queries_of(lambda: facet_index(plan=torino))
    again, reused = queries_of(lambda: facet_index(plan=torino))
    assert again is first
    assert reused < built, (reused, built)
    assert reused <= 1  # the content version only

    sample.germoglio.legal_form = LegalForm.APS
    sample.germoglio.save()  # a save replaces the content version

    rebuilt = facet_index(plan=torino)
    assert rebuilt is not first
    counts = selectors.directory(filters=DirectoryFilters(), plan=torino).facets["legal_form"]
    aps = next(value for value in counts.values if value.value == LegalForm.APS)
    assert aps.count == selectors.organizations_matching(DirectoryFilters(legal_form=LegalForm.APS)).count()


def test_a_directory_page_is_the_same_as_the_sorted_query(torino, sample):
    filters = DirectoryFilters(query="cooperativa")
    found = selectors.directory(filters=filters, plan=torino)
    expected = list(selectors.organizations_matching(filters, plan=torino))
    assert len(found.organizations) == len(expected) > 1
    assert list(found.organizations) == expected
    assert found.organizations[1:] == expected[1:]
    assert found.organizations[0] == expected[0]
    with pytest.raises(IndexError):
        found.organizations[len(expected)]


def _index_of(size: int) -> FacetIndex:
    ids = array("q", range(100, 100 + size))
    return FacetIndex(
        plan_id=None,
        ids=ids,
        ids_sorted=ids,
        positions=array("q", range(size)),
        everyone=(1 << size) - 1,
        bitmaps={},
        labels={},
    )


@given(
    chosen=st.sets(st.integers(min_value=0, max_value=20_000), max_size=300),
    start=st.integers(min_value=0, max_value=320),
    length=st.integers(min_value=0, max_value=30),
)
def test_ids_at_pages_the_set_bits_in_order(chosen, start, length):
    index = _index_of(20_001)
    bitmap = index.bitmap_of(100 + position for position in chosen)
    assert bitmap.bit_count() == len(chosen)
    expected = [100 + position for position in sorted(chosen)][start : start + length]
    assert index.ids_at(bitmap, start, start + length) == expected


def test_ids_unknown_to_the_index_are_left_out():
    index = _index_of(10)
    assert index.bitmap_of([99, 100, 109, 110]) == 0b1000000001


def test_organizations_of_an_empty_bitmap_read_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert list(OrganizationsOf(_index_of(10), 0)) == []
