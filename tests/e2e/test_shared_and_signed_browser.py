"""Two scenarios of issue 11 in a real browser: another party reads a comment when the
agreement shares comments between parties, and an old link after the last signature shows
"signed" with the signed agreement to download.

Same harness as test_review_browser: Debian's Chromium through Playwright, uvicorn serving
the portal on loopback; screenshots land in tests/artifacts/ (git-ignored).
"""

from tests.e2e.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, require_browser
from tests.portal.conftest import LEGAL, SAFE_HOME, start_round_one
from tests.portal.test_old_links_after_signing import SIGNED_FILE, sign_as
from tests.portal.test_signing_pages import start_signing
from tests.review_world import MOU, World

SHARED = "review: {working_days: 10, remind_before: [3, 1], comments_visible: parties}"


def test_another_party_sees_the_comment_when_comments_are_shared(
    live_portal: tuple[str, World],
) -> None:
    require_browser()
    from playwright.sync_api import expect, sync_playwright

    base_url, world = live_portal
    world.edit(f"{MOU}.yaml", "review: {working_days: 10, remind_before: [3, 1]}", SHARED)
    world.draft()
    links = start_round_one(world)
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            legal = browser.new_page(viewport={"width": 1100, "height": 900}, locale="ru-RU")
            legal.goto(f"{base_url}/r/{links[LEGAL]}?ui=ru&lang=ru")
            activity = legal.locator("#activity-c-03")
            activity.get_by_role("link", name="Прокомментировать мероприятие 3").click()
            legal.fill("#body", "Срок нереален: предлагаем II квартал 2027 года.")
            legal.get_by_role("button", name="Добавить комментарий").click()
            expect(legal.get_by_role("status")).to_have_text("Ваш комментарий сохранён.")
            expect(legal.locator(".comments.others")).to_have_count(0)  # only its own

            other = browser.new_page(viewport={"width": 1100, "height": 900}, locale="ru-RU")
            other.goto(f"{base_url}/r/{links[SAFE_HOME]}")
            shared = other.locator(".comments.others")
            expect(shared).to_contain_text("Мероприятие 3.")
            expect(shared).to_contain_text("Срок нереален: предлагаем II квартал 2027 года.")
            expect(shared).to_contain_text("«Правовая опора»")
            other.screenshot(path=str(ARTIFACTS / "review-shared-comments.png"), full_page=True)
        finally:
            browser.close()


def test_an_old_link_after_the_last_signature_offers_the_signed_agreement(
    live_portal: tuple[str, World],
) -> None:
    require_browser()
    from playwright.sync_api import expect, sync_playwright

    base_url, world = live_portal
    signing = start_signing(world)
    review = world.links()
    sign_as(world, signing, sorted(signing))
    stored = world.store.read(f"{MOU}/{SIGNED_FILE}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            for path in (f"/r/{review[SAFE_HOME]}", f"/s/{signing[SAFE_HOME]}"):
                page = browser.new_page(
                    viewport={"width": 390, "height": 844}, locale="ru-RU", accept_downloads=True
                )
                page.goto(f"{base_url}{path}")
                expect(page.locator("h1")).to_have_text("Подписано")
                expect(page.get_by_role("status")).to_contain_text("вступило в силу")
                with page.expect_download() as started:
                    page.get_by_role("link", name="Скачать подписанное соглашение (DOCX)").click()
                download = started.value
                assert download.suggested_filename == SIGNED_FILE
                saved = download.path()
                assert saved is not None and saved.read_bytes() == stored
            page.screenshot(path=str(ARTIFACTS / "old-link-signed.png"), full_page=True)
        finally:
            browser.close()
