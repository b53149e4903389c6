"""Fixtures of the alignment tests: the reference frameworks, and the Turin plan with its alignments."""

import pytest

from socialplan.alignment.content import load_alignments_with_plan
from socialplan.alignment.services import load_frameworks
from socialplan.plan.models import Plan
from socialplan.plan.services import LoadReport, load_plan_content, read_plan_content


@pytest.fixture
def frameworks(db) -> None:
    load_frameworks()


@pytest.fixture
def torino(db) -> Plan:
    """The Turin plan with the frameworks and its alignments (without the indicator set, which these tests
    do not need; test_turin_alignments.py loads everything through `load_plan`)."""
    load_plan_content(content=read_plan_content("torino"))
    plan = Plan.objects.get(slug="torino")
    load_alignments_with_plan(plan=plan, name="torino", overwrite=False, report=LoadReport())
    return plan
