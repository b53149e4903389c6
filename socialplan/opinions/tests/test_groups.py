"""The opinion groups: planted groups are found, too few votes are said, recomputing is throttled."""

from datetime import timedelta

import numpy as np
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from socialplan.opinions import groups, services
from socialplan.opinions.models import Conversation, GroupsResult

from .conftest import make_users


def url(name: str, *args: object) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def test_two_planted_groups_are_found_with_their_statements(conversation, statements, planted):
    result = groups.compute_groups(conversation)
    assert result.participants == 30
    assert [group["size"] for group in result.groups] == [18, 12]
    first_half = {statement.pk for statement in statements[:4]}
    second_half = {statement.pk for statement in statements[4:8]}
    shared = {statement.pk for statement in statements[8:]}
    group_a, group_b = result.groups
    # What sets each group apart is a divisive statement, voted the planted way.
    for item in group_a["representative"]:
        assert item["statement"] in first_half | second_half
        assert item["direction"] == ("agree" if item["statement"] in first_half else "disagree")
    for item in group_b["representative"]:
        assert item["statement"] in first_half | second_half
        assert item["direction"] == ("agree" if item["statement"] in second_half else "disagree")
    assert group_a["representative"] and group_b["representative"]
    agreed = {item["statement"] for item in result.consensus["agree"]}
    assert agreed and agreed <= shared
    assert all(min(item["by_group"]) == 1.0 for item in result.consensus["agree"])
    assert result.algorithm == "red-dwarf 0.4.0 polis"
    assert len(result.projection) == 30


def test_too_few_voters_store_nothing_and_the_page_says_why(client, conversation, statements):
    for voter in make_users(4):
        for statement in statements[:8]:
            services.cast_vote(participant=voter, statement=statement, value=1)
    with translation.override("en"), pytest.raises(groups.NotEnoughVotes, match="at least 10 participants"):
        groups.compute_groups(conversation)
    assert not GroupsResult.objects.exists()
    page = client.get(url("opinions:results", conversation.pk)).content.decode()
    assert "No groups yet" in page
    assert "so far 4 have" in page


def test_participants_all_voting_alike_form_no_groups(conversation, statements):
    voters = make_users(12)
    for voter in voters:
        for statement in statements:
            services.cast_vote(participant=voter, statement=statement, value=1)
    with translation.override("en"), pytest.raises(groups.NotEnoughVotes, match="all voted alike"):
        groups.compute_groups(conversation)


def test_the_results_page_shows_the_groups_the_chart_and_the_table(client, conversation, statements, planted):
    groups.compute_groups(conversation)
    page = client.get(url("opinions:results", conversation.pk)).content.decode()
    assert "Group A: 18 participants" in page and "Group B: 12 participants" in page
    assert "What unites this group" in page
    assert page.count("<circle") == 30 + 2  # 30 participants + 2 legend swatches
    assert '<title id="chart-svg-title">' in page and "<desc" in page
    assert "<table" in page and statements[0].text in page
    assert "Agreed across the groups" in page


def test_a_hidden_statement_shows_the_reason_in_the_results(client, conversation, statements, planted):
    groups.compute_groups(conversation)
    for statement in statements:
        statement.hidden_at = timezone.now()
        statement.hidden_reason = "fuori tema"
        statement.save()
    page = client.get(url("opinions:results", conversation.pk)).content.decode()
    assert "Hidden by the moderators: fuori tema" in page
    assert f"{statements[0].text}<" not in page


def test_votes_queue_a_recompute_at_most_once_a_minute(
    conversation, statements, planted, django_capture_on_commit_callbacks
):
    voter = make_users(1, "late")[0]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.cast_vote(participant=voter, statement=statements[0], value=1)
    assert len(callbacks) == 1  # the immediate task backend computed the groups
    assert GroupsResult.objects.filter(conversation=conversation).count() == 1
    conversation.refresh_from_db()
    assert conversation.groups_dirty is False
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.cast_vote(participant=voter, statement=statements[1], value=1)
    assert callbacks == []  # throttled: marked dirty, left for later
    conversation.refresh_from_db()
    assert conversation.groups_dirty is True
    first = GroupsResult.objects.get(conversation=conversation)
    # A minute later the next vote queues a recompute again.
    Conversation.objects.filter(pk=conversation.pk).update(groups_requested_at=timezone.now() - timedelta(seconds=61))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.cast_vote(participant=voter, statement=statements[2], value=1)
    assert len(callbacks) == 1
    assert GroupsResult.objects.get(conversation=conversation).pk != first.pk


def test_the_command_computes_the_dirty_conversations(conversation, statements, planted, capsys):
    Conversation.objects.filter(pk=conversation.pk).update(groups_dirty=True)
    call_command("compute_opinion_groups")
    assert "2 groups of 30" in capsys.readouterr().out
    assert GroupsResult.objects.filter(conversation=conversation).exists()
    conversation.refresh_from_db()
    assert conversation.groups_dirty is False
    call_command("compute_opinion_groups", slug=conversation.slug)
    assert GroupsResult.objects.filter(conversation=conversation).count() == 1


def test_the_payload_is_plain_json(conversation, statements, planted):
    import json

    result = groups.compute_groups(conversation)
    stored = GroupsResult.objects.get(pk=result.pk)
    assert json.loads(json.dumps(stored.groups)) == stored.groups
    assert not any(isinstance(value, np.generic) for group in result.groups for value in group.values())
