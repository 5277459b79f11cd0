"""A signatory and a focal point in a real browser, on a phone-sized screen.

Same harness as test_review_browser: Debian's Chromium through Playwright, uvicorn serving
the portal on loopback; screenshots land in tests/artifacts/ (git-ignored).
"""

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from accord.db import get_engine
from accord.portal.app import create_app
from accord.settings import Settings
from tests.e2e.test_review_browser import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    _free_port,
    _require_browser,
)
from tests.portal.conftest import MONDAY, NOW
from tests.portal.test_focal_pages import FOCAL_LINK, KIM, PDF
from tests.portal.test_signing_pages import SAFE_HOME, start_signing
from tests.review_world import World, make_world

PHONE_WIDTH = 390


@pytest.fixture
def live_portal(
    settings: Settings, sqlite_template: Path, tmp_path: Path
) -> Iterator[tuple[str, World]]:
    """(base URL, world) of a portal running in this process on a free port."""
    database = tmp_path / "e2e.db"
    shutil.copy(sqlite_template, database)
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    configured = settings.model_copy(
        update={"database_url": f"sqlite:///{database}", "public_base_url": base_url}
    )
    world = make_world(tmp_path, get_engine(configured.database_url))
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
        yield base_url, world
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_a_signatory_signs_on_a_phone(live_portal: tuple[str, World]) -> None:
    _require_browser()
    from playwright.sync_api import expect, sync_playwright

    base_url, world = live_portal
    token = start_signing(world)[SAFE_HOME]
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": PHONE_WIDTH, "height": 844}, locale="ru-RU")
            page.goto(f"{base_url}/s/{token}")
            sha = page.locator("#sha256").inner_text()
            assert len(sha) == 64
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE_WIDTH, f"the page scrolls sideways on a phone ({width}px)"
            page.screenshot(path=str(ARTIFACTS / "sign-page-phone.png"), full_page=True)
            page.fill("#name", "Гульнара Токтарова")
            page.fill("#title", "Директор")
            page.get_by_role("button", name="Подписать соглашение").click()
            expect(page.locator("#name")).to_have_value("Гульнара Токтарова")  # not sent: unticked
            page.check("input[name='confirm']")
            page.get_by_role("button", name="Подписать соглашение").click()
            expect(page.locator("h1")).to_have_text("Спасибо")
            expect(page.locator("main")).to_contain_text(sha)
            expect(page.locator("main")).to_contain_text("вступает в силу, когда его подпишут все")
        finally:
            browser.close()


def test_a_focal_point_reports_progress_with_a_file(
    live_portal: tuple[str, World], tmp_path: Path
) -> None:
    _require_browser()
    from playwright.sync_api import expect, sync_playwright

    from tests.review_world import bring_into_force

    base_url, world = live_portal
    bring_into_force(world, MONDAY)
    welcome = next(m for m in world.messages("focal_access") if m.to_email == KIM)
    match = FOCAL_LINK.search(welcome.text)
    assert match
    report, program = tmp_path / "Отчёт.pdf", tmp_path / "setup.exe"
    report.write_bytes(PDF)
    program.write_bytes(b"MZ\x90\x00")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": PHONE_WIDTH, "height": 844}, locale="ru-RU")
            page.goto(f"{base_url}/f/{match.group(1)}")
            item = page.locator("#item-kz-referral-mou--c-04")
            item.get_by_text("Сообщить о ходе выполнения").click()
            item.locator("select[name='status']").select_option("in_progress")
            item.locator("input[name='percent']").fill("25")
            item.locator("input[name='evidence']").set_input_files(str(report))
            item.get_by_role("button", name="Сохранить отчёт").click()
            expect(page.get_by_role("status")).to_have_text("Ваш отчёт о ходе выполнения сохранён.")
            expect(page.locator("#item-kz-referral-mou--c-04")).to_contain_text("25 %")

            item = page.locator("#item-kz-referral-mou--c-05")
            item.get_by_text("Сообщить о ходе выполнения").click()
            item.locator("input[name='evidence']").set_input_files(str(program))
            item.get_by_role("button", name="Сохранить отчёт").click()
            expect(page.get_by_role("alert")).to_contain_text("PDF, DOCX, XLSX, JPG, JPEG, PNG")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE_WIDTH, f"the page scrolls sideways on a phone ({width}px)"
            page.screenshot(path=str(ARTIFACTS / "focal-page-phone.png"), full_page=True)
        finally:
            browser.close()
