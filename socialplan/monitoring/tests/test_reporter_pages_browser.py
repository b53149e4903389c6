"""The reporter's pages in a real browser on a phone: the reporter fills the form and sends it; axe-core
finds no WCAG 2.1 A/AA violation on the list or the report page (with and without errors), in Italian
and English, and the phone never scrolls sideways."""

from datetime import date

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from socialplan.core.tests.browser import PHONE, describe_violations
from socialplan.monitoring.cycles import open_cycle
from socialplan.monitoring.models import Update
from socialplan.monitoring.services import Report, create_draft, return_update, submit_update

from .conftest import H1_2025, H2_2025

pytestmark = pytest.mark.browser


def path(name: str, *args, language: str) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def signed_in_page(open_page, live_server, user, url: str):
    """A phone-sized browser page with `user`'s session, opened at `url`."""
    client = Client()
    client.force_login(user)
    page = open_page(live_server.url + "/healthz", viewport=PHONE)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(live_server.url + url)
    return page


def assert_accessible(page, axe) -> None:
    assert page.locator("main h1").count() == 1
    violations = axe(page)
    assert not violations, f"{page.url}:\n{describe_violations(violations)}"
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways on a phone: {widths}"


@pytest.fixture
def returned(torino, hired, reporter, roles):
    """The second semester returned with a note, and a cycle asking for the first one."""
    open_cycle(
        plan=torino,
        user=roles.editor,
        title_it="Primo semestre 2025",
        starts_on=date(2025, 6, 1),
        ends_on=date(2025, 6, 30),
        due_date=date(2025, 7, 31),
    )
    update = create_draft(indicator=hired, reporter=reporter, on=H2_2025, report=Report(value=3))
    submit_update(update=update, reporter=reporter)
    return return_update(update=update, reviewer=roles.editor, note="Manca la ripartizione per sesso.")


@pytest.mark.parametrize("language", ["it", "en"])
def test_a_reporter_fills_the_form_on_a_phone_and_sends_it(
    live_server, open_page, axe, hired, reporter, returned, language
) -> None:
    page = signed_in_page(open_page, live_server, reporter, path("monitoring:assignments", language=language))
    assert page.evaluate("document.documentElement.lang") == language
    assert "Manca la ripartizione per sesso." in page.inner_text("main")
    assert_accessible(page, axe)

    page.locator("main table").first.locator("a").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(path("monitoring:report", hired.periods.get(end=H1_2025).pk, language=language))
    assert_accessible(page, axe)

    # A breakdown that does not add up: the form comes back with the reason, still accessible.
    page.fill("#id_value", "12")
    page.fill("#id_breakdown-sex-female", "7")
    page.fill("#id_breakdown-sex-male", "4")
    page.locator("main form button[value=send]").click()
    page.wait_for_load_state()
    assert page.locator("main [role=alert]").count() == 1
    assert "11" in page.inner_text("main [role=alert]")
    assert_accessible(page, axe)

    page.fill("#id_breakdown-sex-male", "5")
    page.fill("#id_narrative", "Dodici assunzioni nel semestre.")
    page.locator("main form button[value=send]").click()
    page.wait_for_load_state()
    assert page.url.endswith(path("monitoring:assignments", language=language))
    update = Update.objects.get(period__end=H1_2025)
    assert (update.status, update.value, update.narrative) == (
        Update.Status.SUBMITTED,
        12,
        "Dodici assunzioni nel semestre.",
    )
    assert_accessible(page, axe)

    # The returned report, with its note, on its own page.
    page.goto(live_server.url + path("monitoring:report", returned.period.pk, language=language))
    assert "Manca la ripartizione per sesso." in page.inner_text("main")
    assert_accessible(page, axe)
