"""Engagement pages in a real browser: no axe violation in Italian or English, on desktop or phone."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from socialplan.core.tests.browser import DESKTOP, PHONE, describe_violations
from socialplan.engagement import services

from .conftest import make_survey

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
@pytest.mark.parametrize("name", ["survey", "results", "meetings", "meeting"])
def test_engagement_pages_are_accessible(live_server, open_page, axe, process, meeting, people, name, language):
    setting = make_survey(process)
    for person in people[:3]:
        services.submit_response(
            survey=setting.survey,
            author=person,
            values={
                setting.single.pk: str(setting.choice(setting.single, "Cittadina").pk),
                setting.multiple.pk: [str(setting.choice(setting.multiple, "Casa").pk)],
                setting.scale.pk: 4,
                setting.yes_no.pk: "yes",
                setting.number.pk: 3,
                setting.long.pk: "Più spazi di incontro.",
            },
        )
    services.register(meeting=meeting, user=people[0])
    paths = {
        "survey": (people[3], "engagement:survey", [setting.survey.pk]),
        "results": (None, "engagement:results", [setting.survey.pk]),
        "meetings": (None, "engagement:meetings", []),
        "meeting": (people[0], "engagement:meeting", [meeting.pk]),
    }
    user, route, args = paths[name]
    with translation.override(language):
        path = reverse(route, args=args)
    for viewport in (DESKTOP, PHONE):
        page = _open(open_page, live_server, user, path, viewport)
        assert page.evaluate("document.documentElement.lang") == language
        assert page.locator("main h1").count() == 1
        violations = axe(page)
        assert not violations, f"{path} at {viewport['width']}px:\n{describe_violations(violations)}"
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{path} scrolls sideways at {viewport['width']}px: {widths}"
