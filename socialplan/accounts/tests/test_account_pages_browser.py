"""The account pages (sign in, sign up, password reset) are public pages like any other:
axe-core finds no WCAG 2.1 A/AA violation in either language, on desktop and phone,
including a form shown back with its errors."""

import pytest

from socialplan.core.tests.browser import DESKTOP, PHONE, describe_violations

pytestmark = pytest.mark.browser

ACCOUNT_PAGES = ["/account/login/", "/account/signup/", "/account/password/reset/"]


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("path", ACCOUNT_PAGES)
def test_account_page_is_accessible(live_server, torino, open_page, axe, path, language) -> None:
    url = live_server.url + ("/en" if language == "en" else "") + path
    for viewport in (DESKTOP, PHONE):
        page = open_page(url, viewport=viewport)
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("main form").count() == 1
        violations = axe(page)
        assert violations == [], describe_violations(violations)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_failed_sign_in_shows_an_accessible_error(live_server, torino, open_page, axe) -> None:
    page = open_page(live_server.url + "/en/account/login/")
    page.fill("input[name=login]", "nobody@example.org")
    page.fill("input[name=password]", "not-the-password")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "not correct" in page.inner_text("main")
    violations = axe(page)
    assert violations == [], describe_violations(violations)
