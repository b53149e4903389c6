"""Demo organizations: an invented ecosystem spread over the territory's comuni.

The Quick start shows the directory, the map and the network with about 500
organizations that do not exist. Everything about them is invented but valid:
names in the style of each legal form, codici fiscali with a correct check
digit in a range no one is likely to hold (progressive numbers from 9990001,
office code 001, Turin's), RUNTS sections that follow the legal form, real
ATECO 2025 codes and real CPV codes that suit it, workforce, disadvantaged
share, volunteers and the comuni served (the seat and its nearest comuni).
Every row has `is_demo=True` and the source "Dati dimostrativi". We do not
give demo profiles to real bodies (a real comune with an invented workforce
and pledges would state falsehoods about it): demo public bodies are invented
too.

Organizations are drawn one by one from their serial number alone
(`OrganizationInventor.invent`), so the same serial always gives the same
organization whatever else is loaded; the scale-data generator of the
benchmarks (bench/scale.py) draws its organizations from the same inventor in
another codice fiscale range. `write_organizations` streams them into the
database in batches, with their ATECO activities and the many-to-many rows,
without per-row saves: the demo loads in about a second and the benchmark's
400,000 organizations in minutes, in flat memory.

`load_demo` is idempotent: it creates only the demo organizations,
partnerships and pledges that are missing, and never changes or links a
non-demo organization (a demo codice fiscale held by a real organization is
reported and skipped). `remove_demo` deletes every demo organization, and
with them their partnerships and pledges.
"""

from __future__ import annotations

import bisect
import math
import random
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import accumulate, islice
from typing import Any

from django.db import connection, models, transaction
from stdnum import luhn

from socialplan.core.cache import bump_content_version
from socialplan.plan.models import Action
from socialplan.territory.models import Comune

from .models import (
    AtecoActivity,
    CpvCode,
    LegalForm,
    Organization,
    Partnership,
    Pledge,
    PledgeProgress,
    RuntsSection,
)
from .reference import AtecoEntry, lookup_ateco

DEMO_SOURCE = "Dati dimostrativi"
DEMO_COUNT = 500
DEMO_SEED = "socialplan-demo"
# Codici fiscali of entities: 7-digit progressive number, 3-digit office code
# (001 is Turin's), Luhn check digit (the partita IVA algorithm).
DEMO_FIRST_PROGRESSIVE = 9_990_000
DEMO_MAX_COUNT = 9_999
TURIN_OFFICE = "001"
ATECO_EDITION = "2025"
BATCH_SIZE = 2_000
# Fixed dates, not the day of loading, so that every load gives the same rows.
SINCE = date(2025, 10, 1)
PLEDGE_DUE = date(2027, 12, 31)
PROGRESS_DATES = (date(2025, 12, 31), date(2026, 6, 30))


def invented_codice_fiscale(*, progressive: int) -> str:
    """An entity's codice fiscale with a valid check digit: progressive number, Turin's office code, Luhn digit."""
    if not 0 < progressive < 10_000_000:
        raise ValueError(f"A codice fiscale's progressive number has 7 digits, not {progressive}.")
    body = f"{progressive:07d}{TURIN_OFFICE}"
    return body + luhn.calc_check_digit(body)


def demo_codice_fiscale(serial: int) -> str:
    if not 0 < serial <= DEMO_MAX_COUNT:
        raise ValueError(f"Demo serial numbers run from 1 to {DEMO_MAX_COUNT}, not {serial}.")
    return invented_codice_fiscale(progressive=DEMO_FIRST_PROGRESSIVE + serial)


