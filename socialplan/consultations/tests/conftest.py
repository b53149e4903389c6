"""A revision process on the Turin plan with an open consultation on two of its elements."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from socialplan.accounts.models import User
from socialplan.consultations import services
from socialplan.consultations.models import Consultation
from socialplan.participation.models import ParticipantProfile, Process

THEME = "social-procurement"
ACTION = "social-procurement/sp-o2/sp-s3"


def url(name: str, *args: object, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name, args=args)


def participant(email: str, name: str) -> User:
    user = User.objects.create_user(email=email, password="x")
    ParticipantProfile.objects.create(user=user, display_name=name)
    return user


@pytest.fixture
def process(torino) -> Process:
    return Process.objects.create(
        plan=torino, slug="revisione-2026", title="Revisione 2026", title_it="Revisione 2026", title_en="2026 revision"
    )


@pytest.fixture
def consultation(process) -> Consultation:
    now = timezone.now()
    return services.open_consultation(
        process,
        title="Bozza di revisione",
        title_en="Draft revision",
        intro="Commenta la bozza.",
        element_keys=[ACTION, THEME],
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=10),
        open_mode=True,
    )


@pytest.fixture
def anna(db) -> User:
    return participant("anna@example.org", "Anna R.")


@pytest.fixture
def bruno(db) -> User:
    return participant("bruno@example.org", "Bruno T.")


@pytest.fixture(autouse=True)
def _english():
    """These tests read the English texts (paths reversed here get /en/); Italian is checked where a test asks."""
    from django.utils import translation

    with translation.override("en"):
        yield
