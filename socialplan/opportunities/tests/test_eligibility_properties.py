"""The SQL filter and the Python function agree on any organization and any rule (hypothesis)."""

from datetime import date, timedelta
from decimal import Decimal
from itertools import count
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialplan.ecosystem.models import LegalForm, Organization, RuntsSection
from socialplan.ecosystem.tests.factories import valid_codice_fiscale
from socialplan.opportunities.eligibility import RUNTS_SECTION_OF, eligibility, eligible_organizations, months_before
from socialplan.opportunities.models import Opportunity

_serial = count(1)

# Weighted towards the forms the legal bases name, so that their rules are met often enough to be tested.
legal_forms = st.one_of(
    st.sampled_from([LegalForm.ODV, LegalForm.APS, LegalForm.SOCIAL_COOP_B]), st.sampled_from(["", *LegalForm.values])
)
sections = st.sampled_from(["", *RuntsSection.values])
# Values on both sides of the thresholds the rules use, so that the boundaries are hit often.
boundary_shares = st.sampled_from([Decimal("0"), Decimal("29.99"), Decimal("30"), Decimal("30.01"), Decimal("100")])
shares = st.one_of(st.none(), boundary_shares, st.decimals(min_value=0, max_value=100, places=2))
days = st.dates(min_value=date(2023, 1, 1), max_value=date(2027, 12, 31))


@st.composite
def registration_dates(draw: st.DrawFn, on: date) -> date | None:
    """None, or a whole number of months before `on`, to the day or one day either side."""
    if draw(st.booleans()):
        return None
    months = draw(st.sampled_from([6, 6, 0, 3, 12]))
    return months_before(on, months) + timedelta(days=draw(st.sampled_from([-1, 0, 0, 1])))


@st.composite
def organization(draw: st.DrawFn, on: date) -> dict[str, Any]:
    """Mostly registered in the section of their legal form, as the law has it; sometimes not."""
    form = draw(legal_forms)
    return draw(
        st.fixed_dictionaries(
            {
                "legal_form": st.just(form),
                "runts_section": st.one_of(st.just(RUNTS_SECTION_OF.get(form, "")), sections),
                "disadvantaged_share": shares,
                "runts_registered_on": registration_dates(on),
            }
        )
    )


rules = st.fixed_dictionaries(
    {
        "eligible_legal_forms": st.one_of(
            st.just([]), st.lists(st.sampled_from(LegalForm.values), unique=True, min_size=1, max_size=8)
        ),
        "eligible_runts_sections": st.one_of(
            st.just([]), st.lists(st.sampled_from(RuntsSection.values), unique=True, min_size=1, max_size=4)
        ),
        "third_sector_only": st.booleans(),
        "min_disadvantaged_share": st.one_of(
            st.none(), boundary_shares, st.decimals(min_value=0, max_value=100, places=2)
        ),
    }
)


NO_RULE_OF_ITS_OWN: dict[str, Any] = {
    "eligible_legal_forms": [],
    "eligible_runts_sections": [],
    "third_sector_only": False,
    "min_disadvantaged_share": None,
}


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), own_rule=rules, on=days)
def test_the_sql_filter_admits_exactly_the_organizations_the_function_finds_eligible(
    legal_bases, data, own_rule, on
) -> None:
    """Every legal basis, with and without a rule of the opportunity's own, on the same organizations."""
    people = data.draw(st.lists(organization(on), min_size=1, max_size=12))
    rows = Organization.objects.bulk_create(
        Organization(legal_name=f"Ente {n}", codice_fiscale=valid_codice_fiscale(9_000_000 + n), **fields)
        for n, fields in zip(_serial, people, strict=False)
    )
    generated = Organization.objects.filter(pk__in=[row.pk for row in rows])
    try:
        # Read back, so that the function sees what the database holds (decimals as stored).
        stored = list(generated)
        for basis in legal_bases.values():
            for rule in (NO_RULE_OF_ITS_OWN, own_rule):
                opportunity = Opportunity(legal_basis=basis, **rule)
                in_python = {row.pk for row in stored if eligibility(row, opportunity, on=on).eligible}
                in_sql = set(
                    eligible_organizations(opportunity, on=on, organizations=generated).values_list("pk", flat=True)
                )
                assert in_sql == in_python, (basis.code, rule)
    finally:
        generated.delete()
