"""The ecosystem's pages in a real browser: axe-core finds no WCAG 2.1 A/AA violation on desktop and phone,
the map draws the 312 comuni from GeoJSON alone under the real Content-Security-Policy, and the directory
works without JavaScript."""

import re

import pytest
from django.core.management import call_command

from socialplan.core.tests.browser import DESKTOP, PHONE, describe_violations
from socialplan.ecosystem.tests.public_sample import TORINO, build_sample

pytestmark = pytest.mark.browser

POLYGONS = ".leaflet-overlay-pane svg path"


@pytest.fixture
def sample(torino):
    call_command("load_territory", "TO", verbosity=0)
    return build_sample(torino)


def ecosystem_pages(sample) -> dict[str, str]:
    return {
        "directory": "/organizzazioni/",
        "directory-filtered": f"/organizzazioni/?q=coop&comune={TORINO}&tema=social-procurement",
        "organization": f"/organizzazioni/{sample.germoglio.pk}/",
        "organization-demo": f"/organizzazioni/{sample.volontari.pk}/",
        "map": "/mappa/",
        "network": "/rete/",
        "action": f"/azioni/{sample.sp_s1.pk}/",
    }


def wait_for_the_map(page) -> None:
    """Until more than 300 comuni are drawn (locators, not wait_for_function: the real CSP forbids eval)."""
    page.locator(POLYGONS).nth(300).wait_for(state="attached", timeout=20_000)
    page.locator(".map-count-marker, .map-count-cluster").first.wait_for(state="attached")


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize(
    "name", ["directory", "directory-filtered", "organization", "organization-demo", "map", "network", "action"]
)
def test_page_is_accessible_on_desktop_and_phone(live_server, sample, open_page, axe, name, language):
    path = ("/en" if language == "en" else "") + ecosystem_pages(sample)[name]
    for viewport in (DESKTOP, PHONE):
        page = open_page(live_server.url + path, viewport=viewport)
        assert page.evaluate("document.documentElement.lang") == language
        if name == "map":
            wait_for_the_map(page)
        violations = axe(page)
        assert not violations, f"{path} at {viewport['width']}px:\n{describe_violations(violations)}"
        if viewport is PHONE:
            widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert widths[0] <= widths[1], f"{path} scrolls sideways on a phone: {widths[0]}px > {widths[1]}px"


def test_map_draws_every_comune_with_markers_and_a_legend_in_words_under_the_real_csp(live_server, sample, open_page):
    errors: list[str] = []
    page = open_page(live_server.url + "/en/mappa/", bypass_csp=False)
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.reload()
    wait_for_the_map(page)

    assert page.locator(POLYGONS).count() >= 312
    # No tile layer by default: the map works from the GeoJSON alone.
    assert page.locator(".leaflet-tile-pane img").count() == 0
    legend = page.locator("#map-legend").inner_text()
    assert "Organizations per 10,000 inhabitants" in legend
    assert "0 (none)" in legend and "\u2013" in legend  # value ranges written out, not colours alone
    assert "Comuni with at least one organization: 3 of 312." in legend
    # Torino, Moncalieri and Ivrea each have organizations; zoomed out, nearby ones are clustered.
    # Each marker counts a comune's organizations, each cluster its comuni's: 4 have a seat in all.
    counts = page.locator(".map-count-marker > span[aria-hidden], .map-count-cluster > span[aria-hidden]")
    assert sum(int(text) for text in counts.all_inner_texts()) == 4
    names = page.locator(".map-count-marker .visually-hidden, .map-count-cluster .visually-hidden").all_inner_texts()
    assert all(" in " in name for name in names), names
    assert page.get_attribute(".leaflet-control-zoom-in", "aria-label") == "Zoom in"
    assert not errors, "\n".join(errors)


def test_choosing_a_legal_form_redraws_the_map_without_reloading(live_server, sample, open_page):
    page = open_page(live_server.url + "/en/mappa/")
    wait_for_the_map(page)
    filled_before = page.evaluate(f"[...document.querySelectorAll('{POLYGONS}')].map(p => p.getAttribute('fill'))")

    page.select_option("#map-legal-form", "odv")
    page.locator("#map-legend", has_text="Comuni with at least one organization: 1 of 312.").wait_for()
    filled_after = page.evaluate(f"[...document.querySelectorAll('{POLYGONS}')].map(p => p.getAttribute('fill'))")
    assert filled_after != filled_before
    assert page.evaluate("performance.getEntriesByType('resource').filter(e => e.name.includes('geojson')).length") == 1


def test_map_table_is_there_without_javascript_and_sorts_on_the_server(live_server, sample, open_page):
    page = open_page(live_server.url + "/en/mappa/", javascript=False)
    assert not page.locator("#ecosystem-map").is_visible()  # no empty box where the map would be
    page.get_by_role("link", name=re.compile(r"^Comune \(choose to sort by this column\)$")).click()
    page.wait_for_url("**/en/mappa/?ordina=nome")
    assert page.locator("tbody th").first.inner_text() == "Agliè"


def test_directory_filters_work_without_javascript(live_server, sample, open_page):
    page = open_page(live_server.url + "/en/organizzazioni/", viewport=PHONE, javascript=False)
    page.select_option("#filter-forma", "coop_b")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/en/organizzazioni/?*forma=coop_b*")
    assert page.locator(".portal-organization-list h3").all_inner_texts() == ["Cooperativa Sociale Il Germoglio"]

    page.get_by_role("link", name="Cooperativa Sociale Il Germoglio").click()
    page.wait_for_url(f"**/en/organizzazioni/{sample.germoglio.pk}/")
    assert page.locator("h1").inner_text() == "Cooperativa Sociale Il Germoglio"


def test_network_drawing_is_server_side_and_visible_without_javascript(live_server, sample, open_page):
    page = open_page(live_server.url + "/en/rete/", javascript=False)
    assert page.locator("svg.portal-network").is_visible()
    assert page.locator("svg.portal-network path").count() == 5
    assert page.locator("svg.portal-network text").count() == 3 + 4
