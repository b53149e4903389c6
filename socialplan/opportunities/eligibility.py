"""Who may answer an opportunity: its legal basis's rule and its own, both of which must hold.

`eligibility` decides for one organization in Python and says why in plain
words; `eligible_organizations` applies the very same conditions in SQL, the
hard filter of the matcher. Both read the conditions from `conditions()`, so
they cannot drift apart (a property test pins their agreement).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from socialplan.ecosystem.models import THIRD_SECTOR, LegalForm, Organization, RuntsSection

from .models import EligibilityRule, LegalBasis, Opportunity

# The RUNTS section each legal form is registered in (art. 46 D.Lgs. 117/2017; social cooperatives
# and social enterprises in section d, through the Register of companies). Forms outside the Third
# sector have none: a rule that requires a section excludes them.
RUNTS_SECTION_OF: dict[str, str] = {
    LegalForm.SOCIAL_COOP_A: RuntsSection.SOCIAL_ENTERPRISE,
    LegalForm.SOCIAL_COOP_B: RuntsSection.SOCIAL_ENTERPRISE,
    LegalForm.SOCIAL_COOP_AB: RuntsSection.SOCIAL_ENTERPRISE,
    LegalForm.SOCIAL_COOP_CONSORTIUM: RuntsSection.SOCIAL_ENTERPRISE,
    LegalForm.SOCIAL_ENTERPRISE: RuntsSection.SOCIAL_ENTERPRISE,
    LegalForm.ODV: RuntsSection.ODV,
    LegalForm.APS: RuntsSection.APS,
    LegalForm.PHILANTHROPIC: RuntsSection.PHILANTHROPIC,
    LegalForm.NETWORK: RuntsSection.NETWORK,
    LegalForm.MUTUAL_AID: RuntsSection.MUTUAL_AID,
    LegalForm.OTHER_ETS: RuntsSection.OTHER,
}


@dataclass(frozen=True)
class Conditions:
    """One rule's conditions; None: no condition of that kind."""

    source: str
    legal_forms: frozenset[str] | None
    runts_sections: frozenset[str] | None
    min_disadvantaged_share: Decimal | None
    registered_by: date | None
    min_months_in_runts: int | None


@dataclass
class Eligibility:
    eligible: bool
    reasons: list[str] = field(default_factory=list)


def allowed_legal_forms(rule: EligibilityRule) -> frozenset[str] | None:
    """The legal forms a rule admits; None when it admits any (a blank legal form included)."""
    forms = frozenset(rule.eligible_legal_forms) if rule.eligible_legal_forms else None
    if rule.third_sector_only:
        forms = frozenset(THIRD_SECTOR) if forms is None else forms & THIRD_SECTOR
    return forms


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier, or the last day of that month when it is shorter."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def conditions(opportunity: Opportunity, *, on: date) -> list[Conditions]:
    """The legal basis's conditions, then the opportunity's own."""
    basis: LegalBasis = opportunity.legal_basis
    result = []
    for rule, source in ((basis, basis.citation), (opportunity, _("this opportunity"))):
        months = getattr(rule, "min_months_in_runts", None)
        result.append(
            Conditions(
                source=source,
                legal_forms=allowed_legal_forms(rule),
                runts_sections=frozenset(rule.eligible_runts_sections) or None,
                min_disadvantaged_share=rule.min_disadvantaged_share,
                registered_by=months_before(on, months) if months else None,
                min_months_in_runts=months or None,
            )
        )
    return result


