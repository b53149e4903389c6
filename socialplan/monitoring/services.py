"""Writes of the reporting flow: reporters draft and submit updates, managers approve or return them.

    draft --submit--> submitted --approve--> approved (final: it counts)
                          |
                    return with a note
                          v
      edit <------- returned --resubmit--> submitted

Only assigned reporters write updates (rules.reports_on); only the plan office
or the coordinator of the indicator's theme reviews them
(rules.manages_indicator), and never an update they reported themselves.
Every refusal is a ValidationError naming the field and the reason, raised
before anything is written; each write is one transaction, with the rows two
people may change at once locked first, and leaves a history record naming
the user and the step.

Permission refusals carry the codes "not_assigned" and "not_manager" (on the
field's error), so that an API can answer them with 403 rather than 422.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import DecimalValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socialplan.ecosystem.models import Membership, Organization
from socialplan.territory.models import Comune

from .models import (
    VALUE_DIGITS,
    VALUE_PLACES,
    Category,
    Dimension,
    DimensionValue,
    Indicator,
    Period,
    QualitativeLevel,
    Update,
)
from .rules import is_member_of, manages_indicator, may_edit_update, reports_on

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024

FIELD_NAMES = {
    "value": gettext_lazy("value"),
    "numerator": gettext_lazy("numerator"),
    "denominator": gettext_lazy("denominator"),
    "level": gettext_lazy("level"),
}


@dataclass(frozen=True)
class BreakdownEntry:
    """One category's part of a reported figure: `category` is a category's code, or a comune's ISTAT code."""

    dimension: str
    category: str
    value: Any = None
    numerator: Any = None
    denominator: Any = None


@dataclass(frozen=True)
class Report:
    """What a reporter reports for a period; which fields apply depends on the indicator's measure."""

    value: Any = None
    numerator: Any = None
    denominator: Any = None
    level: str | None = None
    breakdown: Sequence[BreakdownEntry] = ()
    narrative: str = ""


# The reporter's side -------------------------------------------------------


@transaction.atomic
def create_draft(
    *,
    indicator: Indicator,
    reporter: Any,
    on: date,
    report: Report,
    evidence: File | None = None,
    organization: Organization | None = None,
) -> Update:
    """A reporter's draft for the period of `indicator` that covers the day `on`.

    `organization` says on whose behalf; it may be left out when the reporter
    is assigned in person, or is a member of just one assigned organization.
    """
    _require_reporter(reporter, indicator)
    organization = _reporting_organization(reporter, indicator, organization)
    period = _period_covering(indicator, on)
    _require_open(period)
    _require_first_update(period, reporter, organization)
    update = Update(period=period, reporter=reporter, organization=organization)
    breakdown = _apply(update, indicator, report, evidence)
    _save(update, user=reporter, reason="Draft created")
    _replace_breakdown(update, breakdown, user=reporter, reason="Draft created")
    return update


@transaction.atomic
def edit_draft(*, update: Update, reporter: Any, report: Report, evidence: File | None = None) -> Update:
    """Replace what a draft or returned update reports; without new evidence the current file stays."""
    locked = _lock(update)
    indicator = locked.period.indicator
    _require_editor(reporter, locked)
    _require_status(locked, {Update.Status.DRAFT, Update.Status.RETURNED}, verb=_("changed"))
    _require_open(_lock_period(locked.period))
    breakdown = _apply(locked, indicator, report, evidence)
    _save(locked, user=reporter, reason="Draft edited")
    _replace_breakdown(locked, breakdown, user=reporter, reason="Draft edited")
    return locked


@transaction.atomic
def submit_update(*, update: Update, reporter: Any) -> Update:
    """Send a draft for review."""
    return _submit(update, reporter, from_status=Update.Status.DRAFT, reason="Submitted")


@transaction.atomic
def resubmit_update(*, update: Update, reporter: Any) -> Update:
    """Send a returned update, corrected, for review again."""
    return _submit(update, reporter, from_status=Update.Status.RETURNED, reason="Resubmitted")


def _submit(update: Update, reporter: Any, *, from_status: str, reason: str) -> Update:
    locked = _lock(update)
    _require_editor(reporter, locked)
    _require_status(
        locked, {from_status}, verb=_("submitted") if from_status == Update.Status.DRAFT else _("resubmitted")
    )
    _require_open(_lock_period(locked.period))
    locked.status = Update.Status.SUBMITTED
    locked.submitted_at = timezone.now()
    _save(locked, user=reporter, reason=reason)
    return locked


