"""Reporting and review in the API: reporters draft and submit updates, the plan office reviews them.

For logged-in users only, with their session: send the CSRF token in the
X-CSRFToken header, as the site's forms do. Views stay thin: every rule is
in services.py and rules.py, the same the back office and the reporters'
pages follow, so the API never allows what they forbid. The services'
permission refusals (codes `not_assigned` and `not_manager`, decision 0010)
answer 403; every other refusal answers 422 naming the field and the reason;
a refused request writes nothing. Messages follow Accept-Language (Italian,
the site's language, by default).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import File, P, PathEx, QueryEx, Router, Status, UploadedFile
from ninja.errors import HttpError
from ninja.pagination import paginate

from socialplan.accounts.models import User
from socialplan.api.auth import session_auth
from socialplan.api.errors import DENIED, INVALID, NOT_FOUND, UNPARSABLE
from socialplan.api.params import BIGINT_MAX, Pagination
from socialplan.ecosystem.models import Membership, Organization
from socialplan.plan.api import PlanSlug

from . import services
from .api import IndicatorCode, _plan
from .models import DimensionValue, Indicator, Period, Update
from .rules import manages_indicator, may_edit_update, reports_on
from .schemas import (
    ApproveIn,
    PeriodOut,
    ReportIn,
    ReportingIndicatorOut,
    ReturnIn,
    UpdateIn,
    UpdateOut,
    UpdateStatus,
)

router = Router(tags=["monitoring"], auth=session_auth)

Id = P(ge=1, le=BIGINT_MAX)
UpdateId = PathEx[int, Id]
PeriodId = PathEx[int, Id]

PERMISSION_CODES = {"not_assigned", "not_manager"}
ACTIONS = {**DENIED, **NOT_FOUND, **INVALID}
WRITES = {**UNPARSABLE, **ACTIONS}  # with a JSON body
SESSION = "Logged-in users only, with their session; send the CSRF token in the X-CSRFToken header."


@contextmanager
def _refusals(request: HttpRequest) -> Iterator[None]:
    """Run a service in the request's language; its permission refusals become a 403, the rest a 422."""
    with translation.override(translation.get_language_from_request(request)):
        try:
            yield
        except ValidationError as error:
            if _codes(error) & PERMISSION_CODES:
                raise HttpError(403, " ".join(error.messages)) from error
            raise


def _codes(error: ValidationError) -> set[str | None]:
    if hasattr(error, "error_dict"):
        return {item.code for items in error.error_dict.values() for item in items}
    return {item.code for item in error.error_list}


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # session_auth lets only logged-in users through


def _indicator(code: str, plan: str | None) -> Indicator:
    chosen = _plan(plan)
    indicator = Indicator.objects.filter(plan=chosen, code=code).first()
    if indicator is None:
        raise HttpError(404, f"No indicator with code {code!r} in plan {chosen.slug!r}.")
    return indicator


def _updates() -> QuerySet[Update]:
    breakdown = DimensionValue.objects.select_related("dimension", "category", "comune").order_by("pk")
    return Update.objects.select_related("period__indicator__plan", "level").prefetch_related(
        Prefetch("breakdown", queryset=breakdown)
    )


def _update(update_id: int) -> Update:
    update = _updates().filter(pk=update_id).first()
    if update is None:
        raise HttpError(404, f"No update with identifier {update_id!r}.")
    return update


def _own(user: User) -> Q:
    """The updates `user` may edit (rules.may_edit_update): their own, and their organizations' on indicators
    the organization is assigned to."""
    return Q(organization__isnull=True, reporter_id=user.pk) | Q(
        organization__memberships__user_id=user.pk,
        organization__memberships__status=Membership.Status.APPROVED,
        organization__reported_indicators=F("period__indicator"),
    )


def _report(payload: ReportIn) -> services.Report:
    return services.Report(
        value=payload.value,
        numerator=payload.numerator,
        denominator=payload.denominator,
        level=payload.level,
        breakdown=[
            services.BreakdownEntry(
                dimension=entry.dimension,
                category=entry.category,
                value=entry.value,
                numerator=entry.numerator,
                denominator=entry.denominator,
            )
            for entry in payload.breakdown
        ],
        narrative=payload.narrative,
    )


def _current_report(update: Update) -> services.Report:
    """What `update` reports now, to be sent again with a new evidence file."""
    return services.Report(
        value=update.value,
        numerator=update.numerator,
        denominator=update.denominator,
        level=update.level.code if update.level else None,
        breakdown=[
            services.BreakdownEntry(
                dimension=row.dimension.code,
                category=row.comune.istat_code if row.comune else row.category.code,  # type: ignore[union-attr]
                value=row.value,
                numerator=row.numerator,
                denominator=row.denominator,
            )
            for row in update.breakdown.all()
        ],
        narrative=update.narrative,
    )


