"""Fixtures of the opinion groups: an open conversation with seed statements, and voters with planted groups."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from socialplan.accounts.models import User
from socialplan.opinions import counters, services
from socialplan.opinions.models import Conversation, Vote
from socialplan.participation.models import Process

# Two planted outlooks on 12 statements: the first four split them one way, the next four the other way,
# the last four everyone agrees with.
PLANTED = {"A": [1, 1, 1, 1, -1, -1, -1, -1, 1, 1, 1, 1], "B": [-1, -1, -1, -1, 1, 1, 1, 1, 1, 1, 1, 1]}


@pytest.fixture
def process(torino):
    return Process.objects.create(
        plan=torino, slug="revisione", title_it="Revisione del Piano", title_en="Revision of the Plan"
    )


@pytest.fixture
def conversation(process):
    now = timezone.now()
    conversation = Conversation.objects.create(
        process=process,
        slug="priorita",
        title_it="Le priorità",
        title_en="The priorities",
        question_it="Su che cosa puntare?",
        question_en="What to focus on?",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=10),
    )
    for number in range(12):
        services.seed_statement(conversation=conversation, text=f"Affermazione numero {number + 1}")
    return conversation


@pytest.fixture
def statements(conversation):
    return list(conversation.statements.order_by("pk"))


def make_users(count: int, prefix: str = "voter") -> list[User]:
    return [User.objects.create_user(email=f"{prefix}-{number}@example.org", password="x") for number in range(count)]


@pytest.fixture
def planted(conversation, statements):
    """30 voters: 18 of outlook A, 12 of B; each skips one or two statements at random (so no two are twins)."""
    rng = random.Random(7)  # noqa: S311 - test data, reproducible
    voters = make_users(30)
    votes = []
    for number, voter in enumerate(voters):
        outlook = PLANTED["A" if number < 18 else "B"]
        skipped = set(rng.sample(range(12), rng.choice([1, 2])))
        votes += [
            Vote(statement=statement, participant=voter, value=value)
            for index, (statement, value) in enumerate(zip(statements, outlook, strict=True))
            if index not in skipped
        ]
    Vote.objects.bulk_create(votes)
    counters.recount(conversation)
    return voters
