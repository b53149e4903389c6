"""Who reports and who reviews.

Reporters are the users assigned to an indicator and the approved members of
the organizations assigned to it; only they write updates. The plan office
(platform admins and plan editors) and the coordinators of the theme the
indicator's element belongs to manage the indicator: they define it, open and
lock its periods, and approve or return updates. An indicator of the plan as
a whole has no theme: only the plan office manages it.
"""

from typing import Any

import rules

from socialplan.accounts.rules import is_plan_office
from socialplan.ecosystem.models import Membership
from socialplan.plan.rules import coordinates_theme_of

from .models import DimensionTarget, DimensionValue, Indicator, IndicatorDimension, Period, QualitativeLevel, Update


def indicator_of(obj: Any) -> Indicator | None:
    if isinstance(obj, Indicator):
        return obj
    if isinstance(obj, Period | QualitativeLevel | IndicatorDimension):
        return obj.indicator
    if isinstance(obj, Update | DimensionTarget):
        return obj.period.indicator
    if isinstance(obj, DimensionValue):
        return obj.update.period.indicator
    return None


def _is_authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_member_of(user: Any, organization_id: int) -> bool:
    """An approved member: a pending or rejected request to join gives no right to report."""
    return (
        _is_authenticated(user)
        and Membership.objects.filter(
            user_id=user.pk, organization_id=organization_id, status=Membership.Status.APPROVED
        ).exists()
    )


@rules.predicate
def reports_on(user: Any, obj: Any) -> bool:
    """Assigned in person, or an approved member of an assigned organization."""
    indicator = indicator_of(obj)
    if indicator is None or not _is_authenticated(user):
        return False
    if indicator.reporters.filter(pk=user.pk).exists():
        return True
    return indicator.reporting_organizations.filter(
        memberships__user_id=user.pk, memberships__status=Membership.Status.APPROVED
    ).exists()


@rules.predicate
def may_edit_update(user: Any, update: Any) -> bool:
    """Its reporter, or for an organization's update any approved member of that organization, while assigned."""
    if not isinstance(update, Update) or not reports_on(user, update):
        return False
    if update.organization_id is None:
        return bool(update.reporter_id == user.pk)
    return bool(
        update.period.indicator.reporting_organizations.filter(pk=update.organization_id).exists()
        and is_member_of(user, update.organization_id)
    )


@rules.predicate
def manages_indicator(user: Any, obj: Any) -> bool:
    """The plan office, or a coordinator of the theme the indicator's element lies in.

    With no object (the back office's lists and add pages), coordinators of
    any theme are let in and the admin narrows what they see.
    """
    if is_plan_office(user):
        return True
    if obj is None:
        return bool(coordinates_theme_of(user, None))
    indicator = indicator_of(obj)
    return indicator is not None and bool(coordinates_theme_of(user, indicator.element))


# The back office's monitoring section: the plan office, and coordinators for their themes' indicators.
rules.add_perm("monitoring", manages_indicator)
rules.add_perm("monitoring.report_on_indicator", reports_on)
rules.add_perm("monitoring.review_update", manages_indicator)

# The catalogue of dimensions and categories is shared by every indicator.
for model_name in ("dimension", "category"):
    for verb in ("view", "add", "change", "delete"):
        rules.add_perm(f"monitoring.{verb}_{model_name}", is_plan_office)

# Indicators and what defines them: the office, and coordinators within their themes.
for model_name in ("indicator", "indicatordimension", "qualitativelevel", "period", "dimensiontarget"):
    for verb in ("view", "add", "change"):
        rules.add_perm(f"monitoring.{verb}_{model_name}", manages_indicator)
    # Periods with updates are protected in the database; deleting an
    # indicator is the office's decision.
    rules.add_perm(
        f"monitoring.delete_{model_name}", is_plan_office if model_name == "indicator" else manages_indicator
    )

# Updates are written through the services (reporters) and reviewed with the
# admin's actions: nobody edits or deletes one in the back office.
rules.add_perm("monitoring.view_update", manages_indicator)
rules.add_perm("monitoring.view_dimensionvalue", manages_indicator)

# Monitoring cycles: opened, changed and closed by the plan office; reminders are a read-only log.
for verb in ("view", "add", "change", "delete"):
    rules.add_perm(f"monitoring.{verb}_cycle", is_plan_office)
rules.add_perm("monitoring.view_reminder", is_plan_office)
for verb in ("add", "change", "delete"):
    rules.add_perm(f"monitoring.{verb}_reminder", rules.always_deny)

# The cycles' PDF reports: built by the background task, never edited by hand.
rules.add_perm("monitoring.view_cyclereport", is_plan_office)
for verb in ("add", "change", "delete"):
    rules.add_perm(f"monitoring.{verb}_cyclereport", rules.always_deny)
