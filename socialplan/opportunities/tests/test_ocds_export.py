"""The registry as an OCDS release package: valid against the official schema, imported and typed alike."""

import io
import json
from datetime import date
from decimal import Decimal

from django.core.management import call_command

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
