"""Figures of the opportunities dashboard: spend to the social economy, social clauses and social value.

Every figure is computed in the database, per year, with a fixed number of
queries whatever the number of awards. The definitions (what is the social
economy, what is a social clause, which opportunities are procurement) are in
docs/decisions/0015-awards-and-social-value.md; the plan's indicators will
read the same selectors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractYear

from .awards import attributed_value, social_economy_suppliers
from .models import Award, AwardSupplier, Opportunity
from .social_value import SocialValueFigures, social_value

# Kinds through which a buyer buys works, goods or services (co-design included: it is how a public body
# entrusts services to Third sector entities); finance, training and public assets are not procurement.
PROCUREMENT_KINDS = (
    Opportunity.Kind.PUBLIC_TENDER,
    Opportunity.Kind.RESERVED_CONTRACT,
    Opportunity.Kind.TYPE_B_CONVENTION,
    Opportunity.Kind.CO_DESIGN,
    Opportunity.Kind.ODV_APS_CONVENTION,
    Opportunity.Kind.PRIVATE_PROCUREMENT,
)
CENT = Decimal("0.01")
ZERO = Decimal("0")
MONEY = DecimalField(max_digits=20, decimal_places=2)


def restricted_participation(prefix: str = "") -> Q:
    """An eligibility rule (of a legal basis or of an opportunity) that narrows who may answer."""
    return (
        Q(**{f"{prefix}third_sector_only": True})
        | Q(**{f"{prefix}min_disadvantaged_share__isnull": False})
        | ~Q(**{f"{prefix}eligible_legal_forms": []})
        | ~Q(**{f"{prefix}eligible_runts_sections": []})
    )


def social_clauses() -> Q:
    """Opportunities with a social clause: reserved participation (ANAC's code, a reserved legal basis or the
    opportunity's own rule), ANAC's reward criteria, or the 30% youth-and-women hiring quota."""
    return (
        ~Q(reserved_participation__in=["", "none"])
        | ~Q(reward_criteria=[])
        | Q(youth_women_hiring_quota=True)
        | restricted_participation("legal_basis__")
        | restricted_participation()
    )


def _percent(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    return (Decimal(part) / Decimal(whole) * 100).quantize(Decimal("0.1")) if whole else None


@dataclass
class YearFigures:
    year: int | None  # None: all years
    awards: int = 0
    awarded_value: Decimal = ZERO
    social_economy_value: Decimal = ZERO
    procurements: int = 0
    procurements_with_clauses: int = 0
    procurement_value: Decimal = ZERO
    procurement_value_with_clauses: Decimal = ZERO

    @property
    def social_economy_share(self) -> Decimal | None:
        return _percent(self.social_economy_value, self.awarded_value)

    @property
    def clauses_count_share(self) -> Decimal | None:
        return _percent(self.procurements_with_clauses, self.procurements)

    @property
    def clauses_value_share(self) -> Decimal | None:
        return _percent(self.procurement_value_with_clauses, self.procurement_value)

    def add(self, other: YearFigures) -> None:
        for name in (
            "awards",
            "awarded_value",
            "social_economy_value",
            "procurements",
            "procurements_with_clauses",
            "procurement_value",
            "procurement_value_with_clauses",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Dashboard:
    years: list[YearFigures] = field(default_factory=list)
    total: YearFigures = field(default_factory=lambda: YearFigures(year=None))
    social_value: SocialValueFigures | None = None
    contracts: list[SocialValueFigures] = field(default_factory=list)
    has_demo: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.years and self.social_value is None


def award_year() -> ExtractYear:
    """An award counts in the year of its date, else in the year its opportunity was published."""
    return ExtractYear(Coalesce("date", "opportunity__published_on"))


def dashboard(*, contracts: int = 20) -> Dashboard:
    """The dashboard's figures, with a fixed number of queries whatever the number of awards and opportunities."""
    by_year: dict[int, YearFigures] = {}

    def year(number: int) -> YearFigures:
        return by_year.setdefault(number, YearFigures(year=number))

    active = Award.objects.filter(status=Award.Status.ACTIVE)
    for row in (
        active.annotate(year=award_year())
        .values("year")
        .annotate(count=Count("pk"), total=Coalesce(Sum("value"), Value(ZERO), output_field=MONEY))
        .order_by()
    ):
        figures = year(row["year"])
        figures.awards, figures.awarded_value = row["count"], Decimal(row["total"]).quantize(CENT)
    for row in (
        AwardSupplier.objects.filter(social_economy_suppliers(), award__status=Award.Status.ACTIVE)
        .annotate(year=ExtractYear(Coalesce("award__date", "award__opportunity__published_on")))
        .annotate(part=attributed_value())
        .values("year")
        .annotate(total=Sum("part"))
        .order_by()
    ):
        year(row["year"]).social_economy_value = Decimal(row["total"] or 0).quantize(CENT)
    clause = Case(When(social_clauses(), then=Value(1)), default=Value(0), output_field=IntegerField())
    for row in (
        Opportunity.objects.filter(kind__in=PROCUREMENT_KINDS)
        .exclude(status=Opportunity.Status.CANCELLED)
        .annotate(year=ExtractYear("published_on"), clause=clause)
        .values("year")
        .annotate(
            count=Count("pk"),
            with_clauses=Sum("clause"),
            total=Coalesce(Sum("value"), Value(ZERO), output_field=MONEY),
            total_with_clauses=Coalesce(
                Sum(Case(When(clause=1, then="value"), output_field=MONEY)), Value(ZERO), output_field=MONEY
            ),
        )
        .order_by()
    ):
        figures = year(row["year"])
        figures.procurements, figures.procurements_with_clauses = row["count"], row["with_clauses"] or 0
        figures.procurement_value = Decimal(row["total"]).quantize(CENT)
        figures.procurement_value_with_clauses = Decimal(row["total_with_clauses"]).quantize(CENT)
    result = Dashboard(years=[by_year[number] for number in sorted(by_year, reverse=True)])
    for figures in result.years:
        result.total.add(figures)
    overall = social_value("all")
    result.social_value = overall[0] if overall else None
    if result.social_value is not None:
        result.contracts = social_value("award")[:contracts]
    result.has_demo = (
        Award.objects.filter(is_demo=True).exists()
        or Opportunity.objects.filter(is_demo=True, kind__in=PROCUREMENT_KINDS).exists()
    )
    return result
