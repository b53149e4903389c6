"""The matcher's pages in a real browser: no axe violation in Italian or English, on desktop or phone."""

import pytest
from django.conf import settings
from django.test import Client

from socialplan.core.tests.browser import DESKTOP, PHONE, describe_violations

from .test_pages import setting, url  # noqa: F401

pytestmark = pytest.mark.browser


def _open(open_page, live_server, user, path, viewport):
    page = open_page(live_server.url + "/healthz", viewport=viewport)
    if user is not None:
        client = Client()
        client.force_login(user)
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
    page.goto(live_server.url + path)
    return page


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("name", ["organizations", "consortium", "mine", "alerts"])
def test_matching_pages_are_accessible(live_server, open_page, axe, ecosystem, setting, name, language):  # noqa: F811
    paths = {
        "organizations": (None, url("matches:organizations", setting["reserved"].pk, language=language)),
        "consortium": (None, url("matches:organizations", setting["codesign"].pk, language=language)),
        "mine": (setting["member"], url("matching:mine", language=language)),
        "alerts": (setting["member"], url("matching:alerts", language=language)),
    }
    user, path = paths[name]
    for viewport in (DESKTOP, PHONE):
        page = _open(open_page, live_server, user, path, viewport)
        assert page.evaluate("document.documentElement.lang") == language
        assert page.locator("main h1").count() == 1
        violations = axe(page)
        assert not violations, f"{path} at {viewport['width']}px:\n{describe_violations(violations)}"
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{path} scrolls sideways at {viewport['width']}px: {widths}"
