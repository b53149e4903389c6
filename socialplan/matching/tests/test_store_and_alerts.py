"""Stored rankings, re-ranking on change through the signals, and the alert emails."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from socialplan.accounts.models import User
from socialplan.ecosystem.models import Membership
from socialplan.matching import generations
from socialplan.matching.alerts import send_alerts
from socialplan.matching.engine import ALGORITHM
from socialplan.matching.models import AlertDelivery, AlertSubscription, Match
from socialplan.matching.store import rematch_all, rematch_opportunity
from socialplan.opportunities.models import Opportunity
from socialplan.opportunities.tests.factories import make_opportunity

from .conftest import organization


@pytest.fixture
def cleaning(legal_bases, buyer, ecosystem):
    return make_opportunity(
        legal_bases["dlgs36-2023-art61"], buyer, cpv_codes=("90911200",), title_it="Pulizia uffici", deadline=None
    )


def test_rematch_stores_the_ranking_with_the_algorithm_version(ecosystem, cleaning):
    entered = rematch_opportunity(cleaning)
    rows = list(Match.objects.filter(opportunity=cleaning).order_by("rank"))
    assert [row.organization_id for row in rows][:1] == [ecosystem.coop_b.pk]
    assert set(entered) == {row.organization_id for row in rows}
    assert {row.algorithm for row in rows} == {ALGORITHM}
    assert [row.rank for row in rows] == list(range(1, len(rows) + 1))
    # The company has no disadvantaged workers declared: never stored for a reserved contract.
    assert ecosystem.company.pk not in {row.organization_id for row in rows}
    assert rematch_opportunity(cleaning) == []  # nothing new the second time


@pytest.mark.django_db(transaction=True)
def test_a_new_organization_enters_the_stored_ranking_after_its_commit(ecosystem, cleaning):
    rematch_opportunity(cleaning)
    before = generations.current(generations.ORGANIZATIONS)
    with transaction.atomic():
        newcomer = organization(
            legal_name="Cooperativa Splendente",
            disadvantaged_share=50,
            workforce=40,
            description="Pulizia uffici",
            cpv=("90911200",),
        )
    assert generations.current(generations.ORGANIZATIONS) == before + 1  # one transaction, one move
    assert Match.objects.filter(opportunity=cleaning, organization=newcomer).exists()


@pytest.mark.django_db(transaction=True)
def test_a_new_opportunity_is_ranked_after_its_commit(ecosystem, legal_bases, buyer):
    with transaction.atomic():
        greens = make_opportunity(
            legal_bases["l381-1991-art5"], buyer, cpv_codes=("77311000",), value=50_000, deadline=None
        )
    assert list(Match.objects.filter(opportunity=greens).values_list("organization_id", flat=True)) == [
        ecosystem.coop_b.pk
    ]


@pytest.mark.django_db(transaction=True)
def test_an_import_of_many_opportunities_queues_one_full_rematch(ecosystem, legal_bases, buyer, monkeypatch):
    from socialplan.matching import signals, store

    queued = []
    monkeypatch.setattr(store, "rematch_all", lambda: queued.append("all") or {})
    monkeypatch.setattr(store, "rematch_opportunity", lambda opportunity: queued.append(opportunity.pk) or [])
    with transaction.atomic():
        for number in range(signals.FULL_REMATCH_FROM):
            with transaction.atomic():  # each release in its own savepoint, as import_ocds writes them
                make_opportunity(
                    legal_bases["dlgs36-2023-public-tender"], buyer, title_it=f"Gara {number}", deadline=None
                )
    assert queued == ["all"]


def test_rematch_all_drops_closed_opportunities(ecosystem, cleaning):
    rematch_opportunity(cleaning)
    Opportunity.objects.filter(pk=cleaning.pk).update(status=Opportunity.Status.CLOSED)
    assert rematch_all()["opportunities"] == 0
    assert not Match.objects.filter(opportunity=cleaning).exists()


def test_the_rematch_command_refuses_an_unknown_opportunity(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No opportunity with id 999999"):
        call_command("rematch", "--opportunity", "999999")


@pytest.fixture
def subscriber(ecosystem):
    user = User.objects.create_user(email="socia@example.org", password="x")
    Membership.objects.create(user=user, organization=ecosystem.coop_b, status=Membership.Status.APPROVED)
    return user


def test_an_alert_sends_new_matches_once(ecosystem, legal_bases, buyer, subscriber):
    subscription = AlertSubscription.objects.create(
        user=subscriber, organization=ecosystem.coop_b, cpv_prefixes=["9091"], min_score=10
    )
    AlertSubscription.objects.filter(pk=subscription.pk).update(created_at=timezone.now() - timedelta(days=1))
    wanted = make_opportunity(
        legal_bases["dlgs36-2023-art61"],
        buyer,
        cpv_codes=("90911200",),
        title_it="Pulizia biblioteche",
        title_en="Library cleaning",
        deadline=None,
    )
    make_opportunity(  # another field: filtered out
        legal_bases["dlgs36-2023-public-tender"], buyer, cpv_codes=("72000000",), title_it="Software", deadline=None
    )
    make_opportunity(  # co-design for Third sector entities: the subscriber's cooperative may answer, other CPV
        legal_bases["dlgs117-2017-art55"], buyer, cpv_codes=("85312000",), title_it="Servizi sociali", deadline=None
    )
    assert send_alerts() == {"emails": 1, "opportunities": 1}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["socia@example.org"]
    italian, english = message.body.split("----------")
    assert "Pulizia biblioteche" in italian
    assert "Library cleaning" in english
    assert f"/opportunita/{wanted.pk}/" in message.body
    assert "/area-personale/opportunita/avvisi/" in message.body
    assert list(AlertDelivery.objects.values_list("opportunity_id", flat=True)) == [wanted.pk]
    assert send_alerts() == {"emails": 0, "opportunities": 0}
    assert len(mail.outbox) == 1


def test_an_alert_never_sends_what_the_organization_may_not_answer(ecosystem, legal_bases, buyer):
    user = User.objects.create_user(email="impresa@example.org", password="x")
    subscription = AlertSubscription.objects.create(user=user, organization=ecosystem.company, min_score=0)
    AlertSubscription.objects.filter(pk=subscription.pk).update(created_at=timezone.now() - timedelta(days=1))
    make_opportunity(
        legal_bases["dlgs117-2017-art55"], buyer, cpv_codes=("90911200",), title_it="Coprogettazione", deadline=None
    )
    assert send_alerts() == {"emails": 0, "opportunities": 0}
    assert mail.outbox == []
