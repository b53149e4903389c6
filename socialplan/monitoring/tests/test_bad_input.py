"""Bad input is refused with a message naming the field and the reason, and nothing changes."""

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from socialplan.accounts.models import User
from socialplan.ecosystem.models import Membership, Organization
from socialplan.ecosystem.tests.factories import make_organization
from socialplan.monitoring.models import DimensionValue, Indicator, Period, Update
from socialplan.monitoring.services import (
    BreakdownEntry,
    Report,
    approve_update,
    create_draft,
    edit_draft,
    resubmit_update,
    return_update,
    set_period_locked,
    submit_update,
)
from socialplan.territory.models import Comune, Territory

from .conftest import H1_2025, H2_2025


def snapshot() -> tuple[Any, ...]:
    """Every row the reporting flow writes, with its history."""
    return (
        list(Update.objects.order_by("pk").values()),
        list(DimensionValue.objects.order_by("pk").values()),
        list(Period.objects.order_by("pk").values()),
        Update.history.count(),
        DimensionValue.history.count(),
        Period.history.count(),
    )


@pytest.fixture
def unchanged() -> Iterator[Callable[[Callable[[], Any], str, str], None]]:
    """refused(action, field, message): the action raises a ValidationError on `field` and writes nothing."""

    def refused(action: Callable[[], Any], field: str, message: str) -> None:
        before = snapshot()
        with pytest.raises(ValidationError) as caught:
            action()
        assert field in caught.value.message_dict, caught.value.message_dict
        assert any(message in text for text in caught.value.message_dict[field]), caught.value.message_dict
        assert snapshot() == before

    yield refused


@pytest.mark.django_db
def test_an_update_outside_every_period(hired, reporter, unchanged) -> None:
    unchanged(
        lambda: create_draft(indicator=hired, reporter=reporter, on=date(2024, 12, 31), report=Report(value=1)),
        "on",
        "No period of indicator 'sp-disadvantaged-hired' covers",
    )


@pytest.mark.django_db
def test_an_update_for_a_future_date(hired, reporter, roles, unchanged) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    Period.objects.create(indicator=hired, start=tomorrow, end=tomorrow + timedelta(days=30))
    unchanged(
        lambda: create_draft(indicator=hired, reporter=reporter, on=tomorrow, report=Report(value=1)),
        "on",
        "cannot be reported for a future date",
    )


@pytest.mark.parametrize(
    ("report", "field", "message"),
    [
        (Report(numerator=1, denominator=2), "numerator", "takes no numerator"),
        (Report(value=3, level="constituted"), "level", "takes no level"),
        (Report(), "value", "needs a value"),
        (Report(value="dodici"), "value", "'dodici' is not a number"),
        (Report(value=True), "value", "Enter a number"),
        (Report(value="NaN"), "value", "Enter a finite number"),
        (Report(value="1.00001"), "value", "no more than 4 decimal places"),
    ],
)
@pytest.mark.django_db
def test_a_value_of_the_wrong_type_for_a_number(hired, reporter, unchanged, report, field, message) -> None:
    unchanged(lambda: create_draft(indicator=hired, reporter=reporter, on=H1_2025, report=report), field, message)


@pytest.mark.parametrize(
    ("report", "field", "message"),
    [
        (Report(value=30), "value", "takes no value"),
        (Report(numerator=30), "denominator", "needs a denominator"),
        (Report(numerator=0, denominator=0), "denominator", "The denominator cannot be 0"),
        (Report(numerator=120, denominator=100), "numerator", "cannot exceed the denominator (100)"),
        (Report(numerator=-1, denominator=100), "numerator", "The numerator cannot be negative"),
    ],
)
@pytest.mark.django_db
def test_a_bad_percentage(clauses, reporter, unchanged, report, field, message) -> None:
    unchanged(lambda: create_draft(indicator=clauses, reporter=reporter, on=H1_2025, report=report), field, message)


