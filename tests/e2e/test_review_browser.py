"""A reviewer in a real browser: open the link, comment on a clause, request changes, approve.

Drives Debian's Chromium through Playwright against uvicorn serving the portal on loopback.
Screenshots land in tests/artifacts/ (git-ignored) for a person to look at.
"""

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from accord.db import get_engine
from accord.portal.app import create_app
from accord.settings import PROJECT_ROOT, Settings
from tests.portal.conftest import NOW, SAFE_HOME, start_round_one
from tests.review_world import make_world

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _require_browser() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing (apt-get install chromium)"
    if os.environ.get("ACCORD_REQUIRE_BROWSER") == "1":
        pytest.fail(f"a browser is required here (ACCORD_REQUIRE_BROWSER=1): {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def portal_url(
    settings: Settings, sqlite_template: Path, tmp_path: Path
) -> Iterator[tuple[str, str]]:
    """(base URL, reviewer's token) of a portal running in this process on a free port."""
    database = tmp_path / "e2e.db"
    shutil.copy(sqlite_template, database)
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    configured = settings.model_copy(
        update={"database_url": f"sqlite:///{database}", "public_base_url": base_url}
    )
    world = make_world(tmp_path, get_engine(configured.database_url))
    token = start_round_one(world)[SAFE_HOME]
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(configured, clock=lambda: NOW),
            host="127.0.0.1",
            port=port,
            log_level="warning",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the portal did not start"
        time.sleep(0.05)
    try:
        yield base_url, token
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_reviewer_comments_requests_changes_then_approves(portal_url: tuple[str, str]) -> None:
    _require_browser()
    from playwright.sync_api import expect, sync_playwright

    base_url, token = portal_url
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900}, locale="ru-RU")
            page.goto(f"{base_url}/r/{token}")
            expect(page.locator("h1")).to_contain_text("Меморандум о взаимопонимании")

            page.get_by_role("link", name="Прокомментировать пункт 7.3", exact=True).click()
            expect(page.locator("#clause_id")).to_have_value("confidentiality-retention")
            page.fill("#body", "Предлагаем сократить срок хранения данных до 3 лет.")
            page.get_by_role("button", name="Добавить комментарий").click()
            expect(page.get_by_role("status")).to_have_text("Ваш комментарий сохранён.")

            page.check("input[value='request_changes']")
            page.get_by_role("button", name="Сохранить решение").click()
            expect(page.get_by_role("alert")).to_contain_text("должен быть обоснован")
            page.check("input[value='request_changes']")
            page.fill("#reason", "Срок хранения персональных данных слишком долгий.")
            page.get_by_role("button", name="Сохранить решение").click()
            expect(page.get_by_role("status")).to_have_text("Ваше решение записано.")
            expect(page.locator(".current")).to_contain_text("Запрошены изменения")

            page.check("input[value='approve']")
            page.get_by_role("button", name="Сохранить решение").click()
            expect(page.locator(".current")).to_contain_text("Одобрено")
            history = page.locator(".history li")
            expect(history).to_have_count(2)
            expect(history.nth(0)).to_contain_text("Одобрено")
            expect(history.nth(1)).to_contain_text("Запрошены изменения")
            expect(history.nth(1)).to_contain_text("слишком долгий")
            expect(page.locator(".comments")).to_contain_text("до 3 лет")
            page.screenshot(path=str(ARTIFACTS / "review-page.png"), full_page=True)

            phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="kk-KZ")
            phone.goto(f"{base_url}/r/{token}?ui=kk&lang=kk")
            expect(phone.locator(".current")).to_contain_text("Мақұлданды")
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
            phone.screenshot(path=str(ARTIFACTS / "review-page-phone.png"), full_page=True)
        finally:
            browser.close()
