"""The secretariat's whole lifecycle in a real browser, with a reviewer in a second one.

An officer signs in, creates an agreement from the starting point, fixes a problem shown at
its line, launches a round; a reviewer follows the e-mailed link, comments and requests
changes; the officer answers the comment on the board, records a paper decision for another
party, drafts version 2 (with its commitments), runs round 2, starts the sign-off and records
the signatures given on paper: the agreement is in force and its commitments are listed.
Every long step is a Prefect flow run the run page follows (the test harness's server).
"""

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, select

from models import Agreement, AgreementStatus
from tests.e2e.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, require_browser
from tests.review_world import World
from tests.scans import scan_pdf
from tests.workspace_world import OFFICER, PASSWORD

SLUG = "kz-shelter-mou"
SAFE_HOME = "safehome@example.kz"
OTHER_PARTIES = ("kz-iac", "kz-mia")
SIGNERS = {
    "kz-iac": "Айгерим Жаксылыкова",
    "kz-mia": "Ерлан Касымов",
    "ngo-safe-home": "Гульнара Токтарова",
}
COMMITMENTS = """
commitments:
  - id: c-01
    activity:
      kk: Баспана қызметкерлерін оқыту
      ru: Обучение сотрудников приютов
    responsible: kz-mia
    partners: [ngo-safe-home]
    due: 2027-Q4
"""
TIMEOUT = 120_000
"""Flow runs on a loaded two-core machine: generous, and only waited for when needed."""


def _scan(name: str) -> dict[str, Any]:
    return {"name": name, "mimeType": "application/pdf", "buffer": scan_pdf()}


def _run_completes(page: Any) -> None:
    """The run page refreshes itself until its run ends; it must end completed."""
    from playwright.sync_api import expect

    expect(page.locator(".state-completed, .state-failed")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator(".state-completed")).to_be_visible()


