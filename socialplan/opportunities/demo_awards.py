"""Demo awards: a few demo opportunities awarded to demo type B cooperatives, with social value.

`load_awards_demo` needs the demo opportunities and organizations (both
`is_demo=True`) to exist; it awards up to three of the demo opportunities
already awarded or closed (others only when there is none), through the same
service as a typed award, each with social value commitments, and records one
delivery. It is idempotent: the demo awards it wrote before are removed first.
The social value measures are loaded from their file when none exists yet.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from socialplan.ecosystem.models import LegalForm, Organization

from .awards import SupplierSpec, record_award
from .models import Award, Opportunity, SocialValueMeasure
from .social_value import commit_social_value, load_social_value, report_delivery

AWARDS = 3
# The kinds a type B cooperative answers first, then the others.
PREFERRED_KINDS = (Opportunity.Kind.TYPE_B_CONVENTION, Opportunity.Kind.RESERVED_CONTRACT)
# What each demo contract commits to over its first year: (measure code, quantity).
COMMITMENTS = (
    ("disadvantaged-hires", Decimal("3")),
    ("training-hours", Decimal("240")),
    ("local-spend", Decimal("20000")),
)
DEFAULT_VALUE = Decimal("60000")


def remove_awards_demo() -> int:
    """Delete the demo awards with their suppliers and social value; return how many awards."""
    _total, by_model = Award.objects.filter(is_demo=True).delete()
    return by_model.get(Award._meta.label, 0)


@transaction.atomic
def load_awards_demo(*, today: date | None = None) -> list[Award]:
    """Record the demo awards again; an empty list when there is no demo opportunity or type B cooperative."""
    today = today or timezone.localdate()
    remove_awards_demo()
    cooperatives = list(
        Organization.objects.filter(is_demo=True, legal_form=LegalForm.SOCIAL_COOP_B).order_by("legal_name")[:AWARDS]
    )
    kind_rank = Case(
        *(When(kind=kind, then=Value(rank)) for rank, kind in enumerate(PREFERRED_KINDS)),
        default=Value(len(PREFERRED_KINDS)),
        output_field=IntegerField(),
    )
    candidates = (
        Opportunity.objects.filter(is_demo=True)
        .exclude(status=Opportunity.Status.CANCELLED)
        .exclude(kind__in=(Opportunity.Kind.FINANCE, Opportunity.Kind.TRAINING, Opportunity.Kind.PUBLIC_ASSET))
        .annotate(kind_rank=kind_rank)
        .order_by("kind_rank", "published_on", "pk")
    )
    # Opportunities already awarded or closed; any other only when there is none of those.
    done = candidates.filter(status__in=(Opportunity.Status.AWARDED, Opportunity.Status.CLOSED))
    opportunities = list(done[:AWARDS]) or list(candidates[:AWARDS])
    if not cooperatives or not opportunities:
        return []
    if not SocialValueMeasure.objects.exists():
        load_social_value()
    measures = {measure.code: measure for measure in SocialValueMeasure.objects.filter(code__in=dict(COMMITMENTS))}
    awards = []
    for number, opportunity in enumerate(opportunities):
        cooperative = cooperatives[number % len(cooperatives)]
        # Awarded 45 days after publication, or earlier when that is still to come (never before publication).
        day = max(opportunity.published_on, min(opportunity.published_on + timedelta(days=45), today))
        award = record_award(
            opportunity=opportunity,
            date=day,
            value=((opportunity.value or DEFAULT_VALUE) * Decimal("0.95")).quantize(Decimal("0.01")),
            suppliers=[SupplierSpec(organization=cooperative)],
            is_demo=True,
        )
        for code, quantity in COMMITMENTS[: 3 - number % 2]:
            if code not in measures:
                continue
            commitment = commit_social_value(
                award=award,
                measure=measures[code],
                quantity=quantity,
                period_start=day,
                period_end=_one_year_after(day),
            )
            if number == 0 and code == COMMITMENTS[0][0]:
                report_delivery(
                    commitment=commitment,
                    period_start=day,
                    period_end=max(day, min(day + timedelta(days=181), today)),
                    quantity=Decimal("2"),
                    note="Due persone assunte nel primo semestre (dati dimostrativi).",
                )
        awards.append(award)
    return awards


def _one_year_after(day: date) -> date:
    return date(day.year + 1, day.month, 28 if (day.month, day.day) == (2, 29) else day.day) - timedelta(days=1)