# Names: pieces that Italian organizations of each form actually use, composed.
# fmt: off
EVOCATIVE = (
    "Il Girasole", "La Rondine", "Il Ponte", "L'Aquilone", "Il Sentiero", "Il Melograno", "La Quercia",
    "Il Grillo Parlante", "Orizzonti", "Nuovi Passi", "Terra Mia", "Il Faro", "La Bussola", "Il Cerchio",
    "Mani Unite", "Oltre il Muro", "Il Seme", "Germogli", "Radici", "Il Filo d'Erba", "La Casa dei Colori",
    "Il Glicine", "L'Ulivo", "La Lanterna", "Il Mosaico", "Stella Polare", "Il Pellicano", "Altrove",
    "Senza Confini", "Porte Aperte", "Fili Intrecciati", "Il Noce", "La Meridiana", "Il Trifoglio",
    "La Clessidra", "Il Gabbiano", "La Finestra", "Passo dopo Passo", "Il Volo", "Tessere", "Il Castagno",
    "La Ginestra", "Il Papavero", "Il Mulino", "La Sorgente", "Il Gomitolo", "Ponti di Vista",
    "Voci di Quartiere", "Spazio Comune", "Cortile Aperto", "Piazza Viva", "Il Tiglio", "La Lucciola",
    "L'Albero delle Idee", "Controvento", "Il Timone", "Il Pozzo", "Il Crocevia", "La Rosa dei Venti",
    "Il Nido", "Il Mandorlo", "Le Api Operose", "La Formica", "Il Riccio", "Il Camaleonte", "La Cicogna",
    "Il Quadrifoglio", "La Mongolfiera", "Il Vento in Poppa", "La Bottega delle Idee", "Il Fiore del Deserto",
    "Punto a Capo", "Filo Rosso", "La Chiocciola", "Il Ciliegio", "Il Salice", "La Betulla", "Il Larice",
    "La Genziana", "La Stella Alpina", "Il Biancospino", "La Viola", "Il Tarassaco", "La Spiga",
    "Il Granaio", "La Cascina", "Il Focolare", "La Soglia", "L'Approdo", "Il Guado", "Il Varco",
    "La Staffetta", "Il Testimone", "Il Cantiere", "L'Officina", "La Trama", "L'Ordito", "Il Telaio",
    "Il Fuso", "La Rete", "Il Nodo", "L'Intreccio", "Il Sestante", "L'Astrolabio", "La Vela",
)
BRANDS = (
    "Aurora", "Orizzonte", "Alpi", "Sorgente", "Radice", "Levante", "Meridiana", "Altavia", "Dora",
    "Stura", "Sangone", "Chisone", "Collina", "Pianura", "Monviso", "Gran Paradiso", "Tramontana",
    "Verdeluce", "Brina", "Ginepro", "Castagno", "Nocciola", "Vigna", "Borgo", "Rocca", "Cascina",
)
SURNAMES = (
    "Bertolino", "Bosio", "Giordano", "Martina", "Grosso", "Cena", "Audisio", "Bonino", "Gili", "Mana",
    "Perotti", "Chiesa", "Alessio", "Barbero", "Bergese", "Cravero", "Dalmasso", "Ghione", "Lingua",
    "Operti", "Pautasso", "Rinaudo", "Tosco", "Allasia", "Avataneo", "Canavesio", "Bollati", "Costamagna",
    "Gerbaudo", "Borgogno", "Savio", "Arnaudo", "Revello", "Bruna", "Demaria", "Giraudo", "Quaglia",
    "Vottero", "Pejrone", "Rubiolo", "Ceresa", "Actis", "Grange", "Peirano", "Bonetto",
)
FIRST_NAMES = (
    "Anna", "Luigi", "Maria", "Giovanni", "Teresa", "Carlo", "Margherita", "Pietro", "Lucia", "Giuseppe",
    "Elena", "Franco", "Rosa", "Aldo", "Clara", "Sergio", "Irene", "Mario", "Paola", "Enrico",
)
TRADES = ("Servizi", "Costruzioni", "Pulizie", "Informatica", "Ristorazione", "Logistica", "Impianti", "Stampa")
# Words of legal forms and articles, left out of invented web addresses.
GENERIC_WORDS = frozenset({
    "il", "lo", "la", "i", "gli", "le", "l", "di", "del", "della", "dei", "delle", "e", "ed", "per", "sull",
    "sulle", "a", "al", "alla", "s", "r", "p", "n", "c", "sb", "srl", "spa", "snc", "scs", "sgr", "aps", "odv",
    "ets", "associazione", "promozione", "sociale", "sociali", "volontariato", "gruppo", "volontari", "culturale",
    "circolo", "comitato", "cooperativa", "cooperative", "societa", "consorzio", "impresa", "ente", "filantropico",
    "fondo", "territorio", "rete", "coordinamento", "terzo", "settore", "mutuo", "soccorso", "mutua", "benefit",
    "officine", "fondazione", "azienda", "pubblica", "servizi", "persona", "intercomunale", "socio",
    "assistenziali", "centro", "studi", "economia", "istituto", "ricerca", "laboratorio", "innovazione"
})
# fmt: on


@dataclass(frozen=True)
class Profile:
    """What organizations of one legal form look like; the weight is their share of the ecosystem (%)."""

    weight: float
    names: tuple[str, ...]
    runts: tuple[str, ...] = ("",)
    ateco: tuple[str, ...] = ()
    cpv: tuple[str, ...] = ()
    workforce: tuple[int, int, int] = (0, 0, 0)  # minimum, median, maximum
    volunteers: tuple[int, int, int] | None = None
    # Share of disadvantaged workers (%): lower and upper bound, and how many have one.
    disadvantaged: tuple[float, float, float] | None = None
    served: tuple[int, int] = (0, 2)  # comuni served besides the seat
    vat_share: float = 1.0  # how many have a partita IVA (commercial activity)
    certifications: tuple[tuple[str, float], ...] = ()
    description: str = ""


