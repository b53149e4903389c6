"""A process with a survey of every kind of question, a meeting and an interview."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from socialplan.accounts.models import User
from socialplan.engagement.models import Choice, Interview, Meeting, Question, Survey
from socialplan.participation.models import Process


@pytest.fixture
def process(torino) -> Process:
    return Process.objects.create(plan=torino, slug="revisione", title="Revisione", title_it="Revisione")


@dataclass
class SurveySetting:
    survey: Survey
    single: Question
    multiple: Question
    scale: Question
    yes_no: Question
    number: Question
    short: Question
    long: Question

    def choice(self, question: Question, label: str) -> Choice:
        return question.choices.get(label=label)


def make_survey(process: Process, **fields) -> SurveySetting:
    now = timezone.now()
    defaults = {"opens_at": now - timedelta(days=1), "closes_at": now + timedelta(days=1)}
    survey = Survey.objects.create(process=process, title="Il tuo parere", **{**defaults, **fields})

    def question(order, kind, text, choices=(), **extra):
        created = Question.objects.create(survey=survey, order=order, kind=kind, text=text, **extra)
        for position, label in enumerate(choices):
            Choice.objects.create(question=created, order=position, label=label)
        return created

    return SurveySetting(
        survey=survey,
        single=question(0, Question.Kind.SINGLE, "Chi sei?", ["Cittadina", "Cooperativa"]),
        multiple=question(1, Question.Kind.MULTIPLE, "Quali temi?", ["Casa", "Lavoro", "Appalti"], max_choices=2),
        scale=question(
            2, Question.Kind.SCALE, "Quanto conosci il Piano?", scale_low_label="poco", scale_high_label="molto"
        ),
        yes_no=question(3, Question.Kind.YES_NO, "Hai partecipato nel 2025?"),
        number=question(4, Question.Kind.NUMBER, "Quante persone?", required=False),
        short=question(5, Question.Kind.SHORT_TEXT, "Una parola", required=False),
        long=question(6, Question.Kind.LONG_TEXT, "Un suggerimento", required=False),
    )


@pytest.fixture
def setting(process) -> SurveySetting:
    return make_survey(process)


@pytest.fixture
def people(db) -> list[User]:
    return [User.objects.create_user(email=f"persona{n}@example.org", password="x") for n in range(4)]


@pytest.fixture
def meeting(process) -> Meeting:
    start = timezone.now() + timedelta(days=7)
    return Meeting.objects.create(
        process=process,
        title="Incontro di zona",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="Via Roma 1, Torino",
        agenda="Presentazione; tavoli",
        capacity=2,
    )


@pytest.fixture
def interview(process) -> Interview:
    return Interview.objects.create(
        process=process,
        stakeholder="Mario Rossi",
        organization_name="Cooperativa Esempio",
        held_on=timezone.localdate(),
        summary="Servono più affidamenti riservati.",
        summary_public=True,
        confidential_notes="NOTA-RISERVATA: il presidente lascerà a marzo.",
    )
