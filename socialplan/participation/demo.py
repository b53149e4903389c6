"""Demo participation: a revision process open today, and invented participants.

Everything is marked as demo: the process slug starts with `demo-`, the
participants' addresses end in `@demo.invalid` (a reserved domain, so no
mail can reach anyone). A second load changes nothing; `remove` deletes it
all, with what the participants wrote. Each kind of contribution adds its
demo content through `DEMO_LOADERS`: modules with `load_demo(process,
participants) -> str` and `remove_demo() -> int`.
"""

from __future__ import annotations

import importlib
import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from socialplan.plan.models import Plan

from .models import Opening, ParticipantProfile, Phase, Process

DEMO_PROCESS_SLUG = "demo-revisione-2026"
DEMO_DOMAIN = "demo.invalid"
DEMO_PARTICIPANTS = 120
DEMO_LOADERS: list[str] = [
    "socialplan.consultations.demo",
    "socialplan.proposals.demo",
    "socialplan.opinions.demo",
    "socialplan.engagement.demo",
]

FIRST_NAMES = [
    "Giulia", "Marco", "Sara", "Luca", "Chiara", "Andrea", "Elena", "Paolo", "Francesca", "Davide",
    "Martina", "Simone", "Alessia", "Matteo", "Valentina", "Stefano", "Federica", "Giorgio", "Irene", "Nicola",
]  # fmt: skip
INITIALS = "ABCDEFGHILMNOPRSTVZ"


@dataclass
class DemoReport:
    process: Process
    created: bool
    participants_created: int
    loaded: list[str] = field(default_factory=list)


def _phases(today: timezone.datetime) -> list[dict[str, object]]:
    return [
        {
            "code": "ascolto",
            "title_it": "Ascolto: consultazione sulla bozza di revisione",
            "title_en": "Listening: consultation on the draft revision",
            "description_it": (
                "Commenti e annotazioni sulla bozza, proposte di nuove azioni, questionario e gruppi di opinione."
            ),
            "description_en": (
                "Comments and annotations on the draft, proposals of new actions, survey and opinion groups."
            ),
            "start_date": today - timedelta(days=14),
            "end_date": today + timedelta(days=30),
            "openings": [
                Opening.COMMENTS, Opening.ANNOTATIONS, Opening.PROPOSALS, Opening.SUPPORTS, Opening.SURVEYS,
                Opening.OPINIONS,
            ],
        },
        {
            "code": "incontri",
            "title_it": "Incontri territoriali",
            "title_en": "Meetings across the territory",
            "description_it": "Incontri nelle zone omogenee e interviste agli stakeholder.",
            "description_en": "Meetings in the homogeneous areas and stakeholder interviews.",
            "start_date": today - timedelta(days=7),
            "end_date": today + timedelta(days=45),
            "openings": [Opening.MEETINGS, Opening.INTERVIEWS],
        },
        {
            "code": "risposta",
            "title_it": "Risposta e nuova versione del Piano",
            "title_en": "Response and new version of the Plan",
            "description_it": "L'ufficio del Piano risponde a ogni proposta e pubblica la nuova versione.",
            "description_en": "The plan office answers every proposal and publishes the new version.",
            "start_date": today + timedelta(days=46),
            "end_date": today + timedelta(days=75),
            "openings": [],
        },
    ]  # fmt: skip


def demo_participants(count: int = DEMO_PARTICIPANTS) -> tuple[list[object], int]:
    """Invented participants with a public name, an age band and an organization type."""
    User = get_user_model()
    rng = random.Random(2026)  # noqa: S311 - invented data, reproducible
    bands = [value for value, _label in ParticipantProfile.AgeBand.choices]
    kinds = [value for value, _label in ParticipantProfile.OrganizationType.choices]
    users, created_count = [], 0
    for number in range(1, count + 1):
        email = f"partecipante-{number:03d}@{DEMO_DOMAIN}"
        user, created = User.objects.get_or_create(email=email, defaults={"is_active": True})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            created_count += 1
        name = f"{FIRST_NAMES[number % len(FIRST_NAMES)]} {INITIALS[number % len(INITIALS)]}."
        ParticipantProfile.objects.get_or_create(
            user=user,
            defaults={
                "display_name": name,
                "privacy_accepted_at": timezone.now(),
                "privacy_version": "demo",
                "age_band": rng.choice(bands),
                "organization_type": rng.choice(kinds),
                "digest": ParticipantProfile.Digest.NEVER,
            },
        )
        users.append(user)
    return users, created_count


@transaction.atomic
def load_participation_demo(*, plan: Plan) -> DemoReport:
    today = timezone.localdate()
    process, created = Process.objects.get_or_create(
        plan=plan,
        slug=DEMO_PROCESS_SLUG,
        defaults={
            "order": 10,
            "title": "Revisione 2026 del Piano (demo)",
            "title_it": "Revisione 2026 del Piano (demo)",
            "title_en": "2026 revision of the Plan (demo)",
            "summary_it": "Un processo dimostrativo: la revisione annuale del Piano, aperta oggi.",
            "summary_en": "A demonstration process: the Plan's yearly revision, open today.",
        },
    )
    if created:
        for order, phase in enumerate(_phases(today)):
            Phase.objects.create(process=process, order=order, title=phase["title_it"], **phase)
    participants, participants_created = demo_participants()
    report = DemoReport(process=process, created=created, participants_created=participants_created)
    for path in DEMO_LOADERS:
        module = importlib.import_module(path)
        report.loaded.append(module.load_demo(process, participants))
    return report


@transaction.atomic
def remove_participation_demo() -> int:
    for path in DEMO_LOADERS:
        importlib.import_module(path).remove_demo()
    deleted, _ = Process.objects.filter(slug=DEMO_PROCESS_SLUG).delete()
    users, _ = get_user_model().objects.filter(email__endswith=f"@{DEMO_DOMAIN}").delete()
    return deleted + users
