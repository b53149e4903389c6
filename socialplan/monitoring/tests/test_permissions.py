"""The permission matrix of the reporting services: every role x every write, allowed or refused.

Roles: the `roles` fixture (platform admin, plan editor, the coordinator of
the social procurement theme, an organization member, a registered
participant, an anonymous visitor) and a reporter assigned to the indicator.
Only the assigned reporter writes updates; the plan office and the theme's
coordinator review them and manage periods. A refusal is a ValidationError
with a permission code, and changes nothing.
"""

from datetime import date

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from socialplan.monitoring.models import Indicator, Period, Update
from socialplan.monitoring.services import (
    Report,
    approve_update,
    create_draft,
    create_periods,
    return_update,
    set_period_locked,
    submit_update,
)

from .conftest import H1_2025

ROLES = ("admin", "editor", "coordinator", "member", "participant", "anonymous", "reporter")
OFFICE = {"admin", "editor"}


def user_for(roles, reporter, role: str):
    return reporter if role == "reporter" else getattr(roles, role)


def allowed(action) -> bool:
    try:
        action()
    except ValidationError as error:
        assert {"not_assigned", "not_manager"} & {e.code for e in error.error_dict.get("reporter", [])} | {
            e.code for e in error.error_dict.get("reviewer", [])
        }, error
        return False
    return True


@pytest.fixture
def submitted(hired, reporter) -> Update:
    return submit_update(
        update=create_draft(indicator=hired, reporter=reporter, on=H1_2025, report=Report(value=2)), reporter=reporter
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.django_db
def test_only_the_assigned_reporter_drafts(hired, roles, reporter, role) -> None:
    user = user_for(roles, reporter, role)
    expected = role == "reporter"
    assert allowed(lambda: create_draft(indicator=hired, reporter=user, on=H1_2025, report=Report(value=1))) is expected
    assert Update.objects.count() == int(expected)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.django_db
def test_only_the_reporter_submits_their_draft(hired, roles, reporter, role) -> None:
    draft = create_draft(indicator=hired, reporter=reporter, on=H1_2025, report=Report(value=1))
    user = user_for(roles, reporter, role)
    assert allowed(lambda: submit_update(update=draft, reporter=user)) is (role == "reporter")


# indicator -> roles that review its updates and manage its periods
MANAGERS = {
    "sp-disadvantaged-hired": OFFICE | {"coordinator"},  # a theme the coordinator coordinates
    "sp-social-clauses-share": OFFICE | {"coordinator"},  # an action under it
    "gov-partners-engaged": OFFICE,  # another theme
    "plan-new-organizations": OFFICE,  # the plan as a whole
}


@pytest.mark.parametrize("code", MANAGERS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.django_db
def test_the_office_and_the_themes_coordinator_approve(torino, roles, reporter, role, code) -> None:
    indicator = Indicator.objects.get(plan=torino, code=code)
    indicator.reporters.add(reporter)
    Period.objects.create(indicator=indicator, start=date(2025, 1, 1), end=date(2025, 6, 30))
    report = Report(numerator=1, denominator=2) if indicator.is_percentage else Report(value=1)
    update = submit_update(
        update=create_draft(indicator=indicator, reporter=reporter, on=H1_2025, report=report), reporter=reporter
    )
    user = user_for(roles, reporter, role)
    expected = role in MANAGERS[code]
    assert allowed(lambda: approve_update(update=update, reviewer=user)) is expected
    update.refresh_from_db()
    assert (update.status == Update.Status.APPROVED) is expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.django_db
def test_the_office_and_the_themes_coordinator_return(submitted, roles, reporter, role) -> None:
    user = user_for(roles, reporter, role)
    expected = role in OFFICE | {"coordinator"}
    assert allowed(lambda: return_update(update=submitted, reviewer=user, note="Correggere.")) is expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.django_db
def test_managers_open_and_lock_periods(hired, roles, reporter, role) -> None:
    user = user_for(roles, reporter, role)
    expected = role in OFFICE | {"coordinator"}
    period = hired.periods.first()
    assert allowed(lambda: set_period_locked(period=period, user=user, locked=True)) is expected
    assert (
        allowed(lambda: create_periods(indicator=hired, user=user, start=date(2026, 1, 1), end=date(2026, 12, 31)))
        is expected
    )
    assert hired.periods.count() == (4 if expected else 2)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.django_db
def test_rules_say_the_same(hired, roles, reporter, role) -> None:
    """The rules a view or the API will ask before calling the services.

    Asked of the rule set itself: `user.has_perm` lets a superuser through
    everything, while reporting stays with assigned reporters.
    """
    user = user_for(roles, reporter, role) or AnonymousUser()
    assert rules.has_perm("monitoring.report_on_indicator", user, hired) is (role == "reporter")
    assert rules.has_perm("monitoring.review_update", user, hired) is (role in OFFICE | {"coordinator"})
