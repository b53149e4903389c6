"""Invariants of the import, checked on generated input (hypothesis)."""

import tempfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialplan.ecosystem.imports import import_organizations
from socialplan.ecosystem.models import Organization
from socialplan.ecosystem.reference import ComuneIndex
from socialplan.ecosystem.services import RECORD_FIELDS, OrganizationCleaner, parse_decimal

from .registry_support import (  # noqa: F401 - fixtures
    comuni_fixture,
    cpv_codes_fixture,
    english_fixture,
    registry_fixture,
    template_row,
    template_rows,
    write_csv,
)

# A cleaner without the database: no comuni, a few CPV codes.
OFFLINE = OrganizationCleaner(comuni=ComuneIndex([]), cpv_codes=frozenset({"85311000"}))
ROWS = 12


@given(code=st.text(max_size=40))
def test_any_codice_fiscale_is_either_accepted_or_refused_with_a_message(code: str) -> None:
    try:
        record = OFFLINE.clean({"codice_fiscale": code, "legal_name": "X"}, creating=True)
    except ValidationError as error:
        assert set(error.message_dict) <= {"codice_fiscale"}
        assert all(error.message_dict.values())
    else:
        assert record.codice_fiscale and len(record.codice_fiscale) in (11, 16)


@given(data=st.dictionaries(st.sampled_from((*RECORD_FIELDS, "unknown")), st.text(max_size=30), max_size=8))
def test_any_row_of_text_is_either_cleaned_or_refused_field_by_field(data: dict[str, str]) -> None:
    try:
        OFFLINE.clean(data, creating=True)
    except ValidationError as error:
        assert set(error.message_dict) <= set(data) | {"codice_fiscale", "legal_name"}


@pytest.mark.django_db
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(subset=st.lists(st.integers(min_value=1, max_value=ROWS), unique=True, min_size=1))
def test_reimporting_any_subset_of_imported_rows_in_any_order_changes_nothing(registry, subset) -> None:
    if not Organization.objects.filter(legal_name__startswith="Cooperativa sociale numero").exists():
        with tempfile.TemporaryDirectory() as directory:
            path = write_csv(Path(directory) / "all.csv", template_rows(template_row(n) for n in range(1, ROWS + 1)))
            assert import_organizations(path=path).created == ROWS
    history = Organization.history.count()
    with tempfile.TemporaryDirectory() as directory:
        path = write_csv(Path(directory) / "subset.csv", template_rows(template_row(n) for n in subset))
        report = import_organizations(path=path)
    assert (report.created, report.changed, report.unchanged, report.rejected_rows) == (0, 0, len(subset), 0)
    assert Organization.history.count() == history


def test_a_number_too_large_for_a_decimal_is_refused_not_raised() -> None:
    """Found by the property above: 27 digits overflowed the decimal context and raised instead of refusing."""
    with pytest.raises(ValidationError, match="too large a number"):
        parse_decimal("100000000000000000000000000", places=2)
