"""Invented opportunities and buyers to show the platform (`manage.py load_demo`), marked as demo.

About 25 opportunities of every kind over comuni of the Turin metropolitan
area, published by invented buyers ("Comune di ... (demo)"). Dates are
counted from the day of loading, so most are open. Each is created through
`services.create_opportunity`, so it passes the registry's validation (the
value caps and excluded services of its legal basis included). Loading is
idempotent: an opportunity is recognized by its demo buyer and Italian
title, and a second run changes nothing. CPV codes missing from the table
(before `manage.py load_cpv`) are left out and reported; comuni missing
from the territory are left out too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from socialplan.core.cache import bump_content_version
from socialplan.ecosystem.models import CpvCode, LegalForm
from socialplan.territory.models import Comune

from .legal_bases import load_legal_bases
from .models import Buyer, LegalBasis, Opportunity
from .services import DocumentSpec, LotSpec, create_opportunity

K = Opportunity.Kind
TORINO, MONCALIERI, IVREA, CHIERI, PINEROLO = "001272", "001156", "001125", "001078", "001191"
COLLEGNO, RIVOLI, CUORGNE, SETTIMO, CHIVASSO = "001090", "001219", "001098", "001265", "001082"

# name, kind, comune of the seat
BUYERS: dict[str, tuple[str, str, str]] = {
    "torino": ("Comune di Torino (demo)", Buyer.Kind.PUBLIC, TORINO),
    "moncalieri": ("Comune di Moncalieri (demo)", Buyer.Kind.PUBLIC, MONCALIERI),
    "ivrea": ("Comune di Ivrea (demo)", Buyer.Kind.PUBLIC, IVREA),
    "chieri": ("Comune di Chieri (demo)", Buyer.Kind.PUBLIC, CHIERI),
    "pinerolo": ("Comune di Pinerolo (demo)", Buyer.Kind.PUBLIC, PINEROLO),
    "metro": ("Città metropolitana di Torino (demo)", Buyer.Kind.PUBLIC, TORINO),
    "consorzio": ("Consorzio socio-assistenziale del Chierese (demo)", Buyer.Kind.PUBLIC, CHIERI),
    "lavoro": ("Agenzia metropolitana per il lavoro (demo)", Buyer.Kind.PUBLIC, TORINO),
    "trasporti": ("Trasporti Subalpini S.p.A. (demo)", Buyer.Kind.PRIVATE, TORINO),
    "alimentare": ("Gruppo Alimentare Collegnese S.p.A. (demo)", Buyer.Kind.PRIVATE, COLLEGNO),
    "fondazione": ("Fondazione di comunità del Canavese (demo)", Buyer.Kind.PRIVATE, IVREA),
    "cassa": ("Cassa mutua per l'impresa sociale (demo)", Buyer.Kind.PRIVATE, TORINO),
}

KIND_BASIS: dict[str, str] = {
    K.PUBLIC_TENDER: "dlgs36-2023-public-tender",
    K.RESERVED_CONTRACT: "dlgs36-2023-art61",
    K.TYPE_B_CONVENTION: "l381-1991-art5",
    K.CO_DESIGN: "dlgs117-2017-art55",
    K.ODV_APS_CONVENTION: "dlgs117-2017-art56",
    K.PRIVATE_PROCUREMENT: "private-procurement",
    K.FINANCE: "finance-instrument",
    K.TRAINING: "training-programme",
    K.PUBLIC_ASSET: "public-asset-concession",
}

SOCIAL_ECONOMY_FORMS = [
    LegalForm.SOCIAL_COOP_A,
    LegalForm.SOCIAL_COOP_B,
    LegalForm.SOCIAL_COOP_AB,
    LegalForm.SOCIAL_COOP_CONSORTIUM,
    LegalForm.SOCIAL_ENTERPRISE,
]


@dataclass(frozen=True)
class DemoOpportunity:
    buyer: str
    kind: str
    title_it: str
    title_en: str
    description_it: str
    description_en: str
    cpv: tuple[str, ...] = ()
    value: int | None = None
    comuni: tuple[str, ...] = ()
    whole_area: bool = False
    published: int = -7  # days from today
    deadline: int | None = 30  # days from today
    status: str = Opportunity.Status.OPEN
    lots: tuple[tuple[str, int | None, tuple[str, ...]], ...] = ()  # title, value, CPV codes
    extra: dict[str, Any] = field(default_factory=dict)


DOCUMENT = ("Avviso (documento dimostrativo)", "https://example.org/demo/avviso.pdf")

# fmt: off
OPPORTUNITIES: tuple[DemoOpportunity, ...] = (
    DemoOpportunity(
        "moncalieri", K.RESERVED_CONTRACT,
        "Pulizia degli uffici comunali di Moncalieri", "Cleaning of the Moncalieri town offices",
        "Appalto riservato per la pulizia ordinaria e straordinaria degli uffici comunali per tre anni.",
        "Reserved contract for the routine and deep cleaning of the town offices for three years.",
        cpv=("90911200",), value=180_000, comuni=(MONCALIERI,), published=-10, deadline=21,
        extra={"reserved_participation": "res-ws"},
    ),
    DemoOpportunity(
        "torino", K.RESERVED_CONTRACT,
        "Custodia e pulizia delle biblioteche civiche", "Caretaking and cleaning of the civic libraries",
        "Servizio di custodia, apertura e pulizia di quattro biblioteche civiche, riservato a operatori "
        "con almeno il 30% di lavoratori svantaggiati.",
        "Caretaking, opening and cleaning of four civic libraries, reserved to operators with at least 30% "
        "disadvantaged workers.",
        cpv=("90911200", "98341130"), value=420_000, comuni=(TORINO,), published=-4, deadline=26,
        extra={"reserved_participation": "res-ws", "youth_women_hiring_quota": True},
    ),
    DemoOpportunity(
        "chieri", K.TYPE_B_CONVENTION,
        "Manutenzione del verde pubblico di Chieri", "Maintenance of the public green areas of Chieri",
        "Convenzione con cooperative sociali di tipo B per la cura dei parchi e delle aiuole comunali, "
        "con l'inserimento lavorativo di almeno tre persone svantaggiate.",
        "Convention with type B social cooperatives to look after the town's parks and flower beds, "
        "employing at least three disadvantaged people.",
        cpv=("77311000",), value=150_000, comuni=(CHIERI,), published=-6, deadline=30,
    ),
    DemoOpportunity(
        "pinerolo", K.TYPE_B_CONVENTION,
        "Raccolta dei rifiuti ingombranti a domicilio", "Collection of bulky waste at home",
        "Convenzione per il ritiro su prenotazione dei rifiuti ingombranti e il loro conferimento "
        "all'ecocentro.",
        "Convention for the collection of bulky waste on booking and its delivery to the recycling centre.",
        cpv=("90511000",), value=95_000, comuni=(PINEROLO,), published=-12, deadline=14,
    ),
    DemoOpportunity(
        "ivrea", K.TYPE_B_CONVENTION,
        "Sgombero neve dai marciapiedi, inverno 2025-2026", "Snow clearing of the pavements, winter 2025-2026",
        "Convenzione per lo sgombero neve e lo spargimento di sale sui marciapiedi del centro.",
        "Convention for clearing snow and spreading salt on the pavements of the town centre.",
        cpv=("90620000",), value=60_000, comuni=(IVREA,), published=-90, deadline=-60,
        status=Opportunity.Status.AWARDED,
    ),
    DemoOpportunity(
        "torino", K.CO_DESIGN,
        "Co-progettazione del polo per l'inclusione lavorativa di Torino Nord",
        "Co-design of the job inclusion hub of Torino Nord",
        "Avviso di co-progettazione per un polo che accompagni al lavoro persone fragili: servizi sociali, "
        "formazione professionale e un servizio di ristorazione in cui fare esperienza. Nessun ente "
        "copre da solo tutti i lotti: sono benvenute le proposte in partenariato.",
        "Co-design call for a hub that accompanies vulnerable people into work: social services, vocational "
        "training and a catering service to gain experience in. No single entity covers every lot: "
        "partnership proposals are welcome.",
        value=900_000, comuni=(TORINO,), published=-3, deadline=45,
        lots=(
            ("Accompagnamento sociale", 350_000, ("85312000",)),
            ("Formazione professionale", 300_000, ("80530000",)),
            ("Ristorazione formativa", 250_000, ("55520000",)),
        ),
        extra={"co_design_kind": Opportunity.CoDesignKind.CO_DESIGN},
    ),
    DemoOpportunity(
        "metro", K.CO_DESIGN,
        "Co-programmazione dei servizi per l'abitare sociale", "Co-programming of social housing services",
        "Tavoli di co-programmazione con gli enti del Terzo settore per il piano metropolitano dell'abitare.",
        "Co-programming tables with Third sector entities for the metropolitan housing plan.",
        cpv=("85311000",), whole_area=True, published=-15, deadline=60,
        extra={"co_design_kind": Opportunity.CoDesignKind.CO_PROGRAMMING},
    ),
    DemoOpportunity(
        "consorzio", K.CO_DESIGN,
        "Accreditamento per l'assistenza domiciliare", "Accreditation for home care",
        "Elenco aperto degli enti accreditati per l'assistenza domiciliare ad anziani e persone con disabilità.",
        "Open list of entities accredited for home care of elderly and disabled people.",
        cpv=("85312000",), comuni=(CHIERI,), published=-20, deadline=90,
        extra={"co_design_kind": Opportunity.CoDesignKind.ACCREDITATION},
    ),
    DemoOpportunity(
        "ivrea", K.ODV_APS_CONVENTION,
        "Trasporto sociale di anziani e persone con disabilità", "Social transport of elderly and disabled people",
        "Convenzione con organizzazioni di volontariato e associazioni di promozione sociale per "
        "accompagnare anziani e persone con disabilità a visite e terapie. Sono rimborsate le spese sostenute.",
        "Convention with voluntary organizations and social promotion associations to take elderly and "
        "disabled people to medical visits and therapies. The costs incurred are reimbursed.",
        cpv=("60130000",), value=40_000, comuni=(IVREA, CUORGNE), published=-8, deadline=20,
    ),
    DemoOpportunity(
        "chieri", K.ODV_APS_CONVENTION,
        "Animazione estiva nei parchi", "Summer activities in the parks",
        "Convenzione per attività ricreative e culturali gratuite nei parchi cittadini nei mesi estivi.",
        "Convention for free recreational and cultural activities in the town parks in summer.",
        cpv=("92000000",), value=25_000, comuni=(CHIERI,), published=-2, deadline=25,
    ),
    DemoOpportunity(
        "pinerolo", K.PUBLIC_TENDER,
        "Ristorazione scolastica di Pinerolo", "School catering in Pinerolo",
        "Gara per il servizio di ristorazione delle scuole dell'infanzia e primarie, con criteri premiali "
        "per l'assunzione di persone svantaggiate e il rispetto degli obblighi sul lavoro dei disabili.",
        "Tender for the catering of nursery and primary schools, with reward criteria for hiring "
        "disadvantaged people and meeting the obligations on the employment of disabled people.",
        cpv=("55523100",), value=1_200_000, comuni=(PINEROLO,), published=-9, deadline=35,
        extra={"reward_criteria": ["3", "8"], "youth_women_hiring_quota": True},
    ),
    DemoOpportunity(
        "torino", K.PUBLIC_TENDER,
        "Gestione del centro diurno per persone con disabilità", "Running the day centre for disabled people",
        "Gara per la gestione di un centro diurno socio-educativo per venti persone con disabilità.",
        "Tender to run a social and educational day centre for twenty disabled people.",
        cpv=("85312000",), value=600_000, comuni=(TORINO,), published=-5, deadline=28,
        extra={"reward_criteria": ["12"]},
    ),
    DemoOpportunity(
        "moncalieri", K.PUBLIC_TENDER,
        "Servizi educativi per la prima infanzia 2025", "Early childhood education services 2025",
        "Gara per la gestione di due asili nido comunali.",
        "Tender to run two municipal nurseries.",
        cpv=("80110000",), value=850_000, comuni=(MONCALIERI,), published=-150, deadline=-110,
        status=Opportunity.Status.AWARDED,
    ),
    DemoOpportunity(
        "metro", K.PUBLIC_TENDER,
        "Sorveglianza dei parcheggi di interscambio", "Security of the park-and-ride car parks",
        "Gara annullata per la sorveglianza dei parcheggi di interscambio.",
        "Cancelled tender for the security of the park-and-ride car parks.",
        cpv=("79713000",), value=300_000, comuni=(SETTIMO, CHIVASSO), published=-70, deadline=-40,
        status=Opportunity.Status.CANCELLED,
    ),
    DemoOpportunity(
        "trasporti", K.PRIVATE_PROCUREMENT,
        "Pulizia dei depositi degli autobus", "Cleaning of the bus depots",
        "Un'impresa di trasporto cerca fornitori dell'economia sociale per la pulizia di tre depositi.",
        "A transport company looks for social economy suppliers to clean three depots.",
        cpv=("90911200",), value=250_000, comuni=(TORINO, COLLEGNO, RIVOLI), published=-11, deadline=18,
    ),
    DemoOpportunity(
        "alimentare", K.PRIVATE_PROCUREMENT,
        "Mensa aziendale dello stabilimento di Collegno", "Staff canteen of the Collegno plant",
        "Servizio di mensa per 300 dipendenti, con preferenza per fornitori che impiegano persone svantaggiate.",
        "Canteen service for 300 employees, with a preference for suppliers that employ disadvantaged people.",
        cpv=("55520000",), value=300_000, comuni=(COLLEGNO,), published=-1, deadline=40,
    ),
    DemoOpportunity(
        "alimentare", K.PRIVATE_PROCUREMENT,
        "Manutenzione delle aree verdi dello stabilimento", "Maintenance of the plant's green areas",
        "Cura del parco e delle aree verdi intorno allo stabilimento, riservata a imprese sociali.",
        "Care of the park and green areas around the plant, reserved to social enterprises.",
        cpv=("77310000",), value=60_000, comuni=(COLLEGNO,), published=-13, deadline=12,
        extra={"eligible_legal_forms": SOCIAL_ECONOMY_FORMS},
    ),
    DemoOpportunity(
        "cassa", K.FINANCE,
        "Prestiti per la crescita delle imprese sociali", "Loans for the growth of social enterprises",
        "Prestiti a tasso agevolato per investimenti in attrezzature, sedi e nuove linee di attività.",
        "Low-rate loans for investment in equipment, premises and new lines of business.",
        whole_area=True, published=-30, deadline=120,
        extra={
            "instrument": Opportunity.Instrument.LOAN, "ticket_min": 20_000, "ticket_max": 300_000,
            "rate": Decimal("2.5"), "tenor_months": 84, "eligible_legal_forms": SOCIAL_ECONOMY_FORMS,
        },
    ),
    DemoOpportunity(
        "cassa", K.FINANCE,
        "Garanzia sui prestiti per l'inserimento lavorativo", "Guarantee on loans for job inclusion",
        "Garanzia fino all'80% sui prestiti bancari degli enti del Terzo settore che assumono persone "
        "svantaggiate.",
        "A guarantee of up to 80% on the bank loans of Third sector entities that hire disadvantaged people.",
        whole_area=True, published=-25, deadline=75,
        extra={
            "instrument": Opportunity.Instrument.GUARANTEE, "ticket_max": 500_000,
            "co_financing_share": Decimal("20"), "third_sector_only": True,
        },
    ),
    DemoOpportunity(
        "metro", K.FINANCE,
        "Contratto a risultato per l'inserimento lavorativo di giovani NEET",
        "Outcome-based contract for the job inclusion of young people not in work or education",
        "Pagamento legato ai risultati: l'ente è pagato per ogni giovane che mantiene un lavoro per "
        "almeno dodici mesi.",
        "Outcome-based payment: the provider is paid for each young person who keeps a job for at least "
        "twelve months.",
        whole_area=True, published=-14, deadline=50,
        extra={
            "instrument": Opportunity.Instrument.OUTCOME_BASED, "ticket_max": 1_000_000, "tenor_months": 36,
            "third_sector_only": True,
        },
    ),
    DemoOpportunity(
        "fondazione", K.FINANCE,
        "Contributi per la digitalizzazione degli enti del Terzo settore",
        "Grants for the digitalization of Third sector entities",
        "Contributi a fondo perduto per software, formazione e attrezzature informatiche.",
        "Grants for software, training and IT equipment.",
        comuni=(IVREA, CUORGNE), published=-10, deadline=33,
        extra={
            "instrument": Opportunity.Instrument.GRANT, "ticket_min": 5_000, "ticket_max": 30_000,
            "co_financing_share": Decimal("20"), "third_sector_only": True,
        },
    ),
    DemoOpportunity(
        "lavoro", K.TRAINING,
        "Tirocini di inclusione per giovani dai 18 ai 29 anni", "Inclusion traineeships for young people aged 18 to 29",
        "Enti ospitanti cercasi per tirocini di sei mesi con indennità a carico del programma.",
        "Host organizations wanted for six-month traineeships, with the allowance paid by the programme.",
        cpv=("80530000",), whole_area=True, published=-6, deadline=15,
        extra={"target_age_min": 18, "target_age_max": 29, "places": 40},
    ),
    DemoOpportunity(
        "torino", K.TRAINING,
        "Formazione per manager dell'impresa sociale", "Training for social enterprise managers",
        "Percorso di 120 ore su gestione, finanza e misurazione dell'impatto per chi guida un'impresa sociale.",
        "A 120-hour course on management, finance and impact measurement for those leading a social enterprise.",
        cpv=("80530000",), comuni=(TORINO,), published=-4, deadline=10,
        extra={"places": 25},
    ),
    DemoOpportunity(
        "metro", K.TRAINING,
        "Progetti di servizio civile per i giovani", "Civic service projects for young people",
        "Gli enti del Terzo settore possono proporre progetti di servizio civile universale per giovani "
        "dai 18 ai 28 anni.",
        "Third sector entities may propose universal civic service projects for young people aged 18 to 28.",
        whole_area=True, published=-20, deadline=5,
        extra={"target_age_min": 18, "target_age_max": 28, "places": 60, "third_sector_only": True},
    ),
    DemoOpportunity(
        "chieri", K.PUBLIC_ASSET,
        "Concessione della cascina comunale per l'agricoltura sociale",
        "Concession of the town farmhouse for social farming",
        "Concessione di una cascina con terreni per un progetto di agricoltura sociale e inserimento lavorativo.",
        "Concession of a farmhouse with land for a social farming and job inclusion project.",
        comuni=(CHIERI,), published=-12, deadline=55,
        extra={"address": "Strada della Cascina 1, Chieri", "area_m2": Decimal("1200"), "concession_years": 12,
               "third_sector_only": True},
    ),
    DemoOpportunity(
        "torino", K.PUBLIC_ASSET,
        "Locali a piano terra per un emporio solidale", "Ground-floor premises for a solidarity shop",
        "Concessione di locali comunali a canone ridotto per un emporio solidale di quartiere.",
        "Concession of town premises at a reduced rent for a neighbourhood solidarity shop.",
        comuni=(TORINO,), published=-18, deadline=3,
        extra={"address": "Via dell'Esempio 10, Torino", "area_m2": Decimal("180"), "concession_years": 6},
    ),
)
# fmt: on


@dataclass
class OpportunitiesDemoReport:
    created: int = 0
    already_present: int = 0
    buyers_created: int = 0
    missing_cpv: list[str] = field(default_factory=list)
    missing_comuni: list[str] = field(default_factory=list)


def _deadline(today: date, days: int | None) -> datetime | None:
    return None if days is None else timezone.make_aware(datetime.combine(today + timedelta(days=days), time(12)))


def load_opportunities_demo(*, today: date | None = None) -> OpportunitiesDemoReport:
    """Create the demo buyers and opportunities that are missing, in one transaction."""
    today = today or timezone.localdate()
    report = OpportunitiesDemoReport()
    codes = {code for item in OPPORTUNITIES for code in (*item.cpv, *(c for lot in item.lots for c in lot[2]))}
    known_cpv = set(CpvCode.objects.filter(code__in=codes).values_list("code", flat=True))
    report.missing_cpv = sorted(codes - known_cpv)
    istat = {code for item in OPPORTUNITIES for code in item.comuni} | {seat for _n, _k, seat in BUYERS.values()}
    comuni = {comune.istat_code: comune for comune in Comune.objects.filter(istat_code__in=istat)}
    report.missing_comuni = sorted(istat - set(comuni))
    with transaction.atomic():
        if not LegalBasis.objects.exists():
            load_legal_bases()  # a fresh installation: the file's bases, nothing to overwrite
        bases = {basis.code: basis for basis in LegalBasis.objects.filter(code__in=KIND_BASIS.values())}
        buyers = {}
        for key, (name, kind, seat) in BUYERS.items():
            buyer, created = Buyer.objects.get_or_create(
                name=name, is_demo=True, defaults={"kind": kind, "comune": comuni.get(seat)}
            )
            report.buyers_created += created
            buyers[key] = buyer
        existing = set(
            Opportunity.objects.filter(is_demo=True, buyer__in=buyers.values()).values_list("buyer_id", "title_it")
        )
        for item in OPPORTUNITIES:
            buyer = buyers[item.buyer]
            if (buyer.pk, item.title_it) in existing:
                report.already_present += 1
                continue
            create_opportunity(
                kind=item.kind,
                legal_basis=bases[KIND_BASIS[item.kind]],
                buyer=buyer,
                title_it=item.title_it,
                title_en=item.title_en,
                description_it=item.description_it,
                description_en=item.description_en,
                value=item.value,
                whole_area=item.whole_area,
                published_on=today + timedelta(days=item.published),
                deadline=_deadline(today, item.deadline),
                status=item.status,
                source=Opportunity.Source.DEMO,
                is_demo=True,
                cpv_codes=[code for code in item.cpv if code in known_cpv],
                comuni=[comuni[code] for code in item.comuni if code in comuni],
                lots=[
                    LotSpec(
                        number=number,
                        title=title,
                        value=None if value is None else Decimal(value),
                        cpv_codes=[code for code in lot_codes if code in known_cpv],
                    )
                    for number, (title, value, lot_codes) in enumerate(item.lots, start=1)
                ],
                documents=[DocumentSpec(title=DOCUMENT[0], url=DOCUMENT[1])],
                **item.extra,
            )
            report.created += 1
    if report.created or report.buyers_created:
        bump_content_version()
    return report


def remove_opportunities_demo() -> int:
    """Delete every demo opportunity (with its lots and documents) and every demo buyer left without any."""
    with transaction.atomic():
        deleted = Opportunity.objects.filter(is_demo=True).count()
        Opportunity.objects.filter(is_demo=True).delete()
        Buyer.objects.filter(is_demo=True, opportunities__isnull=True).delete()
    if deleted:
        bump_content_version()
    return deleted
