"""Measurement: indicators on the plan's elements, their periods and the updates reporters send.

Indicator -> Period -> Update, as in Akvo RSR's results framework (IATI
results): an indicator is attached to one named level of the plan (the plan
itself, a theme, an objective or an action), has a baseline and a final
target, and is reported period by period. Assigned reporters - users, or the
approved members of assigned organizations - send updates that go draft ->
submitted -> approved (or returned with a note and resubmitted); only
approved updates count (see rollup.py and docs/monitoring.md).

Disaggregation is a small catalogue of dimensions (sex, age band, legal form,
comune) with their categories; an update's breakdown is one row per category
beside its total, never added to it. The comune dimension points at the
territory's comuni directly, so per-capita figures can use their population.

Translated content fields (it/en) are declared in translation.py, where the
history of every model is registered too, after the translation.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Values are stored exactly: money in euros with cents, counts, shares.
VALUE_DIGITS = 20
VALUE_PLACES = 4

EVIDENCE_EXTENSIONS = ["pdf", "png", "jpg", "jpeg", "odt", "ods", "docx", "xlsx", "csv", "txt"]


def value_field(verbose_name: Any, **options: Any) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, **options)


class Dimension(models.Model):
    """A way to break a figure down: sex, age band, legal form, comune."""

    class Kind(models.TextChoices):
        CATEGORIES = "categories", _("Categories listed here")
        COMUNE = "comune", _("Comuni of the territory")

    code = models.SlugField(_("code"), unique=True, help_text=_("Natural key, e.g. 'sex'."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CATEGORIES)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=120)
    exhaustive = models.BooleanField(
        _("exhaustive"),
        default=True,
        help_text=_("Its categories cover every case, so a breakdown by it must add up to the total."),
    )

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.title


class Category(models.Model):
    dimension = models.ForeignKey(
        Dimension, on_delete=models.CASCADE, related_name="categories", verbose_name=_("dimension")
    )
    code = models.SlugField(_("code"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    label = models.CharField(_("label"), max_length=200)
    under_35 = models.BooleanField(
        _("under 35"),
        default=False,
        help_text=_("An age band below 35: it counts in the plan's youth lens (centrality of young people)."),
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["dimension__order", "order"]
        constraints = [models.UniqueConstraint(fields=["dimension", "code"], name="category_unique_code")]

    def __str__(self) -> str:
        return self.label


class Indicator(models.Model):
    class Measure(models.TextChoices):
        NUMBER = "number", _("Number")
        PERCENTAGE = "percentage", _("Percentage or rate (numerator / denominator)")
        CURRENCY = "currency", _("Amount in euros")
        QUALITATIVE = "qualitative", _("Qualitative, on an ordered scale")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Higher is better")
        DECREASE = "decrease", _("Lower is better")

    plan = models.ForeignKey("plan.Plan", on_delete=models.CASCADE, related_name="indicators", verbose_name=_("plan"))
    # The element measured: the most specific of theme, objective, action;
    # none of them means the plan as a whole.
    theme = models.ForeignKey(
        "plan.Theme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("theme"),
    )
    objective = models.ForeignKey(
        "plan.Objective",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("objective"),
    )
    action = models.ForeignKey(
        "plan.Action",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("action"),
    )
    contributes_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("contributes to"),
        help_text=_(
            "An indicator of an element above this one that adds up this indicator's approved values "
            "(same measure, unit and aggregation)."
        ),
    )
    code = models.SlugField(_("code"), help_text=_("Unique in the plan, e.g. 'sp-social-clauses-share'."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    definition = models.TextField(_("definition"), blank=True)
    unit = models.CharField(_("unit"), max_length=80, help_text=_("e.g. 'organizations', 'people', '%'."))
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices, default=Measure.NUMBER)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE)
    cumulative = models.BooleanField(
        _("cumulative"),
        default=False,
        help_text=_(
            "Each period reports what happened in it, and the values add up over the periods (people trained). "
            "Otherwise each period reports a level at its end (organizations active) and the latest counts."
        ),
    )
    share = models.BooleanField(
        _("share"),
        default=True,
        help_text=_("For a percentage: the numerator is part of the denominator, so it can never exceed it."),
    )
    scale = models.PositiveIntegerField(
        _("scale"),
        default=100,
        validators=[MinValueValidator(1)],
        help_text=_(
            "For a percentage or rate: numerator / denominator x scale (100 for a percentage, 10000 per 10,000)."
        ),
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_value = value_field(_("baseline value"), null=True, blank=True)
    baseline_note = models.TextField(_("baseline note"), blank=True)
    target_value = value_field(_("final target"), null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    source = models.TextField(_("data source"), blank=True)
    method = models.TextField(_("method"), blank=True)
    dimensions = models.ManyToManyField(
        Dimension, through="IndicatorDimension", blank=True, related_name="indicators", verbose_name=_("dimensions")
    )
    reporters = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="reported_indicators",
        verbose_name=_("reporters"),
        help_text=_("People who report this indicator's values."),
    )
    reporting_organizations = models.ManyToManyField(
        "ecosystem.Organization",
        blank=True,
        related_name="reported_indicators",
        verbose_name=_("reporting organizations"),
        help_text=_("Organizations whose approved members report this indicator's values."),
    )
    # Thresholds of the progress status (Open SDG's growth-rate method); empty
    # means the platform's defaults (see rollup.py). With a target they bound
    # the ratio of observed to required growth, without one the annual growth.
    progress_high = models.DecimalField(_("on-track threshold"), max_digits=8, decimal_places=4, null=True, blank=True)
    progress_medium = models.DecimalField(
        _("moderate-progress threshold"), max_digits=8, decimal_places=4, null=True, blank=True
    )
    progress_low = models.DecimalField(
        _("insufficient-progress threshold"), max_digits=8, decimal_places=4, null=True, blank=True
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["plan", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="indicator_unique_code"),
            models.CheckConstraint(
                condition=(
                    Q(theme__isnull=True, objective__isnull=True)
                    | Q(theme__isnull=True, action__isnull=True)
                    | Q(objective__isnull=True, action__isnull=True)
                ),
                name="indicator_one_element",
            ),
            models.CheckConstraint(
                condition=Q(baseline_year__isnull=True, baseline_value__isnull=True)
                | Q(baseline_year__isnull=False, baseline_value__isnull=False),
                name="indicator_baseline_year_and_value",
            ),
            models.CheckConstraint(
                condition=Q(target_year__isnull=True, target_value__isnull=True)
                | Q(target_year__isnull=False, target_value__isnull=False),
                name="indicator_target_year_and_value",
            ),
            models.CheckConstraint(
                condition=~Q(measure="qualitative", cumulative=True), name="indicator_qualitative_not_cumulative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def element(self) -> Any:
        """The plan element measured: an action, an objective, a theme or the plan."""
        return self.action or self.objective or self.theme or self.plan

    @property
    def is_percentage(self) -> bool:
        return self.measure == self.Measure.PERCENTAGE

    @property
    def is_qualitative(self) -> bool:
        return self.measure == self.Measure.QUALITATIVE

    def clean(self) -> None:
        errors: dict[str, list[Any]] = {}
        elements = [name for name in ("theme", "objective", "action") if getattr(self, f"{name}_id")]
        if len(elements) > 1:
            errors.setdefault(elements[-1], []).append(
                _("An indicator measures one element: choose a theme, an objective or an action, not several.")
            )
        elif elements and self.plan_id and _plan_id_of(self.element) != self.plan_id:
            errors.setdefault(elements[0], []).append(_("The element belongs to another plan."))
        if (self.baseline_year is None) != (self.baseline_value is None):
            errors.setdefault("baseline_value", []).append(_("Give the baseline's year and value together."))
        if (self.target_year is None) != (self.target_value is None):
            errors.setdefault("target_value", []).append(_("Give the final target's value and year together."))
        if self.baseline_year and self.target_year and self.target_year <= self.baseline_year:
            errors.setdefault("target_year", []).append(_("The target year must come after the baseline year."))
        if self.measure == self.Measure.QUALITATIVE and self.cumulative:
            errors.setdefault("cumulative", []).append(_("A qualitative indicator cannot be cumulative."))
        thresholds = [self.progress_high, self.progress_medium, self.progress_low]
        if any(value is not None for value in thresholds):
            if any(value is None for value in thresholds):
                errors.setdefault("progress_low", []).append(_("Give all three thresholds, or none."))
            elif not (self.progress_high >= self.progress_medium >= self.progress_low):  # type: ignore[operator]
                errors.setdefault("progress_medium", []).append(
                    _("The thresholds must not increase: on track >= moderate >= insufficient.")
                )
        errors.update(self._contribution_errors())
        if errors:
            raise ValidationError(errors)

    def _contribution_errors(self) -> dict[str, list[Any]]:
        parent = self.contributes_to
        if parent is None:
            return {}
        if parent.pk == self.pk or (self.pk and self.pk in _ancestor_ids(parent)):
            return {"contributes_to": [_("An indicator cannot contribute to itself, even through others.")]}
        if parent.plan_id != self.plan_id:
            return {"contributes_to": [_("The indicator belongs to another plan.")]}
        if self.is_qualitative or (parent.measure, parent.cumulative, parent.unit, parent.scale) != (
            self.measure,
            self.cumulative,
            self.unit,
            self.scale,
        ):
            return {
                "contributes_to": [
                    _("Only an indicator with the same measure, unit and aggregation can add up this one's values.")
                ]
            }
        if not _lies_under(self.element, parent.element):
            return {"contributes_to": [_("The indicator must measure an element above this one's.")]}
        return {}


def _plan_id_of(element: Any) -> int | None:
    from socialplan.plan.models import Action, Objective, Plan, Theme

    if isinstance(element, Plan):
        return element.pk
    if isinstance(element, Theme):
        return element.plan_id
    if isinstance(element, Objective):
        return element.theme.plan_id
    if isinstance(element, Action):
        return element.objective.theme.plan_id
    return None


def _element_chain(element: Any) -> list[Any]:
    """The element and every element above it, up to the plan."""
    from socialplan.plan.models import Action, Objective, Theme

    chain = [element]
    if isinstance(element, Action):
        chain.append(element.objective)
        element = element.objective
    if isinstance(element, Objective):
        chain.append(element.theme)
        element = element.theme
    if isinstance(element, Theme):
        chain.append(element.plan)
    return chain


def _lies_under(element: Any, ancestor: Any) -> bool:
    """True when `ancestor` is strictly above `element` in the plan."""
    return any(type(item) is type(ancestor) and item.pk == ancestor.pk for item in _element_chain(element)[1:])


def _ancestor_ids(indicator: Indicator) -> set[int]:
    seen: set[int] = set()
    current: Indicator | None = indicator
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        current = current.contributes_to
    return seen


class IndicatorDimension(models.Model):
    """A dimension an indicator is broken down by."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="indicator_dimensions", verbose_name=_("indicator")
    )
    dimension = models.ForeignKey(
        Dimension, on_delete=models.PROTECT, related_name="indicator_dimensions", verbose_name=_("dimension")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator dimension")
        verbose_name_plural = _("indicator dimensions")
        ordering = ["indicator", "order"]
        constraints = [models.UniqueConstraint(fields=["indicator", "dimension"], name="indicator_dimension_unique")]

    def __str__(self) -> str:
        return f"{self.indicator.code} / {self.dimension.code}"


class QualitativeLevel(models.Model):
    """One step of a qualitative indicator's ordered scale; a higher rank is further along."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="levels", verbose_name=_("indicator")
    )
    code = models.SlugField(_("code"))
    rank = models.PositiveSmallIntegerField(
        _("rank"), help_text=_("Position on the scale; baseline and targets name a level by its rank.")
    )
    label = models.CharField(_("label"), max_length=200)

    class Meta:
        verbose_name = _("qualitative level")
        verbose_name_plural = _("qualitative levels")
        ordering = ["indicator", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "code"], name="level_unique_code"),
            models.UniqueConstraint(fields=["indicator", "rank"], name="level_unique_rank"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.label}"


class Period(models.Model):
    """A reporting period of an indicator (e.g. a semester); a monitoring cycle will group periods."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="periods", verbose_name=_("indicator")
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    target = value_field(_("target"), null=True, blank=True)
    locked = models.BooleanField(
        _("locked"), default=False, help_text=_("A locked period accepts no new update and no change by reporters.")
    )
    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Created with the demo values (manage.py load_demo).")
    )

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["indicator", "start"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "start"], name="period_unique_start"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="period_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.start.isoformat()} - {self.end.isoformat()}"

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end of the period cannot precede its start.")})
        if self.indicator_id and self.start and self.end:
            overlapping = (
                Period.objects.filter(indicator_id=self.indicator_id, start__lte=self.end, end__gte=self.start)
                .exclude(pk=self.pk)
                .first()
            )
            if overlapping is not None:
                raise ValidationError(
                    {"start": _("The period overlaps the period %(other)s.") % {"other": overlapping}}
                )


