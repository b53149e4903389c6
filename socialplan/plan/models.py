"""The plan and its named levels: Plan -> Theme -> Objective -> Action -> Tool; and its published versions.

Named levels, not a generic tree: people must always know where they stand.
Translated content fields (it/en) are declared in translation.py, where the
history of every model is registered too (django-simple-history after
django-modeltranslation, or the historical models miss the language columns).
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("In preparation")
        CONSULTATION = "consultation", _("In consultation")
        APPROVED = "approved", _("Approved")
        IMPLEMENTATION = "implementation", _("In implementation")
        CLOSED = "closed", _("Closed")

    slug = models.SlugField(_("identifier"), unique=True, help_text=_("Natural key, e.g. 'torino'."))
    title = models.CharField(_("title"), max_length=255)
    short_title = models.CharField(_("short title"), max_length=120, blank=True)
    territory = models.CharField(_("territory"), max_length=255)
    municipalities = models.PositiveIntegerField(_("number of municipalities"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    objective = models.TextField(_("general objective"), blank=True)
    vision = models.TextField(_("vision"), blank=True)
    structure_principle = models.TextField(_("structure principle"), blank=True)
    monitoring_principle = models.TextField(_("monitoring principle"), blank=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.short_title or self.title

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The end of the period cannot precede its start.")})


class Promoter(models.Model):
    """A body that promotes and owns the plan (e.g. CmTO, CCIAA Torino)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="promoters", verbose_name=_("plan"))
    code = models.SlugField(_("code"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    url = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("promoter")
        verbose_name_plural = _("promoters")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="promoter_unique_code")]

    def __str__(self) -> str:
        return self.acronym or self.name


class VisionPillar(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="pillars", verbose_name=_("plan"))
    code = models.SlugField(_("code"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("vision pillar")
        verbose_name_plural = _("vision pillars")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="pillar_unique_code")]

    def __str__(self) -> str:
        return self.title


