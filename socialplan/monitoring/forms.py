"""The reporter's form in the personal area. It fits the indicator's measure and dimensions and
checks only the shape of what people type (numbers written the local way, one comune per line);
every rule is the services' (services.py), whose errors the view shows on these fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from socialplan.ecosystem.forms import PortalForm

from .models import EVIDENCE_EXTENSIONS, VALUE_DIGITS, VALUE_PLACES, Dimension, Indicator, Update
from .services import EVIDENCE_MAX_BYTES, BreakdownEntry, Report


def _number_field(label: Any, help_text: Any = "") -> forms.DecimalField:
    """A number written the local way (12,5 in Italian), with as many digits as the database keeps."""
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        required=False,
        localize=True,
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_PLACES,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def _plain(number: Decimal | None) -> Decimal | None:
    """12 rather than 12.0000, for the form's initial values."""
    return None if number is None else Decimal(f"{number.normalize():f}")


class BreakdownGroup:
    """The inputs of one dimension, shown together under the dimension's title."""

    def __init__(self, dimension: Dimension, fields: list[forms.BoundField]) -> None:
        self.dimension = dimension
        self.fields = fields


class ReportForm(PortalForm):
    """What a reporter reports for a period: the total that fits the measure, the breakdown, a
    narrative and an evidence file."""

    def __init__(
        self, *args: Any, indicator: Indicator, dimensions: list[Dimension], update: Update | None = None, **kwargs: Any
    ) -> None:
        if update is not None:
            kwargs.setdefault("initial", _initial(update))
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.dimensions = dimensions
        self.breakdown_errors: list[str] = []
        # field name -> (dimension code, category code, term) for the categories' inputs
        self._category_inputs: dict[str, tuple[str, str, str]] = {}
        self._total_fields(indicator)
        for dimension in dimensions:
            self._breakdown_fields(indicator, dimension)
        self.fields["narrative"] = forms.CharField(
            label=_("Narrative"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text=_("What happened in the period, and anything the plan office should know about the figures."),
        )
        limit = getattr(settings, "MONITORING_EVIDENCE_MAX_BYTES", EVIDENCE_MAX_BYTES)
        evidence_help = _("Optional: a document that supports the figures (%(extensions)s; at most %(size)s).") % {
            "extensions": ", ".join(EVIDENCE_EXTENSIONS),
            "size": filesizeformat(limit),
        }
        if update is not None and update.evidence:
            kept = _("File already sent: %(name)s. Leave this empty to keep it.") % {
                "name": str(update.evidence.name).rsplit("/", 1)[-1]
            }
            evidence_help = f"{evidence_help} {kept}"
        self.fields["evidence"] = forms.FileField(
            label=_("Evidence"),
            required=False,
            help_text=evidence_help,
            widget=forms.FileInput(attrs={"accept": ",".join(f".{ext}" for ext in EVIDENCE_EXTENSIONS)}),
        )
        self.style_fields()

    def _total_fields(self, indicator: Indicator) -> None:
        unit = {"unit": indicator.unit}
        if indicator.is_qualitative:
            levels = [(level.code, f"{level.rank}. {level.label}") for level in indicator.levels.order_by("rank")]
            self.fields["level"] = forms.ChoiceField(
                label=_("Level reached"),
                required=False,
                choices=[("", _("Choose a level")), *levels],
                help_text=_("The step of the indicator's scale reached by the end of the period."),
            )
        elif indicator.is_percentage:
            formula = _("The figure is numerator / denominator x %(scale)s.") % {"scale": indicator.scale}
            if indicator.share:
                formula = f"{formula} {_('The numerator is part of the denominator: it cannot exceed it.')}"
            self.fields["numerator"] = _number_field(_("Numerator"), formula)
            self.fields["denominator"] = _number_field(_("Denominator"), _("It cannot be 0."))
        elif indicator.measure == Indicator.Measure.CURRENCY:
            self.fields["value"] = _number_field(_("Amount in euros"), _("With the cents after the decimal sign."))
        else:
            help_text = (
                _("What happened in the period, in %(unit)s.") % unit
                if indicator.cumulative
                else _("The level at the end of the period, in %(unit)s.") % unit
            )
            self.fields["value"] = _number_field(_("Value"), help_text)

    def _breakdown_fields(self, indicator: Indicator, dimension: Dimension) -> None:
        if indicator.is_qualitative:
            return
        if dimension.kind == Dimension.Kind.COMUNE:
            example = "001272; 12" if not indicator.is_percentage else "001272; 3; 40"
            self.fields[f"breakdown-{dimension.code}"] = forms.CharField(
                label=dimension.title,
                required=False,
                widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
                help_text=(
                    _(
                        "One comune per line: its ISTAT code, a semicolon and the numerator, a semicolon and the "
                        "denominator (e.g. %(example)s). Leave out the comuni with nothing to report."
                    )
                    if indicator.is_percentage
                    else _(
                        "One comune per line: its ISTAT code, a semicolon and the value (e.g. %(example)s). "
                        "Leave out the comuni with nothing to report."
                    )
                )
                % {"example": example},
            )
            return
        terms = ("numerator", "denominator") if indicator.is_percentage else ("value",)
        term_labels = {"numerator": _("numerator"), "denominator": _("denominator")}
        for category in dimension.categories.all():
            for term in terms:
                name = f"breakdown-{dimension.code}-{category.code}" + ("" if term == "value" else f"-{term}")
                label = category.label if term == "value" else f"{category.label}: {term_labels[term]}"
                self.fields[name] = _number_field(label)
                self._category_inputs[name] = (dimension.code, category.code, term)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for dimension in self.dimensions:
            name = f"breakdown-{dimension.code}"
            if dimension.kind == Dimension.Kind.COMUNE and name in self.fields and name in cleaned:
                try:
                    cleaned[name] = self._comune_lines(cleaned[name])
                except ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def _comune_lines(self, text: str) -> list[tuple[str, ...]]:
        parts_per_line = 3 if self.indicator.is_percentage else 2
        rows = []
        problems = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            parts = tuple(part.strip() for part in line.split(";"))
            if len(parts) != parts_per_line or not all(parts):
                problems.append(
                    _(
                        "Line %(number)s: write the ISTAT code, the numerator and the denominator, "
                        "separated by semicolons."
                    )
                    % {"number": number}
                    if self.indicator.is_percentage
                    else _("Line %(number)s: write the ISTAT code and the value, separated by a semicolon.")
                    % {"number": number}
                )
                continue
            try:
                numbers = [_number_field("").clean(part) for part in parts[1:]]
            except ValidationError:
                problems.append(_("Line %(number)s: each figure must be a number.") % {"number": number})
                continue
            rows.append((parts[0], *numbers))
        if problems:
            raise ValidationError(problems)
        return rows

    def report(self) -> Report:
        """The cleaned data as the services take it."""
        data = self.cleaned_data
        breakdown: dict[tuple[str, str], dict[str, Any]] = {}
        for name, (dimension_code, category_code, term) in self._category_inputs.items():
            if data.get(name) is not None:
                breakdown.setdefault((dimension_code, category_code), {})[term] = data[name]
        entries = [BreakdownEntry(*key, **terms) for key, terms in breakdown.items()]
        for dimension in self.dimensions:
            for row in data.get(f"breakdown-{dimension.code}") or []:
                if self.indicator.is_percentage:
                    entries.append(BreakdownEntry(dimension.code, row[0], numerator=row[1], denominator=row[2]))
                else:
                    entries.append(BreakdownEntry(dimension.code, row[0], value=row[1]))
        return Report(
            value=data.get("value"),
            numerator=data.get("numerator"),
            denominator=data.get("denominator"),
            level=data.get("level") or None,
            breakdown=entries,
            narrative=data.get("narrative", ""),
        )

    def add_service_error(self, error: ValidationError) -> None:
        """The breakdown's errors name their dimension and category: they show above the breakdown too."""
        if hasattr(error, "error_dict"):
            self.breakdown_errors = list(error.message_dict.get("breakdown", []))
        super().add_service_error(error)

    def total_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("value", "numerator", "denominator", "level") if name in self.fields]

    def breakdown_groups(self) -> list[BreakdownGroup]:
        groups = []
        for dimension in self.dimensions:
            names = [name for name in self.fields if name == f"breakdown-{dimension.code}"]
            names += [name for name, (code, _c, _t) in self._category_inputs.items() if code == dimension.code]
            if names:
                groups.append(BreakdownGroup(dimension, [self[name] for name in names]))
        return groups


def _initial(update: Update) -> dict[str, Any]:
    """The form's starting values: what the update reports now."""
    initial: dict[str, Any] = {
        "value": _plain(update.value),
        "numerator": _plain(update.numerator),
        "denominator": _plain(update.denominator),
        "level": update.level.code if update.level is not None else "",
        "narrative": update.narrative,
    }
    comune_lines: dict[str, list[str]] = {}
    for row in update.breakdown.all():
        if row.comune is not None:
            terms = [row.value] if row.value is not None else [row.numerator, row.denominator]
            values = "; ".join(str(_plain(term)) for term in terms)
            comune_lines.setdefault(row.dimension.code, []).append(f"{row.comune.istat_code}; {values}")
        elif row.category is not None and row.value is not None:
            initial[f"breakdown-{row.dimension.code}-{row.category.code}"] = _plain(row.value)
        elif row.category is not None:
            prefix = f"breakdown-{row.dimension.code}-{row.category.code}"
            initial[f"{prefix}-numerator"] = _plain(row.numerator)
            initial[f"{prefix}-denominator"] = _plain(row.denominator)
    for code, lines in comune_lines.items():
        initial[f"breakdown-{code}"] = "\n".join(lines)
    return initial
