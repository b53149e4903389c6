"""Social value: the measures file, commitments and deliveries, and their indicative EUR per contract, buyer
and supplier."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from socialplan.ecosystem.models import LegalForm
from socialplan.ecosystem.tests.factories import make_organization
from socialplan.opportunities.awards import SupplierSpec, record_award
from socialplan.opportunities.models import Buyer, ProxyValue, SocialValueCommitment, SocialValueMeasure
from socialplan.opportunities.social_value import (
    CONTENT_FILE,
    SocialValueDataError,
    commit_social_value,
    load_social_value,
    report_delivery,
    social_value,
)

from .factories import make_opportunity


@pytest.fixture
def measures(db) -> dict[str, SocialValueMeasure]:
    load_social_value()
    return {measure.code: measure for measure in SocialValueMeasure.objects.all()}


def test_the_file_loads_every_measure_with_an_indicative_proxy_and_its_source(measures):
    assert {"disadvantaged-hires", "training-hours", "apprenticeships", "local-spend", "volunteer-hours"} <= set(
        measures
    )
    for proxy in ProxyValue.objects.all():
        assert proxy.source.startswith("Indicative.") and proxy.eur_per_unit > 0
    assert measures["training-hours"].name_it == "Ore di formazione"
    assert measures["training-hours"].name_en == "Hours of training"


def test_loading_again_changes_nothing_and_the_file_wins(measures):
    SocialValueMeasure.objects.filter(code="training-hours").update(name_it="Cambiato")
    output = io.StringIO()
    call_command("load_social_value", stdout=output)
    assert "1 updated, 4 unchanged" in output.getvalue()
    assert SocialValueMeasure.objects.get(code="training-hours").name_it == "Ore di formazione"
    assert ProxyValue.objects.count() == len(measures)


@pytest.mark.parametrize(
    ("broken", "entry", "field"),
    [
        ("  - code: x\n    name_it: X\n", "entry 'x'", "name_en"),
        (CONTENT_FILE.read_text().replace("eur_per_unit: 22", "eur_per_unit: -22"), "'training-hours'", "eur_per_unit"),
        (CONTENT_FILE.read_text().replace("eur_per_unit: 22", "eur_per_unit: ventidue"), "'training-hours'", "eur"),
        (
            CONTENT_FILE.read_text().replace(
                "valid_from: 2024-01-01\n        source: >-\n          Indicative. Unit",
                "valid_from: soon\n        source: >-\n          Indicative. Unit",
            ),
            "'training-hours'",
            "valid_from",
        ),
        (
            CONTENT_FILE.read_text().replace("unit_en: weeks", "unit_en: weeks\n    colour: red"),
            "apprenticeships",
            "colour",
        ),
        (CONTENT_FILE.read_text().replace("code: volunteer-hours", "code: training-hours"), "'training-hours'", "code"),
    ],
)
def test_a_faulty_file_is_refused_whole_naming_the_entry_and_the_field(db, tmp_path, broken, entry, field):
    path = tmp_path / "social_value.yaml"
    path.write_text(broken if broken.startswith("measures") or "\nmeasures:" in broken else "measures:\n" + broken)
    with pytest.raises(SocialValueDataError) as error:
        load_social_value(path)
    assert entry in error.value.entry and field in error.value.field
    assert not SocialValueMeasure.objects.exists()
    with pytest.raises(CommandError, match=r"social_value\.yaml"):
        call_command("load_social_value", "--file", str(path), stdout=io.StringIO())


@pytest.fixture
def contracts(legal_bases, buyer, measures):
    """Two contracts of two buyers; the first won by a type B cooperative and a company together."""
    cooperative = make_organization(legal_form=LegalForm.SOCIAL_COOP_B, legal_name="Cooperativa Alfa")
    company = make_organization(legal_form=LegalForm.COMPANY, runts_section="", legal_name="Impresa Beta")
    other_buyer = Buyer.objects.create(name="Città metropolitana di Torino", codice_fiscale="01907990012")
    first = record_award(
        opportunity=make_opportunity(legal_bases["dlgs36-2023-art61"], buyer),
        date=date(2026, 5, 4),
        value=Decimal("100000"),
        suppliers=[SupplierSpec(organization=cooperative), SupplierSpec(organization=company)],
    )
    second = record_award(
        opportunity=make_opportunity(legal_bases["l381-1991-art5"], other_buyer, title_it="Manutenzione del verde"),
        date=date(2026, 6, 1),
        value=Decimal("50000"),
        suppliers=[SupplierSpec(organization=cooperative)],
    )
    return first, second, cooperative, company


def test_commitments_and_deliveries_refuse_bad_input_on_their_field(contracts, measures):
    award = contracts[0]
    hires = measures["disadvantaged-hires"]
    good = {"award": award, "measure": hires, "quantity": Decimal("2"), "period_start": date(2026, 6, 1)}
    for changes, field in (({"quantity": Decimal("-1")}, "quantity"), ({"period_end": date(2026, 1, 1)}, "period_end")):
        with pytest.raises(ValidationError) as error:
            commit_social_value(**{**good, "period_end": date(2027, 5, 31), **changes})
        assert field in error.value.message_dict
    assert not SocialValueCommitment.objects.exists()
    commitment = commit_social_value(**good, period_end=date(2027, 5, 31))
    for changes, field in (
        ({"quantity": Decimal("-3")}, "quantity"),
        ({"period_start": date(2026, 1, 1)}, "period_start"),
        ({"period_end": date(2028, 1, 1)}, "period_end"),
    ):
        fields = {"period_start": date(2026, 6, 1), "period_end": date(2026, 12, 31), "quantity": 1, **changes}
        with pytest.raises(ValidationError) as error:
            report_delivery(commitment=commitment, **fields)
        assert field in error.value.message_dict
    assert not commitment.deliveries.exists()


def test_eur_is_the_quantity_times_the_proxy_in_force_at_the_end_of_the_period(contracts, measures):
    first, second, _cooperative, _company = contracts
    training = measures["training-hours"]
    ProxyValue.objects.filter(measure=training).update(valid_to=date(2026, 12, 31))
    ProxyValue.objects.create(measure=training, eur_per_unit=30, valid_from=date(2027, 1, 1), source="Indicative.")
    hires = commit_social_value(
        award=first, measure=measures["disadvantaged-hires"], quantity=Decimal("2"),
        period_start=date(2026, 6, 1), period_end=date(2027, 5, 31),
    )  # fmt: skip
    commit_social_value(
        award=first, measure=training, quantity=Decimal("100"),
        period_start=date(2026, 6, 1), period_end=date(2027, 5, 31),
    )  # fmt: skip
    report_delivery(commitment=hires, period_start=date(2026, 6, 1), period_end=date(2026, 12, 31), quantity=1)
    commit_social_value(
        award=second, measure=training, quantity=Decimal("10"),
        period_start=date(2026, 6, 1), period_end=date(2026, 12, 31),
    )  # fmt: skip

    per_contract = {row.key: row for row in social_value("award")}
    assert per_contract[first.pk].committed_eur == Decimal("31000.00")  # 2 x 14,000 + 100 x 30 (2027 proxy)
    assert per_contract[first.pk].delivered_eur == Decimal("14000.00")
    assert per_contract[second.pk].committed_eur == Decimal("220.00")  # 10 x 22 (2026 proxy)
    figures = {item.measure.code: item for item in per_contract[first.pk].measures}
    assert figures["disadvantaged-hires"].delivered_share == Decimal("50")

    per_buyer = {row.label: row.committed_eur for row in social_value("buyer")}
    assert per_buyer == {"Comune di Torino": Decimal("31000.00"), "Città metropolitana di Torino": Decimal("220.00")}
    per_supplier = {row.label: row.committed_eur for row in social_value("supplier")}
    assert per_supplier == {"Cooperativa Alfa": Decimal("31220.00"), "Impresa Beta": Decimal("31000.00")}
    (everything,) = social_value("all")
    assert (everything.committed_eur, everything.delivered_eur) == (Decimal("31220.00"), Decimal("14000.00"))


def test_a_quantity_without_a_proxy_in_force_has_no_eur_figure(contracts, measures):
    volunteering = measures["volunteer-hours"]
    commit_social_value(
        award=contracts[0], measure=volunteering, quantity=Decimal("40"),
        period_start=date(2020, 1, 1), period_end=date(2020, 12, 31),
    )  # fmt: skip
    (row,) = social_value("award")
    assert row.measures[0].committed_eur is None and row.without_proxy and row.committed_eur == Decimal("0.00")
