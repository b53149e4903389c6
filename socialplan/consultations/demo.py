"""Demo consultation for the demo process: two themes of the plan under discussion, with invented
comments in threads, annotations on passages, supports and a few short answers.

Loaded by participation.demo (DEMO_LOADERS); a second load changes nothing.
Sections whose plan element has no text yet get an invented draft paragraph,
so that there is something to annotate.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from socialplan.participation.models import Process
from socialplan.plan.models import Theme

from . import counters, services
from .models import Annotation, AnnotationSupport, AnonymousAnswer, Comment, CommentSupport, Consultation, text_hash

DEMO_SLUG = "demo-bozza-revisione"
COMMENTS = 40
ROOTS = 15
ANNOTATIONS = 15
ANSWERS = 6

DRAFT_TEXTS = [
    "La revisione propone di rafforzare il coordinamento tra enti pubblici e imprese sociali, "
    "con un tavolo permanente che si riunisca almeno ogni tre mesi.\n\n"
    "Le risorse saranno assegnate con procedure di co-progettazione aperte a tutti gli enti del Terzo settore "
    "del territorio metropolitano.",
    "L'obiettivo è aumentare del 20% entro il 2027 il valore degli affidamenti riservati alle cooperative sociali "
    "di tipo B.\n\nOgni Comune aderente nominerà un referente per il social procurement e pubblicherà ogni anno "
    "l'elenco degli affidamenti con clausole sociali.",
    "Si prevede un programma di formazione per i funzionari pubblici sulle clausole sociali e ambientali, "
    "in collaborazione con le università del territorio.\n\nI risultati saranno misurati con indicatori "
    "pubblicati sul portale del Piano.",
    "Il Piano sostiene le reti tra imprese profit e non profit attraverso un fondo di garanzia dedicato e "
    "sportelli di accompagnamento nelle zone omogenee.\n\nLe imprese che assumono persone svantaggiate "
    "potranno accedere a punteggi premiali nei bandi metropolitani.",
]

ROOT_TEXTS = [
    "Bene l'impostazione, ma servono tempi certi: chi verifica che il tavolo si riunisca davvero?",
    "Suggerisco di includere anche le piccole associazioni di volontariato, che spesso restano escluse.",
    "Il 20% mi sembra poco ambizioso rispetto ad altre città metropolitane.",
    "Manca un riferimento esplicito alle aree interne e ai Comuni più piccoli.",
    "Sarebbe utile pubblicare i dati in formato aperto, non solo in PDF.",
    "La formazione dei funzionari è la vera chiave: senza competenze le clausole sociali restano sulla carta.",
    "Chiedo di chiarire come si coordinano questi strumenti con i fondi europei già attivi.",
    "Proporrei una consultazione annuale con le cooperative per valutare i risultati.",
    "Il testo è chiaro, ma andrebbe semplificato il linguaggio per renderlo accessibile a tutti.",
    "Attenzione al rischio di burocrazia: le procedure di co-progettazione devono restare snelle.",
    "Ottima l'idea degli sportelli nelle zone omogenee, purché siano aperti anche il sabato.",
    "Servono indicatori di impatto sociale, non solo di spesa.",
    "Ci sono esperienze positive a Pinerolo e Ivrea da cui partire.",
    "Il fondo di garanzia dovrebbe essere accessibile anche alle imprese sociali appena costituite.",
    "Propongo di coinvolgere le scuole superiori nei percorsi di formazione sull'economia sociale.",
]

REPLY_TEXTS = [
    "Sono d'accordo, aggiungerei anche una verifica a metà percorso.",
    "Non sono convinto: altrove questo approccio ha rallentato gli affidamenti.",
    "Concordo pienamente.",
    "Nella nostra cooperativa abbiamo avuto la stessa esperienza.",
    "Forse basterebbe una soglia diversa per i Comuni sotto i 5.000 abitanti.",
    "Giusto, e andrebbero coinvolte anche le fondazioni bancarie.",
    "Il problema è anche la durata dei contratti, spesso troppo breve.",
    "Buona osservazione: la porterei al prossimo incontro territoriale.",
    "Aggiungo che servirebbe un monitoraggio indipendente.",
    "Vero, ma occorre tenere conto dei vincoli del codice dei contratti.",
]

ANNOTATION_TEXTS = [
    "Questo passaggio andrebbe reso più concreto, con scadenze.",
    "Chi decide la composizione?",
    "Proporrei di specificare le risorse disponibili.",
    "Ottimo, ma con quali strumenti di controllo?",
    "Qui servirebbe un esempio pratico.",
    "Formulazione ambigua: si intende ogni anno solare?",
    "Da estendere anche alle imprese sociali di tipo A.",
]

ANSWER_TEXTS = [
    "Più attenzione ai giovani, per favore.",
    "Bene così, ma servono più incontri nei quartieri.",
    "I bandi sono troppo complicati per le piccole realtà.",
    "Vorrei sapere come partecipare ai tavoli.",
    "Pubblicate i risultati in modo semplice.",
    "Grazie per l'ascolto.",
]


def _themes(process: Process) -> list[Theme]:
    """Two macro themes, those with the most objectives first, in the plan's order."""
    themes = list(Theme.objects.filter(plan=process.plan, kind=Theme.Kind.MACRO).order_by("order", "pk"))
    richest = sorted(themes, key=lambda theme: -theme.objectives.count())[:2]
    return [theme for theme in themes if theme in richest]


