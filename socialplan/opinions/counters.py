"""The counts of a conversation kept on its rows, so that pages read them instead of counting every vote.

At metro scale (200,000 votes) counting a conversation's distinct voters takes
a quarter of a second per request. Instead a vote adds to its statement's and
its conversation's counts in the transaction that stores it, and whatever
changes which statements count (a statement accepted, hidden or shown again,
an account deleted) recounts the conversation from the votes. `recount` is
also what bulk loads and `manage.py recount_participation` run; the tests hold
the counts kept on write equal to it.

Counted, as on the pages: accepted statements not hidden, their votes, and
the distinct participants who cast them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Greatest

from .models import Conversation, Statement, Vote

COUNTED = Q(status=Statement.Status.ACCEPTED, hidden_at__isnull=True)


def counted_statement(statement: Statement) -> bool:
    return statement.status == Statement.Status.ACCEPTED and statement.hidden_at is None


@transaction.atomic
def recount(conversation: Conversation | int) -> None:
    """Every count of the conversation from its rows: statements, votes and voters, and each statement's votes."""
    conversation_id = conversation if isinstance(conversation, int) else conversation.pk
    statements = Statement.objects.filter(conversation_id=conversation_id)
    for statement_id, votes in statements.annotate(counted=Count("votes")).values_list("pk", "counted"):
        Statement.objects.filter(pk=statement_id).exclude(vote_count=votes).update(vote_count=votes)
    counted = Vote.objects.filter(statement__in=statements.filter(COUNTED))
    Conversation.objects.filter(pk=conversation_id).update(
        statement_count=statements.filter(COUNTED).count(),
        vote_count=counted.count(),
        voter_count=counted.exclude(participant=None).values("participant").distinct().count(),
    )


def _voted_elsewhere(statement: Statement, participant: Any) -> bool:
    """Whether the participant has another vote on a counted statement of the same conversation."""
    return (
        Vote.objects.filter(participant=participant, statement__conversation_id=statement.conversation_id)
        .filter(statement__status=Statement.Status.ACCEPTED, statement__hidden_at__isnull=True)
        .exclude(statement=statement)
        .exists()
    )


def _lock(participant: Any) -> None:
    """Serialise one participant's first votes, so two at once cannot both count them as a new voter."""
    get_user_model().objects.select_for_update().filter(pk=participant.pk).values_list("pk").first()


def vote_added(statement: Statement, participant: Any) -> None:
    """Count a new vote; call inside the transaction that stored it."""
    Statement.objects.filter(pk=statement.pk).update(vote_count=F("vote_count") + 1)
    if not counted_statement(statement):
        return
    _lock(participant)
    new_voter = 0 if _voted_elsewhere(statement, participant) else 1
    Conversation.objects.filter(pk=statement.conversation_id).update(
        vote_count=F("vote_count") + 1, voter_count=F("voter_count") + new_voter
    )


def vote_removed(statement: Statement, participant: Any) -> None:
    """Count a withdrawn vote out; call inside the transaction that deleted it."""
    Statement.objects.filter(pk=statement.pk).update(vote_count=Greatest(F("vote_count") - 1, 0))
    if not counted_statement(statement):
        return
    _lock(participant)
    gone_voter = 0 if _voted_elsewhere(statement, participant) else 1
    Conversation.objects.filter(pk=statement.conversation_id).update(
        vote_count=Greatest(F("vote_count") - 1, 0), voter_count=Greatest(F("voter_count") - gone_voter, 0)
    )


def statement_accepted(statement: Statement) -> None:
    """A new statement joins the voting with no votes yet: one more counted statement."""
    Conversation.objects.filter(pk=statement.conversation_id).update(statement_count=F("statement_count") + 1)


def on_contributions_changed(sender: Any, *, kind: Any, pks: list[int], **kwargs: Any) -> None:
    """Recount the conversations of statements or votes that were hidden, shown again or anonymised."""
    model = kind.model_class
    if model is Statement:
        conversations = Statement.objects.filter(pk__in=pks).values_list("conversation_id", flat=True)
    elif model is Vote:
        conversations = Vote.objects.filter(pk__in=pks).values_list("statement__conversation_id", flat=True)
    else:
        return
    for conversation_id in set(conversations):
        recount(conversation_id)
