"""Opportunity alerts: a member subscribes for an organization and is told by email of new matches.

A subscription filters by kind, CPV code (or its first digits) and comuni; an
opportunity is sent when it is new since the subscription, open, passes the
filters, the organization may answer it and its match score reaches the
subscription's minimum. Each run sends one email per subscription (a digest)
and never the same opportunity twice; weekly subscriptions are sent at most
once every seven days. `manage.py send_match_alerts` runs it (daily).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from socialplan.opportunities.models import Opportunity

from .engine import Match, rank_opportunities
from .features import open_opportunities
from .models import AlertDelivery, AlertSubscription

WEEK = timedelta(days=7)


@dataclass(frozen=True)
class Alert:
    subscription: AlertSubscription
    matches: list[Match]
    opportunities: dict[int, Opportunity]

    @property
    def items(self) -> list[tuple[Match, Opportunity]]:
        return [(match, self.opportunities[match.opportunity_id]) for match in self.matches]


def wanted(subscription: AlertSubscription, opportunity: Opportunity) -> bool:
    """Whether an opportunity passes a subscription's filters (the CPV codes and comuni prefetched)."""
    if subscription.kinds and opportunity.kind not in subscription.kinds:
        return False
    if subscription.cpv_prefixes:
        prefixes = [prefix.rstrip("0") or prefix for prefix in subscription.cpv_prefixes]
        codes = [code.code for code in opportunity.cpv_codes.all()]
        codes += [code.code for lot in opportunity.lots.all() for code in lot.cpv_codes.all()]
        if not any(code.startswith(prefix) for code in codes for prefix in prefixes):
            return False
    comuni = {comune.id for comune in subscription.comuni.all()}
    return not comuni or opportunity.whole_area or bool(comuni & {comune.id for comune in opportunity.comuni.all()})


def due_alerts(*, now: datetime | None = None) -> list[Alert]:
    """What each active subscription would be sent now."""
    now = now or timezone.now()
    alerts = []
    subscriptions = AlertSubscription.objects.filter(active=True).select_related("user", "organization")
    for subscription in subscriptions.prefetch_related("comuni"):
        weekly = subscription.frequency == AlertSubscription.Frequency.WEEKLY
        if weekly and subscription.last_sent_at and now - subscription.last_sent_at < WEEK:
            continue
        sent = AlertDelivery.objects.filter(subscription=subscription).values("opportunity_id")
        fresh = (
            Opportunity.objects.filter(open_opportunities(), created_at__gt=subscription.created_at)
            .exclude(pk__in=sent)
            .prefetch_related("cpv_codes", "comuni", "lots__cpv_codes")
        )
        chosen = [opportunity.pk for opportunity in fresh if wanted(subscription, opportunity)]
        if not chosen:
            continue
        matches = rank_opportunities(
            subscription.organization, limit=None, opportunities=Opportunity.objects.filter(pk__in=chosen)
        )
        matches = [match for match in matches if match.score >= subscription.min_score]
        if matches:
            by_id = Opportunity.objects.in_bulk([match.opportunity_id for match in matches])
            alerts.append(Alert(subscription=subscription, matches=matches, opportunities=by_id))
    return alerts


def _email(alert: Alert, connection: object) -> EmailMessage:
    subscription = alert.subscription
    context = {
        "organization": subscription.organization,
        "matches": alert.matches,
        "items": alert.items,
        "base_url": settings.PORTAL_BASE_URL,
    }
    bodies = []
    for language in ("it", "en"):
        with translation.override(language):
            bodies.append(render_to_string("matching/email/alert.txt", context).strip())
    with translation.override("it"):
        subject = render_to_string("matching/email/alert_subject.txt", context).strip()
    return EmailMessage(
        subject=subject,
        body="\n\n----------\n\n".join(bodies),
        to=[subscription.user.email],
        connection=connection,
    )


def send_alerts(*, now: datetime | None = None) -> dict[str, int]:
    """Send the due alerts; each email and its deliveries are recorded together."""
    now = now or timezone.now()
    connection = get_connection()
    emails = opportunities = 0
    for alert in due_alerts(now=now):
        with transaction.atomic():
            AlertDelivery.objects.bulk_create(
                AlertDelivery(
                    subscription=alert.subscription, opportunity_id=match.opportunity_id, score=match.score, sent_at=now
                )
                for match in alert.matches
            )
            AlertSubscription.objects.filter(pk=alert.subscription.pk).update(last_sent_at=now)
            _email(alert, connection).send(fail_silently=False)
        emails += 1
        opportunities += len(alert.matches)
    return {"emails": emails, "opportunities": opportunities}
