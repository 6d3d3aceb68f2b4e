"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser).

They run against pytest-django's live server.  Screenshots for the user guide are written to
``docs/screenshots/`` by ``shoot()``.  Without ``/usr/bin/chromium`` they are skipped with a
message, except where ``EGOV_REQUIRE_BROWSER=1`` (CI), where a missing browser fails the run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    # The browser's own controls in Vietnamese, as staff see them (with LANGUAGE below).
    "--lang=vi-VN",
]

# Playwright's sync API runs an event loop in this thread; the live server's database is
# ours, so Django's async-safety guard would only get in the way here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        if os.environ.get("EGOV_REQUIRE_BROWSER") == "1":
            pytest.fail("Browser tests need Debian's chromium at /usr/bin/chromium.")
        pytest.skip(
            "Debian's chromium is not installed (apt-get install chromium); browser tests skipped."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        # Chromium takes its own strings (the file input's "Chọn tệp"...) from LANGUAGE;
        # Debian ships them in chromium-l10n.
        env = {**os.environ, "LANGUAGE": "vi", "LANG": "vi_VN.UTF-8"}
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, env=env)
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": 1280, "height": 860},
        base_url=live_server.url,
    )
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


@pytest.fixture
def phone_page(browser, live_server):  # type: ignore[no-untyped-def]
    """A small phone screen, as many citizens use."""
    context = browser.new_context(
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": 390, "height": 780},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        base_url=live_server.url,
    )
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


def shoot(page, name: str, full_page: bool = False) -> Path:  # type: ignore[no-untyped-def]
    """Save a screenshot for the user guide as docs/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=full_page)
    return target


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each browser test starts with an empty cache, as its database starts empty: the live
    server shares this process's cache (locmem), and an earlier test's cached figures (the
    public board read by the portal's home) must not show in the next one."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture
def demo_data(transactional_db):  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)


def login(page, username: str, password: str = "Demo@2026") -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
