"""Template filters of the opportunities' pages: sums of euros, days left to a deadline, the territory."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from socialplan.opportunities import selectors
from socialplan.opportunities.models import EligibilityRule, Opportunity

register = template.Library()

# Fewer days than this and the deadline is marked as near.
NEAR_DAYS = 7


@register.filter
def eur(value: Decimal | None) -> str:
    return "" if value is None else _("EUR %(value)s") % {"value": selectors.amount(value)}


def _days_left(deadline: datetime, now: datetime) -> int:
    return (timezone.localtime(deadline).date() - timezone.localtime(now).date()).days


@register.filter
def days_left(deadline: datetime | None, now: datetime) -> str:
    """'3 days left', 'closes today' or 'deadline passed'."""
    if deadline is None:
        return ""
    if deadline < now:
        return _("deadline passed")
    days = _days_left(deadline, now)
    if days == 0:
        return _("closes today")
    return ngettext("%(days)s day left", "%(days)s days left", days) % {"days": days}


@register.filter
def deadline_is_near(deadline: datetime | None, now: datetime) -> bool:
    return deadline is not None and deadline >= now and _days_left(deadline, now) < NEAR_DAYS


@register.filter
def territory(opportunity: Opportunity, limit: int = 3) -> str:
    """'The whole metropolitan area', or the comuni (the first few, then how many more)."""
    if opportunity.whole_area:
        return _("The whole metropolitan area")
    names = [comune.name for comune in opportunity.comuni.all()]
    if not names:
        return ""
    if limit and len(names) > limit:
        more = len(names) - limit
        return ngettext("%(names)s and %(more)s more", "%(names)s and %(more)s more", more) % {
            "names": ", ".join(names[:limit]),
            "more": more,
        }
    return ", ".join(names)


@register.filter
def has_social_clauses(opportunity: Opportunity) -> bool:
    return selectors.has_social_clauses(opportunity)


def _restricts(rule: EligibilityRule) -> bool:
    return bool(
        rule.eligible_legal_forms
        or rule.eligible_runts_sections
        or rule.third_sector_only
        or rule.min_disadvantaged_share is not None
    )


@register.filter
def is_reserved(opportunity: Opportunity) -> bool:
    """Participation is reserved: by ANAC's code, or by a rule (the law's or its own) that admits only some."""
    restricted = _restricts(opportunity.legal_basis) or _restricts(opportunity)
    return restricted or opportunity.reserved_participation not in ("", "none")


@register.filter
def long_datetime(value: datetime | None) -> str:
    """'17 gennaio 2027, 12:00' in the local time zone (Italian writes month names in lower case)."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    day = date_format(local, "DATE_FORMAT")
    if (get_language() or "").startswith("it"):
        day = day.lower()
    return f"{day}, {date_format(local, 'TIME_FORMAT')}"


@register.filter
def is_open(opportunity: Opportunity, now: datetime) -> bool:
    return opportunity.status == Opportunity.Status.OPEN and (
        opportunity.deadline is None or opportunity.deadline >= now
    )


@register.filter
def percent(value: Decimal | None) -> str:
    """'2,5%' in Italian, '2.5%' in English: the digits the value has, no trailing zeros."""
    if value is None:
        return ""
    return f"{number_format(value.normalize(), use_l10n=True)}%"
