"""The public site in a real browser: Playwright for Python driving Debian's Chromium.

Walks home → timeline → a year → an event → its source → back, with the site's
Content-Security-Policy enforced and no console error allowed, checks the indicator chart draws
its points, saves full-page screenshots (desktop and phone width) under test-artifacts/, and runs
axe-core (vendored in tests/e2e/vendor/) on each page type.

Needs Chromium at /usr/bin/chromium (``apt-get install chromium``; CHROMIUM_PATH overrides the
path) and the ``playwright`` package from requirements-dev.txt; no browser is downloaded. Without
them these tests skip, except in CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
# One page of each type, for the screenshots at phone width and the accessibility check.
PAGE_TYPES = {
    "home": "/",
    "timeline": "/events/?date_after=2018&date_before=2018",
    "event": "/events/mirziyoyev-first-official-visit-spring-2018/",
    "agreements": "/agreements/",
    "agreement": "/agreements/treaty-of-eternal-friendship-1998/",
    "indicators": "/indicators/",
    "indicator": "/indicators/trade-turnover/",
    "sources": "/sources/",
    "source": "/sources/eucacis-in-brief-6-baydarov-2019/",
    "actor": "/actors/shavkat-mirziyoyev/",
    "place": "/places/shymkent/",
    "search": "/search/?q=trade",
    "not-found": "/events/no-such-event/",
}

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _require_browser() -> Any:
    """Playwright's sync API, or a skip (a failure in CI) saying how to install what is missing."""
    missing = []
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
        missing.append("the playwright package (.venv/bin/pip install -r requirements-dev.txt)")
    if not CHROMIUM.exists():
        missing.append(f"Chromium at {CHROMIUM} (sudo apt-get install chromium, or set CHROMIUM_PATH)")
    if missing:
        message = "End-to-end tests need " + " and ".join(missing) + "."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return sync_playwright


@pytest.fixture
def browser(live_server: Any) -> Iterator[Any]:
    """Chromium with the seed data served by the live server (loaded before the browser starts,
    since Playwright's sync API runs an event loop in which Django refuses ORM calls)."""
    sync_playwright = _require_browser()
    call_command("load_seed", verbosity=0)
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class ConsoleWatch:
    """Collects console errors and uncaught page errors (a CSP violation is one)."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(str(error)))


def _shot(page: Any, name: str, viewport: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}-{viewport}.png"), full_page=True)


def test_a_reader_walks_from_home_to_a_source_and_back(browser: Any, live_server: Any) -> None:
    """Home → timeline → 2018 → an event → its source → back, with no console error on the way."""
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    console = ConsoleWatch(page)

    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text().startswith("Kazakhstan and Uzbekistan")
    assert page.locator("svg.chart-svg g.point").count() == 7
    _shot(page, "1-home", "desktop")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Timeline").click()
    page.wait_for_url("**/events/")
    assert page.locator("h1").inner_text() == "Timeline of events"
    _shot(page, "2-timeline", "desktop")

    page.get_by_label("From (year or YYYY-MM-DD)").fill("2018")
    page.get_by_label("Until (year or YYYY-MM-DD)").fill("2018")
    page.get_by_role("button", name="Show events").click()
    page.wait_for_url("**/events/?*date_after=2018*")
    year_headings = page.locator("section.year h2").all_inner_texts()
    assert year_headings == ["2018"]
    _shot(page, "3-timeline-2018", "desktop")

    page.get_by_role("link", name="First official visit of Shavkat Mirziyoyev").click()
    page.wait_for_url("**/events/mirziyoyev-first-official-visit-spring-2018/")
    assert "spring 2018" in page.locator("dl.facts").inner_text()
    _shot(page, "4-event", "desktop")

    source_link = page.locator("ol.citations a[href^='/sources/']").first
    source_title = source_link.inner_text()
    source_link.click()
    page.wait_for_url("**/sources/*/")
    assert page.locator("h1").inner_text() == source_title
    assert page.locator("ol.citations li").count() >= 1
    _shot(page, "5-source", "desktop")

    page.go_back()
    page.wait_for_url("**/events/mirziyoyev-first-official-visit-spring-2018/")

    page.goto(live_server.url + "/indicators/trade-turnover/")
    points = page.locator("svg.chart-svg g.point")
    assert points.count() == 7
    assert page.locator("svg.chart-svg g.point-target").count() == 2
    box = points.first.bounding_box()
    assert box is not None
    assert box["width"] > 0
    assert box["height"] > 0
    assert page.locator("svg.chart-svg > title").first.text_content() == "Bilateral trade turnover"
    _shot(page, "6-indicator", "desktop")

    assert console.errors == []
    context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_page_type_fits_the_screen_and_is_captured(browser: Any, live_server: Any, viewport: str) -> None:
    """At desktop and phone (390 px) width nothing scrolls sideways; each page type is captured whole."""
    context = browser.new_context(viewport=VIEWPORTS[viewport], device_scale_factor=1)
    page = context.new_page()
    console = ConsoleWatch(page)
    for name, path in PAGE_TYPES.items():
        response = page.goto(live_server.url + path)
        if name == "not-found":
            assert response.status == 404
            # The browser reports the page's own 404 status as a console error; that one is expected.
            console.errors = [error for error in console.errors if "status of 404" not in error]
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px"
        _shot(page, name, viewport)
    assert console.errors == []
    context.close()


def test_no_page_type_has_a_serious_accessibility_violation(browser: Any, live_server: Any) -> None:
    """axe-core finds nothing serious or critical on any page type, at desktop or phone width."""
    failures = []
    for viewport in ("desktop", "phone"):
        # Playwright injects the script inline, which the site's CSP rightly refuses; this context
        # bypasses the CSP for the check only (the walk above runs with it enforced).
        context = browser.new_context(viewport=VIEWPORTS[viewport], bypass_csp=True)
        page = context.new_page()
        for name, path in PAGE_TYPES.items():
            page.goto(live_server.url + path)
            page.add_script_tag(path=str(AXE))
            results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
            for violation in results["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    targets = [node["target"] for node in violation["nodes"][:3]]
                    failures.append(f"{viewport} {name}: {violation['id']} ({violation['help']}) at {targets}")
        context.close()
    assert failures == []


@pytest.mark.parametrize(
    ("path", "ready"),
    [("/api/docs/", ".opblock"), ("/api/events/", "#content"), ("/admin/login/", "#login-form")],
)
def test_api_docs_browsable_api_and_admin_work_under_the_sites_csp(
    browser: Any, live_server: Any, path: str, ready: str
) -> None:
    """The same policy covers every page: these pages load their scripts and styles as files.

    DRF's browsable API template also floats two buttons with ``style`` attributes, which the
    policy refuses; that costs only their placement, so those reports are the one allowance."""
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    console = ConsoleWatch(page)
    response = page.goto(live_server.url + path)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(ready)
    assert page.locator(ready).count() >= 1
    if path.startswith("/api/events/"):
        console.errors = [error for error in console.errors if not error.startswith("Applying inline style")]
    assert console.errors == []
    context.close()
