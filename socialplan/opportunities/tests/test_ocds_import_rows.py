"""The rows the OCDS import writes with plain INSERTs: every column as the real ANAC file and `bulk_create` say."""

import copy
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from socialplan.opportunities.models import Award, AwardSupplier, Buyer, LegalBasis, Lot, Opportunity
from socialplan.opportunities.ocds import RawRelease, parse_release
from socialplan.opportunities.ocds.tests.conftest import ANAC_SAMPLE
from socialplan.opportunities.ocds_import import _Insert, _Registry, import_ocds

from .test_ocds_import import package, ready, sample_releases  # noqa: F401 - ready: the legal bases and CPV codes

pytestmark = pytest.mark.usefixtures("ready")

# Columns the import does not set: the model's defaults.
DEFAULTS = {
    "co_design_kind": "",
    "currency": "EUR",
    "whole_area": False,
    "reserved_participation": "",
    "youth_women_hiring_quota": False,
    "reward_criteria": [],
    "eligible_legal_forms": [],
    "eligible_runts_sections": [],
    "third_sector_only": False,
    "min_disadvantaged_share": None,
    "instrument": "",
    "ticket_min": None,
    "ticket_max": None,
    "rate": None,
    "tenor_months": None,
    "co_financing_share": None,
    "target_age_min": None,
    "target_age_max": None,
    "places": None,
    "address": "",
    "area_m2": None,
    "concession_years": None,
    "is_demo": False,
}


def columns(model: type, pk: int) -> dict:
    """Every column of a row as stored (the translated fields' columns too, which the registry's reads merge)."""
    rows = model.objects.all()
    if hasattr(rows, "rewrite"):
        rows = rows.rewrite(False)
    return rows.filter(pk=pk).values().get()


def amount(value: dict | None) -> Decimal | None:
    return Decimal(str(value["amount"])) if value else None


def expected_opportunity(release: dict, index: int) -> dict:
    """The opportunity's columns, read from the release as the import's documentation states them."""
    parsed = parse_release(RawRelease(release, "anac", index))
    tender = release["tender"]
    published = timezone.localtime(parsed.tender_start or parsed.date).date()
    title = (tender.get("title") or "").strip()[:500] or release["ocid"]
    return {
        **DEFAULTS,
        "kind": Opportunity.Kind.PUBLIC_TENDER,
        # ANAC's releases of 2022 fall under the 2016 Code, in force until 30 June 2023.
        "legal_basis_id": LegalBasis.objects.get(
            code="dlgs50-2016-public-tender" if published < date(2023, 7, 1) else "dlgs36-2023-public-tender"
        ).pk,
        "buyer_id": Buyer.objects.get(codice_fiscale=release["buyer"]["id"]).pk,
        "title": title,
        "description": (tender.get("description") or "").strip(),
        "value": amount(tender.get("value")),
        "published_on": published,
        "deadline": parsed.deadline,
        "status": Opportunity.Status.AWARDED if release.get("awards") else Opportunity.Status.CLOSED,
        "source": Opportunity.Source.OCDS,
        "ocid": release["ocid"],
        "raw": release,
    }


def test_every_column_of_the_real_anac_sample_is_written_as_the_file_says():
    report = import_ocds(ANAC_SAMPLE)
    assert report.created == 12 and not report.refused
    for index, release in enumerate(sample_releases()):
        row = columns(Opportunity, Opportunity.objects.get(ocid=release["ocid"]).pk)
        expected = expected_opportunity(release, index)
        assert {name: row[name] for name in expected} == expected
        assert row["title_en"] == expected["title"]  # the active language's column, as a typed opportunity's
        assert row["created_at"] is not None and row["updated_at"] is not None
        lots = list(Lot.objects.filter(opportunity_id=row["id"]).order_by("number").values("number", "title", "value"))
        assert lots == [
            {"number": number, "title": (lot.get("title") or lot["id"])[:500], "value": amount(lot.get("value"))}
            for number, lot in enumerate(release["tender"]["lots"], start=1)
        ]
        codes = set(Opportunity.cpv_codes.through.objects.filter(opportunity_id=row["id"]).values_list("cpvcode_id"))
        assert codes == {(item["classification"]["id"][:8],) for item in release["tender"]["items"]}
        awards = Award.objects.filter(opportunity_id=row["id"]).order_by("ocds_award_id")
        lot_numbers = {lot["id"]: number for number, lot in enumerate(release["tender"]["lots"], start=1)}
        assert [
            (award.ocds_award_id, award.value, award.status, award.source, award.raw, award.lot.number)
            for award in awards
        ] == [
            (
                award["id"],
                amount(award.get("value")),
                Award.Status.ACTIVE,
                Award.Source.OCDS,
                award,
                lot_numbers[award["relatedLots"][0]],
            )
            for award in sorted(release.get("awards") or [], key=lambda award: award["id"])
        ]
        suppliers = AwardSupplier.objects.filter(award__opportunity_id=row["id"]).order_by("award__ocds_award_id", "pk")
        assert [(supplier.name, supplier.codice_fiscale) for supplier in suppliers] == [
            (supplier["name"].strip(), supplier["id"])
            for award in sorted(release.get("awards") or [], key=lambda award: award["id"])
            for supplier in award["suppliers"]
        ]


