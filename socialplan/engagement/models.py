"""Engagement: surveys, meetings and events, stakeholder interviews.

A survey is a list of questions of a few kinds; each registered participant
answers once (a `Response`, a contribution whose `text` gathers the free-text
answers so moderation and exports read one field). A meeting is organized by
the plan office (its `author`); participants register for a seat, the office
marks who attended and publishes the minutes, which are the meeting's
contribution to the plan's history. An interview record keeps what a
stakeholder said: a summary the office may publish, and confidential notes
that never leave the office's pages.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socialplan.ecosystem.models import Organization
from socialplan.participation.models import Contribution, Process
from socialplan.plan.models import Theme

SCALE = range(1, 6)  # a scale question is answered 1 to 5


class Survey(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("process"))
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    element_keys = models.JSONField(
        _("plan elements"),
        default=list,
        blank=True,
        help_text=_("Keys of the plan elements it concerns, e.g. 'social-procurement/sp-o1'."),
    )
    anonymous_results = models.BooleanField(
        _("anonymous results"),
        default=True,
        help_text=_("Results and downloads do not name who answered (the plan office still can)."),
    )

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["process", "opens_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")), name="survey_dates_order")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("engagement:survey", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The survey must close after it opens.")})

    def is_open(self, now: timezone.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("one choice")
        MULTIPLE = "multiple", _("several choices")
        SHORT_TEXT = "short_text", _("short text")
        LONG_TEXT = "long_text", _("long text")
        SCALE = "scale", _("scale from 1 to 5")
        YES_NO = "yes_no", _("yes or no")
        NUMBER = "number", _("number")

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE)
    TEXT_KINDS = (Kind.SHORT_TEXT, Kind.LONG_TEXT)

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    required = models.BooleanField(_("required"), default=True)
    max_choices = models.PositiveSmallIntegerField(
        _("most choices"), null=True, blank=True, help_text=_("For several choices: how many at most (empty: any).")
    )
    scale_low_label = models.CharField(_("label of 1"), max_length=80, blank=True)
    scale_high_label = models.CharField(_("label of 5"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    label = models.CharField(_("label"), max_length=255)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question", "order", "pk"]

    def __str__(self) -> str:
        return self.label


class Response(Contribution):
    """One participant's answers to a survey; `text` gathers the free-text answers for moderation."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("survey"))
    text = models.TextField(_("free-text answers"), blank=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["survey", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "author"], condition=models.Q(author__isnull=False), name="response_once_per_author"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey} · {self.author_name}"

    def get_absolute_url(self) -> str:
        return reverse("engagement:results", kwargs={"pk": self.survey_id})


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response"))
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question"))
    choices = models.ManyToManyField(Choice, blank=True, related_name="answers", verbose_name=_("choices"))
    text = models.TextField(_("text"), blank=True)
    number = models.DecimalField(_("number"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_once_per_question"),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.text or self.number or ''}"


class Meeting(Contribution):
    """A meeting or public event; its `author` is the organizer, its minutes its trace in the plan's history."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("process"))
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=255, blank=True, help_text=_("Address of the venue."))
    online_url = models.URLField(_("online link"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    capacity = models.PositiveIntegerField(_("seats"), null=True, blank=True, help_text=_("Empty: no limit."))
    registration_opens_at = models.DateTimeField(_("registration opens at"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(
        _("registration closes at"), null=True, blank=True, help_text=_("Empty: when the meeting starts.")
    )
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_published = models.BooleanField(_("minutes published"), default=False)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gte=models.F("starts_at")), name="meeting_dates_order"),
            models.CheckConstraint(condition=~models.Q(place="", online_url=""), name="meeting_has_place_or_link"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("engagement:meeting", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors = {}
        if not self.place and not self.online_url:
            errors["place"] = _("Give the address of the venue, the online link, or both.")
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("The meeting cannot end before it starts.")
        if errors:
            raise ValidationError(errors)

    @property
    def registration_deadline(self) -> timezone.datetime:
        return self.registration_closes_at or self.starts_at

    def registration_is_open(self, now: timezone.datetime | None = None) -> bool:
        now = now or timezone.now()
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        return now < self.registration_deadline

    def is_past(self, now: timezone.datetime | None = None) -> bool:
        return self.ends_at < (now or timezone.now())


class Registration(models.Model):
    """A seat at a meeting. Not a contribution: a deleted account's registrations go with it."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("meeting")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_registrations", verbose_name=_("user")
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["meeting", "created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="registration_once_per_user")]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.user}"

    @property
    def is_active(self) -> bool:
        return self.cancelled_at is None


class Interview(Contribution):
    """A stakeholder interview: a summary the office may publish, confidential notes kept in the office."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="interviews", verbose_name=_("process"))
    stakeholder = models.CharField(_("stakeholder"), max_length=255, help_text=_("Who was interviewed."))
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interviews",
        verbose_name=_("organization"),
    )
    organization_name = models.CharField(
        _("organization name"), max_length=255, blank=True, help_text=_("When the organization is not registered.")
    )
    held_on = models.DateField(_("held on"))
    themes = models.ManyToManyField(Theme, blank=True, related_name="interviews", verbose_name=_("themes"))
    summary = models.TextField(_("summary"), blank=True)
    summary_public = models.BooleanField(_("summary is public"), default=False)
    confidential_notes = models.TextField(
        _("confidential notes"), blank=True, help_text=_("Seen only by the plan office: never published or exported.")
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("interviewer"),
    )

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["process", "-held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.stakeholder} ({self.held_on})"

    @property
    def organization_label(self) -> str:
        if self.organization_id is not None:
            return str(self.organization)
        return self.organization_name
