"""The interactive API documentation works offline and under the site's CSP.

Swagger UI is a JavaScript application: only a real browser shows whether
it renders when the CSP forbids inline scripts and every other origin, so
the page is opened in Debian's Chromium and the test fails on any CSP
violation, any request that leaves the site, or a page without the API.
"""

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from playwright.sync_api import ConsoleMessage, Request


def test_docs_page_loads_only_bundled_assets_and_no_inline_script(client: Client) -> None:
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    html = response.content.decode()
    for asset in ("ninja/swagger-ui.css", "ninja/swagger-ui-bundle.js", "ninja/swagger-ui-init.js"):
        assert f"/static/{asset}" in html
        assert finders.find(asset), f"{asset} is not among the static files"
    assert "cdn" not in html.lower()


def render_docs(browser: Any, url: str) -> dict[str, Any]:
    """Open the docs page in Chromium; report its title, operations, CSP violations and foreign requests."""
    site = urlsplit(url).netloc
    seen: dict[str, Any] = {"violations": [], "foreign_requests": []}

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            seen["violations"].append(message.text)

    def on_request(request: Request) -> None:
        target = urlsplit(request.url)
        if target.scheme in ("http", "https") and target.netloc != site:
            seen["foreign_requests"].append(request.url)

    context = browser.new_context()
    try:
        page = context.new_page()
        page.on("console", on_console)
        page.on("request", on_request)
        page.goto(url)
        page.wait_for_selector(".swagger-ui .info .title", timeout=15_000)
        seen["title"] = page.inner_text(".swagger-ui .info .title")
        seen["operations"] = page.locator(".opblock-summary-path").all_inner_texts()
    finally:
        context.close()
    return seen


@pytest.mark.browser
def test_docs_page_renders_the_api_in_chromium_under_the_csp(live_server, browser) -> None:
    seen = render_docs(browser, f"{live_server.url}/api/v1/docs")

    assert "Social economy plan API" in seen["title"]
    assert "/api/v1/actions/{action_id}" in seen["operations"]
    assert "/api/v1/themes" in seen["operations"]
    assert seen["violations"] == []
    assert seen["foreign_requests"] == []
