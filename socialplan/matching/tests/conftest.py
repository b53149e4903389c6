"""The registry's fixtures (legal bases as the file states them, a buyer, CPV codes) and a small ecosystem."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from socialplan.ecosystem.models import CpvCode, LegalForm, Organization
from socialplan.ecosystem.tests.factories import make_organization
from socialplan.opportunities.tests.conftest import buyer, in_english, legal_bases  # noqa: F401

CPV = {
    "90911200": ("Servizi di pulizia di edifici", "Building-cleaning services"),
    "90910000": ("Servizi di pulizia", "Cleaning services"),
    "77310000": ("Servizi di piantagione e manutenzione di zone verdi", "Planting and maintenance of green areas"),
    "77311000": ("Servizi di manutenzione di giardini ornamentali", "Maintenance of ornamental gardens"),
    "85312000": ("Servizi di assistenza sociale senza alloggio", "Social work services without accommodation"),
    "85300000": ("Servizi di assistenza sociale e servizi affini", "Social work and related services"),
    "80530000": ("Servizi di formazione professionale", "Vocational training services"),
    "55520000": ("Servizi di catering", "Catering services"),
    "55500000": ("Servizi di mensa e di catering", "Canteen and catering services"),
    "72000000": ("Servizi informatici", "IT services"),
}


@pytest.fixture
def cpv(db) -> list[str]:
    for code, (label_it, label_en) in CPV.items():
        CpvCode.objects.create(
            code=code, division=code[:2], level=len(code.rstrip("0")), label_it=label_it, label_en=label_en
        )
    return list(CPV)


@dataclass
class Ecosystem:
    coop_b: Organization
    coop_a: Organization
    company: Organization
    catering: Organization
    training: Organization
    it_firm: Organization


def organization(*, cpv: tuple[str, ...] = (), **fields) -> Organization:
    found = make_organization(**fields)
    found.cpv_codes.set(cpv)
    return found


@pytest.fixture
def ecosystem(cpv) -> Ecosystem:
    return Ecosystem(
        coop_b=organization(
            legal_name="Cooperativa sociale Il Verde Pulito",
            legal_form=LegalForm.SOCIAL_COOP_B,
            description="Pulizia di uffici e manutenzione del verde pubblico con inserimento lavorativo.",
            disadvantaged_share=Decimal("42"),
            workforce=30,
            cpv=("90910000", "77310000"),
        ),
        coop_a=organization(
            legal_name="Cooperativa sociale Assistenza Insieme",
            legal_form=LegalForm.SOCIAL_COOP_A,
            description="Assistenza domiciliare e servizi sociali per anziani e famiglie.",
            workforce=80,
            cpv=("85300000", "90910000"),
        ),
        company=organization(
            legal_name="Pulizie Rapide srl",
            legal_form=LegalForm.COMPANY,
            runts_section="",
            description="Impresa di pulizia di uffici e condomini.",
            workforce=120,
            cpv=("90910000",),
        ),
        catering=organization(
            legal_name="Impresa sociale Mensa Aperta",
            legal_form=LegalForm.SOCIAL_ENTERPRISE,
            description="Ristorazione collettiva e catering per scuole.",
            disadvantaged_share=Decimal("35"),
            workforce=25,
            cpv=("55500000",),
        ),
        training=organization(
            legal_name="Associazione Formazione Lavoro",
            legal_form=LegalForm.APS,
            runts_section="b",
            description="Corsi di formazione professionale per giovani.",
            workforce=8,
            cpv=("80530000",),
        ),
        it_firm=organization(
            legal_name="Dati Sociali impresa sociale",
            legal_form=LegalForm.SOCIAL_ENTERPRISE,
            description="Servizi informatici e gestione dati per il Terzo settore.",
            workforce=10,
            cpv=("72000000",),
        ),
    )
