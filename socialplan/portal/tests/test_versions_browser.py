"""The version pages in a real browser: no WCAG 2.1 A/AA violation found by axe-core, on a desktop and a
375-pixel phone, in Italian and English, and nothing scrolls sideways."""

import pytest

from socialplan.core.tests.browser import DESKTOP, PHONE, describe_violations

# The fixtures of versions 1 and 2 of the Turin plan, shared with the page tests.
from .test_versions_pages import editor, two_versions  # noqa: F401

pytestmark = pytest.mark.browser

PATHS = ["/piano/versioni/", "/piano/versioni/2/", "/piano/versioni/confronta/?da=1&a=2"]


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("path", PATHS, ids=["list", "version", "compare"])
def test_version_pages_are_accessible_on_desktop_and_phone(live_server, two_versions, open_page, axe, path, language):  # noqa: F811
    url = live_server.url + ("/en" if language == "en" else "") + path
    for viewport in (DESKTOP, PHONE):
        page = open_page(url, viewport=viewport)
        assert page.evaluate("document.documentElement.lang") == language
        violations = axe(page)
        assert not violations, f"{url} at {viewport['width']}px:\n{describe_violations(violations)}"
        if viewport is PHONE:
            widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert widths[0] <= widths[1], f"{url} scrolls sideways on a phone: {widths[0]}px > {widths[1]}px"


def test_the_comparison_form_works_without_javascript(live_server, two_versions, open_page):  # noqa: F811
    page = open_page(live_server.url + "/en/piano/versioni/confronta/", viewport=PHONE, javascript=False)
    page.select_option("#compare-from", "2")
    page.select_option("#compare-to", "1")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**/confronta/?da=2&a=1")
    assert page.locator("h2").first.inner_text() == "From version 2 to version 1"
    assert page.locator("del").count() >= 1 or page.locator("ins").count() >= 1
