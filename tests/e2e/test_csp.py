"""The Content-Security-Policy in Chromium (ADR 0018): the public pages break no rule of the
strict policy, and still work under it.

Every page of the context records the ``securitypolicyviolation`` events it sees (an init
script, installed before any page script runs) and the console's CSP errors; a test fails
on the first one, naming the page, the directive and what was blocked.  The staff console
(``/admin/``) gets the relaxed policy and must break none of its rules either.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.e2e.test_portal import _wagtail_roots

PROCEDURE = "1.013225"

#: Stores every violation on ``window.__cspViolations`` (before the page's own scripts).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push({
        directive: event.effectiveDirective,
        blocked: event.blockedURI,
        source: event.sourceFile + ":" + event.lineNumber,
        sample: event.sample,
    });
});
"""


class CspWatch:
    """Collects CSP violations of one browser page: DOM events and console errors."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.console: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._on_console)

    def _on_console(self, message: Any) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.console.append(message.text)

    def assert_clean(self, where: str) -> None:
        self.page.wait_for_load_state("networkidle")
        events = self.page.evaluate("window.__cspViolations || []")
        assert not events and not self.console, (
            f"CSP violations on {where}: {events} {self.console}"
        )
        self.console.clear()

    def visit(self, url: str) -> Any:
        response = self.page.goto(url)
        assert response is not None and response.status < 400, (
            f"{url}: {response and response.status}"
        )
        policy = response.headers.get("content-security-policy", "")
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, (url, policy)
        self.assert_clean(url)
        return response


@pytest.fixture
def public_site(demo_data: Any, settings: Any) -> None:
    settings.ROOT_URLCONF = "tests.e2e.urls"  # the CMS's images too
    _wagtail_roots()
    call_command("seed_portal", verbosity=0)
    call_command("seed_procedures", verbosity=0)


def test_public_pages_break_no_rule_of_the_strict_policy(page, public_site) -> None:  # type: ignore[no-untyped-def]
    watch = CspWatch(page)
    watch.visit("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    # A category and an article of the portal, reached as a visitor does.
    category = page.locator("section.news-block h2 a").first
    watch.visit(category.get_attribute("href"))
    article = page.locator("article.news-item h3 a").first
    watch.visit(article.get_attribute("href"))
    expect(page.locator("main h1")).to_be_visible()

    watch.visit("/tim-kiem/?q=thu+tuc")
    watch.visit("/dich-vu-cong/")
    watch.visit("/dich-vu-cong/thu-tuc/")
    watch.visit(f"/dich-vu-cong/thu-tuc/{PROCEDURE}/")
    expect(page.locator("main h1")).to_be_visible()

    # The lookup page (its stylesheet was an inline <style>) and an answer to a search.
    watch.visit("/tra-cuu-ho-so/")
    expect(page.locator(".lookup-form")).to_have_css("display", "flex")
    response = page.goto("/tra-cuu-ho-so/?ma=H99.99-260101-9999&so=1234")
    assert response is not None and response.status in (200, 404)
    watch.assert_clean("a dossier lookup")

    watch.visit("/cong-khai/ket-qua-giai-quyet/")
    expect(page.locator("main")).to_be_visible()
    watch.visit("/dat-lich/")
    watch.visit("/accounts/login/")
    watch.visit("/accounts/signup/")
    # The opt-out page (its stylesheet was an inline <style>), for a link that is not valid.
    response = page.goto("/thong-bao/tu-choi/lien-ket-hong/")
    assert response is not None and response.status == 404
    expect(page.locator(".optout")).to_have_css("max-width", "640px")
    watch.assert_clean("the opt-out page")
    # The API's documentation (django-ninja's Swagger UI, from /static/, no inline script).
    watch.visit("/api/v1/docs")
    expect(page.locator("#swagger-ui .info")).to_be_visible()
    watch.assert_clean("the API documentation")
    response = page.goto("/khong-co-trang-nay/")
    assert response is not None and response.status == 404
    watch.assert_clean("the 404 page")


def test_pages_still_work_under_the_policy(page, public_site) -> None:  # type: ignore[no-untyped-def]
    watch = CspWatch(page)
    watch.visit("/dich-vu-cong/thu-tuc/")

    # htmx: configured by its meta tag (no <style> of its own), and a request still swaps.
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    assert page.evaluate("document.querySelectorAll('style').length") == 0
    page.evaluate(
        "htmx.ajax('GET', '/dich-vu-cong/thu-tuc/" + PROCEDURE + "/', "
        "{target: '#main', select: '#main h1', swap: 'innerHTML'})"
    )
    expect(page.locator("#main > h1")).to_be_visible()
    watch.assert_clean("an htmx swap")

    # The language switch (a form posting to /i18n/setlang/) and the text size buttons.
    with page.expect_navigation():
        page.locator(".lang-switch button[value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    with page.expect_navigation():
        page.locator(".lang-switch button[value=vi]").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    with page.expect_navigation():
        page.locator(".text-size button[value=larger]").click()
    expect(page.locator("html")).to_have_class("text-lg")
    watch.assert_clean("the language and text size switches")

    # A citizen signs in (a form posting to this site) and opens their dossiers.
    login(page, "demo.citizen")
    watch.visit("/dich-vu-cong/ho-so-cua-toi/")
    expect(page.locator("main h1")).to_be_visible()


def test_the_console_breaks_no_rule_of_its_relaxed_policy(page, public_site) -> None:  # type: ignore[no-untyped-def]
    watch = CspWatch(page)
    login(page, "demo.admin")
    response = page.goto("/admin/")
    assert response is not None and response.status == 200
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'self'" in policy and "object-src 'none'" in policy
    watch.assert_clean("the console's dashboard")
    page.goto("/admin/pages/")
    watch.assert_clean("the console's page explorer")