@pytest.mark.django_db
def test_a_rate_that_is_not_a_share_may_exceed_its_denominator(torino, roles, reporter) -> None:
    rate = Indicator.objects.get(plan=torino, code="ci-organizations-per-10000")
    assert rate.share is False
    rate.reporters.add(reporter)
    Period.objects.create(indicator=rate, start=date(2025, 1, 1), end=date(2025, 12, 31))
    update = create_draft(indicator=rate, reporter=reporter, on=H2_2025, report=Report(numerator=12, denominator=5))
    assert (update.numerator, update.denominator) == (12, 5)


@pytest.mark.parametrize(
    ("report", "message"),
    [
        (Report(value=3), "takes no value"),
        (Report(level="thriving"), "Unknown level 'thriving'; the scale of 'gov-thematic-tables' is: not-constituted"),
    ],
)
@pytest.mark.django_db
def test_a_bad_qualitative_level(tables, reporter, unchanged, report, message) -> None:
    field = "level" if report.level else "value"
    unchanged(lambda: create_draft(indicator=tables, reporter=reporter, on=H1_2025, report=report), field, message)


@pytest.mark.parametrize(
    ("breakdown", "message"),
    [
        (
            [BreakdownEntry("sex", "female", value=7), BreakdownEntry("sex", "male", value=2)],
            "The breakdown by sex adds up to 9, not to the value 12",
        ),
        (
            [BreakdownEntry("age-band", "15-24", value=13)],
            "The breakdown by age-band adds up to 13, not to the value 12",
        ),
        ([BreakdownEntry("legal-form", "coop_b", value=12)], "'legal-form' is not a dimension of indicator"),
        ([BreakdownEntry("sex", "unknown", value=12)], "sex: unknown category 'unknown'; the categories are: female"),
        (
            [BreakdownEntry("sex", "female", value=6), BreakdownEntry("sex", "female", value=6)],
            "sex/female is given twice",
        ),
        ([BreakdownEntry("sex", "female", numerator=6, denominator=12)], "give a value, and no numerator"),
    ],
)
@pytest.mark.django_db
def test_a_bad_breakdown(hired, reporter, unchanged, breakdown, message) -> None:
    unchanged(
        lambda: create_draft(
            indicator=hired, reporter=reporter, on=H1_2025, report=Report(value=12, breakdown=breakdown)
        ),
        "breakdown",
        message,
    )


@pytest.mark.django_db
def test_a_percentage_breakdown_adds_up_numerators_and_denominators(torino, roles, reporter, unchanged) -> None:
    workers = Indicator.objects.get(plan=torino, code="sy-under35-workers")
    workers.reporters.add(reporter)
    Period.objects.create(indicator=workers, start=date(2025, 1, 1), end=date(2025, 12, 31))

    def report(female_denominator: int) -> Report:
        return Report(
            numerator=30,
            denominator=100,
            breakdown=[
                BreakdownEntry("sex", "female", numerator=20, denominator=female_denominator),
                BreakdownEntry("sex", "male", numerator=10, denominator=40),
            ],
        )

    unchanged(
        lambda: create_draft(indicator=workers, reporter=reporter, on=H2_2025, report=report(50)),
        "breakdown",
        "adds up to 90, not to the denominator 100",
    )
    unchanged(
        lambda: create_draft(indicator=workers, reporter=reporter, on=H2_2025, report=report(10)),
        "breakdown",
        "sex/female: The numerator (20) cannot exceed the denominator (10)",
    )
    assert create_draft(indicator=workers, reporter=reporter, on=H2_2025, report=report(60)).breakdown.count() == 2