# The manager's side --------------------------------------------------------


@transaction.atomic
def approve_update(*, update: Update, reviewer: Any, note: str = "") -> Update:
    """Approve a submitted update: from now on it counts, and nobody changes it.

    A locked period still accepts approvals: locking stops the reporters, and
    the review of what they sent in time goes on.
    """
    locked = _lock(update)
    _require_reviewer(reviewer, locked)
    _require_status(locked, {Update.Status.SUBMITTED}, verb=_("approved"))
    return _review(locked, reviewer, status=Update.Status.APPROVED, note=note, reason="Approved")


@transaction.atomic
def return_update(*, update: Update, reviewer: Any, note: str) -> Update:
    """Return a submitted update to its reporter with a note that says what to correct."""
    locked = _lock(update)
    _require_reviewer(reviewer, locked)
    if not note.strip():
        raise ValidationError({"review_note": _("Say what the reporter must correct.")})
    _require_status(locked, {Update.Status.SUBMITTED}, verb=_("returned"))
    period = _lock_period(locked.period)
    if period.locked:
        raise ValidationError(
            {
                "period": _("The period %(period)s is locked: unlock it before returning an update to be corrected.")
                % {"period": _period_label(period)}
            },
        )
    return _review(locked, reviewer, status=Update.Status.RETURNED, note=note.strip(), reason="Returned")


def _review(update: Update, reviewer: Any, *, status: str, note: str, reason: str) -> Update:
    update.status = status
    update.reviewed_by = reviewer
    update.reviewed_at = timezone.now()
    update.review_note = note
    _save(update, user=reviewer, reason=reason)
    return update


@transaction.atomic
def set_period_locked(*, period: Period, user: Any, locked: bool) -> Period:
    """Lock a period (reporters can no longer write in it) or unlock it."""
    current = _lock_period(period)
    _require_manager(user, current.indicator)
    if current.locked != locked:
        current.locked = locked
        _save(current, user=user, reason="Period locked" if locked else "Period unlocked")
    return current


@transaction.atomic
def create_periods(
    *, indicator: Indicator, user: Any, start: date, end: date, months: int = 6, target: Decimal | None = None
) -> list[Period]:
    """Consecutive periods of `months` months (6: semesters) from `start`, the last one ending on `end`."""
    _require_manager(user, indicator)
    if months < 1:
        raise ValidationError({"months": _("A period lasts at least one month.")})
    if end < start:
        raise ValidationError({"end": _("The end cannot precede the start.")})
    Indicator.objects.select_for_update().get(pk=indicator.pk)
    periods = []
    period_start = start
    while period_start <= end:
        period_end = min(_add_months(period_start, months) - timedelta(days=1), end)
        periods.append(Period(indicator=indicator, start=period_start, end=period_end, target=target))
        period_start = period_end + timedelta(days=1)
    for period in periods:
        period.full_clean()
        _save(period, user=user, reason="Period opened")
    return periods


