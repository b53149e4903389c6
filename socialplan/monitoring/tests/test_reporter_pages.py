"""The reporter's pages in the personal area, as people use them: a reporter drafts and sends a value,
the plan office returns it with a note, the reporter reads the note, corrects and sends it again, the
office approves it and the public page shows it. Who may see what, every bad input shown on its field
with nothing saved, the reminder's link, and a fixed number of queries for the list."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from socialplan.accounts.models import User
from socialplan.ecosystem.models import Membership, Organization
from socialplan.monitoring.cycles import open_cycle, send_reminders
from socialplan.monitoring.models import DimensionValue, Indicator, Period, Update
from socialplan.monitoring.services import (
    Report,
    approve_update,
    create_draft,
    return_update,
    set_period_locked,
    submit_update,
)
from socialplan.territory.models import Comune, Territory

from .conftest import H1_2025, H2_2025
from .factories import indicator as make_indicator


def url(name: str, *args, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name, args=args)


def report_url(period: Period, organization: Organization | None = None, language: str = "en") -> str:
    if organization is None:
        return url("monitoring:report", period.pk, language=language)
    return url("monitoring:report_for", period.pk, organization.pk, language=language)


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def period_of(indicator: Indicator, end: date) -> Period:
    return indicator.periods.get(end=end)


def written() -> tuple:
    """Every row a report writes, with its history: equal before and after a refused report."""
    return (
        list(Update.objects.order_by("pk").values()),
        list(DimensionValue.objects.order_by("pk").values()),
        Update.history.count(),
        DimensionValue.history.count(),
    )


def hires(value, female, male, **extra) -> dict:
    return {
        "value": value,
        "breakdown-sex-female": female,
        "breakdown-sex-male": male,
        "narrative": "Assunzioni del semestre.",
        **extra,
    }


def test_a_value_goes_through_the_pages_from_draft_to_the_public_page(hired, reporter, roles) -> None:
    client = logged_in(reporter)
    first = period_of(hired, H1_2025)
    page = report_url(first)

    listing = client.get(url("monitoring:assignments")).content.decode()
    assert hired.title_en in listing
    assert "Not reported" in listing and f'href="{page}"' in listing

    form = client.get(page).content.decode()
    assert 'name="value"' in form and 'name="breakdown-sex-female"' in form and 'name="breakdown-age-band-0-14"' in form

    # A draft with its evidence, then sent for review.
    evidence = SimpleUploadedFile("assunzioni.pdf", b"%PDF-1.4 elenco", content_type="application/pdf")
    saved = client.post(page, {**hires("12", "7", "5"), "evidence": evidence, "intent": "save"})
    assert saved.status_code == 302 and saved["Location"] == page
    update = Update.objects.get()
    assert (update.status, update.value, update.organization) == (Update.Status.DRAFT, Decimal(12), None)
    assert {row.category.code: row.value for row in update.breakdown.all()} == {"female": 7, "male": 5}
    assert update.evidence.name.endswith(".pdf")
    again = client.get(page).content.decode()
    assert 'value="12"' in again and "Your draft is saved but not sent" in again
    assert "Continue the draft" in client.get(url("monitoring:assignments")).content.decode()

    sent = client.post(page, {**hires("12", "7", "5"), "intent": "send"})
    assert sent["Location"] == url("monitoring:assignments")
    update.refresh_from_db()
    assert update.status == Update.Status.SUBMITTED
    read_only = client.get(page).content.decode()
    assert "sent for review: it cannot be changed" in read_only and 'name="intent"' not in read_only
    assert client.post(page, {**hires("99", "99", "0"), "intent": "send"}).status_code == 200
    update.refresh_from_db()
    assert (update.status, update.value) == (Update.Status.SUBMITTED, Decimal(12))  # nothing changed

    # The office returns it; the reporter reads the note on both pages, corrects it and sends it again.
    return_update(update=update, reviewer=roles.editor, note="Mancano due assunzioni di giugno.")
    listing = client.get(url("monitoring:assignments")).content.decode()
    assert "Returned for correction" in listing and "Mancano due assunzioni di giugno." in listing
    assert ">Correct<" in listing
    correcting = client.get(page).content.decode()
    assert "The plan office asks you to correct this report" in correcting
    assert "Mancano due assunzioni di giugno." in correcting and 'value="12"' in correcting
    assert "File already sent: assunzioni" in correcting

    resent = client.post(page, {**hires("14", "8", "6"), "intent": "send"})
    assert resent.status_code == 302
    update.refresh_from_db()
    assert (update.status, update.value) == (Update.Status.SUBMITTED, Decimal(14))
    assert update.evidence.name.endswith(".pdf")  # no new file: the evidence stays
    assert [record.history_change_reason for record in update.history.order_by("history_id")] == [
        "Draft created",
        "Draft edited",
        "Submitted",
        "Returned",
        "Draft edited",
        "Resubmitted",
    ]

    approve_update(update=update, reviewer=roles.editor)
    assert "This report is approved" in client.get(page).content.decode()
    public = Client().get(url("portal:indicator", hired.code)).content.decode()
    assert ">14<" in public


def test_italian_numbers_are_written_with_a_decimal_comma(clauses, reporter) -> None:
    client = logged_in(reporter)
    page = report_url(period_of(clauses, H1_2025), language="it")
    assert client.get(url("monitoring:assignments", language="it")).status_code == 200
    response = client.post(page, {"numerator": "12,5", "denominator": "50", "intent": "save"})
    assert response.status_code == 302
    assert (Update.objects.get().numerator, Update.objects.get().denominator) == (Decimal("12.5"), Decimal(50))
    assert 'value="12,5"' in client.get(page).content.decode()


def test_an_organization_reports_through_any_of_its_members(hired, roles) -> None:
    organization = Organization.objects.get(legal_name="Cooperativa Esempio")
    Membership.objects.filter(user=roles.member).update(status=Membership.Status.APPROVED)
    colleague = User.objects.create_user(email="collega@example.org", password="x")
    Membership.objects.create(user=colleague, organization=organization, status=Membership.Status.APPROVED)
    hired.reporting_organizations.add(organization)
    page = report_url(period_of(hired, H2_2025), organization)

    listing = logged_in(roles.member).get(url("monitoring:assignments")).content.decode()
    assert "For Cooperativa Esempio" in listing and f'href="{page}"' in listing
    assert logged_in(roles.member).post(page, {**hires("3", "2", "1"), "intent": "save"}).status_code == 302
    update = Update.objects.get()
    assert (update.organization, update.reporter) == (organization, roles.member)

    # A colleague continues the organization's draft and sends it.
    assert 'value="3"' in logged_in(colleague).get(page).content.decode()
    assert logged_in(colleague).post(page, {**hires("4", "2", "2"), "intent": "send"}).status_code == 302
    update.refresh_from_db()
    assert (update.status, update.value) == (Update.Status.SUBMITTED, Decimal(4))


def test_who_may_open_the_pages(hired, reporter, roles) -> None:
    period = period_of(hired, H1_2025)
    organization = Organization.objects.get(legal_name="Cooperativa Esempio")
    Membership.objects.filter(user=roles.member).update(status=Membership.Status.APPROVED)
    pages = [url("monitoring:assignments"), report_url(period), report_url(period, organization)]

    for page in pages:  # anonymous: to the login page
        response = Client().get(page)
        assert response.status_code == 302 and "/account/login/" in response["Location"]

    outsider = logged_in(roles.participant)
    assert "You are not assigned to report on any indicator" in outsider.get(pages[0]).content.decode()
    assert outsider.get(pages[1]).status_code == 404
    assert outsider.post(pages[1], {**hires("1", "1", "0"), "intent": "send"}).status_code == 404

    # A member of an organization that is not assigned, even though the indicator exists.
    member = logged_in(roles.member)
    assert member.get(pages[2]).status_code == 404
    assert member.get(pages[1]).status_code == 404
    # The reporter in person does not report for an organization they are not a member of.
    hired.reporting_organizations.add(organization)
    assert logged_in(reporter).get(pages[2]).status_code == 404
    assert member.get(pages[2]).status_code == 200
    # A pending request to join gives no right to report.
    Membership.objects.filter(user=roles.member).update(status=Membership.Status.REQUESTED)
    assert member.get(pages[2]).status_code == 404
    # Unknown period or organization.
    assert logged_in(reporter).get(report_url(Period(pk=999999))).status_code == 404
    assert logged_in(reporter).get(report_url(period, Organization(pk=999999))).status_code == 404
    assert Update.objects.count() == 0


def test_the_personal_area_links_to_the_reports_only_for_reporters(hired, reporter, roles) -> None:
    assert "My monitoring reports" in logged_in(reporter).get(url("ecosystem:home")).content.decode()
    assert "My monitoring reports" not in logged_in(roles.participant).get(url("ecosystem:home")).content.decode()


def test_a_locked_period_shows_no_form(hired, reporter, roles) -> None:
    period = period_of(hired, H1_2025)
    set_period_locked(period=period, user=roles.editor, locked=True)
    page = logged_in(reporter).get(report_url(period)).content.decode()
    assert "This period is locked" in page and 'name="intent"' not in page
    listing = logged_in(reporter).get(url("monitoring:assignments")).content.decode()
    assert "Locked" in listing and f'href="{report_url(period)}"' not in listing


@pytest.fixture
def comune(db) -> Comune:
    territory = Territory.objects.create(
        code="TO", istat_code="201", name="Torino", kind="metropolitan_city", region="Piemonte",
        reference_year=2023, source="ISTAT", licence="CC-BY-4.0", attribution="ISTAT",
    )  # fmt: skip
    return Comune.objects.create(
        istat_code="001272", territory=territory, name="Torino", cadastral_code="L219",
        population_total=0, population_male=0, population_female=0,
        population_0_14_male=0, population_0_14_female=0, population_15_24_male=0, population_15_24_female=0,
        population_25_34_male=0, population_25_34_female=0, population_35_64_male=0, population_35_64_female=0,
        population_65_plus_male=0, population_65_plus_female=0, boundary="{}", longitude=7.68, latitude=45.07,
    )  # fmt: skip


@pytest.fixture
def events(torino, reporter) -> Indicator:
    """Events organized, broken down by comune (not exhaustive), with the two semesters of 2025."""
    indicator = Indicator.objects.get(plan=torino, code="com-events")
    indicator.reporters.add(reporter)
    for start, end in ((date(2025, 1, 1), H1_2025), (date(2025, 7, 1), H2_2025)):
        Period.objects.create(indicator=indicator, start=start, end=end)
    return indicator


def test_a_breakdown_by_comune_is_one_line_per_comune(events, comune, reporter) -> None:
    client = logged_in(reporter)
    page = report_url(period_of(events, H1_2025))
    assert client.post(page, {"value": "5", "breakdown-comune": "001272; 3\n\n", "intent": "save"}).status_code == 302
    assert [(row.comune, row.value) for row in Update.objects.get().breakdown.all()] == [(comune, 3)]
    assert "001272; 3" in client.get(page).content.decode()


def test_a_qualitative_indicator_asks_for_a_level(tables, reporter) -> None:
    client = logged_in(reporter)
    page = report_url(period_of(tables, H1_2025))
    form = client.get(page).content.decode()
    assert '<select name="level"' in form and 'value="constituted"' in form and 'name="value"' not in form
    assert client.post(page, {"level": "constituted", "intent": "send"}).status_code == 302
    assert (Update.objects.get().level.code, Update.objects.get().status) == ("constituted", "submitted")


BAD_INPUT = {
    # name: (fixture, data, the field that shows the error ("" for the form's own), message)
    "text for a number": ("hired", hires("dodici", "7", "5"), "value", "Enter a number."),
    "no value": ("hired", hires("", "", ""), "value", "needs a value"),
    "too many decimals": ("hired", hires("1.123456", "", ""), "value", "no more than 4 decimal places"),
    "breakdown not adding up": ("hired", hires("10", "3", "4"), "", "adds up to 7, not to the value 10"),
    "text in a breakdown": ("hired", hires("10", "tre", "7"), "breakdown-sex-female", "Enter a number."),
    "denominator 0": ("clauses", {"numerator": "0", "denominator": "0"}, "denominator", "cannot be 0"),
    "numerator above denominator": ("clauses", {"numerator": "60", "denominator": "50"}, "numerator", "cannot exceed"),
    "negative denominator": ("clauses", {"numerator": "0", "denominator": "-5"}, "denominator", "cannot be negative"),
    "unknown level": ("tables", {"level": "finished"}, "level", "Select a valid choice"),
    "malformed comune line": ("events", {"value": "5", "breakdown-comune": "001272 3"}, "breakdown-comune", "Line 1"),
    "unknown comune": ("events", {"value": "5", "breakdown-comune": "999999; 3"}, "", "ISTAT code '999999'"),
    "evidence of the wrong kind": (
        "hired",
        hires("12", "7", "5", evidence=SimpleUploadedFile("virus.exe", b"MZ")),
        "evidence",
        "File extension",
    ),
}


@pytest.mark.parametrize("intent", ["save", "send"])
@pytest.mark.parametrize("name", BAD_INPUT)
def test_bad_input_is_shown_on_its_field_and_nothing_is_saved(request, reporter, name, intent) -> None:
    fixture, data, field, message = BAD_INPUT[name]
    indicator = request.getfixturevalue(fixture)
    if fixture == "events":
        request.getfixturevalue("comune")
    page = report_url(period_of(indicator, H1_2025))
    before = written()
    if "evidence" in data:
        data["evidence"].seek(0)
    response = logged_in(reporter).post(page, {**data, "intent": intent})
    assert response.status_code == 200
    form = response.context["form"]
    errors = form.errors.get(field or "__all__", [])
    assert any(message in error for error in errors), form.errors
    assert 'role="alert"' in response.content.decode()
    if field:
        assert 'aria-invalid="true"' in response.content.decode()
    assert written() == before


def test_a_period_locked_meanwhile_refuses_the_report_with_the_reason(hired, reporter, roles) -> None:
    client = logged_in(reporter)
    period = period_of(hired, H1_2025)
    page = report_url(period)
    draft = create_draft(indicator=hired, reporter=reporter, on=H1_2025, report=Report(value=1))
    assert 'name="intent"' in client.get(page).content.decode()
    set_period_locked(period=period, user=roles.editor, locked=True)
    before = written()
    response = client.post(page, {**hires("12", "7", "5"), "intent": "send"})
    assert response.status_code == 200
    assert any("is locked: it accepts no updates" in error for error in response.context["form"].non_field_errors())
    assert written() == before
    draft.refresh_from_db()
    assert (draft.status, draft.value) == (Update.Status.DRAFT, Decimal(1))

    # A new report in a period locked meanwhile is refused too.
    other = period_of(hired, H2_2025)
    set_period_locked(period=other, user=roles.editor, locked=True)
    response = client.post(report_url(other), {**hires("12", "7", "5"), "intent": "save"})
    assert any("is locked" in error for error in response.context["form"].non_field_errors())
    assert written() == before


def test_the_list_shows_due_dates_and_overdue_reports(torino, hired, reporter, roles) -> None:
    open_cycle(
        plan=torino,
        user=roles.editor,
        title_it="Primo semestre 2025",
        starts_on=date(2025, 6, 1),
        ends_on=date(2025, 6, 30),
        due_date=date(2025, 7, 31),
    )
    listing = logged_in(reporter).get(url("monitoring:assignments")).content.decode()
    assert "31/07/2025" in listing or "07/31/2025" in listing
    assert "Overdue" in listing  # the due date has passed and nothing is sent
    submit_update(
        update=create_draft(indicator=hired, reporter=reporter, on=H1_2025, report=Report(value=1)), reporter=reporter
    )
    assert "Overdue" not in logged_in(reporter).get(url("monitoring:assignments")).content.decode()


def test_the_reminder_links_to_the_reporters_pages_in_each_language(torino, hired, reporter, roles, settings) -> None:
    settings.PORTAL_BASE_URL = "https://piano.example.org"
    due = date(2025, 7, 31)
    open_cycle(
        plan=torino,
        user=roles.editor,
        title_it="Primo semestre 2025",
        starts_on=date(2025, 6, 1),
        ends_on=date(2025, 6, 30),
        due_date=due,
    )
    assert send_reminders(today=due - timedelta(days=7)).emails == 1
    body = mail.outbox[0].body
    assert "https://piano.example.org/area-personale/monitoraggio/" in body
    assert "https://piano.example.org/en/area-personale/monitoraggio/" in body
    assert "back office" not in body


def test_the_list_runs_a_fixed_number_of_queries(torino, reporter, roles, django_assert_max_num_queries) -> None:
    organization = Organization.objects.get(legal_name="Cooperativa Esempio")
    Membership.objects.create(user=reporter, organization=organization, status=Membership.Status.APPROVED)
    client = logged_in(reporter)
    page = url("monitoring:assignments")

    def grow(copies: int) -> None:
        for _ in range(copies):
            in_person = make_indicator(torino)
            in_person.reporters.add(reporter)
            for_organization = make_indicator(torino, measure=Indicator.Measure.PERCENTAGE)
            for_organization.reporting_organizations.add(organization)
            both = make_indicator(torino)
            both.reporters.add(reporter)
            both.reporting_organizations.add(organization)
            draft = create_draft(indicator=in_person, reporter=reporter, on=H1_2025, report=Report(value=1))
            submit_update(update=draft, reporter=reporter)
            create_draft(
                indicator=for_organization,
                reporter=reporter,
                on=H2_2025,
                report=Report(numerator=1, denominator=2),
                organization=organization,
            )

    def count() -> int:
        client.get(page)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page)
        assert response.status_code == 200
        return len(queries)

    grow(1)
    small = count()
    grow(10)
    assert count() == small
    assert logged_in(reporter).get(page).content.decode().count("<table") == 44
    with django_assert_max_num_queries(12):
        client.get(page)


def test_a_period_yet_to_start_waits(hired, reporter) -> None:
    start = timezone.localdate() + timedelta(days=30)
    future = Period.objects.create(indicator=hired, start=start, end=start + timedelta(days=180))
    client = logged_in(reporter)
    page = client.get(report_url(future)).content.decode()
    assert "This period starts on" in page and 'name="intent"' not in page
    assert "Not started yet" in client.get(url("monitoring:assignments")).content.decode()
    response = client.post(report_url(future), {**hires("1", "1", "0"), "intent": "save"})
    assert any("future date" in error for error in response.context["form"].non_field_errors())
    assert not Update.objects.exists()