def _sign_in(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/workspace/")
    page.fill("#email", OFFICER)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/workspace/")


def _create(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/workspace/agreements/new")
    page.fill("#slug", SLUG)
    page.check("input[name='kind'][value='mou']")
    page.fill("#country", "KZ")
    for code, title in (("kk", "Баспана туралы меморандум"), ("ru", "Меморандум о приютах")):
        page.check(f"input[name='languages'][value='{code}']")
        page.fill(f"#title_{code}", title)
    for org in (*OTHER_PARTIES, "ngo-safe-home"):
        page.select_option(f"#role_{org}", "signatory")
    for clause in ("purpose", "confidentiality", "final-provisions"):
        page.check(f"input[name='clauses'][value='{clause}']")
    page.get_by_role("button", name="Create and draft").click()
    _run_completes(page)


def _fix_a_problem(page: Any, base_url: str) -> None:
    """A mistake typed into the source is shown at its line before anything is saved."""
    from playwright.sync_api import expect

    page.goto(f"{base_url}/workspace/agreements/{SLUG}/source")
    assert page.locator("#text").count(), page.inner_text("main")
    text = page.input_value("#text")
    broken = text.replace("country: KZ", "country: Kazakhstan", 1)
    line = broken.splitlines().index("country: Kazakhstan") + 1
    page.fill("#text", broken)
    page.get_by_role("button", name="Check").click()
    expect(page.locator("main")).to_contain_text(f"Line {line}")
    page.fill("#text", text)
    page.get_by_role("button", name="Check").click()
    expect(page.locator("main")).not_to_contain_text(f"Line {line}, column")


def _launch_round(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/workspace/agreements/{SLUG}/rounds/new")
    page.fill("#working_days", "10")
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("button", name="Start the round").click()
    _run_completes(page)


def _board(page: Any, base_url: str, number: int) -> None:
    page.goto(f"{base_url}/workspace/agreements/{SLUG}/rounds/{number}")


def _paper_decision(page: Any, base_url: str, number: int, party: str, decision: str) -> None:
    from playwright.sync_api import expect

    _board(page, base_url, number)
    if not page.locator("#paper").count():
        return  # the round closed when its last party answered
    page.locator("#paper summary").click()
    page.select_option("#party", party)
    page.check(f"#paper input[name='decision'][value='{decision}']")
    page.fill("#incoming_number", f"01-{party}")
    page.fill("#incoming_date", datetime.now(UTC).date().isoformat())
    page.set_input_files("#scan", files=[_scan(f"letter-{party}.pdf")])
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("main")).not_to_contain_text("refused", timeout=TIMEOUT)


def _close_if_open(page: Any, base_url: str, number: int) -> None:
    _board(page, base_url, number)
    close = page.get_by_role("button", name="Close the round now")
    if close.count():
        close.click()


def _reviewer_requests_changes(browser: Any, base_url: str, world: World) -> None:
    from playwright.sync_api import expect

    token = world.links()[SAFE_HOME]
    reviewer = browser.new_context(locale="ru-RU").new_page()
    reviewer.goto(f"{base_url}/r/{token}")
    expect(reviewer.locator("h1")).to_contain_text("Меморандум о приютах")
    reviewer.fill("#body", "Просим уточнить срок хранения данных о клиентах приютов.")
    reviewer.get_by_role("button", name="Добавить комментарий").click()
    expect(reviewer.get_by_role("status")).to_have_text("Ваш комментарий сохранён.")
    reviewer.check("input[value='request_changes']")
    reviewer.fill("#reason", "Срок хранения данных не указан.")
    reviewer.get_by_role("button", name="Сохранить решение").click()
    expect(reviewer.get_by_role("status")).to_have_text("Ваше решение записано.")
    reviewer.context.close()


def _answer_the_comment(page: Any, base_url: str) -> None:
    from playwright.sync_api import expect

    _board(page, base_url, 1)
    comment = page.locator("article.comment").first
    expect(comment).to_contain_text("срок хранения данных")
    comment.locator("textarea[name='response']").fill("Срок хранения будет указан в редакции 2.")
    comment.locator("input[name='verdict'][value='accepted']").check()
    comment.get_by_role("button").click()
    expect(page.locator("main")).to_contain_text("Срок хранения будет указан в редакции 2.")


def _draft_version_two(page: Any, base_url: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{base_url}/workspace/agreements/{SLUG}/source")
    page.fill("#text", page.input_value("#text").rstrip("\n") + "\n" + COMMITMENTS)
    page.get_by_role("button", name="Save and draft").click()
    _run_completes(page)
    page.goto(f"{base_url}/workspace/agreements/{SLUG}")
    expect(page.locator("main")).to_contain_text("2")


def _sign_on_paper(page: Any, base_url: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{base_url}/workspace/agreements/{SLUG}/signoff")
    page.get_by_role("button", name="Start the sign-off").click()
    _run_completes(page)
    today = datetime.now(UTC).date().isoformat()
    for party, name in SIGNERS.items():
        page.goto(f"{base_url}/workspace/agreements/{SLUG}/signoff")
        page.select_option("#party", party)
        page.fill("#name", name)
        page.fill("#title", "Директор")
        page.fill("#signed_on", today)
        page.fill("#place", "Астана")
        page.set_input_files("#scan", files=[_scan(f"signed-{party}.pdf")])
        page.get_by_role("button", name="Record the signature").click()
        expect(page.locator("main")).to_contain_text(name)


def test_a_secretariat_runs_an_agreement_from_draft_to_force_in_the_browser(
    live_workspace: tuple[str, World],
) -> None:
    require_browser()
    from playwright.sync_api import expect, sync_playwright

    base_url, world = live_workspace
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            officer = browser.new_context(
                locale="en-GB", viewport={"width": 1280, "height": 900}
            ).new_page()
            _sign_in(officer, base_url)
            _create(officer, base_url)
            _fix_a_problem(officer, base_url)
            _launch_round(officer, base_url)
            _reviewer_requests_changes(browser, base_url, world)
            _answer_the_comment(officer, base_url)
            _paper_decision(officer, base_url, 1, "kz-mia", "approve")
            _close_if_open(officer, base_url, 1)
            _draft_version_two(officer, base_url)
            _launch_round(officer, base_url)
            for party in (*OTHER_PARTIES, "ngo-safe-home"):
                _paper_decision(officer, base_url, 2, party, "approve")
            _close_if_open(officer, base_url, 2)
            _sign_on_paper(officer, base_url)
            with Session(world.engine) as session:
                agreement = session.exec(select(Agreement).where(Agreement.slug == SLUG)).one()
            assert agreement.status is AgreementStatus.in_force
            officer.goto(f"{base_url}/workspace/agreements/{SLUG}/commitments")
            expect(officer.locator("main")).to_contain_text("Обучение сотрудников приютов")
            officer.screenshot(path=str(ARTIFACTS / "workspace-commitments.png"), full_page=True)
            officer.goto(f"{base_url}/workspace/")
            officer.screenshot(path=str(ARTIFACTS / "workspace-home.png"), full_page=True)
        finally:
            browser.close()
