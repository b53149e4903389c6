"""Fixtures shared by every app's tests: the Turin plan and one user per role."""

from dataclasses import dataclass

import pytest

from socialplan.accounts.models import User
from socialplan.accounts.services import assign_theme_coordinator, make_plan_editor
from socialplan.ecosystem.models import Membership, Organization
from socialplan.plan.models import Plan, Theme
from socialplan.plan.services import load_plan_content, read_plan_content

pytest_plugins = ["socialplan.core.tests.browser"]


@pytest.fixture
def torino(db) -> Plan:
    """The Turin plan alone: the content other apps load with it under the same name (monitoring's
    indicators) costs time most tests do not need; those apps override this fixture in their tests."""
    load_plan_content(content=read_plan_content("torino"))
    return Plan.objects.get(slug="torino")


@dataclass
class Roles:
    """One user per platform role; `anonymous` is None."""

    admin: User
    editor: User
    coordinator: User
    member: User
    participant: User
    anonymous: None = None

    def as_dict(self) -> dict[str, User | None]:
        return {name: getattr(self, name) for name in ROLE_NAMES}


ROLE_NAMES = ("admin", "editor", "coordinator", "member", "participant", "anonymous")


@pytest.fixture
def roles(torino: Plan) -> Roles:
    """The coordinator coordinates the social procurement theme only."""
    admin = User.objects.create_superuser(email="admin@example.org", password="x")
    editor = User.objects.create_user(email="editor@example.org", password="x")
    make_plan_editor(user=editor)
    coordinator = User.objects.create_user(email="coordinator@example.org", password="x")
    assign_theme_coordinator(user=coordinator, theme=Theme.objects.get(plan=torino, code="social-procurement"))
    member = User.objects.create_user(email="member@example.org", password="x")
    organization = Organization.objects.create(legal_name="Cooperativa Esempio", codice_fiscale="00743110157")
    Membership.objects.create(user=member, organization=organization)
    participant = User.objects.create_user(email="participant@example.org", password="x")
    return Roles(admin=admin, editor=editor, coordinator=coordinator, member=member, participant=participant)


@pytest.fixture(autouse=True)
def _fresh_matcher():
    """The matcher keeps the organizations' features per process and data generation; a test's rows are
    rolled back with the generation, so each test starts without kept features."""
    from socialplan.matching import engine, features

    features.forget()
    engine._eligible_cache.clear()
    yield
