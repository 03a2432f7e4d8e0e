"""Browser journeys: Debian's Chromium driven by Playwright against the real stack.

The stack is started for the test: pytest-django's live server (the API and the built portals
from one origin, as in production), a real Anvil with our contracts, and a real Celery worker
with beat (relay, indexer, audit anchoring) on the same test database.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.processes import REPO, Worker

DIST = REPO / "frontend" / "dist" / "index.html"
SCREENSHOTS = REPO / "docs" / "screenshots"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--disable-dev-shm-usage"]
# Bounds every wait in a journey; chain confirmations and anchoring take seconds, not minutes.
STEP_TIMEOUT_MS = 60_000


def _chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _missing(reason: str):
    # In CI a missing prerequisite is a failure, never a silent skip.
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium_browser():
    executable = _chromium()
    if executable is None:
        _missing("Chromium is not installed (make chromium)")
    if not DIST.exists():
        _missing("the portals are not built (make frontend)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop on this thread, which Django takes for async
    # code; the ORM calls here are plain synchronous test code (Playwright's documented setting).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS, headless=True)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def stack(live_server, chain, worker_env, tmp_path, settings):
    """The live server, the chain and a worker with beat, all on this test's database."""
    settings.AUDIT_BATCH_MAX_SECONDS = 1.0
    env = {**worker_env, "AUDIT_BATCH_MAX_SECONDS": "1", "WORKER_HEARTBEAT_SECONDS": "2"}
    worker = Worker(env=env, log_path=tmp_path / "worker.log").start(beat=True)
    try:
        yield live_server
    finally:
        worker.kill()


@pytest.fixture
def browser_context(chromium_browser):
    from playwright.sync_api import expect

    expect.set_options(timeout=STEP_TIMEOUT_MS)
    context = chromium_browser.new_context(viewport={"width": 1360, "height": 860}, locale="en-US", timezone_id="Asia/Shanghai")
    context.set_default_timeout(STEP_TIMEOUT_MS)
    yield context
    context.close()


def shoot(page, name: str) -> Path:
    """Keep a screenshot of what a person sees (docs/screenshots, linked from the README)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False, animations="disabled")
    return path
