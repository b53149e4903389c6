"""The coverage matrix in a real browser: no WCAG 2.1 A/AA violation (axe-core) on desktop and phone, in Italian
and English, no sideways scrolling on a phone, and folded groups that open without JavaScript."""

import pytest

from socialplan.core.tests.browser import DESKTOP, PHONE, describe_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("query", ["", "?quadro=SDG", "?quadro=EU-XX"], ids=["all", "sdg", "unknown"])
def test_the_matrix_is_accessible_on_desktop_and_phone(live_server, torino, open_page, axe, language, query):
    path = ("/en/allineamento/" if language == "en" else "/allineamento/") + query
    for viewport in (DESKTOP, PHONE):
        page = open_page(live_server.url + path, viewport=viewport)
        assert page.evaluate("document.documentElement.lang") == language
        violations = axe(page)
        assert not violations, f"{path} at {viewport['width']}px:\n{describe_violations(violations)}"
        if viewport is PHONE:
            widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert widths[0] <= widths[1], f"{path} scrolls sideways on a phone: {widths[0]}px > {widths[1]}px"


def test_a_folded_goal_opens_without_javascript_under_the_real_csp(live_server, torino, open_page):
    errors: list[str] = []
    page = open_page(live_server.url + "/en/allineamento/?quadro=SDG", viewport=PHONE, bypass_csp=False)
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.reload()
    page.wait_for_load_state("networkidle")

    # The page's own stylesheet applies: the "not covered yet" badge has its border.
    badge = page.locator(".alignment-badge-uncovered").first
    assert badge.evaluate("element => getComputedStyle(element).borderTopStyle") == "solid"
    goal = page.locator("details.alignment-group", has=page.locator("summary", has_text="Life below water"))
    target = goal.locator("li", has_text="14.1").first
    assert not target.is_visible()
    goal.locator("summary").click()
    assert target.is_visible()
    assert not errors, "\n".join(errors)


def test_the_filter_form_works_without_javascript(live_server, torino, open_page):
    page = open_page(live_server.url + "/en/allineamento/", javascript=False)
    page.select_option("#filter-quadro", "EU-CR")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/en/allineamento/?quadro=EU-CR")
    assert page.locator("h2", has_text="Council Recommendation of 27 November 2023").is_visible()
    assert page.locator("section.alignment-framework").count() == 1
