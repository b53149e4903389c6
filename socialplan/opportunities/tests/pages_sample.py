"""The demo opportunities over the real territory, CPV table and legal bases: what the pages' tests read."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from socialplan.ecosystem.services import load_cpv
from socialplan.opportunities.demo import load_opportunities_demo
from socialplan.opportunities.legal_bases import load_legal_bases
from socialplan.opportunities.models import Buyer, Opportunity
from socialplan.territory.services import load_territory

CLEANING = "Pulizia degli uffici comunali di Moncalieri"
GREEN = "Manutenzione del verde pubblico di Chieri"
CO_DESIGN = "Co-progettazione del polo per l'inclusione lavorativa di Torino Nord"
SCHOOL_CATERING = "Ristorazione scolastica di Pinerolo"
NURSERIES = "Servizi educativi per la prima infanzia 2025"  # awarded: closed
LOAN = "Prestiti per la crescita delle imprese sociali"


@dataclass
class Sample:
    today: date

    @staticmethod
    def named(title: str) -> Opportunity:
        return Opportunity.objects.get(title_it=title)

    @staticmethod
    def buyer(name: str) -> Buyer:
        return Buyer.objects.get(name=name)


def build_sample() -> Sample:
    load_territory(code="TO")
    load_cpv()
    load_legal_bases()
    report = load_opportunities_demo()
    assert report.missing_comuni == [] and report.created >= 25, report
    return Sample(today=timezone.localdate())
