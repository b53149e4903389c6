"""Every page of the personal area in a real browser, signed in as the user who works there:
axe-core finds no WCAG 2.1 A/AA violation in Italian or English, on desktop or phone, phones do
not scroll sideways; a form shown back with its errors is accessible too, and the real
Content-Security-Policy (no inline script or style) breaks nothing."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from socialplan.core.tests.browser import DESKTOP, PHONE, describe_violations
from socialplan.ecosystem.commitments import report_pledge_progress
from socialplan.ecosystem.selfservice import review_profile_change, update_profile

from .factories import make_organization
from .people import make_cpv_codes, make_people

pytestmark = pytest.mark.browser


@pytest.fixture
def people(roles):
    """The organization with a rejected change (its note shows), one waiting, and a progress report."""
    people = make_people(roles)
    make_cpv_codes()
    rejected = update_profile(organization=people.organization, user=people.org_member, values={"runts_section": "g"})
    review_profile_change(change=rejected.pending, user=roles.editor, approve=False, note="La sezione resta d.")
    update_profile(
        organization=people.organization,
        user=people.org_member,
        values={"legal_form": "coop_ab", "disadvantaged_share": Decimal("42")},
    )
    report_pledge_progress(
        pledge=people.pledge,
        user=people.org_member,
        reported_on=date.today(),
        achieved=Decimal("12"),
        note="Primo corso",
    )
    make_organization(legal_name="Associazione Il Ponte Solidale")
    return people


def path(name: str, *args, language: str) -> str:
    with translation.override(language):
        return reverse(name, args=args)


# page -> (who looks at it, its path)
PAGES = {
    "home": ("org_admin", lambda p, lang: path("ecosystem:home", language=lang)),
    "join": ("participant", lambda p, lang: path("ecosystem:join", language=lang) + "?q=ponte"),
    "join organization": (
        "participant",
        lambda p, lang: path("ecosystem:join_organization", p.organization.pk, language=lang),
    ),
    "requests": ("org_admin", lambda p, lang: path("ecosystem:membership_requests", language=lang)),
    "profile": ("org_member", lambda p, lang: path("ecosystem:edit_profile", p.organization.pk, language=lang)),
    "pledges": ("org_admin", lambda p, lang: path("ecosystem:pledges", p.organization.pk, language=lang)),
    "pledge": ("org_admin", lambda p, lang: path("ecosystem:pledge", p.pledge.pk, language=lang)),
    "review queue": ("editor", lambda p, lang: path("ecosystem:review_queue", language=lang)),
    "review change": (
        "editor",
        lambda p, lang: path(
            "ecosystem:review_change", p.organization.profile_changes.get(status="pending").pk, language=lang
        ),
    ),
    "access denied": ("participant", lambda p, lang: path("ecosystem:review_queue", language=lang)),
}


def signed_in_page(open_page, live_server, people, role: str, url: str, *, viewport, bypass_csp: bool = True):
    """A browser page with the session of `role`, opened at `url`."""
    client = Client()
    client.force_login(people.user(role))
    page = open_page(live_server.url + "/healthz", viewport=viewport, bypass_csp=bypass_csp)
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


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_personal_area_page_is_accessible_on_desktop_and_phone(live_server, people, open_page, axe, name, language):
    role, build = PAGES[name]
    url = build(people, language)
    for viewport in (DESKTOP, PHONE):
        page = signed_in_page(open_page, live_server, people, role, url, viewport=viewport)
        assert page.evaluate("document.documentElement.lang") == language
        assert page.locator("main h1").count() == 1
        violations = axe(page)
        assert not violations, f"{url} at {viewport['width']}px:\n{describe_violations(violations)}"
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{url} scrolls sideways at {viewport['width']}px: {widths}"


@pytest.mark.parametrize("language", ["it", "en"])
def test_a_profile_form_with_errors_is_accessible(live_server, people, open_page, axe, language):
    url = path("ecosystem:edit_profile", people.organization.pk, language=language)
    page = signed_in_page(open_page, live_server, people, "org_member", url, viewport=PHONE)

    page.fill("#id_codice_fiscale", "00000000000")
    page.fill("#id_cpv_codes", "1234")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()

    assert page.locator("main [role=alert]").count() == 1
    assert page.get_attribute("#id_codice_fiscale", "aria-invalid") == "true"
    violations = axe(page)
    assert not violations, describe_violations(violations)


def test_a_member_asks_to_join_in_the_browser_with_the_real_csp(live_server, people, open_page):
    """No inline script or style is needed: the real Content-Security-Policy, no console errors."""
    errors: list[str] = []
    url = path("ecosystem:join", language="en")
    page = signed_in_page(open_page, live_server, people, "participant", url, viewport=DESKTOP, bypass_csp=False)
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.fill("#id_q", "ponte solidale")
    page.click("main form button[type=submit]")
    page.get_by_role("link", name=re.compile(r"^Ask to join\W+Associazione Il Ponte Solidale$")).click()
    page.fill("#id_message", "Sono la segretaria.")
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_load_state()

    assert "Your request to join Associazione Il Ponte Solidale has been sent." in page.inner_text("main")
    assert "Requested" in page.inner_text("main table")
    assert errors == []