def _day_reported(indicator: Indicator, payload: UpdateIn) -> date:
    """The day create_draft finds the period by: `on`, or a day of the period named by id."""
    if payload.period is not None and payload.on is not None:
        raise ValidationError({"period": _("Give the period or a day it covers (on), not both.")})
    if payload.period is None:
        if payload.on is None:
            raise ValidationError({"on": _("Give the period (its id) or a day it covers (on).")})
        return payload.on
    period = Period.objects.filter(pk=payload.period, indicator=indicator).first()
    if period is None:
        raise ValidationError(
            {
                "period": _("Indicator '%(code)s' has no period with id %(id)s.")
                % {"code": indicator.code, "id": payload.period}
            }
        )
    # The latest day of the period that is not in the future: create_draft refuses future days.
    return period.start if period.start > timezone.localdate() else min(period.end, timezone.localdate())


def _organization(organization_id: int | None) -> Organization | None:
    if organization_id is None:
        return None
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        raise ValidationError({"organization": _("No organization has the id %(id)s.") % {"id": organization_id}})
    return organization


# The reporter's side -------------------------------------------------------


@router.get(
    "/me/reporting",
    response={200: list[ReportingIndicatorOut], **ACTIONS},
    summary="The indicators I report on, with their periods and my updates",
    description=(
        f"{SESSION} The indicators the logged-in user is assigned to, in person or as an approved member of "
        "an assigned organization, with every period and the user's updates in it (status and the reviewer's note). "
        "Without `plan`, every plan's."
    ),
)
def my_reporting(request: HttpRequest, plan: PlanSlug = None) -> list[dict[str, Any]]:
    user = _user(request)
    # The same as rules.reports_on, for every indicator at once.
    indicators = Indicator.objects.filter(
        Q(reporters=user)
        | Q(
            reporting_organizations__memberships__user_id=user.pk,
            reporting_organizations__memberships__status=Membership.Status.APPROVED,
        )
    )
    if plan is not None:
        indicators = indicators.filter(plan=_plan(plan))
    found = list(
        Indicator.objects.filter(pk__in=indicators.values("pk"))
        .select_related("plan")
        .prefetch_related("periods", "levels", "indicator_dimensions__dimension")
        .order_by("plan__slug", "order", "code")
    )
    updates: dict[int, list[Update]] = {}
    for update in (
        Update.objects.filter(period__indicator__in=found)
        .filter(_own(user))
        .distinct()
        .order_by("organization_id", "pk")
    ):
        updates.setdefault(update.period_id, []).append(update)
    return [
        {
            "code": indicator.code,
            "plan": indicator.plan.slug,
            "title_it": indicator.title_it or "",  # type: ignore[attr-defined]
            "title_en": indicator.title_en or "",  # type: ignore[attr-defined]
            "unit_it": indicator.unit_it or "",  # type: ignore[attr-defined]
            "unit_en": indicator.unit_en or "",  # type: ignore[attr-defined]
            "measure": indicator.measure,
            "levels": [level.code for level in indicator.levels.all()],
            "dimensions": [link.dimension.code for link in indicator.indicator_dimensions.all()],
            "periods": [
                {
                    "id": period.pk,
                    "start": period.start,
                    "end": period.end,
                    "locked": period.locked,
                    "updates": updates.get(period.pk, []),
                }
                for period in indicator.periods.all()
            ],
        }
        for indicator in found
    ]


@router.post(
    "/indicators/{code}/updates",
    response={201: UpdateOut, **WRITES},
    summary="Draft an update of an indicator",
    description=(
        f"{SESSION} For the reporters assigned to the indicator. Name the period by `period` (its id) or by a "
        "day it covers (`on`); `organization` says on whose behalf, needed only for a member of several "
        "assigned organizations. Give `value` (number, currency), `numerator` and `denominator` (percentage) "
        "or `level` (qualitative), with the breakdown by the indicator's dimensions: a breakdown by a dimension "
        "whose categories cover every case must add up to the total. Without `plan`, the plan the portal shows."
    ),
)
def create_update(
    request: HttpRequest, code: IndicatorCode, payload: UpdateIn, plan: PlanSlug = None
) -> Status[Update]:
    indicator = _indicator(code, plan)
    user = _user(request)
    if not reports_on(user, indicator):
        # Before the period and the organization are looked up: a stranger learns nothing about them.
        raise HttpError(403, f"You are not assigned to report on indicator {indicator.code!r}.")
    with _refusals(request):
        update = services.create_draft(
            indicator=indicator,
            reporter=user,
            on=_day_reported(indicator, payload),
            report=_report(payload),
            organization=_organization(payload.organization),
        )
    return Status(201, _update(update.pk))


@router.get(
    "/updates/{update_id}",
    response={200: UpdateOut, **ACTIONS},
    summary="An update, for whoever may edit or review it",
    description=f"{SESSION} For the update's reporters and the indicator's managers.",
)
def get_update(request: HttpRequest, update_id: UpdateId) -> Update:
    update = _update(update_id)
    user = _user(request)
    if not (may_edit_update(user, update) or manages_indicator(user, update)):
        raise HttpError(403, "Only the update's reporters and the indicator's managers may read it.")
    return update