def _exactly_one_of_category_or_comune() -> Q:
    return Q(category__isnull=False, comune__isnull=True) | Q(category__isnull=True, comune__isnull=False)


class DimensionTarget(models.Model):
    """A period's target for one category of a dimension (e.g. the under-35 people trained)."""

    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="dimension_targets", verbose_name=_("period")
    )
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="+", verbose_name=_("dimension"))
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("category")
    )
    comune = models.ForeignKey(
        "territory.Comune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("comune"),
    )
    target = value_field(_("target"))

    class Meta:
        verbose_name = _("dimension target")
        verbose_name_plural = _("dimension targets")
        constraints = [
            models.CheckConstraint(condition=_exactly_one_of_category_or_comune(), name="dimension_target_one_key"),
            models.UniqueConstraint(
                fields=["period", "category"], condition=Q(category__isnull=False), name="dimension_target_category"
            ),
            models.UniqueConstraint(
                fields=["period", "comune"], condition=Q(comune__isnull=False), name="dimension_target_comune"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period}: {self.category or self.comune} {self.target}"

    def clean(self) -> None:
        if (self.category_id is None) == (self.comune_id is None):
            raise ValidationError(_("Choose a category or a comune."))
        if self.category is not None and self.dimension_id and self.category.dimension_id != self.dimension_id:
            raise ValidationError({"category": _("The category belongs to another dimension.")})


class Update(models.Model):
    """A reporter's value for one period of an indicator, with its evidence and its review."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for correction")

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="updates", verbose_name=_("period"))
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="indicator_updates",
        verbose_name=_("reporter"),
    )
    organization = models.ForeignKey(
        "ecosystem.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicator_updates",
        verbose_name=_("on behalf of"),
    )
    value = value_field(_("value"), null=True, blank=True)
    numerator = value_field(_("numerator"), null=True, blank=True)
    denominator = value_field(_("denominator"), null=True, blank=True)
    level = models.ForeignKey(
        QualitativeLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="updates",
        verbose_name=_("level"),
    )
    narrative = models.TextField(_("narrative"), blank=True)
    evidence = models.FileField(
        _("evidence"),
        upload_to="monitoring/evidence/%Y/%m/",
        blank=True,
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS)],
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    is_demo = models.BooleanField(_("demo data"), default=False, help_text=_("Invented for demonstration."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        verbose_name = _("indicator update")
        verbose_name_plural = _("indicator updates")
        ordering = ["period", "created_at"]
        indexes = [models.Index(fields=["status", "period"], name="update_status_period")]
        constraints = [
            # One update per period for each organization, or each person reporting for themselves:
            # a correction edits it, so nothing is counted twice.
            models.UniqueConstraint(
                fields=["period", "organization"],
                condition=Q(organization__isnull=False),
                name="update_one_per_organization",
            ),
            models.UniqueConstraint(
                fields=["period", "reporter"],
                condition=Q(organization__isnull=True, reporter__isnull=False),
                name="update_one_per_reporter",
            ),
            models.CheckConstraint(
                condition=(Q(numerator__isnull=True) | Q(numerator__gte=0))
                & (Q(denominator__isnull=True) | Q(denominator__gte=0)),
                name="update_ratio_terms_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period.indicator.code} {self.period}: {self.get_status_display()}"


class DimensionValue(models.Model):
    """One category's part of an update: a breakdown row beside the total, never added to it."""

    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="breakdown", verbose_name=_("update"))
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="+", verbose_name=_("dimension"))
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("category")
    )
    comune = models.ForeignKey(
        "territory.Comune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("comune"),
    )
    value = value_field(_("value"), null=True, blank=True)
    numerator = value_field(_("numerator"), null=True, blank=True)
    denominator = value_field(_("denominator"), null=True, blank=True)

    class Meta:
        verbose_name = _("breakdown value")
        verbose_name_plural = _("breakdown values")
        constraints = [
            models.CheckConstraint(condition=_exactly_one_of_category_or_comune(), name="dimension_value_one_key"),
            models.UniqueConstraint(
                fields=["update", "category"], condition=Q(category__isnull=False), name="dimension_value_category"
            ),
            models.UniqueConstraint(
                fields=["update", "comune"], condition=Q(comune__isnull=False), name="dimension_value_comune"
            ),
            models.CheckConstraint(
                condition=(Q(numerator__isnull=True) | Q(numerator__gte=0))
                & (Q(denominator__isnull=True) | Q(denominator__gte=0)),
                name="dimension_value_ratio_terms_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category or self.comune}: {self.value if self.value is not None else self.numerator}"


class Cycle(models.Model):
    """A monitoring round opened by the plan office: the periods ending in a window, reported by a due date.

    Reminders go to whoever has not reported: `remind_before_days` before the
    due date once, then every `remind_every_days_after` days after it until the
    cycle is closed (see cycles.py).
    """

    plan = models.ForeignKey("plan.Plan", on_delete=models.CASCADE, related_name="cycles", verbose_name=_("plan"))
    title = models.CharField(_("title"), max_length=200, help_text=_("e.g. 'First semester 2026'."))
    starts_on = models.DateField(_("periods ending from"))
    ends_on = models.DateField(_("periods ending until"))
    due_date = models.DateField(_("due date"))
    remind_before_days = models.PositiveSmallIntegerField(
        _("reminder before the due date (days)"), default=7, help_text=_("0: no reminder before the due date.")
    )
    remind_every_days_after = models.PositiveSmallIntegerField(
        _("reminders after the due date, every (days)"),
        default=7,
        validators=[MinValueValidator(1)],
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("opened by")
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("monitoring cycle")
        verbose_name_plural = _("monitoring cycles")
        ordering = ["-due_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="cycle_window_in_order"),
            models.CheckConstraint(condition=Q(remind_every_days_after__gte=1), name="cycle_reminder_interval"),
        ]

    def __str__(self) -> str:
        return str(self.title)

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The window cannot end before it starts.")})
        if self.ends_on and self.due_date and self.due_date < self.ends_on:
            raise ValidationError({"due_date": _("The due date cannot precede the end of the periods it asks for.")})


class Reminder(models.Model):
    """An email sent to a reporter about a cycle: at most one of each kind per person and day."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Before the due date")
        AFTER = "after", _("After the due date")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("cycle"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    sent_on = models.DateField(_("sent on"))
    missing = models.PositiveIntegerField(_("reports missing"))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "user", "kind", "sent_on"], name="reminder_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} - {self.user} ({self.sent_on.isoformat()})"


class CycleReport(models.Model):
    """The PDF report of a cycle in one language, as last built (see report.py)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="reports", verbose_name=_("cycle"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    file = models.FileField(_("file"), upload_to="monitoring/reports/", blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)

    class Meta:
        verbose_name = _("monitoring report")
        verbose_name_plural = _("monitoring reports")
        ordering = ["cycle", "language"]
        constraints = [models.UniqueConstraint(fields=["cycle", "language"], name="one_report_per_cycle_language")]

    def __str__(self) -> str:
        return f"{self.cycle} ({self.language})"
