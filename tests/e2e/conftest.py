"""Browser tests: Playwright driving Debian's Chromium (no browser is downloaded at test time)."""

import os
import shutil

import pytest

from tests.conftest import REQUIRE_SERVICES

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def _playwright():
    path = chromium_path()
    if path is None:
        message = "Chromium not installed (apt-get install chromium; .ci/run does it)"
        if REQUIRE_SERVICES:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread for the whole session; the ORM calls
    # that tests and database fixtures make between browser steps are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(_playwright):
    # A phone in Mexico: small screen, Spanish (Mexico) as the browser's language.
    context = _playwright.new_context(viewport={"width": 390, "height": 844}, locale="es-MX", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