ISO_9001 = ("UNI EN ISO 9001:2015", 0.35)
SA_8000 = ("SA8000:2014", 0.08)
ISO_14001 = ("UNI EN ISO 14001:2015", 0.12)
PROFILES: dict[str, Profile] = {
    LegalForm.APS: Profile(
        weight=20,
        names=(
            "Associazione di promozione sociale {evocative}",
            "{evocative} APS",
            "Associazione culturale {evocative} APS",
            "Circolo {evocative} APS",
        ),
        runts=(RuntsSection.APS,),
        ateco=("94.99", "93.29", "90.20", "85.52", "93.19", "88.99", "91.30"),
        cpv=("92000000", "79952000", "80500000", "92310000", "98133000", "92600000"),
        workforce=(0, 1, 12),
        volunteers=(5, 25, 150),
        served=(0, 2),
        vat_share=0.3,
        description="Associazione di promozione sociale con sede a {comune}. Attività principale: {activity}.",
    ),
    LegalForm.ODV: Profile(
        weight=16,
        names=("{evocative} ODV", "Associazione di volontariato {evocative} ODV", "Gruppo volontari {evocative} ODV"),
        runts=(RuntsSection.ODV,),
        ateco=("88.99", "94.99", "86.92", "88.10", "87.99"),
        cpv=("85300000", "85143000", "98133000", "85312400"),
        workforce=(0, 0, 6),
        volunteers=(10, 35, 250),
        served=(0, 3),
        vat_share=0.0,
        description="Organizzazione di volontariato con sede a {comune}. Attività principale: {activity}.",
    ),
    LegalForm.SOCIAL_COOP_A: Profile(
        weight=12,
        names=("{evocative} Società Cooperativa Sociale", "Cooperativa Sociale {evocative}", "{evocative} s.c.s."),
        runts=(RuntsSection.SOCIAL_ENTERPRISE,),
        ateco=("88.10", "87.30", "88.91", "88.99", "85.59", "87.20", "87.99", "85.10"),
        cpv=("85300000", "85310000", "85311000", "85312000", "85311200", "85311300", "85312100", "80500000"),
        workforce=(5, 40, 900),
        volunteers=(0, 3, 30),
        disadvantaged=(0.0, 8.0, 0.2),
        served=(2, 8),
        certifications=(ISO_9001, SA_8000),
        description=(
            "Cooperativa sociale di tipo A (servizi socio-sanitari ed educativi) con sede a {comune}. "
            "Attività principale: {activity}."
        ),
    ),
    LegalForm.SOCIAL_COOP_B: Profile(
        weight=8,
        names=("{evocative} Società Cooperativa Sociale", "Cooperativa Sociale {evocative}", "{evocative} s.c.s."),
        runts=(RuntsSection.SOCIAL_ENTERPRISE,),
        ateco=("81.21", "81.30", "38.11", "38.21", "56.22", "82.92", "96.10", "01.13", "82.99"),
        cpv=(
            "90910000",
            "90911000",
            "90911200",
            "77310000",
            "77311000",
            "77313000",
            "90511000",
            "55520000",
            "55523100",
            "98310000",
            "79500000",
        ),
        workforce=(5, 30, 400),
        volunteers=(0, 2, 20),
        # Art. 4 L. 381/1991: type B cooperatives need at least 30% disadvantaged workers.
        disadvantaged=(30.0, 65.0, 1.0),
        served=(1, 6),
        certifications=(ISO_9001, ISO_14001, SA_8000),
        description=(
            "Cooperativa sociale di tipo B (inserimento lavorativo di persone svantaggiate) con sede a {comune}. "
            "Attività principale: {activity}."
        ),
    ),
    LegalForm.SOCIAL_COOP_AB: Profile(
        weight=2,
        names=("{evocative} Società Cooperativa Sociale", "Cooperativa Sociale {evocative} A+B"),
        runts=(RuntsSection.SOCIAL_ENTERPRISE,),
        ateco=("88.99", "81.21", "88.10", "81.30", "56.22"),
        cpv=("85300000", "85312000", "90910000", "77310000", "55520000"),
        workforce=(10, 60, 500),
        volunteers=(0, 3, 20),
        # The 30% of art. 4 L. 381/1991 applies to the type B activity: the whole workforce stays at or above it.
        disadvantaged=(30.0, 45.0, 1.0),
        served=(2, 8),
        certifications=(ISO_9001, SA_8000),
        description=("Cooperativa sociale a oggetto misto A+B con sede a {comune}. Attività principale: {activity}."),
    ),
    LegalForm.SOCIAL_COOP_CONSORTIUM: Profile(
        weight=1.5,
        names=("Consorzio di Cooperative Sociali {evocative}", "Consorzio {evocative} s.c.s."),
        runts=(RuntsSection.SOCIAL_ENTERPRISE,),
        ateco=("70.20", "88.99", "82.99"),
        cpv=("85300000", "90910000", "77310000", "79400000", "79410000"),
        workforce=(3, 15, 80),
        served=(10, 30),
        certifications=(ISO_9001,),
        description="Consorzio di cooperative sociali con sede a {comune}. Attività principale: {activity}.",
    ),
    LegalForm.SOCIAL_ENTERPRISE: Profile(
        weight=3,
        names=("{evocative} Impresa Sociale S.r.l.", "{brand} Impresa Sociale", "{evocative} Impresa Sociale ETS"),
        runts=(RuntsSection.SOCIAL_ENTERPRISE,),
        ateco=("88.99", "85.59", "56.11", "62.10", "90.20", "91.30", "55.20"),
        cpv=("80500000", "80530000", "79952000", "55300000", "92000000", "72000000"),
        workforce=(2, 12, 150),
        volunteers=(0, 2, 20),
        # Art. 2 c. 4-5 D.Lgs. 112/2017: a work-integration social enterprise employs >= 30% disadvantaged workers.
        disadvantaged=(30.0, 50.0, 0.3),
        served=(1, 5),
        certifications=(ISO_9001,),
        description="Impresa sociale con sede a {comune}. Attività principale: {activity}.",
    ),
    LegalForm.PHILANTHROPIC: Profile(
        weight=1,
        names=("Ente Filantropico {evocative} ETS", "Fondo {brand} per il Territorio ETS"),
        runts=(RuntsSection.PHILANTHROPIC,),
        ateco=("88.99", "94.99"),
        workforce=(0, 2, 10),
        volunteers=(0, 5, 30),
        served=(5, 25),
        vat_share=0.0,
        description="Ente filantropico con sede a {comune}: sostiene progetti di utilità sociale nel territorio.",
    ),
    LegalForm.NETWORK: Profile(
        weight=1.5,
        names=("Rete {evocative} ETS", "Coordinamento {evocative} del Terzo Settore ETS"),
        runts=(RuntsSection.NETWORK,),
        ateco=("94.99", "94.11"),
        cpv=("79952000", "80500000"),
        workforce=(0, 3, 15),
        volunteers=(2, 10, 40),
        served=(10, 35),
        vat_share=0.2,
        description="Rete associativa con sede a {comune} che coordina enti del Terzo settore del territorio.",
    ),
    LegalForm.MUTUAL_AID: Profile(
        weight=1.5,
        names=("Società di Mutuo Soccorso {evocative}", "Mutua {evocative} - Società di Mutuo Soccorso"),
        runts=(RuntsSection.MUTUAL_AID,),
        ateco=("94.99", "65.12", "88.99"),
        workforce=(0, 1, 8),
        volunteers=(3, 12, 40),
        served=(0, 3),
        vat_share=0.0,
        description="Società di mutuo soccorso (L. 3818/1886) con sede a {comune}. Attività principale: {activity}.",
    ),
    LegalForm.OTHER_ETS: Profile(
        weight=5,
        names=("{evocative} ETS", "Comitato {evocative} ETS", "Associazione {evocative} ETS"),
        runts=(RuntsSection.OTHER,),
        ateco=("94.99", "91.30", "85.59", "93.29"),
        cpv=("92000000", "98133000", "92500000"),
        workforce=(0, 1, 10),
        volunteers=(3, 15, 80),
        served=(0, 3),
        vat_share=0.2,
        description="Ente del Terzo settore con sede a {comune}. Attività principale: {activity}.",
    ),
    LegalForm.BENEFIT_CORPORATION: Profile(
        weight=4,
        names=("{brand} Società Benefit S.r.l.", "{brand} S.r.l. SB", "Officine {brand} Società Benefit S.p.A."),
        ateco=("62.10", "70.20", "56.11", "72.20", "10.71", "81.21"),
        cpv=("72000000", "79400000", "90700000", "55300000"),
        workforce=(3, 20, 300),
        served=(0, 4),
        certifications=(("B Corp", 0.4), ISO_9001, ISO_14001),
        description="Società benefit con sede a {comune}. Attività principale: {activity}.",
    ),
    LegalForm.COMPANY: Profile(
        weight=12,
        names=("{surname} {trade} S.r.l.", "{surname} & {surname2} S.n.c.", "{brand} {trade} S.p.A."),
        ateco=("81.21", "43.99", "62.10", "56.22", "10.71", "49.41", "70.20", "82.92"),
        cpv=("90910000", "45000000", "72000000", "55520000", "60100000", "50000000", "79810000"),
        workforce=(2, 15, 600),
        disadvantaged=(0.0, 6.0, 0.3),
        served=(0, 3),
        certifications=(ISO_9001, ISO_14001, ("Rating di legalità", 0.1)),
        description="Impresa con sede a {comune}. Attività principale: {activity}.",
    ),
    LegalForm.PUBLIC_BODY: Profile(
        weight=3,
        names=(
            "Azienda Pubblica di Servizi alla Persona {evocative}",
            "Consorzio Intercomunale dei Servizi Socio-Assistenziali {evocative}",
        ),
        ateco=("84.11", "88.99", "87.30"),
        workforce=(10, 80, 600),
        served=(3, 20),
        description="Ente pubblico con sede a {comune}. Attività principale: {activity}.",
    ),
    LegalForm.FOUNDATION: Profile(
        weight=5,
        names=("Fondazione {first} e {first2} {surname}", "Fondazione {evocative} ETS", "Fondazione {surname}"),
        runts=("", "", RuntsSection.OTHER, RuntsSection.PHILANTHROPIC),
        ateco=("94.99", "88.99", "72.20", "91.21"),
        cpv=("85300000", "92500000", "92000000"),
        workforce=(0, 5, 60),
        volunteers=(0, 5, 60),
        served=(5, 30),
        vat_share=0.3,
        description="Fondazione con sede a {comune}. Attività principale: {activity}.",
    ),
    LegalForm.FINANCIER: Profile(
        weight=1.5,
        names=(
            "{brand} Finanza Etica S.p.A.",
            "Fondo {brand} per l'Impresa Sociale SGR S.p.A.",
            "Microcredito {brand}",
        ),
        ateco=("64.19", "64.92", "66.30"),
        cpv=("66000000",),
        workforce=(5, 40, 400),
        served=(15, 40),
        description="Intermediario finanziario con sede a {comune}. Attività principale: {activity}.",
    ),
    LegalForm.UNIVERSITY: Profile(
        weight=2,
        names=(
            "Centro Studi {evocative} sull'Economia Sociale",
            "Istituto di Ricerca Sociale {surname}",
            "Laboratorio {brand} per l'Innovazione Sociale",
        ),
        ateco=("72.20", "85.40", "85.59"),
        cpv=("73000000", "73110000", "79300000", "80500000"),
        workforce=(3, 25, 300),
        served=(5, 30),
        description="Centro di ricerca e formazione con sede a {comune}. Attività principale: {activity}.",
    ),
}
# Forms that plausibly lead an action of the plan, and the role other forms take as partners.
LEAD_FORMS = frozenset(
    {
        LegalForm.PUBLIC_BODY,
        LegalForm.SOCIAL_COOP_CONSORTIUM,
        LegalForm.FOUNDATION,
        LegalForm.NETWORK,
        LegalForm.UNIVERSITY,
        LegalForm.PHILANTHROPIC,
    }
)
PARTNER_ROLES: dict[str, str] = {
    LegalForm.FINANCIER: Partnership.Role.FUNDER,
    LegalForm.PHILANTHROPIC: Partnership.Role.FUNDER,
    LegalForm.COMPANY: Partnership.Role.SUPPORTER,
    LegalForm.BENEFIT_CORPORATION: Partnership.Role.SUPPORTER,
}
# Pledges by legal form: (commitment, unit, smallest and largest quantity).
PLEDGES: dict[str, tuple[str, str, int, int]] = {
    LegalForm.SOCIAL_COOP_B: ("Inserire al lavoro persone svantaggiate", "inserimenti lavorativi", 3, 15),
    LegalForm.SOCIAL_COOP_AB: ("Inserire al lavoro persone svantaggiate", "inserimenti lavorativi", 3, 12),
    LegalForm.SOCIAL_COOP_A: ("Attivare nuovi servizi di prossimità", "persone seguite", 20, 120),
    LegalForm.SOCIAL_ENTERPRISE: ("Formare giovani under 35 all'impresa sociale", "persone formate", 10, 60),
    LegalForm.APS: ("Coinvolgere nuovi volontari nelle attività di quartiere", "volontari", 10, 60),
    LegalForm.ODV: ("Coinvolgere nuovi volontari nelle attività di quartiere", "volontari", 10, 60),
    LegalForm.FOUNDATION: ("Finanziare progetti di impresa sociale", "EUR", 50_000, 500_000),
    LegalForm.PHILANTHROPIC: ("Finanziare progetti di impresa sociale", "EUR", 20_000, 200_000),
    LegalForm.FINANCIER: ("Erogare finanziamenti a imprese sociali", "EUR", 200_000, 2_000_000),
    LegalForm.COMPANY: ("Acquistare beni e servizi da cooperative sociali", "EUR", 20_000, 250_000),
    LegalForm.BENEFIT_CORPORATION: ("Acquistare beni e servizi da cooperative sociali", "EUR", 10_000, 150_000),
    LegalForm.PUBLIC_BODY: ("Riservare appalti a cooperative sociali di tipo B", "EUR", 100_000, 1_500_000),
    LegalForm.UNIVERSITY: ("Formare operatori dell'economia sociale", "persone formate", 30, 200),
    LegalForm.SOCIAL_COOP_CONSORTIUM: ("Accompagnare nuove cooperative sociali", "cooperative", 2, 10),
    LegalForm.NETWORK: ("Accompagnare enti del Terzo settore nella rendicontazione", "enti", 10, 50),
    LegalForm.MUTUAL_AID: ("Offrire sportelli di assistenza ai soci", "soci assistiti", 20, 150),
    LegalForm.OTHER_ETS: ("Organizzare eventi aperti al quartiere", "eventi", 4, 24),
}
ALL_CPV_CODES = frozenset(code for profile in PROFILES.values() for code in profile.cpv)


