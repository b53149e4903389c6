"""Loading the law as data: the legal bases of content/legal_bases.yaml."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from socialplan.opportunities.legal_bases import CONTENT_FILE, LegalBasisDataError, load_legal_bases
from socialplan.opportunities.models import LegalBasis, ValueCap

EXPECTED = {
    "dlgs36-2023-public-tender",
    "dlgs36-2023-art61",
    "dlgs50-2016-public-tender",
    "dlgs50-2016-art112",
    "l381-1991-art5",
    "dlgs117-2017-art55",
    "dlgs117-2017-art56",
    "private-procurement",
    "finance-instrument",
    "training-programme",
    "public-asset-concession",
}


def test_the_file_loads_every_legal_basis_with_its_rule(legal_bases) -> None:
    assert set(legal_bases) == EXPECTED
    art61 = legal_bases["dlgs36-2023-art61"]
    assert art61.min_disadvantaged_share == Decimal("30")
    assert art61.title_it == "Appalto riservato" and art61.title_en == "Reserved contract"
    art5 = legal_bases["l381-1991-art5"]
    assert art5.eligible_legal_forms == ["coop_b", "coop_consortium"]
    assert art5.excluded_cpv_prefixes == ["80", "85"]
    assert art5.value_cap_on(date(2025, 6, 1)).max_value == Decimal("221000")
    assert art5.value_cap_on(date(2026, 1, 1)).max_value == Decimal("216000")
    assert art5.value_cap_on(date(2028, 1, 1)) is None
    assert legal_bases["dlgs117-2017-art55"].third_sector_only is True
    art56 = legal_bases["dlgs117-2017-art56"]
    assert (art56.eligible_legal_forms, art56.eligible_runts_sections, art56.min_months_in_runts) == (
        ["odv", "aps"],
        ["a", "b"],
        6,
    )


def test_loading_twice_changes_nothing(legal_bases) -> None:
    caps = list(ValueCap.objects.values_list("legal_basis__code", "max_value", "valid_from"))
    report = load_legal_bases()
    assert report.created == [] and report.updated == []
    assert set(report.unchanged) == EXPECTED
    assert LegalBasis.objects.count() == len(EXPECTED)
    assert list(ValueCap.objects.values_list("legal_basis__code", "max_value", "valid_from")) == caps


def test_loading_again_restores_what_the_file_says(legal_bases) -> None:
    LegalBasis.objects.filter(code="dlgs36-2023-art61").update(min_disadvantaged_share=10)
    report = load_legal_bases()
    assert report.updated == ["dlgs36-2023-art61"]
    assert LegalBasis.objects.get(code="dlgs36-2023-art61").min_disadvantaged_share == Decimal("30")


def _broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = CONTENT_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "legal_bases.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "entry", "field"),
    [
        (
            "min_disadvantaged_share: 30",
            "min_disadvantaged_share: thirty",
            "dlgs36-2023-art61",
            "min_disadvantaged_share",
        ),
        ("min_disadvantaged_share: 30", "min_disadvantaged_share: 130", "dlgs36-2023-art61", "min_disadvantaged_share"),
        ("legal_forms: [odv, aps]", "legal_forms: [odv, club]", "dlgs117-2017-art56", "legal_forms"),
        ("runts_sections: [a, b]", "runts_sections: [a, z]", "dlgs117-2017-art56", "runts_sections"),
        (
            'excluded_cpv_prefixes: ["80", "85"]',
            'excluded_cpv_prefixes: ["health"]',
            "l381-1991-art5",
            "excluded_cpv_prefixes",
        ),
        ("min_months_in_runts: 6", "min_months_in_runts: six", "dlgs117-2017-art56", "min_months_in_runts"),
        (
            "valid_from: 2017-08-03\n    third_sector_only",
            "valid_from: 3 August 2017\n    third_sector_only",
            "dlgs117-2017-art55",
            "valid_from",
        ),
        ("third_sector_only: true", "third_sector_only: maybe", "dlgs117-2017-art55", "third_sector_only"),
        ("    title_en: Reserved contract\n", "", "dlgs36-2023-art61", "title_en"),
        ("max_value: 216000", "max_value: -216000", "l381-1991-art5", "value_caps[2].max_value"),
        ("valid_to: 2027-12-31", "valid_to: 2025-12-31", "l381-1991-art5", "value_caps[2].valid_to"),
        (
            "    min_months_in_runts: 6\n",
            "    min_months_in_runts: 6\n    minimum_age: 18\n",
            "dlgs117-2017-art56",
            "minimum_age",
        ),
    ],
)
def test_a_bad_entry_is_named_with_its_field_and_nothing_is_loaded(db, tmp_path, old, new, entry, field) -> None:
    path = _broken_copy(tmp_path, old, new)
    with pytest.raises(LegalBasisDataError) as raised:
        load_legal_bases(path)
    assert (raised.value.path, raised.value.entry, raised.value.field) == (path, f"entry '{entry}'", field)
    assert LegalBasis.objects.count() == 0 and ValueCap.objects.count() == 0


def test_a_code_listed_twice_is_refused(db, tmp_path) -> None:
    path = _broken_copy(tmp_path, "code: training-programme", "code: finance-instrument")
    with pytest.raises(LegalBasisDataError, match="used twice"):
        load_legal_bases(path)
    assert LegalBasis.objects.count() == 0


def test_a_file_that_is_not_yaml_is_refused(db, tmp_path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("legal_bases:\n  - code: [unclosed\n", encoding="utf-8")
    with pytest.raises(LegalBasisDataError, match="not valid YAML"):
        load_legal_bases(path)


def test_the_command_loads_and_reports(db) -> None:
    call_command("load_legal_bases", stdout=(output := _Output()))
    assert "11 created, 0 updated, 0 unchanged" in output.text
    call_command("load_legal_bases", stdout=(output := _Output()))
    assert "0 created, 0 updated, 11 unchanged" in output.text


def test_the_command_names_file_entry_and_field_of_a_fault(db, tmp_path) -> None:
    path = _broken_copy(tmp_path, "min_disadvantaged_share: 30", "min_disadvantaged_share: thirty")
    with pytest.raises(CommandError) as raised:
        call_command("load_legal_bases", file=path)
    message = str(raised.value)
    assert message.startswith("Nothing was loaded:")
    assert str(path) in message and "entry 'dlgs36-2023-art61'" in message and "'min_disadvantaged_share'" in message
    assert LegalBasis.objects.count() == 0


class _Output:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass
