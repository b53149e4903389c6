"""Fixtures for the tests of reports, moderation, notifications and personal data.

Two processes of the Turin plan, each with its own moderator, and a proposal
in the first one (proposals.Proposal is a registered contribution kind).
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from socialplan.accounts.models import User
from socialplan.participation.models import Phase, Process
from socialplan.proposals.models import Proposal


@dataclass
class People:
    process: Process
    other_process: Process
    moderator: User
    other_moderator: User
    author: User
    reporter: User
    proposal: Proposal
    other_proposal: Proposal

    def report_url(self, obj=None) -> str:
        obj = obj or self.proposal
        return reverse("participation:report", args=[ContentType.objects.get_for_model(obj).pk, obj.pk])

    def moderate_url(self, obj=None) -> str:
        obj = obj or self.proposal
        return reverse("participation:moderate", args=[ContentType.objects.get_for_model(obj).pk, obj.pk])


def make_process(plan, slug: str) -> Process:
    process = Process.objects.create(plan=plan, slug=slug, title=f"Process {slug}", order=5)
    today = timezone.localdate()
    Phase.objects.create(
        process=process,
        code="open",
        title="Open",
        start_date=today - timedelta(days=5),
        end_date=today + timedelta(days=20),
        openings=["proposals", "supports", "comments"],
    )
    return process


@pytest.fixture
def people(roles, torino) -> People:
    process = make_process(torino, "revision-a")
    other_process = make_process(torino, "revision-b")
    moderator = User.objects.create_user(email="moderator-a@example.org", password="pw-moderator-a")
    other_moderator = User.objects.create_user(email="moderator-b@example.org", password="pw-moderator-b")
    process.moderators.add(moderator)
    other_process.moderators.add(other_moderator)
    author = User.objects.create_user(email="author@example.org", password="pw-author-123")
    reporter = User.objects.create_user(email="reporter@example.org", password="pw-reporter-123")
    proposal = Proposal.objects.create(
        process=process, author=author, title="Più verde nei cortili", body="Piantiamo alberi <b>nei cortili</b>."
    )
    other_proposal = Proposal.objects.create(
        process=other_process, author=author, title="Biblioteche aperte", body="Aprire la sera."
    )
    return People(process, other_process, moderator, other_moderator, author, reporter, proposal, other_proposal)