@pytest.mark.django_db
def test_a_breakdown_by_comune_need_not_add_up(torino, roles, reporter) -> None:
    """Comuni are not exhaustive: people from outside the territory count in the total."""
    territory = Territory.objects.create(
        code="TO", istat_code="201", name="Torino", kind="metropolitan_city", region="Piemonte",
        reference_year=2023, source="ISTAT", licence="CC-BY-4.0", attribution="ISTAT",
    )  # fmt: skip
    Comune.objects.create(
        istat_code="001272", territory=territory, name="Torino", cadastral_code="L219",
        population_total=0, population_male=0, population_female=0,
        population_0_14_male=0, population_0_14_female=0, population_15_24_male=0, population_15_24_female=0,
        population_25_34_male=0, population_25_34_female=0, population_35_64_male=0, population_35_64_female=0,
        population_65_plus_male=0, population_65_plus_female=0, boundary="{}", longitude=7.68, latitude=45.07,
    )  # fmt: skip
    events = Indicator.objects.get(plan=torino, code="com-events")
    events.reporters.add(reporter)
    Period.objects.create(indicator=events, start=date(2025, 1, 1), end=date(2025, 12, 31))
    with pytest.raises(ValidationError, match="no comune has the ISTAT code '999999'"):
        create_draft(
            indicator=events,
            reporter=reporter,
            on=H1_2025,
            report=Report(value=5, breakdown=[BreakdownEntry("comune", "999999", value=3)]),
        )
    update = create_draft(
        indicator=events,
        reporter=reporter,
        on=H2_2025,
        report=Report(value=5, breakdown=[BreakdownEntry("comune", "001272", value=3)]),
    )
    assert update.breakdown.get().comune.name == "Torino"


@pytest.mark.django_db
def test_a_reporter_not_assigned(hired, roles, unchanged) -> None:
    unchanged(
        lambda: create_draft(indicator=hired, reporter=roles.participant, on=H1_2025, report=Report(value=1)),
        "reporter",
        "participant@example.org is not assigned to report on indicator 'sp-disadvantaged-hired'",
    )
    unchanged(
        lambda: create_draft(indicator=hired, reporter=None, on=H1_2025, report=Report(value=1)),
        "reporter",
        "An anonymous visitor is not assigned",
    )


@pytest.mark.django_db
def test_someone_elses_update(hired, reporter, roles, unchanged) -> None:
    hired.reporters.add(roles.participant)
    update = create_draft(indicator=hired, reporter=reporter, on=H1_2025, report=Report(value=1))
    unchanged(
        lambda: edit_draft(update=update, reporter=roles.participant, report=Report(value=2)),
        "reporter",
        "Only its reporter",
    )


@pytest.mark.django_db
def test_an_approved_update_is_final(hired, reporter, roles, unchanged) -> None:
    update = create_draft(indicator=hired, reporter=reporter, on=H1_2025, report=Report(value=1))
    approve_update(update=submit_update(update=update, reporter=reporter), reviewer=roles.editor)
    message = "This update is approved: it can no longer be"
    unchanged(lambda: edit_draft(update=update, reporter=reporter, report=Report(value=2)), "status", message)
    unchanged(lambda: submit_update(update=update, reporter=reporter), "status", message)
    unchanged(lambda: approve_update(update=update, reviewer=roles.admin), "status", message)
    unchanged(lambda: return_update(update=update, reviewer=roles.editor, note="No."), "status", message)


@pytest.mark.django_db
def test_steps_out_of_order(hired, reporter, roles, unchanged) -> None:
    update = create_draft(indicator=hired, reporter=reporter, on=H1_2025, report=Report(value=1))
    unchanged(lambda: resubmit_update(update=update, reporter=reporter), "status", "This update is draft")
    unchanged(lambda: approve_update(update=update, reviewer=roles.editor), "status", "cannot be approved")
    submit_update(update=update, reporter=reporter)
    unchanged(lambda: edit_draft(update=update, reporter=reporter, report=Report(value=2)), "status", "is submitted")
    unchanged(lambda: return_update(update=update, reviewer=roles.editor, note="  "), "review_note", "Say what")
    unchanged(
        lambda: create_draft(indicator=hired, reporter=reporter, on=H1_2025, report=Report(value=1)),
        "period",
        "already has an update by you",
    )


