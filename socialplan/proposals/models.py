"""Proposals: what participants ask the plan to do, the supports they gather, and the office's answer.

A proposal is written while a phase of its process opens "proposals" and
supported while a phase opens "supports". The plan office answers each one:
accepted, rejected (always with a reason), merged into the plan, or the
author withdraws it. What an accepted proposal became is recorded on the
plan's changelog (participation/traceability.py), not here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from socialplan.participation.models import Contribution, Process
from socialplan.plan.models import Theme

TITLE_MAX_LENGTH = 150
BODY_MAX_LENGTH = 4000


class Proposal(Contribution):
    class Status(models.TextChoices):
        EVALUATING = "evaluating", pgettext_lazy("proposal status", "under evaluation")
        ACCEPTED = "accepted", pgettext_lazy("proposal status", "accepted")
        REJECTED = "rejected", pgettext_lazy("proposal status", "rejected")
        MERGED = "merged", pgettext_lazy("proposal status", "merged into the plan")
        WITHDRAWN = "withdrawn", pgettext_lazy("proposal status", "withdrawn")

    # The answers the plan office gives; withdrawing is the author's own act.
    ANSWERS = (Status.EVALUATING, Status.ACCEPTED, Status.REJECTED, Status.MERGED)

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("process"))
    theme = models.ForeignKey(
        Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals", verbose_name=_("theme")
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    body = models.TextField(_("proposal"), max_length=BODY_MAX_LENGTH)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.EVALUATING)
    status_reason = models.TextField(_("reason of the answer"), blank=True, max_length=BODY_MAX_LENGTH)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    support_count = models.PositiveIntegerField(_("supports"), default=0, editable=False)  # kept by counters.py

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(status_reason=""),
                name="proposal_rejection_has_reason",
            )
        ]
        indexes = [
            models.Index(fields=["process", "status"], name="proposal_process_status"),
            models.Index(fields=["process", "-support_count"], name="proposal_process_supported"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("proposals:detail", kwargs={"pk": self.pk})


class ProposalSupport(models.Model):
    """One person's support of a proposal; kept, unsigned, when the account is deleted."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="supports", verbose_name=_("proposal")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "user"], condition=models.Q(user__isnull=False), name="support_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.proposal}"
