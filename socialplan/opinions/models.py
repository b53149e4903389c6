"""Opinion groups in the manner of Pol.is: short statements, agree / disagree / pass, groups of like minds.

A conversation asks one question. The plan office seeds it with statements;
participants vote on them one at a time and, when the conversation allows
it, add statements of their own, which wait for a moderator before anyone
votes on them. From the votes the platform computes the opinion groups
(groups.py): who votes alike, what unites each group and what every group
agrees on. A vote is changed, never added twice; the votes of a deleted
account stay, without a name.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from socialplan.participation.models import Contribution, Process

STATEMENT_MAX_LENGTH = 280


class Conversation(models.Model):
    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="conversations", verbose_name=_("process")
    )
    slug = models.SlugField(_("identifier"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    question = models.CharField(_("question"), max_length=300, help_text=_("What the statements answer."))
    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    participant_statements = models.BooleanField(
        _("participants may add statements"),
        default=True,
        help_text=_("Their statements are voted on once a moderator accepts them."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Recomputing the groups is throttled (groups.request_recompute): votes mark the conversation
    # dirty; a recompute is queued at most once a minute and the rest is caught by the command.
    groups_dirty = models.BooleanField(_("groups to recompute"), default=False, editable=False)
    groups_requested_at = models.DateTimeField(_("groups recompute queued at"), null=True, blank=True, editable=False)
    # Kept on write by counters.py (votes add to them; moderation recounts): the process page reads
    # them instead of counting distinct voters over every vote on each request.
    statement_count = models.PositiveIntegerField(_("statements open to votes"), default=0, editable=False)
    vote_count = models.PositiveIntegerField(_("votes"), default=0, editable=False)
    voter_count = models.PositiveIntegerField(_("participants who voted"), default=0, editable=False)

    class Meta:
        verbose_name = _("opinion conversation")
        verbose_name_plural = _("opinion conversations")
        ordering = ["process", "-opens_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["process", "slug"], name="conversation_unique_slug"),
            models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")), name="conversation_dates"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("opinions:vote", kwargs={"pk": self.pk})

    def is_open(self, now: timezone.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def has_closed(self, now: timezone.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.closes_at


class Statement(Contribution):
    """A short statement to vote on: seeded by the plan office (accepted) or written by a participant (pending)."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("statement status", "awaiting moderation")
        ACCEPTED = "accepted", pgettext_lazy("statement status", "accepted")
        REJECTED = "rejected", pgettext_lazy("statement status", "rejected")

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="statements", verbose_name=_("conversation")
    )
    text = models.CharField(_("statement"), max_length=STATEMENT_MAX_LENGTH)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    vote_count = models.PositiveIntegerField(_("votes"), default=0, editable=False)  # kept by counters.py
    is_meta = models.BooleanField(
        _("about the conversation itself"),
        default=False,
        help_text=_("Voted on like the others, but left out of the groups' computation."),
    )

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["conversation", "pk"]
        constraints = [models.CheckConstraint(condition=~models.Q(text=""), name="statement_text_not_empty")]
        indexes = [models.Index(fields=["conversation", "status"], name="statement_conversation_status")]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return reverse("opinions:vote", kwargs={"pk": self.conversation_id})


class Vote(Contribution):
    """One participant's vote on a statement; voting again changes it (Pol.is: agree 1, disagree -1, pass 0).

    The voter is `participant` (the registry's person_field); `author` stays empty.
    """

    class Value(models.IntegerChoices):
        AGREE = 1, pgettext_lazy("opinion vote", "Agree")
        DISAGREE = -1, pgettext_lazy("opinion vote", "Disagree")
        PASS = 0, pgettext_lazy("opinion vote", "Pass")

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="votes", verbose_name=_("statement")
    )
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opinion_votes",
        verbose_name=_("participant"),
    )
    value = models.SmallIntegerField(_("vote"), choices=Value.choices)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "participant"],
                condition=models.Q(participant__isnull=False),
                name="opinion_vote_once_per_person",
            ),
            models.CheckConstraint(condition=models.Q(value__in=[-1, 0, 1]), name="opinion_vote_value"),
        ]
        indexes = [models.Index(fields=["participant", "statement"], name="opinion_vote_participant")]

    def __str__(self) -> str:
        return f"{self.participant_id} → {self.statement_id}: {self.value}"


class GroupsResult(models.Model):
    """The opinion groups of a conversation as computed at one moment; the page shows the latest."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="groups_results", verbose_name=_("conversation")
    )
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    participants = models.PositiveIntegerField(_("participants in the groups"))
    votes = models.PositiveIntegerField(_("votes"))
    groups = models.JSONField(_("groups"), default=list)
    consensus = models.JSONField(_("consensus"), default=dict)
    projection = models.JSONField(_("participants' positions for the chart"), default=list)
    algorithm = models.CharField(_("algorithm"), max_length=80)
    duration_ms = models.PositiveIntegerField(_("computing time (ms)"))

    class Meta:
        verbose_name = _("opinion groups result")
        verbose_name_plural = _("opinion groups results")
        ordering = ["conversation", "-computed_at", "-pk"]
        get_latest_by = "computed_at"

    def __str__(self) -> str:
        return f"{self.conversation} · {self.computed_at:%Y-%m-%d %H:%M}"