@pytest.mark.django_db
def test_writes_to_a_locked_period(hired, reporter, roles, unchanged) -> None:
    draft = create_draft(indicator=hired, reporter=reporter, on=H1_2025, report=Report(value=1))
    set_period_locked(period=draft.period, user=roles.coordinator, locked=True)
    message = "is locked: it accepts no updates"
    unchanged(lambda: edit_draft(update=draft, reporter=reporter, report=Report(value=2)), "period", message)
    unchanged(lambda: submit_update(update=draft, reporter=reporter), "period", message)
    hired.reporters.add(roles.participant)
    unchanged(
        lambda: create_draft(indicator=hired, reporter=roles.participant, on=H1_2025, report=Report(value=1)),
        "period",
        message,
    )


@pytest.mark.django_db
def test_nobody_reviews_their_own_update(hired, roles, unchanged) -> None:
    hired.reporters.add(roles.editor)
    update = create_draft(indicator=hired, reporter=roles.editor, on=H1_2025, report=Report(value=1))
    submit_update(update=update, reporter=roles.editor)
    unchanged(lambda: approve_update(update=update, reviewer=roles.editor), "reviewer", "Nobody reviews")
    assert approve_update(update=update, reviewer=roles.admin).status == Update.Status.APPROVED


@pytest.mark.django_db
def test_evidence_of_the_wrong_kind_or_size(hired, reporter, settings, unchanged) -> None:
    script = SimpleUploadedFile("prova.exe", b"MZ", content_type="application/octet-stream")
    unchanged(
        lambda: create_draft(indicator=hired, reporter=reporter, on=H1_2025, report=Report(value=1), evidence=script),
        "evidence",
        "File extension “exe” is not allowed",
    )
    settings.MONITORING_EVIDENCE_MAX_BYTES = 10
    large = SimpleUploadedFile("elenco.pdf", b"%PDF-1.4" + b"x" * 20, content_type="application/pdf")
    unchanged(
        lambda: create_draft(indicator=hired, reporter=reporter, on=H1_2025, report=Report(value=1), evidence=large),
        "evidence",
        "the limit is 10",
    )


@pytest.mark.django_db
def test_reporting_for_an_organization_one_may_not(hired, roles, reporter, unchanged) -> None:
    cooperative = Organization.objects.get(legal_name="Cooperativa Esempio")
    unchanged(
        lambda: create_draft(
            indicator=hired, reporter=reporter, on=H1_2025, report=Report(value=1), organization=cooperative
        ),
        "organization",
        "Cooperativa Esempio is not assigned to report on indicator 'sp-disadvantaged-hired'",
    )
    hired.reporting_organizations.add(cooperative)
    unchanged(
        lambda: create_draft(
            indicator=hired, reporter=reporter, on=H1_2025, report=Report(value=1), organization=cooperative
        ),
        "organization",
        "You are not an approved member of Cooperativa Esempio",
    )
    pending = User.objects.create_user(email="pending@example.org", password="x")
    Membership.objects.create(user=pending, organization=cooperative, status=Membership.Status.REQUESTED)
    unchanged(
        lambda: create_draft(indicator=hired, reporter=pending, on=H1_2025, report=Report(value=1)),
        "reporter",
        "pending@example.org is not assigned",
    )


@pytest.mark.django_db
def test_a_member_of_two_reporting_organizations_says_which(hired, roles, unchanged) -> None:
    first = Organization.objects.get(legal_name="Cooperativa Esempio")
    second = make_organization()
    Membership.objects.create(user=roles.member, organization=second)
    hired.reporting_organizations.add(first, second)
    unchanged(
        lambda: create_draft(indicator=hired, reporter=roles.member, on=H1_2025, report=Report(value=1)),
        "organization",
        "You report for several organizations on this indicator: say which one",
    )
    update = create_draft(
        indicator=hired, reporter=roles.member, on=H1_2025, report=Report(value=1), organization=second
    )
    assert update.organization == second
