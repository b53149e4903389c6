"""load_territory: the 312 comuni of the Città metropolitana di Torino, idempotent, never overwriting silently."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.db.models import F

from socialplan.territory.fileformat import AGE_BANDS, SEXES, population_field
from socialplan.territory.models import Comune, Territory
from socialplan.territory.services import LOAD_REASON, load_territory, load_territory_file


def run(*args: str) -> str:
    out = StringIO()
    call_command("load_territory", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_loads_the_312_comuni_of_the_metropolitan_city_of_turin() -> None:
    output = run("TO")
    assert "Territory 'TO': 313 created" in output
    territory = Territory.objects.get(code="TO")
    assert (territory.name_it, territory.name_en) == ("Città metropolitana di Torino", "Metropolitan City of Turin")
    assert (territory.istat_code, territory.kind, territory.region) == ("001", "metropolitan_city", "Piemonte")
    assert territory.reference_year == 2023
    assert territory.licence == "CC-BY-4.0"
    assert "ISTAT" in territory.attribution_it and "ISTAT" in territory.attribution_en
    assert territory.comuni.count() == 312

    torino = Comune.objects.get(istat_code="001272")
    assert (torino.name, torino.cadastral_code, torino.territory) == ("Torino", "L219", territory)
    assert torino.population_total > 800_000
    assert 45.0 < torino.latitude < 45.15 and 7.6 < torino.longitude < 7.75
    assert torino.boundary_geojson["type"] in ("Polygon", "MultiPolygon")
    # ISTAT's spelling, not the boundary source's 'Pont-Canavese'.
    assert Comune.objects.get(cadastral_code="G826").name == "Pont Canavese"


@pytest.mark.django_db
def test_every_comune_adds_up(turin: Territory) -> None:
    for comune in Comune.objects.all():
        assert comune.population_total > 0
        assert comune.population_male + comune.population_female == comune.population_total
        bands = [getattr(comune, population_field(band, sex)) for band in AGE_BANDS for sex in SEXES]
        assert sum(bands) == comune.population_total, comune


@pytest.mark.django_db
def test_the_database_refuses_figures_that_do_not_add_up(turin: Territory) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Comune.objects.filter(istat_code="001272").update(population_total=F("population_total") + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Comune.objects.filter(istat_code="001272").update(population_0_14_male=F("population_0_14_male") + 1)


@pytest.mark.django_db
def test_a_second_run_changes_nothing(turin: Territory) -> None:
    history = (Territory.history.count(), Comune.history.count())
    report = load_territory(code="TO")
    assert not report.created and not report.updated and not report.differences and not report.missing_from_file
    assert report.unchanged == 313
    assert (Territory.history.count(), Comune.history.count()) == history == (1, 312)
    assert Comune.history.filter(history_change_reason=LOAD_REASON).count() == 312


@pytest.mark.django_db
def test_corrections_on_the_platform_are_reported_and_kept(turin: Territory) -> None:
    Comune.objects.filter(istat_code="001272").update(name="Torino (TO)")
    output = run("TO")
    assert "comune 001272 Torino: name is 'Torino (TO)' in the database, 'Torino' in the territory file" in output
    assert "1 differences kept" in output
    assert Comune.objects.get(istat_code="001272").name == "Torino (TO)"

    output = run("TO", "--overwrite")
    assert "overwritten comune 001272 Torino" in output
    torino = Comune.objects.get(istat_code="001272")
    assert torino.name == "Torino"
    assert torino.history.latest().history_change_reason == LOAD_REASON


@pytest.mark.django_db
def test_long_values_are_shortened_in_the_report(turin: Territory) -> None:
    Comune.objects.filter(istat_code="001272").update(boundary='{"type":"Polygon","coordinates":[]}')
    [difference] = load_territory(code="TO").differences
    assert difference.field == "boundary"
    assert "characters) in the territory file" in str(difference)
    assert len(str(difference)) < 300


@pytest.mark.django_db
def test_comuni_no_longer_in_the_file_are_reported_and_kept(turin: Territory, broken_copy) -> None:
    def drop_the_last_comune(document: dict) -> None:
        document["features"].pop()
        document["metadata"]["comuni"] = 311

    report = load_territory_file(path=broken_copy(drop_the_last_comune))
    assert report.missing_from_file == ["comune 001318 Valchiusa"]
    assert Comune.objects.filter(istat_code="001318").exists()


@pytest.mark.django_db
def test_unknown_territory_lists_the_known_ones() -> None:
    with pytest.raises(CommandError, match=r"Unknown territory 'RM'\. Known territories: TO\."):
        run("RM")
    assert not Territory.objects.exists()


@pytest.mark.django_db
def test_a_file_of_another_territory_is_refused(broken_copy) -> None:
    def make_it_cuneo(document: dict) -> None:
        document["metadata"]["territory"]["code"] = "CN"

    with pytest.raises(CommandError, match=r"metadata\.territory\.code: is 'CN', the file was loaded as 'TO'"):
        run("TO", "--file", str(broken_copy(make_it_cuneo)))
    assert not Territory.objects.exists()
