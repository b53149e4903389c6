"""The counts kept on write equal the counts from the rows, whatever the sequence of votes and moderation."""

import pytest

from socialplan.opinions import counters, services
from socialplan.opinions.models import Conversation, Statement
from socialplan.participation import moderation
from socialplan.participation.contributions import kind_of
from socialplan.participation.personal_data import delete_account

from .conftest import make_users

pytestmark = pytest.mark.django_db


def kept(conversation: Conversation) -> tuple[tuple[int, int, int], list[int]]:
    conversation.refresh_from_db()
    votes = list(conversation.statements.order_by("pk").values_list("vote_count", flat=True))
    return (conversation.statement_count, conversation.vote_count, conversation.voter_count), votes


def assert_as_recounted(conversation: Conversation) -> tuple[int, int, int]:
    before = kept(conversation)
    counters.recount(conversation)
    assert kept(conversation) == before
    return before[0]


def test_votes_changed_votes_and_withdrawals_keep_the_counts(conversation, statements):
    anna, bruno, carla = make_users(3)
    assert assert_as_recounted(conversation) == (12, 0, 0)
    services.cast_vote(participant=anna, statement=statements[0], value=1)
    services.cast_vote(participant=anna, statement=statements[1], value=-1)
    services.cast_vote(participant=anna, statement=statements[1], value=0)  # a changed vote, not a new one
    services.cast_vote(participant=bruno, statement=statements[0], value=1)
    services.cast_vote(participant=carla, statement=statements[2], value=0)
    assert assert_as_recounted(conversation) == (12, 4, 3)
    services.withdraw_vote(participant=carla, statement=statements[2])  # carla's only vote: one voter less
    services.withdraw_vote(participant=anna, statement=statements[0])  # anna still voted another one
    assert assert_as_recounted(conversation) == (12, 2, 2)
    assert kept(conversation)[1][:3] == [1, 1, 0]


def test_moderation_and_a_deleted_account_recount(conversation, statements, roles):
    anna, bruno = make_users(2)
    services.cast_vote(participant=anna, statement=statements[0], value=1)
    services.cast_vote(participant=bruno, statement=statements[0], value=-1)
    services.cast_vote(participant=bruno, statement=statements[1], value=1)
    moderation.hide(moderator=roles.admin, kind=kind_of(Statement), obj=statements[0], reason="Fuori tema")
    assert assert_as_recounted(conversation) == (11, 1, 1)
    moderation.unhide(moderator=roles.admin, kind=kind_of(Statement), obj=statements[0])
    assert assert_as_recounted(conversation) == (12, 3, 2)
    pending = services.add_statement(author=anna, conversation=conversation, text="Servono più spazi per i giovani")
    assert assert_as_recounted(conversation) == (12, 3, 2)
    services.moderate_statement(moderator=roles.admin, statement=pending, accept=True)
    assert assert_as_recounted(conversation) == (13, 3, 2)
    delete_account(bruno)  # the votes stay, unsigned: no longer anyone's
    assert assert_as_recounted(conversation) == (13, 3, 1)
