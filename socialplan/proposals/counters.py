"""Each proposal's count of supports, kept on its row so lists sort by it without counting every support.

A support adds one, and a withdrawn support takes one away, in the
transaction that stores or deletes it; supports outlive their author's
account (unsigned), so nothing else moves the count. `recount` is what bulk
loads and `manage.py recount_participation` run; the tests hold the counts
kept on write equal to it.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, F
from django.db.models.functions import Greatest

from socialplan.participation.models import Process

from .models import Proposal


@transaction.atomic
def recount(process: Process | int) -> None:
    process_id = process if isinstance(process, int) else process.pk
    rows = Proposal.objects.filter(process_id=process_id).annotate(counted=Count("supports"))
    for pk, supports in rows.values_list("pk", "counted"):
        Proposal.objects.filter(pk=pk).exclude(support_count=supports).update(support_count=supports)


def support_added(proposal: Proposal) -> None:
    Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") + 1)


def support_removed(proposal: Proposal) -> None:
    Proposal.objects.filter(pk=proposal.pk).update(support_count=Greatest(F("support_count") - 1, 0))
