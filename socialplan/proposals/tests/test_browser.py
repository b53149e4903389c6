"""The proposals' pages and the consultation report in a real browser: no axe violation in Italian or English,
on desktop or phone, no sideways scroll."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from socialplan.core.tests.browser import DESKTOP, PHONE, describe_violations
from socialplan.participation import traceability
from socialplan.plan import services as plan_services
from socialplan.plan.models import Action, ChangelogEntry, Objective, Theme
from socialplan.proposals import services
from socialplan.proposals.models import Proposal

pytestmark = pytest.mark.browser


def _open(open_page, live_server, user, path, viewport):
    page = open_page(live_server.url + "/healthz", viewport=viewport)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page.goto(live_server.url + path)
    return page


@pytest.fixture
def answered(setting, roles):
    """A proposal with a support, rejected with a reason, and another linked to the change it led to."""
    theme = Theme.objects.get(plan=setting.plan, code="social-procurement")
    proposal = services.submit_proposal(
        process=setting.process, author=setting.author, title="Clausole sociali negli appalti",
        body="Ogni appalto di servizi preveda clausole sociali.", theme=theme,
    )  # fmt: skip
    services.support_proposal(proposal=proposal, user=setting.supporter)
    other = services.submit_proposal(
        process=setting.process, author=setting.other, title="Fibra nelle valli", body="Connessione nelle valli."
    )
    services.answer_proposal(
        proposal=other, status=Proposal.Status.REJECTED, reason="Competenza regionale.", by_user=roles.editor
    )
    plan_services.publish_first_version(plan=setting.plan)
    objective = Objective.objects.get(theme__plan=setting.plan, code="sp-o1")
    Action.objects.create(objective=objective, code="sp-new", order=99, title_it="Clausole", title_en="Clauses")
    plan_services.publish_version(plan=setting.plan, user=None, summary_it="Revisione")
    entry = ChangelogEntry.objects.get(element_key="social-procurement/sp-o1/sp-new")
    traceability.link_contribution(entry=entry, contribution=proposal, by_user=roles.editor)
    return proposal


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("name", ["list", "detail", "new", "report", "traceability"])
def test_proposal_pages_are_accessible(live_server, open_page, axe, setting, roles, answered, name, language):
    with translation.override(language):
        paths = {
            "list": (None, reverse("proposals:list", args=[setting.process.slug])),
            "detail": (roles.editor, reverse("proposals:detail", args=[answered.pk])),
            "new": (setting.author, reverse("proposals:new", args=[setting.process.slug])),
            "report": (None, reverse("participation:consultation_report", args=[setting.process.slug])),
            "traceability": (
                roles.editor,
                f"{reverse('participation:traceability')}?tipo=proposals.proposal&id={answered.pk}",
            ),
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
