"""Browser fixtures for every app: Debian's Chromium driven by Playwright, with axe-core.

Loaded for the whole suite by the root conftest.py (`pytest_plugins`), so
one browser serves every test: Playwright's sync API cannot start a second
one inside the first one's event loop.

Playwright's sync API runs an event loop in the test thread, which makes
Django refuse ORM calls from that thread unless told it is safe (it is: the
loop only talks to the browser).
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    return (Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture
def open_page(browser):
    """Open pages in fresh contexts (CSP bypassed by default so axe can be injected); closes them after the test."""
    contexts = []

    def opener(url: str, *, viewport: dict[str, int] = DESKTOP, bypass_csp: bool = True, javascript: bool = True):
        context = browser.new_context(viewport=viewport, bypass_csp=bypass_csp, java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        response = page.goto(url)
        assert response is not None
        return page

    yield opener
    for context in contexts:
        context.close()


@pytest.fixture
def axe(axe_source):
    """Run axe-core's WCAG 2.1 A/AA rules on a page; returns the violations."""

    def run(page) -> list[dict]:
        page.add_script_tag(content=axe_source)
        results = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
        )
        return results["violations"]

    return run


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {node['target']}: {node.get('failureSummary', '')}" for node in violation["nodes"])
    return "\n".join(lines)
