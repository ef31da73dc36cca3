"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium) against a live server.

Playwright's own browser download does not work on these machines, so the suite uses
the system Chromium; .ci/run installs it when it is missing. A missing browser fails
the run with the reason — it is never a silent skip.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("QIAOBAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by
# fixtures in that thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `apt-get install -y chromium` (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page_factory(browser: Any) -> Iterator[Any]:
    """``page_factory(width=375, height=667, locale="zh-CN")`` → a fresh page in its own context."""
    contexts: list[Any] = []

    def make(width: int = 1280, height: int = 800, locale: str = "zh-CN") -> Any:
        context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(autouse=True)
def media_root(tmp_path: Path, settings: Any) -> Path:
    """Uploads made through the browser land in this test's own folder, not var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def artifact() -> Any:
    """``artifact("name.png")`` → a path under test-artifacts/ for screenshots."""
    ARTIFACTS.mkdir(exist_ok=True)
    return lambda name: str(ARTIFACTS / name)


@pytest.fixture
def ui_built() -> None:
    """The browser tests of the web UI drive the real build: fail (never skip) without it."""
    from designer_ui.manifest import manifest_path

    if not manifest_path().exists():
        pytest.fail("The web UI is not built: run `make ui` (make test does) before the browser tests")


@pytest.fixture
def signed_in(live_server: Any, page_factory: Any, ui_built: None) -> Any:
    """``signed_in("lina", width=375, language="en")`` → a page signed in through the login form."""

    def sign_in(username: str, *, password: str = "secret-pass-123", width: int = 1280, height: int = 800,
                language: str = "zh-hans") -> Any:
        page = page_factory(width=width, height=height, locale="en-US" if language == "en" else "zh-CN")
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.js_errors = errors  # tests assert this stays empty
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button.btn-primary")
        page.wait_for_url(f"{live_server.url}/app/")
        page.wait_for_selector(".qb-topbar")
        return page

    return sign_in