@router.put(
    "/updates/{update_id}",
    response={200: UpdateOut, **WRITES},
    summary="Change a draft or returned update",
    description=(
        f"{SESSION} Replaces what the update reports (the evidence file stays). An approved or submitted update, "
        "or one of a locked period, cannot be changed."
    ),
)
def edit_update(request: HttpRequest, update_id: UpdateId, payload: ReportIn) -> Update:
    update = _update(update_id)
    with _refusals(request):
        services.edit_draft(update=update, reporter=_user(request), report=_report(payload))
    return _update(update_id)


@router.post(
    "/updates/{update_id}/submit",
    response={200: UpdateOut, **ACTIONS},
    summary="Submit a draft, or resubmit a returned update, for review",
    description=f"{SESSION} For the update's reporters, while its period is open.",
)
def submit_update(request: HttpRequest, update_id: UpdateId) -> Update:
    update = _update(update_id)
    submit = services.resubmit_update if update.status == Update.Status.RETURNED else services.submit_update
    with _refusals(request):
        submit(update=update, reporter=_user(request))
    return _update(update_id)


@router.post(
    "/updates/{update_id}/evidence",
    response={200: UpdateOut, **ACTIONS},
    summary="Attach the evidence file of a draft or returned update",
    description=(
        f"{SESSION} A multipart upload in the field `evidence`: PDF, image, office document, CSV or text, "
        "10 MB at most. It replaces the current file."
    ),
)
def upload_evidence(request: HttpRequest, update_id: UpdateId, evidence: File[UploadedFile]) -> Update:
    update = _update(update_id)
    with _refusals(request):
        services.edit_draft(update=update, reporter=_user(request), report=_current_report(update), evidence=evidence)
    return _update(update_id)


# The plan office's side ----------------------------------------------------


@router.get(
    "/indicators/{code}/updates",
    response={200: list[UpdateOut], **ACTIONS},
    summary="An indicator's updates, e.g. those waiting for review",
    description=(
        f"{SESSION} The indicator's managers see every update, its reporters their own. Without `plan`, the "
        "plan the portal shows."
    ),
)
@paginate(Pagination)
def list_updates(
    request: HttpRequest,
    code: IndicatorCode,
    plan: PlanSlug = None,
    status: QueryEx[UpdateStatus | None, P(description="Only updates in this status, e.g. 'submitted'.")] = None,
) -> QuerySet[Update]:
    indicator = _indicator(code, plan)
    user = _user(request)
    updates = _updates().filter(period__indicator=indicator).order_by("period__start", "pk")
    if not manages_indicator(user, indicator):
        if not reports_on(user, indicator):
            raise HttpError(403, "Only the indicator's managers and reporters may list its updates.")
        updates = updates.filter(pk__in=Update.objects.filter(_own(user)).values("pk"))
    if status is not None:
        updates = updates.filter(status=status)
    return updates


@router.post(
    "/updates/{update_id}/approve",
    response={200: UpdateOut, **WRITES},
    summary="Approve a submitted update",
    description=(
        f"{SESSION} For the indicator's managers, never on an update they reported. From then on the value "
        "counts and is public. The body, with an optional `note`, may be left out."
    ),
)
def approve_update(request: HttpRequest, update_id: UpdateId, payload: ApproveIn | None = None) -> Update:
    update = _update(update_id)
    with _refusals(request):
        services.approve_update(update=update, reviewer=_user(request), note=payload.note if payload else "")
    return _update(update_id)


@router.post(
    "/updates/{update_id}/return",
    response={200: UpdateOut, **WRITES},
    summary="Return a submitted update to its reporter, with a note",
    description=f"{SESSION} For the indicator's managers; the `note` says what to correct and is required.",
)
def return_update(request: HttpRequest, update_id: UpdateId, payload: ReturnIn) -> Update:
    update = _update(update_id)
    with _refusals(request):
        services.return_update(update=update, reviewer=_user(request), note=payload.note)
    return _update(update_id)


def _set_locked(request: HttpRequest, period_id: int, *, locked: bool) -> Period:
    period = Period.objects.select_related("indicator").filter(pk=period_id).first()
    if period is None:
        raise HttpError(404, f"No period with identifier {period_id!r}.")
    with _refusals(request):
        return services.set_period_locked(period=period, user=_user(request), locked=locked)


@router.post(
    "/periods/{period_id}/lock",
    response={200: PeriodOut, **ACTIONS},
    summary="Lock a period: reporters can no longer write in it",
    description=f"{SESSION} For the indicator's managers. Submitted updates can still be approved.",
)
def lock_period(request: HttpRequest, period_id: PeriodId) -> Period:
    return _set_locked(request, period_id, locked=True)


@router.post(
    "/periods/{period_id}/unlock",
    response={200: PeriodOut, **ACTIONS},
    summary="Unlock a period",
    description=f"{SESSION} For the indicator's managers.",
)
def unlock_period(request: HttpRequest, period_id: PeriodId) -> Period:
    return _set_locked(request, period_id, locked=False)