def _add_months(day: date, months: int) -> date:
    """The same day `months` later, or that month's last day when it is shorter (31 August + 6 = 28/29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# Checks --------------------------------------------------------------------


def _require_reporter(user: Any, indicator: Indicator) -> None:
    if not reports_on(user, indicator):
        raise ValidationError(
            {
                "reporter": ValidationError(
                    _("%(user)s is not assigned to report on indicator '%(code)s'.")
                    % {"user": _who(user), "code": indicator.code},
                    code="not_assigned",
                )
            }
        )


def _require_editor(user: Any, update: Update) -> None:
    _require_reporter(user, update.period.indicator)
    if not may_edit_update(user, update):
        raise ValidationError(
            {
                "reporter": ValidationError(
                    _("Only its reporter, or a member of the organization it reports for, may change this update."),
                    code="not_assigned",
                )
            }
        )


def _require_manager(user: Any, indicator: Indicator) -> None:
    if not manages_indicator(user, indicator):
        raise ValidationError(
            {
                "reviewer": ValidationError(
                    _(
                        "%(user)s does not manage indicator '%(code)s': only the plan office or the theme's "
                        "coordinators do."
                    )
                    % {"user": _who(user), "code": indicator.code},
                    code="not_manager",
                )
            }
        )


def _require_reviewer(user: Any, update: Update) -> None:
    _require_manager(user, update.period.indicator)
    if update.reporter_id is not None and update.reporter_id == getattr(user, "pk", None):
        raise ValidationError(
            {"reviewer": ValidationError(_("Nobody reviews an update they reported."), code="not_manager")}
        )


def _require_status(update: Update, allowed: set[str], *, verb: str) -> None:
    if update.status in allowed:
        return
    if update.status == Update.Status.APPROVED:
        message = _("This update is approved: it can no longer be %(verb)s.")
    else:
        message = _("This update is %(status)s: it cannot be %(verb)s.")
    raise ValidationError({"status": message % {"verb": verb, "status": update.get_status_display().lower()}})


def _require_open(period: Period) -> None:
    if period.locked:
        raise ValidationError(
            {
                "period": _("The period %(period)s is locked: it accepts no updates.")
                % {"period": _period_label(period)}
            },
        )


def _require_first_update(period: Period, reporter: Any, organization: Organization | None) -> None:
    existing = Update.objects.filter(period=period)
    existing = (
        existing.filter(organization=organization)
        if organization
        else existing.filter(organization__isnull=True, reporter=reporter)
    )
    if existing.exists():
        whose = str(organization) if organization else _("you")
        raise ValidationError(
            {
                "period": _("The period %(period)s already has an update by %(whose)s: change that one instead.")
                % {"period": _period_label(period), "whose": whose}
            },
        )


def _reporting_organization(user: Any, indicator: Indicator, organization: Organization | None) -> Organization | None:
    assigned = indicator.reporting_organizations.all()
    if organization is not None:
        if not assigned.filter(pk=organization.pk).exists():
            raise ValidationError(
                {
                    "organization": ValidationError(
                        _("%(organization)s is not assigned to report on indicator '%(code)s'.")
                        % {"organization": organization, "code": indicator.code},
                        code="not_assigned",
                    )
                }
            )
        if not is_member_of(user, organization.pk):
            raise ValidationError(
                {
                    "organization": ValidationError(
                        _("You are not an approved member of %(organization)s.") % {"organization": organization},
                        code="not_assigned",
                    )
                }
            )
        return organization
    if indicator.reporters.filter(pk=user.pk).exists():
        return None
    mine = list(
        assigned.filter(memberships__user_id=user.pk, memberships__status=Membership.Status.APPROVED).distinct()[:2]
    )
    if len(mine) > 1:
        raise ValidationError(
            {"organization": _("You report for several organizations on this indicator: say which one.")},
        )
    return mine[0] if mine else None


def _period_covering(indicator: Indicator, day: date) -> Period:
    if day > timezone.localdate():
        raise ValidationError({"on": _("A value cannot be reported for a future date (%(day)s).") % {"day": _day(day)}})
    period = Period.objects.select_for_update().filter(indicator=indicator, start__lte=day, end__gte=day).first()
    if period is None:
        raise ValidationError(
            {"on": _("No period of indicator '%(code)s' covers %(day)s.") % {"code": indicator.code, "day": _day(day)}},
        )
    return period


# Validating what is reported ---------------------------------------------


def _apply(update: Update, indicator: Indicator, report: Report, evidence: File | None) -> list[DimensionValue]:
    """Check the report against the indicator and set it on `update`; return the breakdown rows to save.

    Every problem is collected, then raised at once; nothing is written here.
    """
    errors: dict[str, list[str]] = defaultdict(list)
    value, numerator, denominator, level = _checked_total(indicator, report, errors)
    breakdown = _checked_breakdown(indicator, report.breakdown, value, numerator, denominator, errors)
    if evidence is not None:
        limit = getattr(settings, "MONITORING_EVIDENCE_MAX_BYTES", EVIDENCE_MAX_BYTES)
        if evidence.size is not None and evidence.size > limit:
            errors["evidence"].append(
                _("The evidence file is %(size)s bytes; the limit is %(limit)s.")
                % {"size": evidence.size, "limit": limit}
            )
    if errors:
        raise ValidationError(dict(errors))
    update.value, update.numerator, update.denominator, update.level = value, numerator, denominator, level
    update.narrative = report.narrative.strip()
    if evidence is not None:
        update.evidence = evidence
    try:
        update.full_clean(exclude=["period", "reporter", "organization", "status"], validate_constraints=False)
    except ValidationError as error:
        raise ValidationError(error.message_dict) from error
    return breakdown


def _checked_total(
    indicator: Indicator, report: Report, errors: dict[str, list[str]]
) -> tuple[Decimal | None, Decimal | None, Decimal | None, QualitativeLevel | None]:
    value = _number(report.value, "value", errors)
    numerator = _number(report.numerator, "numerator", errors)
    denominator = _number(report.denominator, "denominator", errors)
    measure = indicator.get_measure_display().lower()
    given = {
        "value": value is not None,
        "numerator": numerator is not None,
        "denominator": denominator is not None,
        "level": report.level is not None,
    }
    if indicator.is_qualitative:
        expected = {"level"}
    elif indicator.is_percentage:
        expected = {"numerator", "denominator"}
    else:
        expected = {"value"}
    for name, present in given.items():
        if present and name not in expected:
            errors[name].append(
                _("Indicator '%(code)s' (%(measure)s) takes no %(field)s.")
                % {"code": indicator.code, "measure": measure, "field": FIELD_NAMES[name]}
            )
        elif not present and name in expected and name not in errors:
            errors[name].append(
                _("Indicator '%(code)s' (%(measure)s) needs a %(field)s.")
                % {"code": indicator.code, "measure": measure, "field": FIELD_NAMES[name]}
            )
    level = None
    if indicator.is_qualitative and report.level is not None:
        level = QualitativeLevel.objects.filter(indicator=indicator, code=report.level).first()
        if level is None:
            scale = ", ".join(indicator.levels.values_list("code", flat=True))
            errors["level"].append(
                _("Unknown level '%(level)s'; the scale of '%(code)s' is: %(scale)s.")
                % {"level": report.level, "code": indicator.code, "scale": scale}
            )
    if indicator.is_percentage and numerator is not None and denominator is not None:
        if denominator == 0:
            errors["denominator"].append(_("The denominator cannot be 0."))
        _check_terms(indicator, numerator, denominator, errors, field_prefix="")
    return value, numerator, denominator, level


def _check_terms(
    indicator: Indicator, numerator: Decimal, denominator: Decimal, errors: dict[str, list[str]], *, field_prefix: str
) -> None:
    """Numerator and denominator are counts or amounts, never negative; in a share the part never exceeds the whole."""
    for name, term in (("numerator", numerator), ("denominator", denominator)):
        if term < 0:
            errors[field_prefix or name].append(_("The %(field)s cannot be negative.") % {"field": FIELD_NAMES[name]})
    if indicator.share and numerator > denominator:
        errors[field_prefix or "numerator"].append(
            _("The numerator (%(numerator)s) cannot exceed the denominator (%(denominator)s): it is part of it.")
            % {"numerator": _plain(numerator), "denominator": _plain(denominator)}
        )


def _checked_breakdown(
    indicator: Indicator,
    entries: Sequence[BreakdownEntry],
    value: Decimal | None,
    numerator: Decimal | None,
    denominator: Decimal | None,
    errors: dict[str, list[str]],
) -> list[DimensionValue]:
    if not entries:
        return []
    if indicator.is_qualitative:
        errors["breakdown"].append(_("A qualitative indicator has no breakdown."))
        return []
    dimensions = {dimension.code: dimension for dimension in indicator.dimensions.all()}
    rows: list[DimensionValue] = []
    seen: set[tuple[str, str]] = set()
    for entry in entries:
        label = f"{entry.dimension}/{entry.category}"
        dimension = dimensions.get(entry.dimension)
        if dimension is None:
            errors["breakdown"].append(
                _("'%(dimension)s' is not a dimension of indicator '%(code)s'; its dimensions are: %(known)s.")
                % {"dimension": entry.dimension, "code": indicator.code, "known": ", ".join(dimensions) or _("none")}
            )
            continue
        if (entry.dimension, entry.category) in seen:
            errors["breakdown"].append(_("%(label)s is given twice.") % {"label": label})
            continue
        seen.add((entry.dimension, entry.category))
        row = _breakdown_row(dimension, entry, errors)
        if row is None:
            continue
        row_errors: dict[str, list[str]] = defaultdict(list)
        row.value = _number(entry.value, "value", row_errors)
        row.numerator = _number(entry.numerator, "numerator", row_errors)
        row.denominator = _number(entry.denominator, "denominator", row_errors)
        if indicator.is_percentage:
            if row.numerator is None or row.denominator is None or row.value is not None:
                row_errors["value"].append(_("give a numerator and a denominator, and no value"))
            else:
                _check_terms(indicator, row.numerator, row.denominator, row_errors, field_prefix="value")
        elif row.value is None or row.numerator is not None or row.denominator is not None:
            row_errors["value"].append(_("give a value, and no numerator or denominator"))
        for messages in row_errors.values():
            errors["breakdown"].extend(f"{label}: {message}" for message in messages)
        if not row_errors:
            rows.append(row)
    if "breakdown" not in errors:
        _check_exhaustive_sums(indicator, dimensions, rows, value, numerator, denominator, errors)
    return rows


def _breakdown_row(dimension: Dimension, entry: BreakdownEntry, errors: dict[str, list[str]]) -> DimensionValue | None:
    if dimension.kind == Dimension.Kind.COMUNE:
        comune = Comune.objects.filter(istat_code=entry.category).first()
        if comune is None:
            errors["breakdown"].append(
                _("%(dimension)s: no comune has the ISTAT code '%(code)s'.")
                % {"dimension": dimension.code, "code": entry.category}
            )
            return None
        return DimensionValue(dimension=dimension, comune=comune)
    category = Category.objects.filter(dimension=dimension, code=entry.category).first()
    if category is None:
        known = ", ".join(dimension.categories.values_list("code", flat=True))
        errors["breakdown"].append(
            _("%(dimension)s: unknown category '%(code)s'; the categories are: %(known)s.")
            % {"dimension": dimension.code, "code": entry.category, "known": known}
        )
        return None
    return DimensionValue(dimension=dimension, category=category)


def _check_exhaustive_sums(
    indicator: Indicator,
    dimensions: dict[str, Dimension],
    rows: list[DimensionValue],
    value: Decimal | None,
    numerator: Decimal | None,
    denominator: Decimal | None,
    errors: dict[str, list[str]],
) -> None:
    """A breakdown by a dimension whose categories cover every case must add up to the total.

    A category left out counts as 0. Numerators and denominators add up
    separately, like the totals they break down.
    """
    for dimension in dimensions.values():
        given = [row for row in rows if row.dimension_id == dimension.pk]
        if not given or not dimension.exhaustive:
            continue
        terms = (
            (("numerator", numerator), ("denominator", denominator)) if indicator.is_percentage else (("value", value),)
        )
        for name, expected in terms:
            if expected is None:
                continue
            found = sum((getattr(row, name) for row in given), Decimal(0))
            if found != expected:
                errors["breakdown"].append(
                    _(
                        "The breakdown by %(dimension)s adds up to %(found)s, not to the %(field)s %(expected)s: "
                        "its categories cover every case, so they must add up to it."
                    )
                    % {
                        "dimension": dimension.code,
                        "found": _plain(found),
                        "field": FIELD_NAMES[name],
                        "expected": _plain(expected),
                    }
                )


def _number(raw: Any, name: str, errors: dict[str, list[str]]) -> Decimal | None:
    """A reported number as an exact Decimal; strings such as '12.5' are accepted, booleans and text are not."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal | str):
        errors[name].append(_("Enter a number."))
        return None
    try:
        number = Decimal(str(raw).strip())
    except InvalidOperation:
        errors[name].append(_("'%(raw)s' is not a number.") % {"raw": raw})
        return None
    if not number.is_finite():
        errors[name].append(_("Enter a finite number."))
        return None
    try:
        DecimalValidator(VALUE_DIGITS, VALUE_PLACES)(number)
    except ValidationError as error:
        errors[name].extend(error.messages)
        return None
    return number