def _title(theme: Theme, language: str) -> str:
    return str(getattr(theme, f"title_{language}", "") or theme.title)


def _keys(themes: list[Theme]) -> list[str]:
    keys = []
    for theme in themes:
        keys.append(theme.code)
        keys.extend(f"{theme.code}/{objective.code}" for objective in theme.objectives.order_by("order", "pk"))
    return keys


def _passage(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    size = min(len(words), rng.randint(3, 8))
    first = rng.randint(0, len(words) - size)
    return " ".join(words[first : first + size]).strip()


@transaction.atomic
def load_demo(process: Process, participants: list[Any]) -> str:
    if Consultation.objects.filter(process=process, slug=DEMO_SLUG).exists():
        return "Consultazione demo già presente."
    themes = _themes(process)
    if not themes or not participants:
        return "Consultazione demo non caricata: il Piano non ha temi o non ci sono partecipanti."
    rng = random.Random(2026)  # noqa: S311 - invented data, reproducible
    now = timezone.now()
    opened = now - timedelta(days=14)
    consultation = services.open_consultation(
        process,
        title="Bozza di revisione: " + " e ".join(_title(theme, "it") for theme in themes),
        title_en="Draft revision: " + " and ".join(_title(theme, "en") for theme in themes),
        intro=(
            "Leggi la bozza di revisione, commenta le sezioni, annota i passaggi che vorresti cambiare e sostieni "
            "i contributi che condividi. L'ufficio del Piano risponderà nella nuova versione."
        ),
        intro_en=(
            "Read the draft revision, comment on its sections, annotate the passages you would change and support "
            "the contributions you agree with. The plan office will answer in the new version."
        ),
        element_keys=_keys(themes),
        opens_at=opened,
        closes_at=now + timedelta(days=30),
        slug=DEMO_SLUG,
        phase=process.phases.filter(code="ascolto").first(),
        open_mode=True,
    )
    sections = list(consultation.sections.all())
    for number, section in enumerate(sections):
        if len(section.body) < 200:
            section.body = "\n\n".join(part for part in (section.body, DRAFT_TEXTS[number % len(DRAFT_TEXTS)]) if part)
            section.save(update_fields=["body"])

    def moment() -> Any:
        return opened + timedelta(minutes=rng.randint(0, 14 * 24 * 60 - 60))

    comments: list[Comment] = []
    for number in range(COMMENTS):
        parent = rng.choice(comments) if number >= ROOTS else None
        if parent is not None and parent.depth >= 3:
            parent = parent.parent
        place = parent.section if parent else (rng.choice(sections) if number % 4 else None)
        created_at = max(moment(), parent.created_at + timedelta(minutes=5)) if parent else moment()
        comment = Comment.objects.create(
            consultation=consultation,
            section=place,
            parent=parent,
            depth=parent.depth + 1 if parent else 1,
            body=(REPLY_TEXTS if parent else ROOT_TEXTS)[number % (len(REPLY_TEXTS) if parent else len(ROOT_TEXTS))],
            author=rng.choice(participants),
            created_at=created_at,
            element_keys=[place.element_key] if place and place.element_key else [],
        )
        comments.append(comment)
    annotations = []
    for number in range(ANNOTATIONS):
        section = sections[number % len(sections)]
        quote = _passage(rng, section.body)
        start = section.body.find(quote)
        annotations.append(
            Annotation.objects.create(
                section=section,
                quote=quote,
                start=start,
                end=start + len(quote),
                body_hash_at=text_hash(section.body),
                body=ANNOTATION_TEXTS[number % len(ANNOTATION_TEXTS)],
                author=rng.choice(participants),
                created_at=moment(),
                element_keys=[section.element_key] if section.element_key else [],
            )
        )
    supports = 0
    for comment in comments:
        for user in rng.sample(participants, min(len(participants), rng.choice([0, 0, 1, 2, 3, 5, 8, 13]))):
            CommentSupport.objects.create(comment=comment, user=user, created_at=comment.created_at)
            supports += 1
    for annotation in annotations:
        for user in rng.sample(participants, min(len(participants), rng.randint(0, 4))):
            AnnotationSupport.objects.create(annotation=annotation, user=user, created_at=annotation.created_at)
            supports += 1
    for text in ANSWER_TEXTS[:ANSWERS]:
        AnonymousAnswer.objects.create(consultation=consultation, body=text, created_at=moment())
    counters.recount(consultation)
    return (
        f"Consultazione demo: {len(sections)} sezioni, {len(comments)} commenti, {len(annotations)} annotazioni, "
        f"{supports} sostegni, {ANSWERS} risposte brevi."
    )


@transaction.atomic
def remove_demo() -> int:
    deleted, _ = Consultation.objects.filter(slug=DEMO_SLUG, process__slug__startswith="demo-").delete()
    return deleted
