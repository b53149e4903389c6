"""Consultations on the plan's draft text, in the manner of collaborative legislation.

A consultation takes the text of some plan elements (themes, objectives,
actions) as they stand when it opens: each becomes a `Section` whose body is a
snapshot, so participants comment on fixed words even while the office keeps
editing the plan. Participants comment on the whole consultation or on one
section (threads of at most three levels), annotate a passage of a section,
and support comments and annotations. In open mode anonymous visitors may
leave a short answer.

When the office corrects a section's body after annotations exist, each
annotation is re-anchored by its quote; one whose passage is gone is shown
with its quote as "the passage has changed", never dropped.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from socialplan.participation.models import Contribution, Phase, Process
from socialplan.plan.models import PlanVersion

COMMENT_MAX = 2000
QUOTE_MAX = 1000
ANSWER_MAX = 500
# A thread is a root comment, its replies and their replies: a reply to the third
# level joins its parent's conversation instead of nesting deeper.
MAX_DEPTH = 3


def normalize_breaks(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class Consultation(models.Model):
    """A consultation on part of the plan's text, open between two moments."""

    class Status(models.TextChoices):
        UPCOMING = "upcoming", pgettext_lazy("consultation status", "not open yet")
        OPEN = "open", pgettext_lazy("consultation status", "open")
        CLOSED = "closed", pgettext_lazy("consultation status", "closed")

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="consultations", verbose_name=_("process")
    )
    phase = models.ForeignKey(
        Phase,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("phase"),
    )
    slug = models.SlugField(_("identifier"), max_length=80)
    title = models.CharField(_("title"), max_length=255)
    title_en = models.CharField(_("title in English"), max_length=255, blank=True)
    intro = models.TextField(_("introduction"), blank=True)
    intro_en = models.TextField(_("introduction in English"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    plan_version = models.ForeignKey(
        PlanVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("plan version"),
        help_text=_("The published version the draft starts from."),
    )
    open_mode = models.BooleanField(
        _("open mode"), default=False, help_text=_("Visitors without an account may leave a short answer.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Kept on write by counters.py (a comment or annotation adds one; moderation recounts), so the
    # process page does not count every comment of every consultation on each request.
    comment_count = models.PositiveIntegerField(_("visible comments"), default=0, editable=False)
    annotation_count = models.PositiveIntegerField(_("visible annotations"), default=0, editable=False)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["process", "-opens_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["process", "slug"], name="consultation_unique_slug"),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="consultation_dates_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The consultation must close after it opens.")})

    @property
    def display_title(self) -> str:
        """The English title on English pages when the office wrote one, the Italian one otherwise."""
        return self.title_en if self.title_en and get_language() == "en" else self.title

    @property
    def display_intro(self) -> str:
        return self.intro_en if self.intro_en and get_language() == "en" else self.intro

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def status(self, now: datetime | None = None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return self.Status.UPCOMING
        if now >= self.closes_at:
            return self.Status.CLOSED
        return self.Status.OPEN


class Section(models.Model):
    """A piece of the draft: one plan element's text as it stood when the consultation opened, or free text."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="sections", verbose_name=_("consultation")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    element_key = models.CharField(
        _("plan element"), max_length=255, blank=True, help_text=_("The plan element's key; empty for free text.")
    )
    heading = models.CharField(_("heading"), max_length=500)
    body = models.TextField(_("text"), blank=True)
    body_hash = models.CharField(_("text fingerprint"), max_length=64, editable=False)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["consultation", "order", "pk"]

    def __str__(self) -> str:
        return self.heading

    def save(self, *args: Any, **kwargs: Any) -> None:
        # One kind of line break, as browsers give it back: a passage selected on the page is found in the text.
        self.body = normalize_breaks(self.body)
        self.body_hash = text_hash(self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_hash"}
        super().save(*args, **kwargs)

    @property
    def anchor_id(self) -> str:
        return f"sezione-{self.pk}"


class Comment(Contribution):
    """A comment on the consultation or on one section; a reply when it has a parent."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="comments", verbose_name=_("consultation")
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("section"),
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies", verbose_name=_("reply to")
    )
    depth = models.PositiveSmallIntegerField(_("depth"), default=1, editable=False)
    body = models.TextField(_("comment"), max_length=COMMENT_MAX)
    support_count = models.PositiveIntegerField(_("supports"), default=0, editable=False)  # kept by counters.py

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [
            # A place's newest threads first (the consultation page), and the most supported ones.
            models.Index(fields=["consultation", "section", "-created_at"], name="consultation_comment_newest"),
            models.Index(fields=["consultation", "-support_count"], name="consultation_comment_supported"),
        ]

    def __str__(self) -> str:
        return self.body[:80]

    def get_absolute_url(self) -> str:
        return f"{self.consultation.get_absolute_url()}#commento-{self.pk}"


class Annotation(Contribution):
    """A comment on a passage of a section, anchored by its quote and offsets."""

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="annotations", verbose_name=_("section")
    )
    quote = models.TextField(_("passage"), max_length=QUOTE_MAX)
    start = models.PositiveIntegerField(_("start offset"))
    end = models.PositiveIntegerField(_("end offset"))
    body_hash_at = models.CharField(_("text fingerprint when made"), max_length=64)
    body = models.TextField(_("comment"), max_length=COMMENT_MAX)
    support_count = models.PositiveIntegerField(_("supports"), default=0, editable=False)  # kept by counters.py

    anchored: bool  # set by the selectors that read annotations for a page (see selectors.highlight)

    class Meta:
        verbose_name = _("annotation")
        verbose_name_plural = _("annotations")
        ordering = ["section", "start", "created_at", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="annotation_span")]

    def __str__(self) -> str:
        return self.quote[:80]

    def get_absolute_url(self) -> str:
        return f"{self.section.consultation.get_absolute_url()}#annotazione-{self.pk}"

    def anchor(self, text: str) -> bool:
        """Whether the passage is still in `text`; when the text moved it, move the offsets to the quote's new place.

        The offsets are corrected in memory only: a page shows the passage where
        it is now, and the annotation keeps what was true when it was written.
        """
        if text[self.start : self.end] == self.quote:
            return True
        position = text.find(self.quote)
        if position < 0:
            return False
        self.start, self.end = position, position + len(self.quote)
        return True

    @property
    def is_anchored(self) -> bool:
        return self.anchor(self.section.body)


class Support(models.Model):
    """A participant's support. The supporter is emptied when their account is deleted, so counts never change."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("participant"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        abstract = True


class CommentSupport(Support):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="supports", verbose_name=_("comment"))

    class Meta:
        verbose_name = _("support of a comment")
        verbose_name_plural = _("supports of comments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "comment"], condition=models.Q(user__isnull=False), name="comment_support_once"
            )
        ]

    def __str__(self) -> str:
        return f"+1 {self.comment_id}"


class AnnotationSupport(Support):
    annotation = models.ForeignKey(
        Annotation, on_delete=models.CASCADE, related_name="supports", verbose_name=_("annotation")
    )

    class Meta:
        verbose_name = _("support of an annotation")
        verbose_name_plural = _("supports of annotations")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "annotation"], condition=models.Q(user__isnull=False), name="annotation_support_once"
            )
        ]

    def __str__(self) -> str:
        return f"+1 {self.annotation_id}"


class AnonymousAnswer(Contribution):
    """A short answer left without an account, in a consultation in open mode."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="anonymous_answers", verbose_name=_("consultation")
    )
    body = models.TextField(_("answer"), max_length=ANSWER_MAX)

    class Meta:
        verbose_name = _("anonymous answer")
        verbose_name_plural = _("anonymous answers")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:80]

    def get_absolute_url(self) -> str:
        return f"{self.consultation.get_absolute_url()}#risposta-{self.pk}"
