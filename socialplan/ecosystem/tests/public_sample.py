"""A small, known ecosystem on the real Turin plan and territory, for the public pages and the API.

`build_sample()` makes five organizations whose every figure the tests can
state; `grow_sample(factor)` adds `factor` times as many with the same shape
(activities, capabilities, comuni served, people, partnerships, pledges with
progress), to show that query counts do not depend on data size.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from socialplan.ecosystem.models import (
    AtecoActivity,
    CpvCode,
    LegalForm,
    Organization,
    Partnership,
    Person,
    Pledge,
    PledgeProgress,
    Position,
)
from socialplan.ecosystem.tests.factories import valid_codice_fiscale
from socialplan.plan.models import Action, Objective, Plan, Theme
from socialplan.territory.models import Comune

# Private contact data that must never reach a public page or the API.
PRIVATE_EMAIL = "maria.rossi.private@example.org"
PRIVATE_PHONE = "+39 333 123 4567"
HIDDEN_PERSON = ("Luigi", "Segretissimo")

TORINO, MONCALIERI, IVREA, PINEROLO = "001272", "001156", "001125", "001191"

CPV_CODES = [
    ("85000000", "85", 1, "Servizi sanitari e di assistenza sociale", "Health and social work services"),
    ("85300000", "85", 2, "Servizi di assistenza sociale e servizi affini", "Social work and related services"),
    (
        "90000000",
        "90",
        1,
        "Servizi fognari, di raccolta dei rifiuti, di pulizia e ambientali",
        "Sewage, refuse, cleaning and environmental services",
    ),
    ("90910000", "90", 3, "Servizi di pulizia", "Cleaning services"),
]


@dataclass
class Sample:
    germoglio: Organization
    citta_aperta: Organization
    volontari: Organization
    fondazione: Organization
    senza_sede: Organization
    sp_s1: Action
    sp_s2: Action
    governance_action: Action
    hiring_pledge: Pledge
    training_pledge: Pledge


def comune(istat_code: str) -> Comune:
    return Comune.objects.get(istat_code=istat_code)


def load_cpv_sample() -> dict[str, CpvCode]:
    return {
        code: CpvCode.objects.get_or_create(
            code=code, defaults={"division": division, "level": level, "label_it": label_it, "label_en": label_en}
        )[0]
        for code, division, level, label_it, label_en in CPV_CODES
    }


def build_sample(plan: Plan) -> Sample:
    """Five organizations. Facts the tests rely on are stated here, next to the data.

    - Il Germoglio: type B cooperative, RUNTS d, seat Torino, serves Torino and
      Moncalieri, ATECO 81.21.00 (section O) and 88.10.00 (section R), CPV 90910000;
      leads sp-s1 (social procurement); pledges 10 hires, 4 reported.
    - Città Aperta: type A cooperative, RUNTS d, seat Moncalieri, serves Ivrea,
      ATECO 88.10.00 (R), CPV 85300000; partner in sp-s1, lead of gov-a1 (a
      governance action made here); one public person (Maria Rossi, whose email and phone are private)
      and one private person; pledges training with no report yet.
    - Volontari Più Vicini: ODV, RUNTS a, seat Ivrea, demo; supporter of sp-s2.
    - Fondazione Comunità Torinese: foundation, no RUNTS, seat Torino, serves
      Pinerolo; funder of sp-s1.
    - Senza Sede: APS, RUNTS b, no seat, nothing else.
    """
    cpv = load_cpv_sample()
    sp_s1 = Action.objects.get(objective__theme__plan=plan, code="sp-s1")
    sp_s2 = Action.objects.get(objective__theme__plan=plan, code="sp-s2")
    # The plan's content has actions under social procurement only: one more under governance.
    governance = Theme.objects.get(plan=plan, code="governance")
    objective = Objective.objects.create(theme=governance, code="gov-o1", title_it="Obiettivo di governance")
    governance_action = Action.objects.create(
        objective=objective, code="gov-a1", title_it="Tavolo di coprogettazione", title_en="Co-design table"
    )

    germoglio = Organization.objects.create(
        legal_name="Cooperativa Sociale Il Germoglio",
        codice_fiscale=valid_codice_fiscale(7_100_001),
        partita_iva=valid_codice_fiscale(7_100_001),
        legal_form=LegalForm.SOCIAL_COOP_B,
        runts_section="d",
        runts_number="12345",
        description="Inserimento lavorativo di persone svantaggiate: pulizie e manutenzione del verde.",
        seat_comune=comune(TORINO),
        website="https://germoglio.example.org",
        workforce=42,
        disadvantaged_share=Decimal("38.50"),
        volunteers=5,
        certifications="ISO 9001\nSA8000",
        source="RUNTS, elenco pubblicato",
        verified_on=date(2025, 3, 14),
    )
    germoglio.comuni_served.set([comune(TORINO), comune(MONCALIERI)])
    germoglio.cpv_codes.set([cpv["90910000"]])
    AtecoActivity.objects.create(organization=germoglio, code="81.21.00", section="O", is_primary=True)
    AtecoActivity.objects.create(organization=germoglio, code="88.10.00", section="R")

    citta_aperta = Organization.objects.create(
        legal_name="SOCIETÀ COOPERATIVA SOCIALE CITTÀ APERTA",
        codice_fiscale=valid_codice_fiscale(7_100_002),
        legal_form=LegalForm.SOCIAL_COOP_A,
        runts_section="d",
        description="Servizi educativi e assistenza domiciliare.",
        seat_comune=comune(MONCALIERI),
    )
    citta_aperta.comuni_served.set([comune(IVREA)])
    citta_aperta.cpv_codes.set([cpv["85300000"]])
    AtecoActivity.objects.create(organization=citta_aperta, code="88.10.00", section="R", title="Assistenza sociale")
    maria = Person.objects.create(first_name="Maria", last_name="Rossi", email=PRIVATE_EMAIL, phone=PRIVATE_PHONE)
    Position.objects.create(person=maria, organization=citta_aperta, role="Presidente", is_public=True)
    hidden = Person.objects.create(
        first_name=HIDDEN_PERSON[0], last_name=HIDDEN_PERSON[1], email="luigi@example.org", phone="+39 011 000"
    )
    Position.objects.create(person=hidden, organization=citta_aperta, role="Tesoriere", is_public=False)

    volontari = Organization.objects.create(
        legal_name="Associazione Volontari Più Vicini ODV",
        codice_fiscale=valid_codice_fiscale(7_100_003),
        legal_form=LegalForm.ODV,
        runts_section="a",
        seat_comune=comune(IVREA),
        is_demo=True,
    )
    fondazione = Organization.objects.create(
        legal_name="Fondazione Comunità Torinese",
        codice_fiscale=valid_codice_fiscale(7_100_004),
        legal_form=LegalForm.FOUNDATION,
        seat_comune=comune(TORINO),
    )
    fondazione.comuni_served.set([comune(PINEROLO)])
    senza_sede = Organization.objects.create(
        legal_name="Associazione Senza Sede APS",
        codice_fiscale=valid_codice_fiscale(7_100_005),
        legal_form=LegalForm.APS,
        runts_section="b",
    )

    Partnership.objects.create(action=sp_s1, organization=germoglio, role=Partnership.Role.LEAD)
    Partnership.objects.create(action=sp_s1, organization=citta_aperta, role=Partnership.Role.PARTNER)
    Partnership.objects.create(action=sp_s1, organization=fondazione, role=Partnership.Role.FUNDER)
    Partnership.objects.create(action=sp_s2, organization=volontari, role=Partnership.Role.SUPPORTER)
    Partnership.objects.create(action=governance_action, organization=citta_aperta, role=Partnership.Role.LEAD)

    hiring_pledge = Pledge.objects.create(
        organization=germoglio,
        action=sp_s1,
        title="Assumere persone svantaggiate",
        quantity=Decimal("10"),
        unit="assunzioni",
        due_date=date(2026, 12, 31),
    )
    PledgeProgress.objects.create(pledge=hiring_pledge, reported_on=date(2025, 6, 30), achieved=Decimal("2"))
    PledgeProgress.objects.create(pledge=hiring_pledge, reported_on=date(2025, 12, 31), achieved=Decimal("4"))
    training_pledge = Pledge.objects.create(
        organization=citta_aperta,
        action=sp_s1,
        title="Formare operatori sugli appalti sociali",
        quantity=Decimal("30"),
        unit="persone formate",
        due_date=date(2026, 6, 30),
    )
    return Sample(
        germoglio=germoglio,
        citta_aperta=citta_aperta,
        volontari=volontari,
        fondazione=fondazione,
        senza_sede=senza_sede,
        sp_s1=sp_s1,
        sp_s2=sp_s2,
        governance_action=governance_action,
        hiring_pledge=hiring_pledge,
        training_pledge=training_pledge,
    )


def grow_sample(plan: Plan, *, factor: int = 10, start: int = 0) -> int:
    """Add `factor` x 5 organizations shaped like the sample's, spread over comuni and the plan's actions.

    Each has two activities, two capabilities, two comuni served, a public and
    a private person, a partnership, and a pledge with two progress reports.
    Returns how many organizations it added.
    """
    cpv = list(load_cpv_sample().values())
    comuni = list(Comune.objects.order_by("istat_code").only("pk")[:40])
    actions = list(Action.objects.filter(objective__theme__plan=plan).order_by("pk"))
    forms = [LegalForm.SOCIAL_COOP_A, LegalForm.SOCIAL_COOP_B, LegalForm.ODV, LegalForm.APS, LegalForm.FOUNDATION]
    count = factor * 5
    for index in range(start, start + count):
        organization = Organization.objects.create(
            legal_name=f"Organizzazione cresciuta {index:04d}",
            codice_fiscale=valid_codice_fiscale(7_200_000 + index),
            legal_form=forms[index % len(forms)],
            runts_section="abcdefg"[index % 7],
            seat_comune_id=comuni[index % len(comuni)].pk,
            description=f"Descrizione {index}",
            is_demo=index % 3 == 0,
        )
        organization.comuni_served.set([comuni[(index + 1) % len(comuni)], comuni[(index + 2) % len(comuni)]])
        organization.cpv_codes.set([cpv[index % len(cpv)], cpv[(index + 1) % len(cpv)]])
        AtecoActivity.objects.create(organization=organization, code="88.10.00", section="R", is_primary=True)
        AtecoActivity.objects.create(organization=organization, code="81.21.00", section="O")
        person = Person.objects.create(first_name="P", last_name=f"{index}", email=f"p{index}@example.org")
        Position.objects.create(person=person, organization=organization, role="Presidente", is_public=True)
        secret = Person.objects.create(first_name="S", last_name=f"{index}", email=f"s{index}@example.org")
        Position.objects.create(person=secret, organization=organization, role="Socio", is_public=False)
        action = actions[index % len(actions)]
        role = Partnership.Role.PARTNER if action.partnerships.filter(role="lead").exists() else Partnership.Role.LEAD
        Partnership.objects.create(action=action, organization=organization, role=role)
        pledge = Pledge.objects.create(
            organization=organization,
            action=action,
            title=f"Impegno {index}",
            quantity=Decimal("20"),
            unit="persone",
            due_date=date(2026, 12, 31),
        )
        PledgeProgress.objects.create(pledge=pledge, reported_on=date(2025, 6, 30), achieved=Decimal("5"))
        PledgeProgress.objects.create(pledge=pledge, reported_on=date(2025, 12, 31), achieved=Decimal("9"))
    return count