# Writing -------------------------------------------------------------------


def _lock(update: Update) -> Update:
    """The update re-read under a lock, so that two people acting at once see each other's change."""
    return Update.objects.select_for_update().select_related("period__indicator").get(pk=update.pk)


def _lock_period(period: Period) -> Period:
    return Period.objects.select_for_update().select_related("indicator").get(pk=period.pk)


def _save(instance: models.Model, *, user: Any, reason: str) -> None:
    instance._history_user = user if getattr(user, "is_authenticated", False) else None  # type: ignore[attr-defined]
    instance._change_reason = reason  # type: ignore[attr-defined]
    instance.save()


def _replace_breakdown(update: Update, rows: list[DimensionValue], *, user: Any, reason: str) -> None:
    for old in update.breakdown.all():
        old._history_user = user  # type: ignore[attr-defined]
        old._change_reason = reason  # type: ignore[attr-defined]
        old.delete()
    for row in rows:
        row.update = update
        _save(row, user=user, reason=reason)


def _plain(number: Decimal) -> str:
    """12, 12.5: a number as people write it, without trailing zeros or exponent."""
    return f"{number.normalize():f}"


def _who(user: Any) -> str:
    return str(user) if getattr(user, "is_authenticated", False) else _("An anonymous visitor")


def _day(day: date) -> str:
    return date_format(day, "DATE_FORMAT")


def _period_label(period: Period) -> str:
    return f"{_day(period.start)} - {_day(period.end)}"
