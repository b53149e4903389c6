"""Participation: processes and their phases, and what every contribution shares.

A process (the building of the plan, a yearly revision) runs in phases; each
phase opens some kinds of participation. The contributions themselves live in
their own apps (consultations, proposals, opinions, engagement) and inherit
`Contribution`: an author (emptied when the account is deleted, the text
kept), the moment, the plan elements it concerns, and the moderation state.
Follows, abuse reports and notifications point at any contribution or
process by generic link. What a contribution led to is recorded once, on the
plan's changelog (`plan.ChangelogSource`), and read back from there.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from socialplan.plan.models import Plan


class Opening(models.TextChoices):
    """The kinds of participation a phase can open."""

    COMMENTS = "comments", _("comments on drafts")
    ANNOTATIONS = "annotations", _("annotations on passages")
    PROPOSALS = "proposals", _("proposals")
    SUPPORTS = "supports", _("supports")
    SURVEYS = "surveys", _("surveys")
    MEETINGS = "meetings", _("meetings and events")
    OPINIONS = "opinions", _("opinion groups")
    INTERVIEWS = "interviews", _("interviews")


class Process(models.Model):
    """A participatory process on a plan: how it was built, a yearly revision..."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="processes", verbose_name=_("plan"))
    slug = models.SlugField(_("identifier"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_plan_history = models.BooleanField(
        _("history of the plan"),
        default=False,
        help_text=_("The process that built the plan, loaded from the plan's content file."),
    )
    published = models.BooleanField(_("published"), default=True)
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="moderated_processes",
        verbose_name=_("moderators"),
        help_text=_("They hide contributions and answer reports in this process."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("participatory process")
        verbose_name_plural = _("participatory processes")
        ordering = ["plan", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "slug"], name="process_unique_slug")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:process", kwargs={"slug": self.slug})

    @property
    def start_date(self) -> date | None:
        dates = [phase.start_date for phase in self.phases.all()]
        return min(dates) if dates else None

    @property
    def end_date(self) -> date | None:
        dates = [phase.end_date for phase in self.phases.all()]
        return max(dates) if dates else None

    def current_phase(self, today: date | None = None) -> Phase | None:
        today = today or timezone.localdate()
        for phase in self.phases.all():
            if phase.start_date <= today <= phase.end_date:
                return phase
        return None

    def is_open_for(self, opening: str, today: date | None = None) -> bool:
        """Whether a phase running today opens this kind of participation."""
        today = today or timezone.localdate()
        return any(
            phase.start_date <= today <= phase.end_date and opening in phase.openings for phase in self.phases.all()
        )


class Phase(models.Model):
    """A phase of a process: its dates, what it is for, what participation it opens."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="phases", verbose_name=_("process"))
    code = models.SlugField(_("code"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    period_label = models.CharField(_("period as stated"), max_length=80, blank=True)
    openings = models.JSONField(
        _("participation it opens"),
        default=list,
        blank=True,
        help_text=_("Any of: comments, annotations, proposals, supports, surveys, meetings, opinions, interviews."),
    )
    participants = models.PositiveIntegerField(_("participants figure"), null=True, blank=True)
    participants_at_least = models.BooleanField(_("figure is a minimum"), default=False)
    participants_label = models.CharField(_("what the figure counts"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["process", "order", "start_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["process", "code"], name="phase_unique_code_in_process"),
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="phase_dates_order"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot precede the start date.")})
        unknown = [value for value in self.openings or [] if value not in Opening.values]
        if unknown:
            raise ValidationError({"openings": _("Unknown kinds of participation: %(kinds)s.") % {"kinds": unknown}})

    @property
    def figure(self) -> str:
        if self.participants is None:
            return ""
        return f"{self.participants}+" if self.participants_at_least else str(self.participants)

    def status(self, today: date | None = None) -> str:
        today = today or timezone.localdate()
        if today < self.start_date:
            return "upcoming"
        if today > self.end_date:
            return "past"
        return "current"

    def opening_labels(self) -> list[str]:
        labels = dict(Opening.choices)
        return [str(labels[value]) for value in self.openings or [] if value in labels]


class Contribution(models.Model):
    """What every contribution shares: author, time, plan elements, moderation.

    The author is emptied when their account is deleted: the contribution stays,
    signed "former participant". A hidden contribution keeps its text for the
    moderators and shows the reason in its place; its author is told why.
    `address_hash` is a keyed hash of the sender's address, for rate limits
    and abuse reports only (never the address itself).
    """

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    address_hash = models.CharField(_("address hash"), max_length=64, blank=True, editable=False)
    element_keys = models.JSONField(
        _("plan elements"),
        default=list,
        blank=True,
        help_text=_("Keys of the plan elements it concerns, e.g. 'social-procurement/sp-o1'."),
    )
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )

    class Meta:
        abstract = True

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def author_name(self) -> str:
        if self.author_id is None:
            return str(_("Former participant"))
        profile = getattr(self.author, "participant_profile", None)
        name = profile.display_name if profile is not None else ""
        return name or str(_("Participant"))

    def outcome_sources(self) -> models.QuerySet[Any]:
        """The changelog entries this contribution led to (see plan.ChangelogSource)."""
        from socialplan.plan.models import ChangelogSource

        return (
            ChangelogSource.objects.filter(
                content_type=ContentType.objects.get_for_model(type(self)), object_id=self.pk
            )
            .select_related("entry__version")
            .order_by("entry__version__number", "entry__position")
        )


class ParticipantProfile(models.Model):
    """What a participant agreed to and, optionally, tells for statistics only."""

    class AgeBand(models.TextChoices):
        UNDER_18 = "u18", _("under 18")
        FROM_18 = "18-24", _("18 to 24")
        FROM_25 = "25-34", _("25 to 34")
        FROM_35 = "35-49", _("35 to 49")
        FROM_50 = "50-64", _("50 to 64")
        FROM_65 = "65+", _("65 or over")

    class OrganizationType(models.TextChoices):
        CITIZEN = "citizen", _("citizen, not representing an organization")
        SOCIAL_COOPERATIVE = "social-cooperative", _("social cooperative")
        SOCIAL_ENTERPRISE = "social-enterprise", _("social enterprise")
        THIRD_SECTOR = "third-sector", _("association, volunteering or other third-sector entity")
        FOUNDATION = "foundation", _("foundation")
        PUBLIC_BODY = "public-body", _("public body")
        COMPANY = "company", _("company")
        UNIVERSITY = "university", _("university or research")
        OTHER = "other", _("other")

    class Digest(models.TextChoices):
        IMMEDIATE = "immediate", _("at once")
        DAILY = "daily", _("daily digest")
        WEEKLY = "weekly", _("weekly digest")
        NEVER = "never", _("never")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participant_profile", verbose_name=_("user")
    )
    display_name = models.CharField(
        _("public name"), max_length=80, blank=True, help_text=_("Shown with your contributions; empty: 'Participant'.")
    )
    privacy_accepted_at = models.DateTimeField(_("privacy notice accepted at"), null=True, blank=True)
    privacy_version = models.CharField(_("privacy notice version"), max_length=20, blank=True)
    age_band = models.CharField(_("age band"), max_length=10, choices=AgeBand.choices, blank=True)
    organization_type = models.CharField(
        _("organization type"), max_length=30, choices=OrganizationType.choices, blank=True
    )
    digest = models.CharField(_("email notifications"), max_length=10, choices=Digest.choices, default=Digest.DAILY)
    unsubscribe_token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe, editable=False)

    class Meta:
        verbose_name = _("participant profile")
        verbose_name_plural = _("participant profiles")

    def __str__(self) -> str:
        return self.display_name or str(self.user)


class Follow(models.Model):
    """A participant follows a process, a plan element or a contribution, and is notified of what happens to it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows", verbose_name=_("user")
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    element_key = models.CharField(
        _("plan element"), max_length=255, blank=True, help_text=_("A followed plan element, by its key.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id", "element_key"], name="follow_unique_target"
            ),
            models.CheckConstraint(
                condition=models.Q(content_type__isnull=False, object_id__isnull=False) | ~models.Q(element_key=""),
                name="follow_has_target",
            ),
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="follow_target"),
            models.Index(fields=["element_key"], name="follow_element"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.element_key or self.target}"


class Notification(models.Model):
    """Something a participant should hear of; sent at once or gathered in a digest."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("user")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    subject_it = models.CharField(_("subject (Italian)"), max_length=255)
    subject_en = models.CharField(_("subject (English)"), max_length=255)
    body_it = models.TextField(_("text (Italian)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["user", "created_at"]
        indexes = [models.Index(fields=["sent_at", "user"], name="notification_unsent")]

    def __str__(self) -> str:
        return self.subject_it


class Report(models.Model):
    """A report of abuse on a contribution, waiting in the moderation queue until a moderator decides."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("spam or advertising")
        OFFENSIVE = "offensive", _("offensive, hateful or discriminatory")
        PERSONAL_DATA = "personal-data", _("discloses someone's personal data")
        OFF_TOPIC = "off-topic", _("off topic")
        OTHER = "other", _("other")

    class Decision(models.TextChoices):
        PENDING = "pending", pgettext_lazy("report decision", "pending")
        HIDDEN = "hidden", pgettext_lazy("report decision", "contribution hidden")
        DISMISSED = "dismissed", pgettext_lazy("report decision", "dismissed")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    details = models.TextField(_("details"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["decision", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "reporter"],
                condition=models.Q(reporter__isnull=False),
                name="report_once_per_reporter",
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="report_target")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.content_type} {self.object_id}"
