"""What the matcher keeps: its data generations, the stored rankings and the alert subscriptions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from socialplan.ecosystem.models import Organization
from socialplan.opportunities.models import Opportunity


class Generation(models.Model):
    """A counter per kind of data the matcher reads, moved on every change.

    The matcher's in-memory features are rebuilt when the counter they were built
    at is no longer the current one, in every process: one indexed read per request.
    """

    name = models.CharField(max_length=40, primary_key=True)
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("matching data generation")

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"


class Match(models.Model):
    """An organization among the best for an opportunity, as the matcher's stated version ranked it."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="matches")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="matches")
    score = models.FloatField(_("score (0-100)"))
    rank = models.PositiveIntegerField(_("rank"))
    components = models.JSONField(_("score of each component (0-1)"), default=dict)
    algorithm = models.CharField(_("algorithm version"), max_length=20)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["opportunity", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "organization"], name="match_unique_pair"),
        ]
        indexes = [models.Index(fields=["organization", "-score"], name="match_organization_score")]

    def __str__(self) -> str:
        return f"{self.opportunity_id} - {self.organization_id}: {self.score:.1f}"


class AlertSubscription(models.Model):
    """A member's standing request: tell me of new opportunities my organization can answer."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("daily")
        WEEKLY = "weekly", _("weekly")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="opportunity_alerts")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="opportunity_alerts")
    kinds = models.JSONField(_("kinds"), default=list, blank=True, help_text=_("Empty: every kind."))
    cpv_prefixes = models.JSONField(
        _("CPV codes"), default=list, blank=True, help_text=_("Codes or their first digits; empty: any.")
    )
    comuni = models.ManyToManyField(
        "territory.Comune", blank=True, related_name="+", verbose_name=_("comuni"), help_text=_("Empty: anywhere.")
    )
    min_score = models.PositiveSmallIntegerField(_("minimum score (0-100)"), default=30)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("opportunity alert")
        verbose_name_plural = _("opportunity alerts")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} - {self.organization}"


class AlertDelivery(models.Model):
    """An opportunity already sent to a subscription: never sent twice."""

    subscription = models.ForeignKey(AlertSubscription, on_delete=models.CASCADE, related_name="deliveries")
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("score (0-100)"))
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("alert delivery")
        constraints = [
            models.UniqueConstraint(fields=["subscription", "opportunity"], name="alert_delivery_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id} - {self.opportunity_id}"
