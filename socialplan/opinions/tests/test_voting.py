"""Voting, changing and withdrawing a vote, closed conversations, participants' statements and their moderation."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from socialplan.opinions import services
from socialplan.opinions.models import Statement, Vote
from socialplan.participation.models import Notification

from .conftest import make_users


def url(name: str, *args: object, language: str = "it") -> str:
    with translation.override(language):
        return reverse(name, args=args)


@pytest.fixture
def voter(conversation):
    return make_users(1, "single")[0]


def test_the_vote_page_shows_the_next_statement_and_the_progress(client, conversation, statements, voter):
    client.force_login(voter)
    first = client.get(url("opinions:vote", conversation.pk, language="en"))
    assert first.status_code == 200
    assert first.context["statement"] == statements[0]
    assert "You voted 0 of 12 statements" in first.content.decode()
    client.post(url("opinions:cast", conversation.pk), {"statement": statements[0].pk, "value": "1"})
    second = client.get(url("opinions:vote", conversation.pk, language="en"))
    assert second.context["statement"] == statements[1]
    assert "You voted 1 of 12 statements" in second.content.decode()
    assert statements[0].text in second.content.decode()  # in the list of my votes, to change


def test_voting_again_changes_the_vote_and_withdrawing_removes_it(client, conversation, statements, voter):
    client.force_login(voter)
    cast = url("opinions:cast", conversation.pk)
    assert client.post(cast, {"statement": statements[0].pk, "value": "1"}).status_code == 302
    assert client.post(cast, {"statement": statements[0].pk, "value": "-1"}).status_code == 302
    assert list(Vote.objects.filter(participant=voter).values_list("value", flat=True)) == [-1]
    assert client.post(cast, {"statement": statements[0].pk, "value": "0"}).status_code == 302
    assert Vote.objects.get(participant=voter).value == 0
    assert client.post(cast, {"statement": statements[0].pk, "value": "withdraw"}).status_code == 302
    assert not Vote.objects.filter(participant=voter).exists()


def test_a_vote_outside_the_three_values_is_refused(client, conversation, statements, voter):
    client.force_login(voter)
    response = client.post(url("opinions:cast", conversation.pk), {"statement": statements[0].pk, "value": "5"})
    assert response.status_code == 400
    assert not Vote.objects.exists()


def test_a_malformed_statement_id_is_a_clear_error_not_a_500(client, roles, conversation, voter):
    client.force_login(voter)
    assert client.post(url("opinions:cast", conversation.pk), {"statement": "abc", "value": "1"}).status_code == 400
    client.force_login(roles.editor)
    moderation = url("opinions:moderation", conversation.pk)
    assert client.post(moderation, {"statement": "abc", "decision": "accept"}).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, conversation, statements):
    page = client.get(url("opinions:vote", conversation.pk))
    assert reverse("account_login") in page.content.decode()
    response = client.post(url("opinions:cast", conversation.pk), {"statement": statements[0].pk, "value": "1"})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert not Vote.objects.exists()


def test_a_closed_conversation_is_read_only(client, conversation, statements, voter):
    services.cast_vote(participant=voter, statement=statements[0], value=1)
    conversation.opens_at = timezone.now() - timedelta(days=20)
    conversation.closes_at = timezone.now() - timedelta(days=1)
    conversation.save()
    client.force_login(voter)
    page = client.get(url("opinions:vote", conversation.pk, language="en"))
    assert "read only" in page.content.decode()
    assert page.context["statement"] is None
    refused = client.post(
        url("opinions:cast", conversation.pk, language="en"), {"statement": statements[1].pk, "value": "1"}
    )
    assert refused.status_code == 403
    assert "no longer accepted" in refused.content.decode()
    client.post(url("opinions:cast", conversation.pk), {"statement": statements[0].pk, "value": "withdraw"})
    assert Vote.objects.get(participant=voter).value == 1
    statement = client.post(url("opinions:add_statement", conversation.pk), {"text": "Una nuova idea"})
    assert statement.status_code == 403
    assert conversation.statements.count() == 12


@override_settings(PARTICIPATION_RATE_LIMITS={"vote": (3, 600)})
def test_votes_past_the_rate_limit_get_a_429_and_count_nothing(client, conversation, statements, voter):
    client.force_login(voter)
    cast = url("opinions:cast", conversation.pk, language="en")
    for statement in statements[:3]:
        assert client.post(cast, {"statement": statement.pk, "value": "1"}).status_code == 302
    response = client.post(cast, {"statement": statements[3].pk, "value": "1"})
    assert response.status_code == 429
    assert "wait 10 minutes" in response.content.decode()
    assert Vote.objects.filter(participant=voter).count() == 3


def test_a_participant_statement_waits_for_moderation_then_joins_the_voting(client, roles, conversation, voter):
    client.force_login(voter)
    response = client.post(
        url("opinions:add_statement", conversation.pk, language="en"), {"text": "  Più asili nido  "}, follow=True
    )
    assert "awaits moderation" in response.content.decode()
    statement = Statement.objects.get(text="Più asili nido")
    assert (statement.status, statement.author) == (Statement.Status.PENDING, voter)

    # A participant cannot moderate; the plan office can.
    assert client.get(url("opinions:moderation", conversation.pk)).status_code == 403
    client.force_login(roles.editor)
    page = client.get(url("opinions:moderation", conversation.pk))
    assert "Più asili nido" in page.content.decode()
    client.post(url("opinions:moderation", conversation.pk), {"statement": statement.pk, "decision": "accept"})
    statement.refresh_from_db()
    assert (statement.status, statement.moderated_by) == (Statement.Status.ACCEPTED, roles.editor)
    assert Notification.objects.filter(user=voter, subject_en="Your statement was accepted").exists()
    assert statement.votes.count() == 0
    assert services.cast_vote(participant=roles.editor, statement=statement, value=1).value == 1


def test_a_process_moderator_rejects_a_statement(client, roles, conversation, voter):
    statement = services.add_statement(author=voter, conversation=conversation, text="Pubblicità della mia ditta")
    conversation.process.moderators.add(roles.participant)
    client.force_login(roles.participant)
    client.post(url("opinions:moderation", conversation.pk), {"statement": statement.pk, "decision": "reject"})
    statement.refresh_from_db()
    assert statement.status == Statement.Status.REJECTED
    with pytest.raises(services.Refused):
        services.cast_vote(participant=voter, statement=statement, value=1)


@pytest.mark.parametrize(("text", "error"), [("   ", "Write the statement."), ("x" * 281, "at most 280 characters")])
def test_empty_and_oversized_statements_get_a_form_error(client, conversation, voter, text, error):
    client.force_login(voter)
    response = client.post(url("opinions:add_statement", conversation.pk, language="en"), {"text": text})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not conversation.statements.filter(status="pending").exists()


def test_a_deleted_account_leaves_its_votes_without_a_name(conversation, statements, voter):
    services.cast_vote(participant=voter, statement=statements[0], value=-1)
    voter.delete()
    vote = Vote.objects.get()
    assert (vote.participant, vote.value) == (None, -1)


def test_the_process_page_lists_the_conversation_with_its_counts(client, conversation, statements, voter):
    services.cast_vote(participant=voter, statement=statements[0], value=1)
    page = client.get(url("participation:process", conversation.process.slug, language="en")).content.decode()
    assert "The priorities" in page
    assert "12 statements" in page and "1 participant ·" in page and "1 vote ·" in page