def _labels(codes: Iterable[str], choices: type[LegalForm] | type[RuntsSection]) -> str:
    names = dict(choices.choices)
    order = {code: position for position, code in enumerate(names)}
    return ", ".join(str(names.get(code, code)) for code in sorted(codes, key=lambda code: order.get(code, len(order))))


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _check(organization: Organization, rule: Conditions) -> tuple[bool, list[str]]:
    ok, reasons = True, []
    if rule.legal_forms is not None:
        if organization.legal_form in rule.legal_forms:
            reasons.append(
                _("%(source)s: %(form)s is admitted")
                % {"source": rule.source, "form": organization.get_legal_form_display()}
            )
        else:
            ok = False
            reasons.append(
                _("%(source)s: only %(forms)s") % {"source": rule.source, "forms": _labels(rule.legal_forms, LegalForm)}
            )
    if rule.runts_sections is not None and organization.runts_section not in rule.runts_sections:
        ok = False
        reasons.append(
            _("%(source)s: registration in RUNTS section %(sections)s is required")
            % {"source": rule.source, "sections": _labels(rule.runts_sections, RuntsSection)}
        )
    if rule.min_disadvantaged_share is not None:
        share = organization.disadvantaged_share
        values = {"source": rule.source, "minimum": _percent(rule.min_disadvantaged_share)}
        if share is None:
            ok = False
            reasons.append(
                _("%(source)s: at least %(minimum)s%% disadvantaged workers required, no share declared") % values
            )
        elif share < rule.min_disadvantaged_share:
            ok = False
            reasons.append(
                _("%(source)s: at least %(minimum)s%% disadvantaged workers required, %(share)s%% declared")
                % {**values, "share": _percent(share)}
            )
        else:
            reasons.append(
                _("%(source)s: eligible, %(share)s%% disadvantaged workers") % {**values, "share": _percent(share)}
            )
    if rule.registered_by is not None:
        registered = organization.runts_registered_on
        values = {"source": rule.source, "months": str(rule.min_months_in_runts)}
        if registered is None:
            ok = False
            reasons.append(_("%(source)s: registration in RUNTS for at least %(months)s months required") % values)
        elif registered > rule.registered_by:
            ok = False
            reasons.append(
                _("%(source)s: registration in RUNTS for at least %(months)s months required, registered on %(date)s")
                % {**values, "date": registered.strftime("%d/%m/%Y")}
            )
        else:
            reasons.append(
                _("%(source)s: registered in RUNTS since %(date)s")
                % {"source": rule.source, "date": registered.strftime("%d/%m/%Y")}
            )
    return ok, reasons


def eligibility(organization: Organization, opportunity: Opportunity, *, on: date) -> Eligibility:
    """Whether an organization may answer, on a day (months in RUNTS are counted up to it), and why."""
    eligible, reasons = True, []
    for rule in conditions(opportunity, on=on):
        ok, rule_reasons = _check(organization, rule)
        eligible = eligible and ok
        reasons.extend(rule_reasons)
    if eligible and not reasons:
        reasons.append(_("%(source)s: open to every organization") % {"source": opportunity.legal_basis.citation})
    return Eligibility(eligible=eligible, reasons=reasons)


def eligibility_filter(opportunity: Opportunity, *, on: date) -> Q:
    """The conditions of `eligibility` as a filter on organizations."""
    query = Q()
    for rule in conditions(opportunity, on=on):
        if rule.legal_forms is not None:
            query &= Q(legal_form__in=sorted(rule.legal_forms))
        if rule.runts_sections is not None:
            query &= Q(runts_section__in=sorted(rule.runts_sections))
        if rule.min_disadvantaged_share is not None:
            query &= Q(disadvantaged_share__gte=rule.min_disadvantaged_share)
        if rule.registered_by is not None:
            query &= Q(runts_registered_on__lte=rule.registered_by)
    return query


def eligible_organizations(
    opportunity: Opportunity, *, on: date | None = None, organizations: QuerySet[Organization] | None = None
) -> QuerySet[Organization]:
    """The organizations that may answer (on a day, today by default): the matcher's hard filter."""
    queryset = Organization.objects.all() if organizations is None else organizations
    return queryset.filter(eligibility_filter(opportunity, on=on or timezone.localdate()))


def possible_legal_forms(opportunity: Opportunity) -> set[str]:
    """The legal forms that could meet both rules: empty when no organization ever could."""
    forms = set(LegalForm.values)
    sections = set(RuntsSection.values)
    for rule in (opportunity.legal_basis, opportunity):
        admitted = allowed_legal_forms(rule)
        if admitted is not None:
            forms &= admitted
        if rule.eligible_runts_sections:
            sections &= set(rule.eligible_runts_sections)
    requires_section = bool(opportunity.legal_basis.eligible_runts_sections or opportunity.eligible_runts_sections)
    if requires_section:
        forms = {form for form in forms if RUNTS_SECTION_OF.get(form) in sections}
    return forms
