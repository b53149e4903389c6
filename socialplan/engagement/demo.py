"""Demo engagement for the demo process (see participation.demo): a survey, three meetings, eight interviews.

Everything hangs on the demo process, so removing the process removes it
too; `remove_demo` also clears it on its own. Loading twice changes nothing:
each piece is looked up by its title first.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from socialplan.participation.demo import DEMO_PROCESS_SLUG
from socialplan.participation.models import Process
from socialplan.plan.models import Theme

from .models import Choice, Interview, Meeting, Question, Registration, Survey
from .services import submit_response

SURVEY_TITLE = "Questionario sulla revisione 2026 del Piano"
RESPONDENTS = 80

QUESTIONS: list[dict[str, Any]] = [
    {
        "kind": Question.Kind.SINGLE,
        "text": "In che veste partecipi?",
        "choices": ["Cittadina o cittadino", "Ente del Terzo settore", "Impresa sociale", "Pubblica amministrazione"],
    },
    {
        "kind": Question.Kind.MULTIPLE,
        "text": "Quali temi del Piano ti stanno più a cuore?",
        "help_text": "Scegli fino a tre temi.",
        "max_choices": 3,
        "choices": ["Appalti sociali", "Abitare", "Lavoro e inclusione", "Finanza d'impatto", "Competenze"],
    },
    {
        "kind": Question.Kind.SCALE,
        "text": "Quanto conosci il Piano per l'economia sociale?",
        "scale_low_label": "per nulla",
        "scale_high_label": "molto bene",
    },
    {"kind": Question.Kind.YES_NO, "text": "Hai partecipato alla consultazione del 2025?"},
    {
        "kind": Question.Kind.NUMBER,
        "text": "Quante persone lavorano o fanno volontariato nella tua organizzazione?",
        "required": False,
    },
    {"kind": Question.Kind.SHORT_TEXT, "text": "In una parola: che cosa manca al Piano?", "required": False},
    {
        "kind": Question.Kind.LONG_TEXT,
        "text": "Un suggerimento per la revisione",
        "help_text": "Che cosa cambieresti, e perché.",
        "required": False,
    },
]

WORDS = ["casa", "tempo", "risorse", "dati", "giovani", "periferie", "rete", "formazione", "ascolto", "spazi"]
SUGGESTIONS = [
    "Più appalti riservati alle cooperative di inserimento lavorativo.",
    "Coinvolgere le scuole superiori nei percorsi di co-progettazione.",
    "Pubblicare ogni anno i dati sugli affidamenti sociali per circoscrizione.",
    "Semplificare i bandi per le piccole associazioni.",
    "Aprire sportelli territoriali sulla finanza d'impatto.",
    "Dare continuità ai tavoli tematici anche dopo l'approvazione.",
]

INTERVIEWS = [
    ("Presidente", "Consorzio cooperative sociali", "Le cooperative chiedono continuità negli affidamenti."),
    ("Direttrice", "Fondazione di comunità", "La fondazione propone un fondo rotativo per l'abitare."),
    ("Responsabile progetti", "Associazione di volontariato", ""),
    ("Referente", "Rete delle case del quartiere", ""),
    ("Dirigente", "Ufficio appalti comunale", ""),
    ("Coordinatore", "Impresa sociale di inserimento", ""),
    ("Ricercatrice", "Università, dipartimento di economia", ""),
    ("Portavoce", "Forum del Terzo settore", ""),
]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _survey(process: Process, participants: Sequence[Any], rng: random.Random) -> Survey:
    today = timezone.localdate()
    survey, created = Survey.objects.get_or_create(
        process=process,
        title=SURVEY_TITLE,
        defaults={
            "description": "Sette domande, cinque minuti: ci aiutano a capire da dove partire per la revisione.",
            "opens_at": _at(today - timedelta(days=14), 9),
            "closes_at": _at(today + timedelta(days=30), 18),
        },
    )
    if not created:
        return survey
    for order, spec in enumerate(QUESTIONS):
        question = Question.objects.create(
            survey=survey,
            order=order,
            kind=spec["kind"],
            text=spec["text"],
            help_text=spec.get("help_text", ""),
            required=spec.get("required", True),
            max_choices=spec.get("max_choices"),
            scale_low_label=spec.get("scale_low_label", ""),
            scale_high_label=spec.get("scale_high_label", ""),
        )
        for position, label in enumerate(spec.get("choices", [])):
            Choice.objects.create(question=question, order=position, label=label)
    questions = list(survey.questions.prefetch_related("choices"))
    for participant in participants[:RESPONDENTS]:
        values: dict[int, Any] = {}
        for question in questions:
            choices = [str(choice.pk) for choice in question.choices.all()]
            if question.kind == Question.Kind.SINGLE:
                values[question.pk] = rng.choice(choices)
            elif question.kind == Question.Kind.MULTIPLE:
                values[question.pk] = rng.sample(choices, rng.randint(1, question.max_choices or len(choices)))
            elif question.kind == Question.Kind.SCALE:
                values[question.pk] = rng.choices([1, 2, 3, 4, 5], weights=[2, 4, 6, 5, 2])[0]
            elif question.kind == Question.Kind.YES_NO:
                values[question.pk] = rng.choice(["yes", "no", "no"])
            elif question.kind == Question.Kind.NUMBER and rng.random() < 0.7:
                values[question.pk] = rng.choice([1, 3, 5, 8, 12, 20, 35, 60, 150])
            elif question.kind == Question.Kind.SHORT_TEXT and rng.random() < 0.5:
                values[question.pk] = rng.choice(WORDS)
            elif question.kind == Question.Kind.LONG_TEXT and rng.random() < 0.2:
                values[question.pk] = rng.choice(SUGGESTIONS)
        submit_response(survey=survey, author=participant, values=values)
    return survey


def _meeting(process: Process, title: str, **fields: Any) -> tuple[Meeting, bool]:
    return Meeting.objects.get_or_create(process=process, title=title, defaults=fields)


def _meetings(process: Process, participants: Sequence[Any], rng: random.Random) -> int:
    today = timezone.localdate()
    past, created = _meeting(
        process,
        "Incontro di zona: Circoscrizione 6",
        description="Presentazione della bozza di revisione e lavoro a tavoli sui temi del Piano.",
        starts_at=_at(today - timedelta(days=5), 17, 30),
        ends_at=_at(today - timedelta(days=5), 19, 30),
        place="Casa del quartiere (demo), Circoscrizione 6, Torino",
        agenda="17:30 Accoglienza\n17:45 La bozza di revisione\n18:15 Tavoli di lavoro\n19:15 Restituzione",
        capacity=60,
        minutes=(
            "Hanno partecipato 21 persone. Ai tavoli sono emerse tre richieste: spazi per le associazioni di "
            "quartiere, continuità dei progetti di inserimento lavorativo, più informazione sui bandi."
        ),
        minutes_published=True,
    )
    if created:
        for index, participant in enumerate(participants[80:105]):
            Registration.objects.create(
                meeting=past, user=participant, created_at=past.starts_at - timedelta(days=7), attended=index < 21
            )
    upcoming, created = _meeting(
        process,
        "Tavolo tematico: appalti sociali",
        description="Un tavolo con enti pubblici e cooperative sugli affidamenti riservati.",
        starts_at=_at(today + timedelta(days=10), 10),
        ends_at=_at(today + timedelta(days=10), 13),
        place="Sala conferenze (demo), Torino",
        agenda="10:00 Il quadro normativo\n10:45 Esperienze a confronto\n12:00 Proposte per la revisione",
        capacity=40,
    )
    if created:
        for participant in rng.sample(list(participants), 12):
            Registration.objects.create(meeting=upcoming, user=participant)
    nearly_full, created = _meeting(
        process,
        "Incontro online: finanza d'impatto",
        description="Un'ora per discutere gli strumenti finanziari previsti dal Piano.",
        starts_at=_at(today + timedelta(days=20), 18),
        ends_at=_at(today + timedelta(days=20), 19),
        online_url="https://meet.example.invalid/finanza-impatto",
        capacity=30,
    )
    if created:
        for participant in rng.sample(list(participants), 29):
            Registration.objects.create(meeting=nearly_full, user=participant)
    return 3


def _interviews(process: Process, rng: random.Random) -> int:
    themes = list(Theme.objects.filter(plan=process.plan))
    today = timezone.localdate()
    for number, (role, organization, summary) in enumerate(INTERVIEWS):
        interview, created = Interview.objects.get_or_create(
            process=process,
            stakeholder=f"{role} (intervista demo {number + 1})",
            defaults={
                "organization_name": organization,
                "held_on": today - timedelta(days=3 + 2 * number),
                "summary": summary or "Sintesi riservata all'ufficio del Piano.",
                "summary_public": bool(summary),
                "confidential_notes": "Note riservate dell'intervista (demo).",
            },
        )
        if created and themes:
            interview.themes.set(rng.sample(themes, min(2, len(themes))))
    return len(INTERVIEWS)


@transaction.atomic
def load_demo(process: Process, participants: Sequence[Any]) -> str:
    rng = random.Random(2026)  # noqa: S311 - invented data, reproducible
    survey = _survey(process, participants, rng)
    meetings = _meetings(process, participants, rng)
    interviews = _interviews(process, rng)
    return f"engagement: 1 survey ({survey.responses.count()} responses), {meetings} meetings, {interviews} interviews"


@transaction.atomic
def remove_demo() -> int:
    removed = 0
    for model in (Survey, Meeting, Interview):
        count, _ = model.objects.filter(process__slug=DEMO_PROCESS_SLUG).delete()
        removed += count
    return removed
