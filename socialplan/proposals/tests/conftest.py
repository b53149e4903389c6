"""A process of the Turin plan collecting proposals and supports today, and a few participants."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from socialplan.accounts.models import User
from socialplan.participation.models import Opening, ParticipantProfile, Phase, Process
from socialplan.plan.models import Plan


def make_process(plan: Plan, *, slug: str, openings: list[str], start: int = -5, end: int = 5) -> Process:
    """A published process with one phase from `start` to `end` days from today, opening `openings`."""
    process = Process.objects.create(plan=plan, slug=slug, title_it=f"Processo {slug}", title_en=f"Process {slug}")
    today = timezone.localdate()
    Phase.objects.create(
        process=process,
        code="phase",
        title_it="Fase di ascolto",
        title_en="Listening phase",
        start_date=today + timedelta(days=start),
        end_date=today + timedelta(days=end),
        openings=openings,
    )
    return process


def make_participant(email: str, *, name: str = "", age_band: str = "", organization_type: str = "") -> User:
    user = User.objects.create_user(email=email, password="x")
    ParticipantProfile.objects.create(
        user=user,
        display_name=name,
        privacy_accepted_at=timezone.now(),
        age_band=age_band,
        organization_type=organization_type,
    )
    return user


@dataclass
class Setting:
    plan: Plan
    process: Process
    closed: Process
    author: User
    supporter: User
    other: User


@pytest.fixture
def setting(torino) -> Setting:
    process = make_process(torino, slug="revisione", openings=[Opening.PROPOSALS, Opening.SUPPORTS])
    closed = make_process(torino, slug="chiuso", openings=[Opening.PROPOSALS, Opening.SUPPORTS], start=-30, end=-10)
    return Setting(
        plan=torino,
        process=process,
        closed=closed,
        author=make_participant("autrice@example.org", name="Giulia R."),
        supporter=make_participant("sostenitore@example.org", name="Marco B."),
        other=make_participant("altra@example.org"),
    )


@pytest.fixture(autouse=True)
def _english():
    """These tests read the English texts (paths reversed here get /en/); Italian is checked where a test asks."""
    from django.utils import translation

    with translation.override("en"):
        yield
