"""The registry as an OCDS release package: valid against the official schema, imported and typed alike."""

import io
import json
from datetime import date
from decimal import Decimal

from django.core.management import call_command

from socialplan.ecosystem.models import LegalForm
from socialplan.ecosystem.tests.factories import make_organization
from socialplan.opportunities.awards import SupplierSpec, record_award
from socialplan.opportunities.models import Opportunity
from socialplan.opportunities.ocds import validation_errors
from socialplan.opportunities.ocds.tests.conftest import ANAC_SAMPLE
from socialplan.opportunities.ocds_import import import_ocds
from socialplan.opportunities.services import DocumentSpec, LotSpec, create_opportunity

from .test_ocds_import import ready  # noqa: F401 - the legal bases and the CPV codes


def export(tmp_path) -> dict:
    path = tmp_path / "package.json"
    call_command("export_ocds", "--output", str(path), stderr=io.StringIO())
    return json.loads(path.read_text(encoding="utf-8"))


def test_imported_and_typed_opportunities_export_as_a_valid_package(ready, buyer, tmp_path):  # noqa: F811
    import_ocds(ANAC_SAMPLE)
    typed = create_opportunity(
        kind=Opportunity.Kind.RESERVED_CONTRACT,
        legal_basis=ready["dlgs36-2023-art61"],
        buyer=buyer,
        title="Pulizia degli uffici comunali",
        value=Decimal("120000"),
        published_on=date(2026, 3, 2),
        reserved_participation="res-ws",
        cpv_codes=["90911200"],
        lots=[LotSpec(number=1, title="Sede centrale", value=Decimal("80000"), cpv_codes=["90911200"])],
        documents=[DocumentSpec(title="Capitolato", url="https://example.org/capitolato.pdf")],
    )
    package = export(tmp_path)
    assert validation_errors(package) == []
    assert package["version"] == "1.1" and len(package["releases"]) == 13
    by_ocid = {release["ocid"]: release for release in package["releases"]}
    assert "ocds-hu01ve-8114164" in by_ocid
    mine = by_ocid[f"ocds-socialplan-opp-{typed.pk}"]
    assert mine["tender"]["otherRequirements"]["reservedParticipation"] == ["shelteredWorkshop"]
    assert mine["tender"]["lots"][0]["title"] == "Sede centrale"
    assert mine["tender"]["procurementMethodDetails"] == "Appalto riservato (art. 61 D.Lgs. 36/2023)"
    assert mine["buyer"]["name"] == buyer.name


def test_demo_opportunities_are_not_exported(ready, buyer, tmp_path):  # noqa: F811
    import_ocds(ANAC_SAMPLE)
    Opportunity.objects.filter(ocid="ocds-hu01ve-8114164").update(is_demo=True)
    package = export(tmp_path)
    assert len(package["releases"]) == 11 and validation_errors(package) == []


def test_awards_export_with_their_suppliers_as_parties_and_validate(ready, buyer, tmp_path):  # noqa: F811
    import_ocds(ANAC_SAMPLE)
    cooperative = make_organization(legal_form=LegalForm.SOCIAL_COOP_B, legal_name="Cooperativa Alfa")
    typed = create_opportunity(
        kind=Opportunity.Kind.RESERVED_CONTRACT,
        legal_basis=ready["dlgs36-2023-art61"],
        buyer=buyer,
        title="Pulizia degli uffici comunali",
        value=Decimal("120000"),
        published_on=date(2026, 3, 2),
        reserved_participation="res-ws",
        lots=[LotSpec(number=1, title="Sede centrale", value=Decimal("80000"))],
    )
    award = record_award(
        opportunity=typed,
        lot=typed.lots.get(),
        date=date(2026, 5, 4),
        value=Decimal("79500.50"),
        suppliers=[SupplierSpec(organization=cooperative), SupplierSpec(name="Impresa senza codice")],
    )
    record_award(opportunity=typed, date=date(2026, 5, 5), value=1, suppliers=[SupplierSpec(name="Demo")], is_demo=True)
    package = export(tmp_path)
    assert validation_errors(package) == []
    mine = next(release for release in package["releases"] if release["ocid"] == f"ocds-socialplan-opp-{typed.pk}")
    assert mine["tag"] == ["tender", "award"]
    (exported,) = mine["awards"]
    assert exported["id"] == f"award-{award.pk}" and exported["value"] == {"amount": 79500.5, "currency": "EUR"}
    assert exported["relatedLots"] == ["1"] and exported["status"] == "active"
    supplier_ids = [supplier["id"] for supplier in exported["suppliers"]]
    assert supplier_ids == [f"IT-CF-{cooperative.codice_fiscale}", "Impresa senza codice"]
    roles = {party["id"]: party["roles"] for party in mine["parties"]}
    assert roles[f"IT-CF-{cooperative.codice_fiscale}"] == ["supplier"] and roles["Impresa senza codice"] == [
        "supplier"
    ]
    imported = next(release for release in package["releases"] if release["ocid"] == "ocds-hu01ve-8365650")
    assert imported["awards"][0]["id"] == "2754824" and len(imported["awards"][0]["suppliers"]) == 2
