"""The reporting flow as people live it: draft, submit, return with a note, correct, resubmit, approve.

Only approved updates count: the roll-up reads nothing else.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from socialplan.accounts.models import User
from socialplan.ecosystem.models import Membership, Organization
from socialplan.monitoring.models import DimensionValue, Update
from socialplan.monitoring.selectors import indicator_breakdown, indicator_progress
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

from .conftest import H1_2025, H2_2025


def progress_of(indicator):
    return next(item for item in indicator_progress(plan=indicator.plan) if item.indicator.pk == indicator.pk)


def by_sex(female: int, male: int) -> list[BreakdownEntry]:
    return [BreakdownEntry("sex", "female", value=female), BreakdownEntry("sex", "male", value=male)]


@pytest.mark.django_db
def test_a_value_goes_back_for_correction_and_counts_once_approved(hired, reporter, roles) -> None:
    evidence = SimpleUploadedFile("assunzioni.pdf", b"%PDF-1.4 elenco", content_type="application/pdf")
    draft = create_draft(
        indicator=hired,
        reporter=reporter,
        on=H1_2025,
        report=Report(value=12, breakdown=by_sex(7, 5), narrative="Assunzioni del primo semestre."),
        evidence=evidence,
    )
    assert draft.status == Update.Status.DRAFT
    assert draft.period.end == H1_2025
    assert draft.evidence.name.endswith(".pdf")

    submitted = submit_update(update=draft, reporter=reporter)
    assert submitted.status == Update.Status.SUBMITTED
    assert progress_of(hired).points == []  # submitted is not approved: nothing counts yet

    returned = return_update(update=submitted, reviewer=roles.editor, note="Mancano due assunzioni di giugno.")
    assert (returned.status, returned.review_note, returned.reviewed_by) == (
        Update.Status.RETURNED,
        "Mancano due assunzioni di giugno.",
        roles.editor,
    )

    corrected = edit_draft(update=returned, reporter=reporter, report=Report(value=14, breakdown=by_sex(8, 6)))
    assert corrected.status == Update.Status.RETURNED
    assert corrected.evidence.name == draft.evidence.name  # no new file: the evidence stays
    resubmitted = resubmit_update(update=corrected, reporter=reporter)
    assert resubmitted.status == Update.Status.SUBMITTED

    approved = approve_update(update=resubmitted, reviewer=roles.editor)
    assert approved.status == Update.Status.APPROVED

    progress = progress_of(hired)
    assert [point.value for point in progress.points] == [Decimal(14)]
    assert progress.latest.period.end == H1_2025
    breakdown = indicator_breakdown(indicator=hired)[0]
    assert breakdown.total.value == 14
    assert {row.key.code: row.value for row in breakdown.rows} == {"female": 8, "male": 6}
    assert DimensionValue.objects.filter(update=approved).count() == 2

    history = list(approved.history.order_by("history_date").values_list("history_change_reason", "history_user"))
    assert history == [
        ("Draft created", reporter.pk),
        ("Submitted", reporter.pk),
        ("Returned", roles.editor.pk),
        ("Draft edited", reporter.pk),
        ("Resubmitted", reporter.pk),
        ("Approved", roles.editor.pk),
    ]


@pytest.mark.django_db
def test_only_approved_updates_count(hired, reporter, roles) -> None:
    colleague = User.objects.create_user(email="colleague@example.org", password="x")
    hired.reporters.add(colleague)
    approved = create_draft(indicator=hired, reporter=reporter, on=H1_2025, report=Report(value=10))
    approve_update(update=submit_update(update=approved, reporter=reporter), reviewer=roles.editor)
    pending = create_draft(indicator=hired, reporter=colleague, on=H1_2025, report=Report(value=1000))
    submit_update(update=pending, reporter=colleague)
    create_draft(indicator=hired, reporter=reporter, on=H2_2025, report=Report(value=500))

    progress = progress_of(hired)
    assert [point.value for point in progress.points] == [Decimal(10)]
    assert indicator_breakdown(indicator=hired)[0].total.value == 10
    assert indicator_breakdown(indicator=hired)[1].total is None


@pytest.mark.django_db
def test_members_report_for_their_organization(hired, roles) -> None:
    organization = Organization.objects.get(legal_name="Cooperativa Esempio")
    hired.reporting_organizations.add(organization)
    colleague = User.objects.create_user(email="socia@example.org", password="x")
    Membership.objects.create(user=colleague, organization=organization)

    update = create_draft(indicator=hired, reporter=roles.member, on=H1_2025, report=Report(value=3))
    assert update.organization == organization  # the only organization they report for

    edited = edit_draft(update=update, reporter=colleague, report=Report(value=4))  # a colleague corrects it
    submit_update(update=edited, reporter=colleague)
    approve_update(update=edited, reviewer=roles.coordinator)  # the theme's coordinator reviews
    assert Update.objects.get().value == 4

    with pytest.raises(ValidationError, match="already has an update by Cooperativa Esempio"):
        create_draft(indicator=hired, reporter=colleague, on=H1_2025, report=Report(value=1))


@pytest.mark.django_db
def test_a_locked_period_still_takes_approvals_but_not_returns(hired, reporter, roles) -> None:
    update = submit_update(
        update=create_draft(indicator=hired, reporter=reporter, on=H1_2025, report=Report(value=5)), reporter=reporter
    )
    set_period_locked(period=update.period, user=roles.editor, locked=True)
    with pytest.raises(ValidationError, match="unlock it before returning"):
        return_update(update=update, reviewer=roles.editor, note="Da rivedere.")
    assert approve_update(update=update, reviewer=roles.editor).status == Update.Status.APPROVED


@pytest.mark.django_db
def test_percentages_add_numerators_and_denominators(clauses, reporter, roles) -> None:
    colleague = User.objects.create_user(email="buyer@example.org", password="x")
    clauses.reporters.add(colleague)
    for user, numerator, denominator, day in (
        (reporter, 300_000, 1_000_000, H1_2025),
        (colleague, 100_000, 3_000_000, H1_2025),
        (reporter, 200_000, 1_000_000, H2_2025),
    ):
        update = create_draft(
            indicator=clauses, reporter=user, on=day, report=Report(numerator=numerator, denominator=denominator)
        )
        approve_update(update=submit_update(update=update, reporter=user), reviewer=roles.editor)

    points = progress_of(clauses).points
    # 400,000 of 4,000,000 in the first semester; cumulative: 600,000 of 5,000,000 by the end of the year.
    assert [point.value for point in points] == [Decimal(10), Decimal(12)]


@pytest.mark.django_db
def test_a_qualitative_indicator_reports_a_level_of_its_scale(tables, reporter, roles) -> None:
    update = create_draft(indicator=tables, reporter=reporter, on=H1_2025, report=Report(level="meeting-regularly"))
    approve_update(update=submit_update(update=update, reporter=reporter), reviewer=roles.editor)
    assert update.level.label_en == "Tables meeting regularly"
    assert [point.value for point in progress_of(tables).points] == [Decimal(3)]
