"""Fixtures of the registry's tests: the legal bases as the file states them, a buyer, a few CPV codes."""

import pytest
from django.utils import translation

from socialplan.ecosystem.models import CpvCode
from socialplan.opportunities.legal_bases import load_legal_bases
from socialplan.opportunities.models import Buyer, LegalBasis

CPV = {
    "90911200": ("Servizi di pulizia di edifici", "Building-cleaning services"),
    "77310000": ("Servizi di piantagione e manutenzione di zone verdi", "Planting and maintenance of green areas"),
    "85311000": ("Servizi di assistenza sociale con alloggio", "Social work services with accommodation"),
    "80500000": ("Servizi di formazione", "Training services"),
}


@pytest.fixture(autouse=True)
def in_english():
    """Messages are read in English here; the Italian ones come from the translation files."""
    with translation.override("en"):
        yield


@pytest.fixture
def legal_bases(db) -> dict[str, LegalBasis]:
    load_legal_bases()
    return {basis.code: basis for basis in LegalBasis.objects.prefetch_related("value_caps")}


@pytest.fixture
def cpv_codes(db) -> list[str]:
    for code, (label_it, label_en) in CPV.items():
        CpvCode.objects.create(code=code, division=code[:2], level=4, label_it=label_it, label_en=label_en)
    return list(CPV)


@pytest.fixture
def buyer(db) -> Buyer:
    # Comune di Torino's codice fiscale.
    return Buyer.objects.create(name="Comune di Torino", codice_fiscale="00514490010", kind=Buyer.Kind.PUBLIC)
