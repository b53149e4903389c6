"""Changes the matcher must see: organizations move its data generation and are re-ranked, opportunities too.

A transaction that changes many rows queues one callback, run after the commit:
it moves the generation once and enqueues a re-rank per changed row, or one
full re-rank when the change is large (an import).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from socialplan.ecosystem.models import AtecoActivity, Organization
from socialplan.opportunities.models import Award, AwardSupplier, Lot, Opportunity

from . import generations

# Beyond this many rows changed in one transaction, one full re-rank is cheaper than one per row.
FULL_REMATCH_FROM = 20


def _auto() -> bool:
    return getattr(settings, "MATCHING_AUTO_REMATCH", True)


def _collect(kind: str, pk: int | None, run: Callable[[set[int]], None]) -> None:
    """Add a changed row to the transaction's pending callback of that kind, queueing it the first time."""
    if pk is None:
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        # Join the pending callback of the kind, whatever savepoint registered it: a savepoint is either still
        # open around this change (rolled back with it) or released into the transaction. A row joined and then
        # rolled back alone only costs a re-rank that finds nothing.
        for entry in connection.run_on_commit:
            pending = getattr(entry[1], "matching_pending", None)
            if pending is not None and pending[0] == kind:
                pending[1].add(pk)
                return
    changed = {pk}

    def callback() -> None:
        run(changed)

    callback.matching_pending = (kind, changed)  # type: ignore[attr-defined]
    transaction.on_commit(callback)


def _organizations_changed(changed: set[int]) -> None:
    generations.bump(generations.ORGANIZATIONS)
    if not _auto():
        return
    from .tasks import rematch_all, rematch_organization

    if len(changed) >= FULL_REMATCH_FROM:
        rematch_all.enqueue()
    else:
        for pk in sorted(changed):
            rematch_organization.enqueue(pk)


def _opportunities_changed(changed: set[int]) -> None:
    generations.bump(generations.OPPORTUNITIES)
    if not _auto():
        return
    from .tasks import rematch_all, rematch_opportunity

    if len(changed) >= FULL_REMATCH_FROM:
        rematch_all.enqueue()
    else:
        for pk in sorted(changed):
            rematch_opportunity.enqueue(pk)


def organization_changed(pk: int | None) -> None:
    _collect("organizations", pk, _organizations_changed)


def opportunity_changed(pk: int | None) -> None:
    _collect("opportunities", pk, _opportunities_changed)


@receiver([post_save, post_delete], sender=Organization)
def _organization_saved(sender: Any, instance: Organization, **kwargs: Any) -> None:
    organization_changed(instance.pk)


@receiver([post_save, post_delete], sender=AtecoActivity)
def _activity_saved(sender: Any, instance: AtecoActivity, **kwargs: Any) -> None:
    organization_changed(instance.organization_id)


@receiver(m2m_changed, sender=Organization.cpv_codes.through)
@receiver(m2m_changed, sender=Organization.comuni_served.through)
def _organization_links_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if not action.startswith("post_"):
        return
    if not reverse:
        organization_changed(instance.pk)
    else:
        for pk in pk_set or ():
            organization_changed(pk)


@receiver([post_save, post_delete], sender=AwardSupplier)
def _supplier_saved(sender: Any, instance: AwardSupplier, **kwargs: Any) -> None:
    organization_changed(instance.organization_id)


@receiver(post_save, sender=Award)
def _award_saved(sender: Any, instance: Award, **kwargs: Any) -> None:
    # A cancelled or restored award changes what its suppliers have won.
    for pk in instance.suppliers.exclude(organization=None).values_list("organization_id", flat=True):
        organization_changed(pk)


@receiver([post_save, post_delete], sender=Opportunity)
def _opportunity_saved(sender: Any, instance: Opportunity, **kwargs: Any) -> None:
    if kwargs.get("signal") is post_delete:
        return
    opportunity_changed(instance.pk)


@receiver([post_save, post_delete], sender=Lot)
def _lot_saved(sender: Any, instance: Lot, **kwargs: Any) -> None:
    opportunity_changed(instance.opportunity_id)


@receiver(m2m_changed, sender=Opportunity.cpv_codes.through)
@receiver(m2m_changed, sender=Opportunity.comuni.through)
def _opportunity_links_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if action.startswith("post_") and not reverse:
        opportunity_changed(instance.pk)
