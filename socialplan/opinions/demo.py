"""Demo opinion groups: one conversation on the plan's revision, voted by the demo participants.

The invented participants hold one of three outlooks (social procurement and
the cooperatives first; young people and innovation first; sound finance and
measured results first), so the results page shows three clear groups and
what all of them share. A second load changes nothing.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from socialplan.participation.models import Process

from . import counters
from .groups import NotEnoughVotes, compute_groups
from .models import Conversation, Statement, Vote

DEMO_SLUG = "demo-priorita-revisione"

# Each statement with the vote of the three outlooks: 1 agree, -1 disagree, 0 pass (Pol.is convention).
STATEMENTS: list[tuple[str, tuple[int, int, int]]] = [
    ("Gli appalti riservati alle cooperative sociali di tipo B vanno almeno raddoppiati entro il 2028.", (1, -1, -1)),
    ("Ogni Comune della Città metropolitana dovrebbe avere un referente per gli appalti sociali.", (1, 0, -1)),
    ("La clausola sociale negli appalti di servizi va resa obbligatoria sopra i 40.000 euro.", (1, -1, -1)),
    ("L'inserimento lavorativo delle persone svantaggiate deve restare la priorità numero uno del Piano.", (1, -1, 0)),
    (
        "Le cooperative sociali dovrebbero avere una corsia preferenziale nei bandi della Città metropolitana.",
        (1, -1, -1),
    ),
    ("Servono più spazi pubblici gestiti da giovani imprese sociali, anche in affitto gratuito.", (-1, 1, -1)),
    ("Il Piano dovrebbe finanziare incubatori di impresa sociale nelle scuole superiori.", (-1, 1, 0)),
    ("Le startup a impatto sociale vanno sostenute anche quando non sono enti del Terzo settore.", (-1, 1, 1)),
    ("Una quota dei fondi del Piano va decisa direttamente dai ragazzi under 30.", (-1, 1, -1)),
    ("L'innovazione digitale conta più delle forme giuridiche tradizionali dell'economia sociale.", (-1, 1, 0)),
    ("Ogni euro del Piano deve avere un indicatore di risultato pubblicato ogni anno.", (-1, 0, 1)),
    (
        "Bisogna usare di più la finanza a impatto e i titoli sociali, non solo i contributi a fondo perduto.",
        (-1, 1, 1),
    ),
    ("I contributi a fondo perduto andrebbero sostituiti da prestiti agevolati da restituire.", (-1, -1, 1)),
    ("Le azioni che non raggiungono i risultati dopo due anni vanno chiuse.", (-1, 0, 1)),
    ("Le fondazioni bancarie dovrebbero cofinanziare ogni azione del Piano.", (0, -1, 1)),
    ("Il Piano deve essere scritto in un linguaggio comprensibile a tutti.", (1, 1, 1)),
    ("I dati del monitoraggio del Piano devono essere aperti e scaricabili.", (1, 1, 1)),
    ("Le zone omogenee più lontane da Torino meritano più attenzione di quanta ne abbiano avuta finora.", (1, 1, 1)),
    ("L'economia sociale non serve a nulla per lo sviluppo del territorio.", (-1, -1, -1)),
    ("Questa conversazione è un modo utile per partecipare alla revisione del Piano.", (1, 1, 1)),
]
META_STATEMENTS = {"Questa conversazione è un modo utile per partecipare alla revisione del Piano."}


def _value(rng: random.Random, stance: int) -> int:
    """An outlook's vote with some personal variation: a few pass, a few go the other way."""
    draw = rng.random()
    if draw < 0.1:
        return 0
    if stance == 0:
        return rng.choice([-1, 0, 1])
    return -stance if draw < 0.18 else stance


@transaction.atomic
def load_demo(process: Process, participants: list[object]) -> str:
    if Conversation.objects.filter(process=process, slug=DEMO_SLUG).exists():
        return "opinions: demo conversation already loaded"
    now = timezone.now()
    conversation = Conversation.objects.create(
        process=process,
        slug=DEMO_SLUG,
        title_it="Le priorità della revisione 2026",
        title_en="The priorities of the 2026 revision",
        question_it="Su che cosa dovrebbe puntare il Piano nei prossimi tre anni?",
        question_en="What should the Plan focus on in the next three years?",
        description_it=(
            "Vota d'accordo, in disaccordo o passa su ciascuna affermazione. Puoi proporne di nuove: "
            "un moderatore le legge prima che gli altri possano votarle."
        ),
        description_en=(
            "Vote agree, disagree or pass on each statement. You can propose new ones: "
            "a moderator reads them before the others can vote on them."
        ),
        opens_at=now - timedelta(days=14),
        closes_at=now + timedelta(days=30),
        participant_statements=True,
    )
    statements = Statement.objects.bulk_create(
        [
            Statement(
                conversation=conversation,
                text=text,
                status=Statement.Status.ACCEPTED,
                moderated_at=now,
                is_meta=text in META_STATEMENTS,
            )
            for text, _stances in STATEMENTS
        ]
    )
    rng = random.Random(2026)  # noqa: S311 - invented data, reproducible
    votes = []
    for number, participant in enumerate(participants):
        outlook = number % 3
        for statement, (_text, stances) in zip(statements, STATEMENTS, strict=True):
            if rng.random() < 0.8:
                votes.append(Vote(statement=statement, participant=participant, value=_value(rng, stances[outlook])))
    Vote.objects.bulk_create(votes, batch_size=1000)
    counters.recount(conversation)
    try:
        result = compute_groups(conversation)
        outcome = f"{len(result.groups)} groups"
    except NotEnoughVotes as reason:
        outcome = str(reason)
    return f"opinions: 1 conversation, {len(statements)} statements, {len(votes)} votes ({outcome})"


def remove_demo() -> int:
    deleted, _rows = Conversation.objects.filter(slug=DEMO_SLUG, process__slug__startswith="demo-").delete()
    return deleted
