"""The buyers' area in a real browser: no axe violation in Italian or English, on desktop or phone."""

import pytest
from django.conf import settings
from django.test import Client

from socialplan.buyers.models import OpportunityDraft
from socialplan.core.tests.browser import DESKTOP, PHONE, describe_violations

from .conftest import url

pytestmark = pytest.mark.browser


def _open(open_page, live_server, user, path, viewport):
    page = open_page(live_server.url + "/healthz", viewport=viewport)
    client = Client()
    client.force_login(user)
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value}
    page.context.add_cookies([{**cookie, "url": live_server.url}])
    page.goto(live_server.url + path)
    return page


@pytest.mark.parametrize("language", ["it", "en"])
def test_buyers_pages_are_accessible(live_server, open_page, axe, setting, commitment, language):
    people = setting.people
    draft = OpportunityDraft.objects.create(
        buyer=setting.buyer, title="Bozza", data={"title_it": ["Bozza"], "cpv_codes": ["90911200"]}
    )
    pages = [
        (people.member, url("buyers:home", language=language)),
        (people.stranger, url("buyers:ask", language=language)),
        (people.office, url("buyers:requests", language=language)),
        (people.member, url("buyers:area", setting.buyer.pk, language=language)),
        (people.member, url("buyers:new_opportunity", setting.buyer.pk, language=language)),
        (people.member, url("buyers:draft", draft.pk, language=language)),
        (people.member, url("buyers:edit_opportunity", setting.opportunity.pk, language=language)),
        (people.member, url("buyers:award", setting.award.pk, language=language)),
        (people.supplier_member, url("buyers:supplier_area", language=language)),
        (people.supplier_member, url("buyers:supplier_award", setting.award.pk, language=language)),
    ]
    for user, path in pages:
        for viewport in (DESKTOP, PHONE):
            page = _open(open_page, live_server, user, path, viewport)
            assert page.evaluate("document.documentElement.lang") == language
            assert page.locator("main h1").count() == 1, path
            violations = axe(page)
            assert not violations, f"{path} at {viewport['width']}px:\n{describe_violations(violations)}"
            widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert widths[0] <= widths[1], f"{path} scrolls sideways at {viewport['width']}px: {widths}"


@pytest.mark.parametrize("language", ["it", "en"])
def test_the_opportunity_form_shows_the_chosen_kind_s_fieldset(live_server, open_page, axe, setting, language):
    """Without a kind every kind's fieldset is shown (as without JavaScript); choosing one hides the others."""
    path = url("buyers:new_opportunity", setting.buyer.pk, language=language)
    for viewport in (DESKTOP, PHONE):
        page = _open(open_page, live_server, setting.people.member, path, viewport)
        fieldsets = page.locator("fieldset[data-kind]")
        assert [fieldsets.nth(i).is_visible() for i in range(3)] == [True, True, True]
        page.select_option("#id_kind", "finance")
        assert [fieldsets.nth(i).is_visible() for i in range(3)] == [True, False, False]
        assert page.locator("#id_target_age_min").is_disabled()  # not sent: another kind's fields stay blank
        violations = axe(page)
        assert not violations, f"{path} at {viewport['width']}px:\n{describe_violations(violations)}"
        page.select_option("#id_kind", "public_asset")
        assert [fieldsets.nth(i).is_visible() for i in range(3)] == [False, False, True]


def test_the_opportunity_form_shows_every_kind_s_fieldset_without_javascript(live_server, open_page, setting):
    client = Client()
    client.force_login(setting.people.member)
    page = open_page(live_server.url + "/healthz", viewport=PHONE, javascript=False)
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value}
    page.context.add_cookies([{**cookie, "url": live_server.url}])
    page.goto(live_server.url + url("buyers:edit_opportunity", setting.opportunity.pk))
    assert page.locator("#id_kind").input_value() == "reserved_contract"
    for legend in ("Finance instrument", "Training or youth programme", "Public asset in concession"):
        assert page.get_by_role("group", name=legend).is_visible(), legend
