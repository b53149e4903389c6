"""Reads of the buyers' area; each is one query (or a fixed few) whatever the data size."""

from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from socialplan.ecosystem.models import Membership
from socialplan.opportunities.models import Award, AwardSupplier, Buyer, Opportunity, SocialValueCommitment
from socialplan.opportunities.social_value import SocialValueFigures, social_value

from .models import BuyerMembership, OpportunityDraft


def memberships_of(*, user: Any) -> QuerySet[BuyerMembership]:
    """A user's requests and memberships, newest first."""
    return BuyerMembership.objects.filter(user=user).select_related("buyer").order_by("-pk")


def buyer_for_codice_fiscale(codice_fiscale: str) -> Buyer | None:
    return Buyer.objects.filter(codice_fiscale=codice_fiscale.replace(" ", "").strip().upper()).first()


def pending_requests() -> QuerySet[BuyerMembership]:
    """The plan office's queue, oldest first."""
    return (
        BuyerMembership.objects.filter(status=BuyerMembership.Status.REQUESTED)
        .select_related("user", "buyer")
        .order_by("pk")
    )


def opportunities_of(*, buyer: Buyer) -> QuerySet[Opportunity]:
    """The buyer's opportunities, newest first, with their number of awards."""
    return (
        Opportunity.objects.filter(buyer=buyer).annotate(award_count=Count("awards")).order_by("-published_on", "-pk")
    )


def drafts_of(*, buyer: Buyer) -> QuerySet[OpportunityDraft]:
    return OpportunityDraft.objects.filter(buyer=buyer, opportunity__isnull=True).select_related("created_by")


def _with_details(awards: QuerySet[Award]) -> QuerySet[Award]:
    return (
        awards.select_related("opportunity", "opportunity__buyer", "lot")
        .prefetch_related(
            Prefetch("suppliers", queryset=AwardSupplier.objects.select_related("organization")),
            Prefetch(
                "commitments",
                queryset=SocialValueCommitment.objects.select_related("measure").prefetch_related("deliveries"),
            ),
        )
        .order_by("-date", "-pk")
    )


def awards_of_buyer(*, buyer: Buyer) -> QuerySet[Award]:
    return _with_details(Award.objects.filter(opportunity__buyer=buyer))


def awards_supplied_for(*, user: Any) -> QuerySet[Award]:
    """Active awards won by an organization of which the user is an approved member."""
    organizations = Membership.objects.filter(user=user, status=Membership.Status.APPROVED).values("organization")
    return _with_details(
        Award.objects.filter(status=Award.Status.ACTIVE, suppliers__organization__in=organizations).distinct()
    )


def award_page(*, pk: int) -> Award | None:
    return _with_details(Award.objects.filter(pk=pk)).first()


def figures_per_award(awards: QuerySet[Award]) -> dict[int, SocialValueFigures]:
    """Committed against delivered, per contract, for a page listing contracts."""
    return {row.key: row for row in social_value("award", awards=awards.order_by())}


def figures_of_award(award: Award) -> SocialValueFigures | None:
    return figures_per_award(Award.objects.filter(pk=award.pk)).get(award.pk)


def figures_in_all(awards: QuerySet[Award]) -> SocialValueFigures | None:
    rows = social_value("all", awards=awards.order_by())
    return rows[0] if rows else None