@dataclass(frozen=True)
class Place:
    """A comune as the inventor needs it: where it is and how many people live there."""

    pk: int
    name: str
    population: int
    latitude: float
    longitude: float


def places_of(*, territory_code: str) -> list[Place]:
    rows = (
        Comune.objects.filter(territory__code=territory_code.upper())
        .order_by("istat_code")
        .values_list("pk", "name", "population_total", "latitude", "longitude")
    )
    return [Place(*row) for row in rows]


@dataclass
class InventedOrganization:
    """An unsaved organization with what `write_organizations` saves beside it."""

    organization: Organization
    activities: list[AtecoEntry]  # the first is the primary activity
    comuni_served: list[int]
    cpv_codes: list[str]


class OrganizationInventor:
    """Draws organization number `serial` from a generator seeded with the seed and the serial alone.

    Seats are drawn in proportion to the comuni's population (Torino gets the
    largest share), the comuni served are the seat and its nearest comuni, and
    CPV codes are drawn only among `cpv_available` (those loaded in the table).
    """

    NEIGHBOURS = 40

    def __init__(
        self, *, places: Sequence[Place], cpv_available: Iterable[str], seed: str, source: str, is_demo: bool = True
    ) -> None:
        if not places:
            raise ValueError("No comuni to seat organizations in.")
        self.places = list(places)
        self.cumulative_population = list(accumulate(max(place.population, 1) for place in self.places))
        self.neighbours = _nearest(self.places, limit=self.NEIGHBOURS)
        self.cpv_available = frozenset(cpv_available)
        self.seed = seed
        self.source = source
        self.is_demo = is_demo
        self.forms = list(PROFILES)
        self.cumulative_weights = list(accumulate(PROFILES[form].weight for form in self.forms))
        for profile in PROFILES.values():
            for code in profile.ateco:
                lookup_ateco(code, edition=ATECO_EDITION)  # a code missing from the edition fails here, at once

    def invent(self, *, serial: int, codice_fiscale: str) -> InventedOrganization:
        rng = random.Random(f"{self.seed}:{serial}")  # noqa: S311 - invented data, not secrets
        form = self.forms[bisect.bisect(self.cumulative_weights, rng.random() * self.cumulative_weights[-1])]
        profile = PROFILES[form]
        seat_index = bisect.bisect(self.cumulative_population, rng.random() * self.cumulative_population[-1])
        seat = self.places[seat_index]
        name = _name(rng, profile)
        workforce = _skewed(rng, *profile.workforce)
        activities = self._activities(rng, profile)
        runts_section = rng.choice(profile.runts)
        registered = runts_section not in ("", RuntsSection.SOCIAL_ENTERPRISE)
        organization = Organization(
            legal_name=name,
            codice_fiscale=codice_fiscale,
            # Companies and cooperatives have the same number as codice fiscale and partita IVA.
            partita_iva=codice_fiscale if rng.random() < profile.vat_share else "",
            legal_form=form,
            runts_section=runts_section,
            # Social cooperatives and enterprises enter the RUNTS through the Registro delle imprese, with no
            # RUNTS number of their own; the other sections have a repertorio number and a date.
            runts_number=str(rng.randint(1_000, 199_999)) if registered else "",
            runts_registered_on=date(2022, 6, 1) + timedelta(days=rng.randint(0, 1_300)) if registered else None,
            description=profile.description.format(comune=seat.name, activity=activities[0].title.lower()),
            seat_comune_id=seat.pk,
            website=f"https://www.{_slug(name)}.example" if rng.random() < 0.7 else "",
            workforce=workforce,
            disadvantaged_share=_disadvantaged_share(rng, profile, workforce),
            volunteers=_skewed(rng, *profile.volunteers) if profile.volunteers else None,
            certifications="\n".join(name for name, share in profile.certifications if rng.random() < share),
            source=self.source,
            is_demo=self.is_demo,
        )
        served = self.neighbours[seat_index][: rng.randint(*profile.served)]
        cpv = [code for code in profile.cpv if code in self.cpv_available]
        return InventedOrganization(
            organization=organization,
            activities=activities,
            comuni_served=[seat.pk, *(self.places[index].pk for index in served)],
            cpv_codes=rng.sample(cpv, k=min(len(cpv), rng.randint(1, 4))) if cpv else [],
        )

    def _activities(self, rng: random.Random, profile: Profile) -> list[AtecoEntry]:
        codes = rng.sample(profile.ateco, k=2 if rng.random() < 0.35 and len(profile.ateco) > 1 else 1)
        return [lookup_ateco(code, edition=ATECO_EDITION) for code in codes]


