"""The opportunities' pages in a real browser: axe-core finds no WCAG 2.1 A/AA violation on desktop and
phone, in Italian and English, nothing scrolls sideways on a phone, and the board's filters work without
JavaScript."""

import pytest

from socialplan.core.tests.browser import DESKTOP, PHONE, describe_violations
from socialplan.opportunities.models import Buyer, Opportunity

from .pages_sample import CLEANING, CO_DESIGN, GREEN, LOAN, build_sample

pytestmark = pytest.mark.browser


@pytest.fixture
def sample(db):
    return build_sample()


def opportunity_pages() -> dict[str, str]:
    def page_of(title: str) -> str:
        return f"/opportunita/{Opportunity.objects.get(title_it=title).pk}/"

    buyer = Buyer.objects.get(name="Comune di Torino (demo)")
    return {
        "board": "/opportunita/",
        "board-filtered": "/opportunita/?q=pulizia&tipo=nothing&comune=001156&clausole=1&chiuse=1&ordina=valore",
        "board-page-2": "/opportunita/?chiuse=1&pagina=2",
        "co-design": page_of(CO_DESIGN),
        "convention": page_of(GREEN),
        "finance": page_of(LOAN),
        "buyer": f"/opportunita/committenti/{buyer.pk}/",
    }


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize(
    "name", ["board", "board-filtered", "board-page-2", "co-design", "convention", "finance", "buyer"]
)
def test_page_is_accessible_on_desktop_and_phone(live_server, sample, open_page, axe, name, language):
    path = ("/en" if language == "en" else "") + opportunity_pages()[name]
    for viewport in (DESKTOP, PHONE):
        page = open_page(live_server.url + path, viewport=viewport)
        assert page.evaluate("document.documentElement.lang") == language
        violations = axe(page)
        assert not violations, f"{path} at {viewport['width']}px:\n{describe_violations(violations)}"
        if viewport is PHONE:
            widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert widths[0] <= widths[1], f"{path} scrolls sideways on a phone: {widths[0]}px > {widths[1]}px"


def test_board_filters_work_without_javascript_on_a_phone(live_server, sample, open_page):
    page = open_page(live_server.url + "/en/opportunita/", viewport=PHONE, javascript=False)
    page.select_option("#filter-tipo", "reserved_contract")
    page.select_option("#filter-comune", "001156")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/en/opportunita/?*tipo=reserved_contract*")
    assert page.locator(".opportunity-list h3 a").all_inner_texts() == ["Cleaning of the Moncalieri town offices"]

    page.get_by_role("link", name="Cleaning of the Moncalieri town offices").click()
    page.wait_for_url(f"**/en/opportunita/{Opportunity.objects.get(title_it=CLEANING).pk}/")
    assert page.locator("h1").inner_text().startswith("Cleaning of the Moncalieri town offices")
    assert page.get_by_text("At least 30% of the workers must be disabled or disadvantaged people.").is_visible()


def test_main_navigation_leads_to_the_board(live_server, sample, open_page):
    page = open_page(live_server.url + "/en/organizzazioni/")
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Opportunities").click()
    page.wait_for_url("**/en/opportunita/")
    assert page.locator("h1").inner_text() == "Opportunities"
