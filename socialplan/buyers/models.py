"""Who acts for a buyer on the platform, and the opportunities a buyer is still writing.

A `BuyerMembership` is a user's right to act for a `Buyer` of the registry,
asked for and decided by the plan office; a request may instead propose a
new buyer (name, codice fiscale, kind), which approval creates. An
`OpportunityDraft` keeps the buyer's form as typed until it is published
through the registry's own service, so nothing half-checked is ever public.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from socialplan.ecosystem.validators import validate_codice_fiscale
from socialplan.opportunities.models import Buyer, Opportunity


class BuyerMembership(models.Model):
    """A user's right to publish and manage opportunities for a buyer, asked for and approved."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="buyer_memberships")
    # Empty while the request proposes a new buyer: approval creates it from the proposed fields.
    buyer = models.ForeignKey(
        Buyer, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships", verbose_name=_("buyer")
    )
    proposed_name = models.CharField(_("name of the new buyer"), max_length=300, blank=True)
    proposed_codice_fiscale = models.CharField(
        _("codice fiscale of the new buyer"), max_length=16, blank=True, validators=[validate_codice_fiscale]
    )
    proposed_kind = models.CharField(_("kind of the new buyer"), max_length=10, choices=Buyer.Kind.choices, blank=True)
    proposed_website = models.URLField(_("website of the new buyer"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    message = models.TextField(_("message with the request"), blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.TextField(_("note of the plan office"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("buyer membership")
        verbose_name_plural = _("buyer memberships")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "buyer"], condition=models.Q(buyer__isnull=False), name="buyer_membership_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(buyer__isnull=False) | ~models.Q(proposed_codice_fiscale=""),
                name="buyer_membership_buyer_or_proposal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.buyer_name}"

    @property
    def buyer_name(self) -> str:
        return self.buyer.name if self.buyer is not None else self.proposed_name

    @property
    def codice_fiscale(self) -> str:
        return (self.buyer.codice_fiscale or "") if self.buyer is not None else self.proposed_codice_fiscale


class OpportunityDraft(models.Model):
    """An opportunity a buyer is writing: the form's values as typed, checked in full when published."""

    buyer = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="drafts", verbose_name=_("buyer"))
    title = models.CharField(_("title"), max_length=500)
    data = models.JSONField(_("values of the form"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Set when the draft is published; the opportunity is then edited directly.
    opportunity = models.OneToOneField(
        Opportunity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="draft",
        verbose_name=_("opportunity"),
    )

    class Meta:
        verbose_name = _("opportunity draft")
        verbose_name_plural = _("opportunity drafts")
        ordering = ["-updated_at", "pk"]

    def __str__(self) -> str:
        return self.title
