"""Demo proposals for the demo process (participation/demo.py): invented, reproducible, removable.

About 25 proposals across the plan's themes, written by the demo
participants over the first days of the process, with supports; five are
already answered (accepted, rejected with the reason, merged into the plan).
Loading twice changes nothing.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from socialplan.participation.demo import DEMO_PROCESS_SLUG
from socialplan.participation.models import Process

from . import counters
from .models import Proposal, ProposalSupport

# (theme code, title, text); the same needs put in different words, as participants do.
PROPOSALS: list[tuple[str, str, str]] = [
    ("social-procurement", "Clausole sociali in tutti gli appalti di servizi",
     "Chiedo che ogni appalto di servizi della Città metropolitana preveda clausole sociali per l'inserimento "
     "lavorativo di persone svantaggiate, con un controllo annuale sul rispetto delle clausole."),
    ("social-procurement", "Appalti riservati alle cooperative sociali di tipo B",
     "Riservare una quota degli appalti di pulizia e manutenzione del verde alle cooperative sociali di tipo B, "
     "come consente il codice dei contratti pubblici."),
    ("social-procurement", "Formazione dei RUP sugli appalti sociali",
     "Un corso per i responsabili unici del procedimento dei comuni piccoli su clausole sociali, appalti "
     "riservati e co-progettazione: oggi molti non sanno come scriverle."),
    ("social-procurement", "Un elenco pubblico delle clausole sociali usate",
     "Pubblicare le clausole sociali usate negli appalti, con i risultati di inserimento lavorativo ottenuti, "
     "così che i comuni possano copiarle."),
    ("impact-finance", "Fondo di garanzia per le imprese sociali",
     "Un fondo di garanzia metropolitano che copra i prestiti delle imprese sociali che investono in nuovi "
     "servizi di welfare di prossimità."),
    ("impact-finance", "Social impact bond sul reinserimento dei detenuti",
     "Sperimentare un contratto a risultato (social impact bond) sul reinserimento lavorativo delle persone "
     "detenute, con la misura dell'impatto sociale."),
    ("impact-finance", "Sportello unico per la finanza a impatto",
     "Uno sportello che orienti associazioni e cooperative tra bandi, fondi e prestiti a impatto sociale."),
    ("inclusion", "Tirocini retribuiti per giovani con disabilità",
     "Finanziare tirocini retribuiti nelle imprese sociali per giovani con disabilità, con un tutor che li "
     "accompagni nell'inserimento lavorativo."),
    ("inclusion", "Inserimento lavorativo delle persone senza dimora",
     "Un programma di inserimento lavorativo per le persone senza dimora, con alloggio temporaneo e "
     "accompagnamento al lavoro nelle cooperative sociali."),
    ("inclusion", "Borse lavoro per donne vittime di violenza",
     "Borse lavoro e percorsi di inserimento lavorativo per donne uscite da situazioni di violenza, con le "
     "cooperative del territorio."),
    ("inclusion", "Più tirocini di inclusione nelle cooperative",
     "Aumentare i tirocini di inclusione sociale nelle cooperative per chi è escluso dal lavoro, con tutor e "
     "rimborso spese."),
    ("connections-innovation", "Connessione in fibra nelle valli",
     "Portare la connessione a banda larga nelle sedi delle associazioni delle valli alpine, oggi isolate."),
    ("connections-innovation", "Piattaforma digitale condivisa per il terzo settore",
     "Una piattaforma digitale comune per le piccole associazioni: gestione dei volontari, rendicontazione, "
     "raccolta fondi."),
    ("connections-innovation", "Trasporto a chiamata per i servizi sociali",
     "Un trasporto a chiamata che colleghi i comuni montani ai servizi sociali e sanitari di pianura."),
    ("skills-youth", "Servizio civile nelle imprese sociali",
     "Più posti di servizio civile universale nelle imprese sociali, con formazione sulle competenze "
     "imprenditoriali per i giovani."),
    ("skills-youth", "Laboratori di impresa sociale nelle scuole superiori",
     "Laboratori nelle scuole superiori in cui gli studenti progettano un'impresa sociale con una cooperativa "
     "del territorio."),
    ("skills-youth", "Formazione digitale per i volontari anziani",
     "Corsi di competenze digitali per i volontari over 65 delle associazioni, tenuti da giovani del servizio "
     "civile."),
    ("governance", "Un tavolo permanente con il terzo settore",
     "Un tavolo permanente di co-programmazione tra Città metropolitana e terzo settore, che si riunisca ogni "
     "tre mesi con verbali pubblici."),
    ("governance", "Co-programmazione con le zone omogenee",
     "Tavoli di co-programmazione in ogni zona omogenea, perché le priorità dei comuni piccoli entrino nel "
     "Piano."),
    ("governance", "Verbali pubblici dei tavoli tematici",
     "Pubblicare i verbali dei tavoli tematici del Piano entro due settimane da ogni incontro."),
    ("measurement", "Indicatori di impatto sociale condivisi",
     "Un set di indicatori di impatto sociale comune a tutte le azioni del Piano, misurati ogni anno e "
     "pubblicati in formato aperto."),
    ("measurement", "Misurare l'inserimento lavorativo a un anno",
     "Misurare quante persone inserite al lavoro grazie alle clausole sociali hanno ancora un lavoro dopo un "
     "anno."),
    ("communication", "Una newsletter mensile del Piano",
     "Una newsletter mensile che racconti le azioni del Piano, le opportunità aperte e i risultati."),
    ("communication", "Storie delle imprese sociali sul portale",
     "Raccontare sul portale le storie delle imprese sociali e delle persone inserite al lavoro, con foto e "
     "video."),
    ("", "Un premio annuale all'economia sociale",
     "Un premio annuale alle esperienze di economia sociale più innovative del territorio metropolitano."),
]  # fmt: skip

# (index in PROPOSALS, status, reason)
ANSWERS: list[tuple[int, str, str]] = [
    (0, Proposal.Status.ACCEPTED,
     "La proposta è accolta: la revisione del Piano introduce le clausole sociali negli appalti di servizi."),
    (1, Proposal.Status.MERGED,
     "Confluita nell'azione sugli appalti riservati già prevista dal Piano."),
    (5, Proposal.Status.REJECTED,
     "Non accolta: la sperimentazione richiede una norma regionale che oggi manca; la riproporremo alla Regione."),
    (11, Proposal.Status.REJECTED,
     "Non accolta in questa revisione: la rete in fibra è competenza del piano regionale per la banda ultra larga."),
    (17, Proposal.Status.ACCEPTED,
     "Accolta: il tavolo permanente entra nella governance del Piano."),
]  # fmt: skip


def _demo_process() -> Process | None:
    return Process.objects.filter(slug=DEMO_PROCESS_SLUG).first()


@transaction.atomic
def load_demo(process: Process, participants: list[Any]) -> str:
    if process.proposals.exists():
        return f"proposals: {process.proposals.count()} already there"
    rng = random.Random(2026)  # noqa: S311 - invented data, reproducible
    themes = {theme.code: theme for theme in process.plan.themes.all()}
    start = timezone.now() - timedelta(days=13)
    created = []
    for number, (theme_code, title, body) in enumerate(PROPOSALS):
        theme = themes.get(theme_code)
        created.append(
            Proposal.objects.create(
                process=process,
                author=participants[number * 3 % len(participants)],
                created_at=start + timedelta(hours=number * 11),
                title=title,
                body=body,
                theme=theme,
                element_keys=[theme.code] if theme else [],
            )
        )
    supports = []
    for proposal in created:
        for user in rng.sample(participants, rng.randint(0, min(40, len(participants)))):
            supports.append(ProposalSupport(proposal=proposal, user=user, created_at=proposal.created_at))
    ProposalSupport.objects.bulk_create(supports, ignore_conflicts=True)
    counters.recount(process)
    for index, status, reason in ANSWERS:
        proposal = created[index]
        proposal.status, proposal.status_reason, proposal.answered_at = status, reason, timezone.now()
        proposal.save(update_fields=["status", "status_reason", "answered_at"])
    return f"proposals: {len(created)} proposals, {len(supports)} supports, {len(ANSWERS)} answered"


@transaction.atomic
def remove_demo() -> int:
    process = _demo_process()
    if process is None:
        return 0
    deleted, _counts = process.proposals.all().delete()
    return deleted
