"""Every public page in a real browser: axe-core finds no WCAG 2.1 A/AA violation, phones do not scroll
sideways, the real Content-Security-Policy breaks nothing, and a visitor can walk the plan."""

from datetime import date, timedelta

import pytest

from socialplan.core.tests.browser import DESKTOP, PHONE, describe_violations
from socialplan.plan.models import Action, Milestone, Tool

from .pages import PAGE_NAMES, page_named

pytestmark = pytest.mark.browser


@pytest.fixture
def plan_in_progress(torino):
    """The Turin plan with one action under way, so status badges, milestones and tools are on the pages too."""
    today = date.today()
    action = Action.objects.get(code="sp-s1")
    action.status = Action.Status.IN_PROGRESS
    action.start_date = today - timedelta(days=90)
    action.end_date = today + timedelta(days=270)
    action.budget = 50000
    action.save()
    Milestone.objects.create(
        action=action,
        title_it="Linee guida",
        title_en="Guidelines",
        due_date=today - timedelta(days=30),
        completed_on=today - timedelta(days=31),
    )
    Milestone.objects.create(
        action=action, title_it="Formazione", title_en="Training", due_date=today - timedelta(days=1)
    )
    Milestone.objects.create(
        action=action, title_it="Bando pilota", title_en="Pilot tender", due_date=today + timedelta(days=60)
    )
    Tool.objects.create(
        action=action,
        code="guide",
        kind=Tool.Kind.LEGAL,
        title_it="Guida agli appalti sociali",
        title_en="Social procurement guide",
        url="https://example.org/guide",
    )
    Action.objects.filter(code="sp-s2").update(status=Action.Status.DELAYED)
    Action.objects.filter(code="sp-s3").update(status=Action.Status.DONE)
    return torino


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("name", [*PAGE_NAMES, "not-found"])
def test_page_is_accessible_on_desktop_and_phone(live_server, plan_in_progress, open_page, axe, name, language):
    if name == "not-found":
        path = "/en/azioni/999999/" if language == "en" else "/azioni/999999/"
    else:
        path = page_named(plan_in_progress, name).path(language)

    for viewport in (DESKTOP, PHONE):
        page = open_page(live_server.url + path, viewport=viewport)
        assert page.evaluate("document.documentElement.lang") == language
        violations = axe(page)
        assert not violations, f"{path} at {viewport['width']}px:\n{describe_violations(violations)}"
        if viewport is PHONE:
            widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert widths[0] <= widths[1], f"{path} scrolls sideways on a phone: {widths[0]}px > {widths[1]}px"


def test_real_csp_lets_styles_fonts_and_menu_work(live_server, torino, open_page):
    errors: list[str] = []
    page = open_page(live_server.url + "/", viewport=PHONE, bypass_csp=False)
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.reload()
    page.wait_for_load_state("networkidle")

    # Bootstrap Italia's CSS and the fonts declared in css/fonts.css are applied.
    slim_header = page.evaluate("getComputedStyle(document.querySelector('.it-header-slim-wrapper')).backgroundColor")
    assert slim_header != "rgba(0, 0, 0, 0)"
    assert page.evaluate("document.fonts.check('16px \"Titillium Web\"')")
    assert page.evaluate("[...document.fonts].some(f => f.family.includes('Titillium') && f.status === 'loaded')")
    # The navigation script (an ES module from node_modules) runs: the burger opens the menu.
    assert page.evaluate("document.documentElement.classList.contains('js')")
    assert not page.locator("#main-nav").is_visible()
    page.click(".custom-navbar-toggler")
    page.locator("#main-nav .nav-link").first.wait_for(state="visible")
    assert page.get_attribute(".custom-navbar-toggler", "aria-expanded") == "true"

    csp_errors = [error for error in errors if "Content Security Policy" in error]
    assert not csp_errors, "\n".join(csp_errors)
    assert not errors, "\n".join(errors)


def test_without_javascript_the_phone_menu_is_a_plain_list(live_server, torino, open_page):
    page = open_page(live_server.url + "/en/", viewport=PHONE, javascript=False)
    for label in ("The plan", "Explore the plan", "Process", "Context", "About"):
        assert page.get_by_role("link", name=label, exact=True).first.is_visible()
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_journey_from_home_to_an_action_then_to_english(live_server, torino, open_page, viewport):
    page = open_page(live_server.url + "/", viewport=viewport)

    page.get_by_role("link", name="Social procurement").first.click()
    page.wait_for_url("**/temi/social-procurement/")
    assert page.locator("h1").inner_text() == "Social procurement"

    objective = "Migliorare la collaborazione pubblico-privato per la crescita dell'economia sociale"
    page.get_by_role("link", name=objective).click()
    page.wait_for_url("**/obiettivi/*/")
    assert page.locator("h1").inner_text() == objective

    page.get_by_role("link", name="Promuovere il ruolo degli appalti pubblici").first.click()
    page.wait_for_url("**/azioni/*/")
    assert page.locator("h1").inner_text().startswith("Promuovere il ruolo degli appalti pubblici")
    assert page.locator(".breadcrumb .breadcrumb-item").count() == 4

    page.locator("a[hreflang='en']").click()
    page.wait_for_url("**/en/azioni/*/")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("h1").inner_text().startswith("Promote public procurement as a means of integrating")
