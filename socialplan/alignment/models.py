"""Alignment: the policy frameworks a plan answers to, their items, and the plan elements that address them.

Framework -> FrameworkItem (an area, a point, an SDG goal; items may nest, as
SDG goal -> target) are reference data loaded by `manage.py load_frameworks`.
An Alignment links one element of a plan - the plan itself, a theme, an
objective or an action - to one item, with an optional note saying how.

Translated content fields (it/en) are declared in translation.py, where the
history of Alignment is registered too, after the translation.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

ELEMENT_KINDS = ("plan", "theme", "objective", "action")

item_code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9.\-]*$", _("Letters, digits, dots and hyphens, e.g. 'EU-CR-2.5' or '12.7'.")
)


class Framework(models.Model):
    """A policy framework: the EU Social Economy Action Plan, the Council Recommendation, the SDGs..."""

    code = models.SlugField(_("code"), max_length=40, unique=True, help_text=_("Natural key, e.g. 'EU-CR'."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=500)
    publisher = models.CharField(_("publisher"), max_length=255)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=255, blank=True, help_text=_("e.g. 'C/2023/1344'."))
    url = models.URLField(_("link"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.title


class FrameworkItem(models.Model):
    """An area, point or goal of a framework; `parent` nests items (SDG goal -> target)."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="items", verbose_name=_("framework")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    code = models.CharField(_("code"), max_length=40, validators=[item_code_validator])
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.TextField(_("title"))
    verified = models.BooleanField(
        _("verified"), default=True, help_text=_("Seen in a source text; unset when it rests on background knowledge.")
    )

    class Meta:
        verbose_name = _("framework item")
        verbose_name_plural = _("framework items")
        ordering = ["framework__order", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="framework_item_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def clean(self) -> None:
        parent = self.parent
        if parent is None:
            return
        if self.pk and parent.pk == self.pk:
            raise ValidationError({"parent": _("An item cannot be its own parent.")})
        if parent.framework_id != self.framework_id:
            raise ValidationError({"parent": _("The parent must belong to the same framework.")})


def _one_element() -> Q:
    """Exactly one of the element foreign keys is set."""
    return Q(
        *[Q(**{f"{kind}__isnull": kind != chosen for kind in ELEMENT_KINDS}) for chosen in ELEMENT_KINDS],
        _connector=Q.OR,
    )


class Alignment(models.Model):
    """A plan element addresses a framework item."""

    item = models.ForeignKey(
        FrameworkItem, on_delete=models.CASCADE, related_name="alignments", verbose_name=_("framework item")
    )
    plan = models.ForeignKey(
        "plan.Plan", on_delete=models.CASCADE, null=True, blank=True, related_name="alignments", verbose_name=_("plan")
    )
    theme = models.ForeignKey(
        "plan.Theme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alignments",
        verbose_name=_("theme"),
    )
    objective = models.ForeignKey(
        "plan.Objective",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alignments",
        verbose_name=_("objective"),
    )
    action = models.ForeignKey(
        "plan.Action",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alignments",
        verbose_name=_("action"),
    )
    note = models.TextField(_("note"), blank=True, help_text=_("How the element addresses the item."))

    class Meta:
        verbose_name = _("alignment")
        verbose_name_plural = _("alignments")
        ordering = ["item__framework__order", "item__order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=_one_element(),
                name="alignment_one_element",
                violation_error_message=_("Choose exactly one element: the plan, a theme, an objective or an action."),
            ),
            *[
                models.UniqueConstraint(
                    fields=["item", kind],
                    condition=Q(**{f"{kind}__isnull": False}),
                    name=f"alignment_unique_{kind}",
                    violation_error_message=_("This element is already linked to this item."),
                )
                for kind in ELEMENT_KINDS
            ],
        ]

    def __str__(self) -> str:
        return f"{self.element} -> {self.item.code}"

    @property
    def element(self) -> Any:
        """The plan element that addresses the item: an action, an objective, a theme or the plan."""
        return self.action or self.objective or self.theme or self.plan

    @property
    def element_kind(self) -> str:
        return next((kind for kind in ELEMENT_KINDS if getattr(self, f"{kind}_id")), "")