def every_kind_of_column(legal_basis: LegalBasis, buyer: Buyer, ocid: str) -> Opportunity:
    return Opportunity(
        kind=Opportunity.Kind.FINANCE,
        legal_basis=legal_basis,
        buyer=buyer,
        title="Fondo rotativo per l'economia sociale",
        description="Prestiti a tasso agevolato",
        value=Decimal("1250000.50"),
        published_on=date(2024, 3, 1),
        deadline=datetime(2024, 6, 30, 10, 0, tzinfo=UTC),
        status=Opportunity.Status.OPEN,
        instrument=Opportunity.Instrument.LOAN,
        ticket_min=Decimal("10000"),
        ticket_max=Decimal("250000.25"),
        rate=Decimal("1.125"),
        tenor_months=60,
        eligible_legal_forms=["social_coop_b"],
        third_sector_only=True,
        reward_criteria=["3"],
        source=Opportunity.Source.OCDS,
        ocid=ocid,
        raw={"tender": {"value": {"amount": 1250000.5}}, "tag": ["tender"]},
    )


def test_a_plain_insert_writes_the_columns_bulk_create_writes():
    legal_basis = LegalBasis.objects.get(code="dlgs36-2023-public-tender")
    buyer = Buyer.objects.create(name="Comune di Torino", codice_fiscale="00514490010")
    plain = every_kind_of_column(legal_basis, buyer, "ocds-plain")
    orm = every_kind_of_column(legal_basis, buyer, "ocds-orm")
    _Insert(Opportunity).write([plain])
    Opportunity.objects.bulk_create([orm])
    assert plain.pk is not None and not plain._state.adding
    plain_lot = Lot(opportunity=plain, number=1, title="Lotto", value=Decimal("99.99"))
    orm_lot = Lot(opportunity=orm, number=1, title="Lotto", value=Decimal("99.99"))
    _Insert(Lot).write([plain_lot])
    Lot.objects.bulk_create([orm_lot])
    plain_award = Award(opportunity=plain, lot=plain_lot, date=date(2024, 7, 1), value=Decimal("5.5"), raw={"id": 1})
    orm_award = Award(opportunity=orm, lot=orm_lot, date=date(2024, 7, 1), value=Decimal("5.5"), raw={"id": 1})
    _Insert(Award).write([plain_award])
    Award.objects.bulk_create([orm_award])
    _Insert(AwardSupplier).write([AwardSupplier(award=plain_award, name="Coop", share=Decimal("100"))], keys=False)
    AwardSupplier.objects.bulk_create([AwardSupplier(award=orm_award, name="Coop", share=Decimal("100"))])
    links = {"id", "ocid", "created_at", "updated_at", "opportunity_id", "lot_id", "award_id", "raw"}
    for model, pair in (
        (Opportunity, (plain, orm)),
        (Lot, (plain_lot, orm_lot)),
        (Award, (plain_award, orm_award)),
    ):
        written, expected = (columns(model, row.pk) for row in pair)
        assert {k: v for k, v in written.items() if k not in links} == {
            k: v for k, v in expected.items() if k not in links
        }
    assert Opportunity.objects.get(pk=plain.pk).raw == orm.raw
    assert Award.objects.get(pk=plain_award.pk).lot_id == plain_lot.pk
    assert list(AwardSupplier.objects.filter(award=plain_award).values_list("name", "share", "codice_fiscale")) == [
        ("Coop", Decimal("100.00"), "")
    ]


def test_a_row_linked_to_one_not_written_yet_is_not_inserted():
    legal_basis = LegalBasis.objects.get(code="dlgs36-2023-public-tender")
    unsaved = Opportunity(legal_basis=legal_basis, buyer=Buyer(name="Nuovo"), title="x", published_on=date(2024, 1, 1))
    with pytest.raises(ValueError, match="buyer"):
        _Insert(Opportunity).write([unsaved])
    assert not Opportunity.objects.exists()


def test_a_refused_release_leaves_no_row_among_the_written_ones(tmp_path):
    releases = sample_releases()
    refused = copy.deepcopy(releases[4])  # the one with four lots and four awards
    refused["ocid"] = "ocds-hu01ve-refused"
    refused["buyer"] = {"id": "00514490010", "name": "Comune di Torino"}
    refused["parties"].append({"id": "00514490010", "name": "Comune di Torino", "roles": ["buyer"]})
    refused["awards"][2]["value"] = {"amount": -5, "currency": "EUR"}
    report = import_ocds(package(tmp_path, [*releases[:6], refused, *releases[6:]]), accept_valid=True)
    assert (report.created, report.refused_releases) == (12, 1)
    assert [refusal.field for refusal in report.refused] == ["awards/2/value/amount"]
    assert not Opportunity.objects.filter(ocid="ocds-hu01ve-refused").exists()
    assert not Buyer.objects.filter(codice_fiscale="00514490010").exists()
    written = (Opportunity.objects.count(), Lot.objects.count(), Award.objects.count(), AwardSupplier.objects.count())
    Opportunity.objects.all().delete()
    Buyer.objects.all().delete()
    import_ocds(ANAC_SAMPLE)
    assert written == (
        Opportunity.objects.count(),
        Lot.objects.count(),
        Award.objects.count(),
        AwardSupplier.objects.count(),
    )


def test_new_opportunities_hold_the_model_defaults_and_share_no_list():
    registry = _Registry.load()
    first, second = registry.new_opportunity(), registry.new_opportunity()
    built = Opportunity()
    names = [field.attname for field in Opportunity._meta.concrete_fields]
    assert [getattr(first, name) for name in names] == [getattr(built, name) for name in names]
    assert first._state.adding and first.pk is None
    first.reward_criteria.append("3")
    first.eligible_legal_forms.append("social_coop_b")
    assert second.reward_criteria == [] and second.eligible_legal_forms == [] and registry.blank.reward_criteria == []
