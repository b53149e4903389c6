"""The personal pages in a real browser: no axe violation in Italian or English, on desktop or phone."""

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import translation

from socialplan.core.tests.browser import DESKTOP, PHONE, describe_violations
from socialplan.participation import notifications
from socialplan.participation.models import Report

from .people import people  # noqa: F401

pytestmark = pytest.mark.browser


def _open(open_page, live_server, user, path, viewport):
    page = open_page(live_server.url + "/healthz", viewport=viewport)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value}
        page.context.add_cookies([{**cookie, "url": live_server.url}])
    page.goto(live_server.url + path)
    return page


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("name", ["profile", "privacy", "moderation", "unsubscribe", "report"])
def test_people_pages_are_accessible(live_server, open_page, axe, people, name, language):  # noqa: F811
    proposal_type = ContentType.objects.get_for_model(people.proposal)
    Report.objects.create(
        content_type=proposal_type, object_id=people.proposal.pk, reporter=people.reporter, reason="spam"
    )
    token = notifications.profile_of(people.author).unsubscribe_token
    with translation.override(language):
        paths = {
            "profile": (people.author, reverse("participation:profile")),
            "privacy": (None, reverse("participation:privacy")),
            "moderation": (people.moderator, reverse("participation:moderation")),
            "unsubscribe": (None, reverse("participation:unsubscribe", args=[token])),
            "report": (people.reporter, reverse("participation:report", args=[proposal_type.pk, people.proposal.pk])),
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