class ProcessPhase(models.Model):
    """One phase of the process that built (or revises) the plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="phases", verbose_name=_("plan"))
    code = models.SlugField(_("code"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=255)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    period_label = models.CharField(
        _("period as stated"), max_length=80, blank=True, help_text=_("e.g. 'Set - Dic 2024'")
    )
    description = models.TextField(_("description"), blank=True)
    participants = models.PositiveIntegerField(_("participants figure"), null=True, blank=True)
    participants_at_least = models.BooleanField(
        _("figure is a minimum"), default=False, help_text=_("Shown as '100+' when set.")
    )
    participants_label = models.CharField(_("what the figure counts"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("process phase")
        verbose_name_plural = _("process phases")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="phase_unique_code")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot precede the start date.")})

    @property
    def figure(self) -> str:
        if self.participants is None:
            return ""
        return f"{self.participants}+" if self.participants_at_least else str(self.participants)


class ContextReference(models.Model):
    """A document or event the plan builds on (UN, EU, national, local)."""

    class Level(models.TextChoices):
        INTERNATIONAL = "international", _("International")
        EU = "eu", _("European")
        NATIONAL = "national", _("National")
        LOCAL = "local", _("Local")

    class Precision(models.TextChoices):
        YEAR = "year", _("year")
        MONTH = "month", _("month")
        DAY = "day", _("day")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="references", verbose_name=_("plan"))
    code = models.SlugField(_("code"))
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    date = models.DateField(_("date"), null=True, blank=True, help_text=_("Empty for an undated framework."))
    date_precision = models.CharField(
        _("date precision"), max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("link"), blank=True)

    class Meta:
        verbose_name = _("context reference")
        verbose_name_plural = _("context references")
        ordering = ["plan", models.F("date").asc(nulls_first=True), "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="reference_unique_code")]

    def __str__(self) -> str:
        return self.title


class Theme(models.Model):
    class Kind(models.TextChoices):
        MACRO = "macro", _("Macro-theme")
        CROSS_CUTTING = "cross_cutting", _("Cross-cutting element")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="themes", verbose_name=_("plan"))
    code = models.SlugField(_("code"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MACRO)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    vision = models.TextField(_("vision"), blank=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="coordinated_themes",
        verbose_name=_("coordinators"),
        help_text=_("Theme coordinators may edit this theme and everything under it."),
    )

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="theme_unique_code")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:theme", kwargs={"code": self.code})


class Objective(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("theme"))
    code = models.SlugField(_("code"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["theme__order", "order"]
        constraints = [models.UniqueConstraint(fields=["theme", "code"], name="objective_unique_code")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:objective", kwargs={"pk": self.pk})


class Action(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DELAYED = "delayed", _("Delayed")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="actions", verbose_name=_("objective")
    )
    code = models.SlugField(_("code"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Relative weight in the progress of its objective (0 or more)."),
    )
    budget = models.DecimalField(_("budget (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["objective__theme__order", "objective__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["objective", "code"], name="action_unique_code"),
            models.CheckConstraint(condition=models.Q(weight__gte=0), name="action_weight_not_negative"),
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="action_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:action", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot precede the start date.")})
        if self.weight is not None and self.weight < 0:
            raise ValidationError({"weight": _("The weight cannot be negative.")})


class Milestone(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("action"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=255)
    due_date = models.DateField(_("due date"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["action", "due_date", "order"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        action = getattr(self, "action", None)
        if action is None or self.due_date is None:
            return
        if (action.start_date and self.due_date < action.start_date) or (
            action.end_date and self.due_date > action.end_date
        ):
            raise ValidationError({"due_date": _("The milestone must fall within the action's dates.")})

    @property
    def is_done(self) -> bool:
        return self.completed_on is not None

    def is_overdue(self, today: date) -> bool:
        return self.completed_on is None and self.due_date < today


class Tool(models.Model):
    """An instrument an action uses: a legal instrument, a fund, a platform, a training..."""

    class Kind(models.TextChoices):
        LEGAL = "legal", _("Legal or administrative instrument")
        FUND = "fund", _("Fund or financial instrument")
        PLATFORM = "platform", _("Platform or service")
        TRAINING = "training", _("Training programme")
        AGREEMENT = "agreement", _("Agreement or partnership")
        OTHER = "other", _("Other")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="tools", verbose_name=_("action"))
    code = models.SlugField(_("code"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("link"), blank=True)

    class Meta:
        verbose_name = _("tool")
        verbose_name_plural = _("tools")
        ordering = ["action", "order"]
        constraints = [models.UniqueConstraint(fields=["action", "code"], name="tool_unique_code")]

    def __str__(self) -> str:
        return self.title


class ElementKind(models.TextChoices):
    """The levels of the plan a version records, each identified by a stable key (see versions.py)."""

    PLAN = "plan", _("Plan")
    THEME = "theme", _("Theme")
    OBJECTIVE = "objective", _("Objective")
    ACTION = "action", _("Action")
    MILESTONE = "milestone", _("Milestone")
    TOOL = "tool", _("Tool")


class ImmutableVersion(ValidationError):
    """A published version is a record of what the plan said: it is never rewritten."""


class PlanVersion(models.Model):
    """A published, immutable snapshot of the plan: what it said on that day, numbered 1, 2, 3..."""

    # Fixed at publication; save() refuses to change them afterwards.
    FROZEN_FIELDS = ("plan_id", "number", "published_at", "published_by_id", "snapshot")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions", verbose_name=_("plan"))
    number = models.PositiveIntegerField(_("number"))
    published_at = models.DateTimeField(_("published on"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    summary = models.TextField(_("summary"))
    snapshot = models.JSONField(_("snapshot"), help_text=_("The plan's content as published (versions.py)."))

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="version_unique_number"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="version_number_positive"),
        ]

    def __str__(self) -> str:
        return str(_("Version %(number)s") % {"number": self.number})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            stored = PlanVersion.objects.filter(pk=self.pk).values(*self.FROZEN_FIELDS).first()
            if stored is not None and any(stored[name] != getattr(self, name) for name in self.FROZEN_FIELDS):
                raise ImmutableVersion(_("A published version cannot be changed: publish a new version instead."))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("portal:version", kwargs={"number": self.number})


class ChangelogEntry(models.Model):
    """One difference between a version and the one before it, and why the plan office made it."""

    class Change(models.TextChoices):
        ADDED = "added", pgettext_lazy("change to the plan", "Added")
        REMOVED = "removed", pgettext_lazy("change to the plan", "Removed")
        CHANGED = "changed", pgettext_lazy("change to the plan", "Changed")
        MOVED = "moved", pgettext_lazy("change to the plan", "Moved")

    version = models.ForeignKey(
        PlanVersion, on_delete=models.CASCADE, related_name="changelog", verbose_name=_("version")
    )
    position = models.PositiveIntegerField(_("order"), default=0, help_text=_("Order in the plan."))
    element_kind = models.CharField(_("element kind"), max_length=20, choices=ElementKind.choices)
    element_key = models.CharField(
        _("element key"),
        max_length=255,
        help_text=_("The element's codes from its theme down, e.g. 'theme/objective'."),
    )
    previous_key = models.CharField(
        _("previous key"), max_length=255, blank=True, help_text=_("Where a moved element was before.")
    )
    title = models.CharField(_("title at the time"), max_length=500)
    theme_title = models.CharField(_("theme at the time"), max_length=255, blank=True)
    change = models.CharField(_("change"), max_length=20, choices=Change.choices)
    changed_fields = models.JSONField(_("fields changed"), default=list, blank=True)
    reason = models.TextField(_("reason"), blank=True, help_text=_("Why the plan office made this change."))

    class Meta:
        verbose_name = _("changelog entry")
        verbose_name_plural = _("changelog entries")
        ordering = ["version", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.get_change_display()}: {self.title}"

    @property
    def theme_key(self) -> str:
        return "" if self.element_kind == ElementKind.PLAN else self.element_key.split("/", 1)[0]


class ChangelogSource(models.Model):
    """A contribution that motivated a change: on the platform (any model, by generic link) or outside it.

    The participation features (comments, proposals, meetings...) point
    `contribution` at their own rows; an interview or a public event that is
    not on the platform is named by `label` and, when there is one, `url`.
    """

    entry = models.ForeignKey(
        ChangelogEntry, on_delete=models.CASCADE, related_name="sources", verbose_name=_("changelog entry")
    )
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("kind of contribution"),
    )
    object_id = models.PositiveBigIntegerField(_("contribution id"), null=True, blank=True)
    contribution = GenericForeignKey("content_type", "object_id")
    label = models.CharField(
        _("label"), max_length=255, blank=True, help_text=_("e.g. 'Interview with the cooperatives, 12 Nov 2024'.")
    )
    url = models.URLField(_("link"), blank=True)

    class Meta:
        verbose_name = _("source of a change")
        verbose_name_plural = _("sources of the change")
        ordering = ["entry", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="changelog_source_contribution")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(content_type__isnull=True, object_id__isnull=True)
                | models.Q(content_type__isnull=False, object_id__isnull=False),
                name="changelog_source_whole_link",
            ),
            models.CheckConstraint(
                condition=models.Q(content_type__isnull=False) | ~models.Q(label=""),
                name="changelog_source_named",
            ),
        ]

    def __str__(self) -> str:
        if self.label:
            return self.label
        contribution = self.contribution
        return str(contribution) if contribution is not None else str(_("A contribution no longer on the platform"))

    def clean(self) -> None:
        if (self.content_type_id is None) != (self.object_id is None):
            raise ValidationError(_("Give both the kind of contribution and its id, or neither."))
        if self.content_type_id is None and not self.label:
            raise ValidationError({"label": _("Name the contribution, or link one on the platform.")})

    @property
    def link(self) -> str:
        """Where a reader can see the contribution: the given URL, else the contribution's own page."""
        if self.url:
            return self.url
        get_url = getattr(self.contribution, "get_absolute_url", None)
        return get_url() if callable(get_url) else ""
