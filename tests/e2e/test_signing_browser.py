"""A signatory and a focal point in a real browser, on a phone-sized screen.

Same harness as test_review_browser: Debian's Chromium through Playwright, uvicorn serving
the portal on loopback; screenshots land in tests/artifacts/ (git-ignored).
"""

from pathlib import Path

from tests.e2e.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, require_browser
from tests.portal.conftest import MONDAY
from tests.portal.test_focal_pages import FOCAL_LINK, KIM, PDF
from tests.portal.test_signing_pages import SAFE_HOME, start_signing
from tests.review_world import World

PHONE_WIDTH = 390


def test_a_signatory_signs_on_a_phone(live_portal: tuple[str, World]) -> None:
    require_browser()
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
    require_browser()
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
