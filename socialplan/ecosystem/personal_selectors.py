"""Reads of the personal area: a user's memberships, the requests and changes waiting for them,
their organizations' pledges. Each read is one query (or a fixed few) whatever the data size;
lists are querysets that the views paginate."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When

from socialplan.accounts.rules import is_plan_office
from socialplan.plan.models import Action, Plan

from .models import Membership, Organization, Pledge, PledgeProgress, ProfileChange
from .selfservice import organization_field, proposal_value


def memberships_of(*, user: Any) -> QuerySet[Membership]:
    """Every membership and request of `user`: approved first, then waiting, then rejected."""
    order = {Membership.Status.APPROVED: 0, Membership.Status.REQUESTED: 1, Membership.Status.REJECTED: 2}
    status_order = Case(*(When(status=s, then=Value(n)) for s, n in order.items()), output_field=IntegerField())
    return (
        Membership.objects.filter(user=user)
        .select_related("organization")
        .order_by(status_order, "organization__legal_name", "pk")
    )


def membership_of(*, user: Any, organization: Organization) -> Membership | None:
    return Membership.objects.filter(user=user, organization=organization).first()


def organizations_matching(*, query: str, user: Any) -> QuerySet[Organization]:
    """Organizations whose legal name contains `query` or whose codice fiscale starts with it,
    each with `my_status`: the status of `user`'s membership in it, if any."""
    text = query.strip()
    compact = text.replace(" ", "").upper()
    matches = Q(legal_name__icontains=text)
    if compact.isalnum():
        matches |= Q(codice_fiscale__startswith=compact)
    mine = Membership.objects.filter(user=user, organization=OuterRef("pk"))
    return (
        Organization.objects.filter(matches)
        .select_related("seat_comune")
        .annotate(my_status=Subquery(mine.values("status")[:1]))
        .order_by("legal_name", "pk")
    )


def administered_organization_ids(*, user: Any) -> QuerySet[Membership, Any]:
    """The organizations `user` administers, as a subquery of their ids."""
    return Membership.objects.filter(user=user, status=Membership.Status.APPROVED, role=Membership.Role.ADMIN).values(
        "organization_id"
    )


def membership_requests_for(*, user: Any) -> QuerySet[Membership]:
    """Requests to join that `user` may decide: every request for the plan office, those of
    their own organizations for organization administrators, none for anybody else."""
    requests = (
        Membership.objects.filter(status=Membership.Status.REQUESTED)
        .select_related("user", "organization")
        .order_by("pk")
    )
    if is_plan_office(user):
        return requests
    return requests.filter(organization_id__in=administered_organization_ids(user=user))


def pending_profile_changes() -> QuerySet[ProfileChange]:
    """The plan office's review queue, oldest first."""
    return (
        ProfileChange.objects.filter(status=ProfileChange.Status.PENDING)
        .select_related("organization", "proposed_by")
        .order_by("proposed_at", "pk")
    )


def recent_profile_changes(*, organization: Organization, limit: int = 5) -> list[ProfileChange]:
    """The organization's latest changes (pending or reviewed), so members see outcomes and notes."""
    return list(
        ProfileChange.objects.filter(organization=organization)
        .select_related("proposed_by", "reviewed_by")
        .order_by("-proposed_at", "-pk")[:limit]
    )


def pending_change_of(*, organization: Organization) -> ProfileChange | None:
    return (
        ProfileChange.objects.filter(organization=organization, status=ProfileChange.Status.PENDING)
        .order_by("pk")
        .first()
    )


@dataclass(frozen=True)
class FieldChange:
    label: str
    current: str
    proposed: str


def describe_change(*, change: ProfileChange, organization: Organization) -> list[FieldChange]:
    """Each field of a change with its label, public value and proposed value, as people read them."""
    described = []
    for name, proposed in change.changes.items():
        field = organization_field(name)
        choices = dict(field.flatchoices) if field.choices else {}

        def shown(value: Any, choices: dict[Any, Any] = choices) -> str:
            return str(choices.get(value, value)) if value not in (None, "") else ""

        current = proposal_value(name, getattr(organization, name))
        described.append(FieldChange(label=str(field.verbose_name), current=shown(current), proposed=shown(proposed)))
    return described


def has_membership_requests(*, user: Any) -> bool:
    return membership_requests_for(user=user).exists()


def pledges_of(*, organization: Organization) -> QuerySet[Pledge]:
    """The organization's pledges with `achieved`: the quantity of the latest progress report."""
    latest = PledgeProgress.objects.filter(pledge=OuterRef("pk")).order_by("-reported_on", "-pk")
    return (
        Pledge.objects.filter(organization=organization)
        .select_related("action")
        .annotate(achieved=Subquery(latest.values("achieved")[:1]))
        .order_by("due_date", "pk")
    )


def progress_of(*, pledge: Pledge) -> QuerySet[PledgeProgress]:
    return PledgeProgress.objects.filter(pledge=pledge).select_related("reported_by").order_by("-reported_on", "-pk")


def actions_of(*, plan: Plan | None) -> list[Action]:
    """The plan's actions in the plan's order, each with its objective and theme."""
    if plan is None:
        return []
    return list(
        Action.objects.filter(objective__theme__plan=plan)
        .select_related("objective__theme")
        .order_by("objective__theme__order", "objective__order", "order", "pk")
    )