def _nearest(places: list[Place], *, limit: int) -> list[list[int]]:
    """Each comune's nearest comuni by their map points (indices into `places`), nearest first."""
    scale = math.cos(math.radians(sum(place.latitude for place in places) / len(places)))
    points = [(place.longitude * scale, place.latitude) for place in places]
    nearest = []
    for index, (x, y) in enumerate(points):
        others = sorted(
            (other for other in range(len(points)) if other != index),
            key=lambda other: (points[other][0] - x) ** 2 + (points[other][1] - y) ** 2,
        )
        nearest.append(others[:limit])
    return nearest


def _name(rng: random.Random, profile: Profile) -> str:
    first, first2 = rng.sample(FIRST_NAMES, k=2)
    surname, surname2 = rng.sample(SURNAMES, k=2)
    return rng.choice(profile.names).format(
        evocative=rng.choice(EVOCATIVE),
        brand=rng.choice(BRANDS),
        surname=surname,
        surname2=surname2,
        first=first,
        first2=first2,
        trade=rng.choice(TRADES),
    )


def _slug(name: str) -> str:
    """The distinctive words of a name, for an invented web address: 'Il Granaio ODV' -> 'granaio'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = [word for word in re.sub(r"[^a-z0-9]+", " ", ascii_name).split() if word not in GENERIC_WORDS]
    slug = ""
    for word in words:
        if len(slug) + len(word) > 30:
            break
        slug += word
    return slug or "ente"


def _skewed(rng: random.Random, low: int, median: int, high: int) -> int:
    """A count with many small and a few large values (log-normal around the median), within bounds."""
    if high <= 0:
        return 0
    return min(high, max(low, round(max(median, 0.5) * math.exp(rng.gauss(0, 0.9)))))


def _disadvantaged_share(rng: random.Random, profile: Profile, workforce: int) -> Decimal | None:
    """The share of disadvantaged workers as whole people out of the workforce, never under the profile's floor."""
    if profile.disadvantaged is None or workforce == 0:
        return None
    low, high, how_many = profile.disadvantaged
    if rng.random() >= how_many:
        return None
    people = max(math.ceil(workforce * low / 100), round(workforce * rng.uniform(low, high) / 100))
    return (Decimal(100 * people) / Decimal(workforce)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def chunked(items: Iterable[InventedOrganization], size: int) -> Iterator[list[InventedOrganization]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def write_organizations(invented: Iterable[InventedOrganization], *, batch_size: int = BATCH_SIZE) -> int:
    """Save organizations with their activities, comuni served and CPV codes, `batch_size` at a time.

    bulk_create, not save(): no history rows (nobody edited invented data) and
    no signals, so the caller calls `bump_content_version()` afterwards. The
    rows beside each organization (several per organization) go in with
    executemany, without building a model instance each: at 400,000
    organizations that halves the time. Only one batch is in memory at a
    time, whatever the number of organizations.
    """
    activities = _Inserter(AtecoActivity, ("organization", "code", "edition", "section", "title", "is_primary"))
    served = _Inserter(Organization.comuni_served.through, ("organization", "comune"))
    cpv = _Inserter(Organization.cpv_codes.through, ("organization", "cpvcode"))
    written = 0
    for batch in chunked(invented, batch_size):
        organizations = Organization.objects.bulk_create([item.organization for item in batch])
        for item, organization in zip(batch, organizations, strict=True):
            pk = organization.pk
            activities.rows.extend(
                (pk, entry.code, entry.edition, entry.section, entry.title, index == 0)
                for index, entry in enumerate(item.activities)
            )
            served.rows.extend((pk, comune) for comune in item.comuni_served)
            cpv.rows.extend((pk, code) for code in item.cpv_codes)
        for inserter in (activities, served, cpv):
            inserter.flush()
        written += len(organizations)
    return written


class _Inserter:
    """Rows for one table, inserted with one executemany (the model's columns, quoted for the database)."""

    def __init__(self, model: type[models.Model], fields: tuple[str, ...]) -> None:
        quote = connection.ops.quote_name
        column_of = {field.name: str(field.column) for field in model._meta.concrete_fields}
        columns = ", ".join(quote(column_of[name]) for name in fields)
        placeholders = ", ".join(["%s"] * len(fields))
        self.sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
        self.rows: list[tuple[Any, ...]] = []

    def flush(self) -> None:
        if self.rows:
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, self.rows)
        self.rows = []


Member = tuple[int, str]  # an organization's primary key and legal form


def choose_partners(
    rng: random.Random, *, leads: Sequence[Member], others: Sequence[Member]
) -> list[tuple[Member, str]]:
    """A lead and 2-4 partners for an action, each partner with the role its legal form takes."""
    chosen: list[tuple[Member, str]] = [(rng.choice(leads), Partnership.Role.LEAD)]
    for partner in rng.sample(others, k=rng.randint(2, 4)):
        chosen.append((partner, PARTNER_ROLES.get(partner[1], Partnership.Role.PARTNER)))
    return chosen


def invent_pledge(rng: random.Random, *, action: Action, member: Member) -> tuple[Pledge, list[PledgeProgress]]:
    """An unsaved pledge that suits the organization's legal form, with one or two progress reports."""
    organization_id, form = member
    title, unit, low, high = PLEDGES[form]
    action_title = getattr(action, "title_it", "") or action.title  # the Italian title, whatever the language
    quantity = Decimal(rng.randint(low, high))
    if quantity >= 1_000:
        quantity = quantity.quantize(Decimal("1E3"))
    pledge = Pledge(
        organization_id=organization_id,
        action=action,
        title=title,
        description=f"Impegno dimostrativo nell'ambito dell'azione «{action_title}».",
        quantity=quantity,
        unit=unit,
        due_date=PLEDGE_DUE,
    )
    shares = sorted(rng.sample([0.2, 0.35, 0.5, 0.7], k=rng.randint(1, 2)))
    reports = [
        PledgeProgress(
            pledge=pledge,
            reported_on=reported_on,
            achieved=(quantity * Decimal(str(share))).quantize(Decimal("1")),
            note="Avanzamento dimostrativo.",
        )
        for reported_on, share in zip(PROGRESS_DATES[-len(shares) :], shares, strict=True)
    ]
    return pledge, reports


# The demo loader.


class DemoError(Exception):
    """The demo cannot be loaded; the message says what to load first."""


@dataclass
class DemoReport:
    organizations: int = 0
    partnerships: int = 0
    pledges: int = 0
    progress_reports: int = 0
    already_present: int = 0
    held_by_real_organizations: list[str] = field(default_factory=list)
    without_cpv: bool = False
    actions: int = 0

    @property
    def changed_anything(self) -> bool:
        return bool(self.organizations or self.partnerships or self.pledges or self.progress_reports)


def invent_demo(*, territory_code: str = "TO", count: int = DEMO_COUNT) -> list[InventedOrganization]:
    """The demo organizations, unsaved, with names made unique (a second one takes its comune's name)."""
    if not 0 < count <= DEMO_MAX_COUNT:
        raise DemoError(f"The demo has between 1 and {DEMO_MAX_COUNT} organizations, not {count}.")
    places = places_of(territory_code=territory_code)
    if not places:
        raise DemoError(
            f"No comuni of territory '{territory_code}': "
            f"load them first with `manage.py load_territory {territory_code}`."
        )
    cpv_available = CpvCode.objects.filter(code__in=ALL_CPV_CODES).values_list("code", flat=True)
    inventor = OrganizationInventor(places=places, cpv_available=cpv_available, seed=DEMO_SEED, source=DEMO_SOURCE)
    names_by_pk = {place.pk: place.name for place in places}
    invented, used = [], set()
    for serial in range(1, count + 1):
        item = inventor.invent(serial=serial, codice_fiscale=demo_codice_fiscale(serial))
        organization = item.organization
        if organization.legal_name in used:
            # The seat comes first among the comuni served.
            organization.legal_name = f"{organization.legal_name} - {names_by_pk[item.comuni_served[0]]}"
        used.add(organization.legal_name)
        invented.append(item)
    return invented


def load_demo(*, territory_code: str = "TO", plan_slug: str = "torino", count: int = DEMO_COUNT) -> DemoReport:
    """Create the demo organizations, partnerships and pledges that are missing, in one transaction."""
    invented = invent_demo(territory_code=territory_code, count=count)
    report = DemoReport(without_cpv=not any(item.cpv_codes for item in invented))
    codici = [item.organization.codice_fiscale for item in invented]
    existing = dict(Organization.objects.filter(codice_fiscale__in=codici).values_list("codice_fiscale", "is_demo"))
    report.held_by_real_organizations = sorted(code for code, is_demo in existing.items() if not is_demo)
    report.already_present = sum(1 for is_demo in existing.values() if is_demo)
    with transaction.atomic():
        report.organizations = write_organizations(
            item for item in invented if item.organization.codice_fiscale not in existing
        )
        demo = dict(
            Organization.objects.filter(codice_fiscale__in=codici, is_demo=True).values_list("codice_fiscale", "pk")
        )
        # The demo organizations in the database take part, in serial order.
        members: list[Member] = [
            (demo[item.organization.codice_fiscale], item.organization.legal_form)
            for item in invented
            if item.organization.codice_fiscale in demo
        ]
        _add_partnerships_and_pledges(report, members=members, plan_slug=plan_slug)
    if report.changed_anything:
        bump_content_version()
    return report


def remove_demo() -> int:
    """Delete every demo organization; their partnerships, pledges, activities and links go with them."""
    with transaction.atomic():
        deleted = Organization.objects.filter(is_demo=True).count()
        Organization.objects.filter(is_demo=True).delete()
    if deleted:
        bump_content_version()
    return deleted


def _add_partnerships_and_pledges(report: DemoReport, *, members: list[Member], plan_slug: str) -> None:
    """A demo lead (unless the action has one) and 2-4 demo partners on each action, and a few pledges.

    Choices depend on the action's codes and the demo organizations alone, so a
    second run picks the same ones and finds them there.
    """
    actions = list(
        Action.objects.filter(objective__theme__plan__slug=plan_slug)
        .select_related("objective__theme")
        .order_by("objective__theme__order", "objective__order", "order", "pk")
    )
    report.actions = len(actions)
    leads = [member for member in members if member[1] in LEAD_FORMS]
    others = [member for member in members if member[1] not in LEAD_FORMS]
    if not actions or not leads or len(others) < 4:
        return
    existing = set(Partnership.objects.filter(action__in=actions).values_list("action_id", "organization_id", "role"))
    taken = {(action_id, organization_id) for action_id, organization_id, _ in existing}
    led = {action_id for action_id, _, role in existing if role == Partnership.Role.LEAD}
    pledged = set(Pledge.objects.filter(action__in=actions).values_list("action_id", "organization_id"))
    partnerships, pledges, progress = [], [], []
    for action in actions:
        key = f"{action.objective.theme.code}:{action.objective.code}:{action.code}"
        rng = random.Random(f"{DEMO_SEED}:action:{key}")  # noqa: S311 - invented data, not secrets
        chosen = choose_partners(rng, leads=leads, others=others)
        for (organization_id, _form), role in chosen:
            if (action.pk, organization_id) in taken:
                continue
            taken.add((action.pk, organization_id))
            # An action led by someone else keeps its lead: the demo lead joins as a partner.
            if role == Partnership.Role.LEAD and action.pk in led:
                role = Partnership.Role.PARTNER
            partnerships.append(Partnership(action=action, organization_id=organization_id, role=role, since=SINCE))
        for member, _role in chosen[: rng.randint(1, 2)]:
            pledge, reports = invent_pledge(rng, action=action, member=member)
            if (action.pk, member[0]) not in pledged:
                pledges.append(pledge)
                progress.extend(reports)
    Partnership.objects.bulk_create(partnerships)
    Pledge.objects.bulk_create(pledges)
    PledgeProgress.objects.bulk_create(progress)
    report.partnerships, report.pledges, report.progress_reports = len(partnerships), len(pledges), len(progress)
