"""The opinion pages in a real browser: no axe violation in Italian or English, on desktop or phone."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from socialplan.core.tests.browser import DESKTOP, PHONE, describe_violations
from socialplan.opinions import groups

pytestmark = pytest.mark.browser


def _open(open_page, live_server, user, path, viewport):
    page = open_page(live_server.url + "/healthz", viewport=viewport)
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
@pytest.mark.parametrize("name", ["vote", "results"])
def test_opinion_pages_are_accessible(live_server, open_page, axe, conversation, planted, name, language):
    groups.compute_groups(conversation)
    voter = planted[0]
    with translation.override(language):
        path = reverse(f"opinions:{name}", args=[conversation.pk])
    for viewport in (DESKTOP, PHONE):
        page = _open(open_page, live_server, voter, path, viewport)
        assert page.evaluate("document.documentElement.lang") == language
        assert page.locator("main h1").count() == 1
        if name == "results":
            assert page.locator("main svg[role=img] circle").count() == 30
        violations = axe(page)
        assert not violations, f"{path} at {viewport['width']}px:\n{describe_violations(violations)}"
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{path} scrolls sideways at {viewport['width']}px: {widths}"
