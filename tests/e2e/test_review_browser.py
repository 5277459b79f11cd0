"""A reviewer in a real browser: open the link, comment on a clause, request changes, approve.

Drives Debian's Chromium through Playwright against uvicorn serving the portal on loopback.
Screenshots land in tests/artifacts/ (git-ignored) for a person to look at.
"""

from tests.e2e.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, require_browser
from tests.portal.conftest import SAFE_HOME, start_round_one
from tests.review_world import World


def test_reviewer_comments_requests_changes_then_approves(
    live_portal: tuple[str, World],
) -> None:
    require_browser()
    from playwright.sync_api import expect, sync_playwright

    base_url, world = live_portal
    token = start_round_one(world)[SAFE_HOME]
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900}, locale="ru-RU")
            page.goto(f"{base_url}/r/{token}")
            expect(page.locator("h1")).to_contain_text("Меморандум о взаимопонимании")

            retention = page.locator("#clause-confidentiality-retention")
            number = retention.locator("h3 .num, p .num").first.inner_text().rstrip(".")
            retention.get_by_role("link", name=f"Прокомментировать пункт {number}").click()
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


def test_reviewer_comments_on_an_activity_and_is_back_at_it(
    live_portal: tuple[str, World],
) -> None:
    require_browser()
    from playwright.sync_api import expect, sync_playwright

    base_url, world = live_portal
    token = start_round_one(world)[SAFE_HOME]
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900}, locale="ru-RU")
            page.goto(f"{base_url}/r/{token}")
            activity = page.locator("#activity-c-03")
            expect(activity).to_contain_text("Обеспечить круглосуточный приём")
            expect(activity).to_contain_text("≥ 95 %")
            activity.get_by_role("link", name="Прокомментировать мероприятие 3").click()
            expect(page.locator("#clause_id")).to_have_value("activity:c-03")
            page.fill("#body", "Предлагаем срок — II квартал 2027 года.")
            page.get_by_role("button", name="Добавить комментарий").click()

            assert page.url.endswith("#activity-c-03"), page.url
            expect(activity).to_be_in_viewport()
            expect(activity.locator(".count")).to_have_text("1 комментарий")
            expect(page.locator(".comments")).to_contain_text("Мероприятие 3. Обеспечить")
            page.screenshot(path=str(ARTIFACTS / "review-activity-comment.png"))

            phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="ru-RU")
            phone.goto(f"{base_url}/r/{token}#plan")
            expect(phone.locator("#activity-c-01")).to_contain_text("Организовать обучение")
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"the plan scrolls sideways on a phone ({width}px)"
        finally:
            browser.close()


def test_languages_side_by_side_on_a_wide_screen_and_one_on_a_phone(
    live_portal: tuple[str, World],
) -> None:
    require_browser()
    from playwright.sync_api import expect, sync_playwright

    base_url, world = live_portal
    token = start_round_one(world)[SAFE_HOME]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            wide = browser.new_page(viewport={"width": 1400, "height": 900}, locale="ru-RU")
            wide.goto(f"{base_url}/r/{token}")
            wide.get_by_role("link", name="Языки рядом").click()
            clause = wide.locator("#clause-general")
            russian, kazakh = clause.locator(".column[lang=ru]"), clause.locator(".column[lang=kk]")
            expect(kazakh).to_be_visible()
            left, right = russian.bounding_box(), kazakh.bounding_box()
            assert left and right
            assert left["y"] == right["y"] and right["x"] > left["x"] + left["width"] / 2
            assert abs(left["width"] - right["width"]) < 2  # two equal, aligned columns
            wide.screenshot(path=str(ARTIFACTS / "review-side-by-side.png"))

            phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="ru-RU")
            phone.goto(wide.url)
            expect(phone.locator("#clause-general .column[lang=ru]")).to_be_visible()
            expect(phone.locator("#clause-general .column[lang=kk]")).to_be_hidden()
            phone.locator("nav.doclangs a[hreflang=kk]").click()  # the toggle on a phone
            expect(phone.locator("#clause-general")).to_contain_text("Жалпы ережелер")
        finally:
            browser.close()
