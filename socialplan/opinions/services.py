"""Writes of the opinion groups: votes, statements and their moderation."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socialplan.participation.notifications import notify_user
from socialplan.participation.rules import can_moderate

from . import counters
from .groups import request_recompute
from .models import STATEMENT_MAX_LENGTH, Conversation, Statement, Vote


class Refused(Exception):
    """A write the conversation does not allow now; the message says why."""


class NotAllowed(PermissionError):
    pass


def _check_open(conversation: Conversation) -> None:
    now = timezone.now()
    if conversation.has_closed(now):
        raise Refused(
            _("This conversation closed on %(date)s: votes and statements are no longer accepted.")
            % {"date": timezone.localtime(conversation.closes_at).strftime("%d/%m/%Y")}
        )
    if not conversation.is_open(now):
        raise Refused(_("This conversation is not open yet."))


def _check_votable(statement: Statement) -> None:
    if statement.status != Statement.Status.ACCEPTED or statement.is_hidden:
        raise Refused(_("This statement cannot be voted on."))


def cast_vote(*, participant: Any, statement: Statement, value: int) -> Vote:
    """Vote on a statement; a second vote by the same participant changes the first (Pol.is), never adds one."""
    if value not in Vote.Value.values:
        raise Refused(_("Choose agree, disagree or pass."))
    _check_open(statement.conversation)
    _check_votable(statement)
    with transaction.atomic():
        vote = Vote.objects.filter(statement=statement, participant=participant).first()
        if vote is None:
            try:
                with transaction.atomic():
                    vote = Vote.objects.create(statement=statement, participant=participant, value=value)
                    counters.vote_added(statement, participant)
            except IntegrityError:  # the same person's concurrent first vote won the race
                vote = Vote.objects.get(statement=statement, participant=participant)
        if vote.value != value:
            vote.value = value
            vote.save(update_fields=["value", "updated_at"])
        request_recompute(statement.conversation_id)
    return vote


def withdraw_vote(*, participant: Any, statement: Statement) -> bool:
    """Take back a vote while the conversation is open; returns whether there was one."""
    _check_open(statement.conversation)
    with transaction.atomic():
        deleted, _rows = Vote.objects.filter(statement=statement, participant=participant).delete()
        if deleted:
            counters.vote_removed(statement, participant)
            request_recompute(statement.conversation_id)
    return bool(deleted)


def _clean_text(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise Refused(_("Write the statement."))
    if len(text) > STATEMENT_MAX_LENGTH:
        raise Refused(
            _("A statement is at most %(max)s characters long (this one has %(length)s).")
            % {"max": STATEMENT_MAX_LENGTH, "length": len(text)}
        )
    return text


def add_statement(*, author: Any, conversation: Conversation, text: str, address_hash: str = "") -> Statement:
    """A participant's statement: it waits for a moderator before anyone votes on it."""
    _check_open(conversation)
    if not conversation.participant_statements:
        raise Refused(_("In this conversation only the plan office adds statements."))
    return Statement.objects.create(
        conversation=conversation,
        author=author,
        text=_clean_text(text),
        status=Statement.Status.PENDING,
        address_hash=address_hash,
    )


def seed_statement(*, conversation: Conversation, text: str, author: Any = None, is_meta: bool = False) -> Statement:
    """A statement of the plan office, accepted as it is written."""
    with transaction.atomic():
        statement = Statement.objects.create(
            conversation=conversation,
            author=author,
            text=_clean_text(text),
            status=Statement.Status.ACCEPTED,
            moderated_at=timezone.now(),
            moderated_by=author,
            is_meta=is_meta,
        )
        counters.statement_accepted(statement)
    return statement


def may_moderate(user: Any, conversation: Conversation) -> bool:
    return bool(can_moderate(user, conversation.process))


@transaction.atomic
def moderate_statement(*, moderator: Any, statement: Statement, accept: bool) -> Statement:
    """Accept a pending statement (it joins the voting) or reject it; its author is told."""
    if not may_moderate(moderator, statement.conversation):
        raise NotAllowed
    statement.status = Statement.Status.ACCEPTED if accept else Statement.Status.REJECTED
    statement.moderated_by = moderator
    statement.moderated_at = timezone.now()
    statement.save(update_fields=["status", "moderated_by", "moderated_at"])
    counters.recount(statement.conversation_id)
    if statement.author_id is not None and statement.author_id != moderator.pk:
        url = statement.get_absolute_url()
        if accept:
            notify_user(
                statement.author,
                subject_it="La tua affermazione è stata accettata",
                subject_en="Your statement was accepted",
                body_it=f"«{statement.text}»\n\nOra gli altri partecipanti possono votarla.",
                body_en=f"“{statement.text}”\n\nThe other participants can now vote on it.",
                url=url,
            )
        else:
            notify_user(
                statement.author,
                subject_it="La tua affermazione non è stata accettata",
                subject_en="Your statement was not accepted",
                body_it=f"«{statement.text}»\n\nI moderatori non l'hanno ammessa al voto.",
                body_en=f"“{statement.text}”\n\nThe moderators did not admit it to the vote.",
                url=url,
            )
    return statement
