"""What a reviewer sees and does on their page: languages, redline, comments, decisions."""

import html
import re
from datetime import UTC, datetime

from sqlmodel import Session, col, select
from starlette.testclient import TestClient

from accord.services.agreements import find_agreement, find_version, version_content
from accord.services.review.board import record_on_paper
from accord.services.review.rounds import RoundRequest, start_round
from accord.services.review.tick import review_tick
from accord.settings import Settings
from models import Decision, ReviewComment, ReviewDecision
from tests.portal.conftest import (
    LEGAL,
    MIA,
    NOW,
    SAFE_HOME,
    count,
    open_page,
    post,
)
from tests.review_world import MOU, World


def test_page_speaks_the_contacts_language_and_can_switch(
    client: TestClient, links: dict[str, str]
) -> None:
    russian = open_page(client, links[SAFE_HOME]).html
    assert 'lang="ru"' in russian and "Решение вашей организации" in russian
    assert "Общественный фонд «Безопасный дом»" in russian  # organisation, in Russian
    assert "Гульнара Токтарова" in russian
    kazakh = open_page(client, links[LEGAL]).html
    assert 'lang="kk"' in kazakh and "Ұйымыңыздың шешімі" in kazakh
    assert "Жауап беру мерзімі" in kazakh and "25 қаңтар" in kazakh  # deadline, in Kazakh
    english = open_page(client, links[SAFE_HOME], "?ui=en").html
    assert "Your organisation's decision" in english and 'lang="en"' in english
    kyrgyz = open_page(client, links[LEGAL], "?ui=ky").html
    assert 'lang="ky"' in kyrgyz and "Уюмуңуздун чечими" in kyrgyz
    assert "Решение вашей организации" not in kyrgyz
    bar = russian.split('<nav class="langs"', 1)[1].split("</nav>", 1)[0]
    assert '<strong lang="ru">' in bar and 'hreflang="kk"' in bar and 'hreflang="en"' in bar


def test_document_language_toggles_among_the_agreements_languages(
    client: TestClient, links: dict[str, str]
) -> None:
    russian = open_page(client, links[SAFE_HOME]).html
    assert "Общие положения" in russian and "Жалпы ережелер" not in russian
    assert "Меморандум о взаимопонимании" in russian
    kazakh = open_page(client, links[SAFE_HOME], "?lang=kk").html
    assert "Жалпы ережелер" in kazakh and "Общие положения" not in kazakh
    assert "Решение вашей организации" in kazakh  # the page itself stays in Russian
    assert 'href="?lang=ru#text"' in kazakh  # the toggle back
    assert "Общие положения" in open_page(client, links[SAFE_HOME], "?lang=de").html
    first = open_page(client, links[SAFE_HOME]).html
    assert "впервые" in first  # first review: nothing to compare with
    assert re.search(r'<span class="num">5\.1\.</span>', first)  # numbered sub-clauses


def test_a_comment_on_a_clause_is_saved_and_shown(
    client: TestClient, links: dict[str, str], world: World
) -> None:
    page = open_page(client, links[SAFE_HOME])
    status, location, _ = post(
        client,
        links[SAFE_HOME],
        "comment",
        page,
        clause_id="confidentiality",
        body="Предлагаем сократить срок хранения до 3 лет.",
    )
    assert status == 303 and "done=comment" in location
    assert location.endswith("#clause-confidentiality")
    shown = client.get(location).text
    assert "Ваш комментарий сохранён." in shown
    assert "Предлагаем сократить срок хранения до 3 лет." in shown
    assert re.search(r"Пункт 7\. [^<]*Конфиденциальн", shown)
    with Session(world.engine) as session:
        row = session.exec(select(ReviewComment)).one()
    assert row.clause_id == "confidentiality"


def test_a_clause_link_preselects_it_in_the_comment_form(
    client: TestClient, links: dict[str, str]
) -> None:
    page = open_page(client, links[SAFE_HOME], "?clause=confidentiality").html
    assert '<option value="confidentiality" selected>' in page
    assert re.search(r'<option value="purpose-[a-z-]+">2\.2\. Задачами взаимодействия', page)
    assert 'href="?lang=ru&amp;clause=confidentiality#comment"' in page


def test_bad_comments_are_refused_with_the_reason_and_nothing_is_saved(
    client: TestClient, links: dict[str, str], world: World
) -> None:
    token = links[SAFE_HOME]
    page = open_page(client, token)
    status, _, body = post(client, token, "comment", page, clause_id="no-such-clause", body="x")
    assert status == 422
    assert "В версии 1 нет пункта «no-such-clause»" in html.unescape(body)
    status, _, body = post(client, token, "comment", page, clause_id="", body="   ")
    assert status == 422 and "не более 5000 знаков" in body
    long_text = "слово " * 900
    status, _, body = post(client, token, "comment", page, clause_id="", body=long_text)
    assert status == 422
    assert "Длина комментария — 5399 знаков; допускается не более 5000." in body
    assert long_text.strip() in body  # what they typed is kept for them to shorten
    assert count(world.engine, ReviewComment) == 0


def test_request_for_changes_needs_a_reason(
    client: TestClient, links: dict[str, str], world: World
) -> None:
    token = links[LEGAL]
    page = open_page(client, token)
    assert "Өзгерістер сұралғанда міндетті" in page.html  # said before anyone tries
    assert 'maxlength="5000"' in page.html
    status, _, body = post(client, token, "decision", page, decision="request_changes", reason="")
    assert status == 422 and "Өзгерістер сұралғанда негіздеме қажет" in body
    status, _, body = post(client, token, "decision", page, decision="maybe", reason="")
    assert status == 422 and "Үш шешімнің бірін таңдаңыз." in body
    assert count(world.engine, ReviewDecision) == 0


def test_a_decision_can_change_and_the_history_is_kept(
    client: TestClient, links: dict[str, str], world: World
) -> None:
    token = links[SAFE_HOME]
    status, location, _ = post(
        client,
        token,
        "decision",
        open_page(client, token),
        decision="request_changes",
        reason="Срок хранения данных слишком долгий.",
    )
    assert status == 303 and "done=decision" in location and location.endswith("#decide")
    assert world.messages("changes_requested")  # the secretariat hears at once
    status, _, _ = post(client, token, "decision", open_page(client, token), decision="approve")
    assert status == 303
    page = open_page(client, token).html
    current = page.split('id="status-title"')[1].split("</section>")[0]
    assert "Одобрено" in current and "Гульнара Токтарова" in current
    history = page.split("История решений")[1]
    assert history.index("Одобрено") < history.index("Запрошены изменения")
    assert "Срок хранения данных слишком долгий." in history
    with Session(world.engine) as session:
        rows = session.exec(select(ReviewDecision).order_by(col(ReviewDecision.id))).all()
    assert [r.decision for r in rows] == [Decision.request_changes, Decision.approve]


def test_script_in_a_comment_is_shown_as_text(client: TestClient, links: dict[str, str]) -> None:
    token = links[SAFE_HOME]
    post(
        client,
        token,
        "comment",
        open_page(client, token),
        clause_id="",
        body="<script>alert(1)</script>",
    )
    page = open_page(client, token).html
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_delegation_gives_the_colleague_a_link_and_keeps_both_names(
    client: TestClient, links: dict[str, str], world: World
) -> None:
    token = links[SAFE_HOME]
    page = open_page(client, token)
    assert "Асель Бекова" in page.html  # a colleague to pick
    status, location, _ = post(
        client,
        token,
        "delegate",
        page,
        colleague="",
        name="Айжан Серикова",
        email="a.serikova@example.kz",
    )
    assert status == 303 and "done=delegate" in location
    status, _, _ = post(  # the same form again: no second link
        client,
        token,
        "delegate",
        page,
        colleague="",
        name="Айжан Серикова",
        email="a.serikova@example.kz",
    )
    assert status == 303
    delegated = world.links("delegated_access")
    assert list(delegated) == ["a.serikova@example.kz"]
    colleague = delegated["a.serikova@example.kz"]
    assert colleague != token
    own = open_page(client, colleague)
    assert "Айжан Серикова" in own.html
    post(client, colleague, "decision", own, decision="approve_with_comments", reason="Ок.")
    for viewer in (token, colleague):
        shown = open_page(client, viewer).html
        assert "Айжан Серикова (по поручению: Гульнара Токтарова)" in shown


def test_delegating_to_oneself_or_nobody_is_refused(
    client: TestClient, links: dict[str, str], world: World
) -> None:
    token = links[MIA]
    page = open_page(client, token)
    status, _, body = post(client, token, "delegate", page, colleague="", name="", email="")
    assert status == 422 and "Әріптесіңізді таңдаңыз" in body
    status, _, body = post(
        client, token, "delegate", page, colleague="", name="Мадина", email=MIA.upper()
    )
    assert status == 422 and "өзіңізге тапсыру мүмкін емес" in body
    assert world.messages("delegated_access") == []


def test_the_draft_downloads_as_docx(client: TestClient, links: dict[str, str]) -> None:
    response = client.get(f"/r/{links[SAFE_HOME]}/document.docx")
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    assert f'filename="{MOU}-v1.docx"' in response.headers["content-disposition"]


def test_round_two_shows_a_redline_of_the_changed_clause_only(
    client: TestClient, links: dict[str, str], world: World
) -> None:
    for email in links:
        decision = "request_changes" if email == SAFE_HOME else "approve"
        status, location, _ = post(
            client,
            links[email],
            "decision",
            open_page(client, links[email]),
            decision=decision,
            reason="Срок хранения — 3 года.",
        )
        assert status == 303
    assert location == "/done"  # the last answer closed the round
    assert "Рақмет" in client.get("/done?ui=kk").text
    world.edit(f"{MOU}.yaml", "retention_years: 5", "retention_years: 3")
    world.edit(f"{MOU}.yaml", "due: 2027-Q2", "due: 2027-Q3")
    world.edit(f"{MOU}.yaml", 'target: "150"', 'target: "200"')
    world.edit(f"{MOU}.yaml", "- id: c-05", "- id: c-05-revised")
    assert {r.agreement: r.number for r in world.draft()}[MOU] == 2
    with world.env(NOW) as env:
        start_round(RoundRequest(agreement=MOU, working_days=5), env=env)
    token = world.links()[SAFE_HOME]  # the newest request to this reviewer
    page = open_page(client, token).html
    assert "Изменения по сравнению с версией 1" in page
    redline = page.split('class="redline-box"')[1].split("</section>\n</div>")[0]
    assert "<del>5</del>" in redline.replace(" ", "") or "<del>5" in redline
    assert "<ins>3" in redline
    assert 'data-clause="confidentiality-' in redline
    assert 'data-clause="general"' not in redline  # unchanged clauses are left out
    changes = html.unescape(page.split('class="redline-box"')[1].split("</section>\n</div>")[0])
    changed = changes.split('<section class="activity-change" data-status="changed">', 1)[1]
    changed = changed.split("</section>", 1)[0]
    assert '<span class="num">1.</span> Организовать обучение' in changed
    assert "<dt>Срок исполнения</dt><dd><del>II кв. 2027</del> <ins>III кв. 2027</ins>" in changed
    assert "<del>Количество обученных сотрудников 0 → 150</del>" in changed
    assert "<ins>Количество обученных сотрудников 0 → 200</ins>" in changed
    assert "Ответственный исполнитель" not in changed  # unchanged fields are left out
    assert changes.count('"activity-change" data-status="changed"') == 1  # only what changed
    five = '<p><span class="num">5.</span> '
    assert f'"activity-change" data-status="added">{five}<ins>Предоставлять' in changes
    assert f'"activity-change" data-status="removed">{five}<del>Предоставлять' in changes


def test_a_reused_page_never_hides_a_change_made_elsewhere(
    client: TestClient, links: dict[str, str], world: World
) -> None:
    token = links[SAFE_HOME]
    first = open_page(client, token)
    again = open_page(client, token)  # the same page, reused, with fresh secrets
    assert again.keys["decision"] != first.keys["decision"]
    with world.env(NOW) as env:  # the secretariat records a paper decision (the CLI)
        record_on_paper(MOU, "ngo-safe-home", Decision.approve, "Письмо от 12.01", env=env)
    assert "внесено секретариатом" in open_page(client, token).html
    world.edit("organizations.yaml", "name: Асель Бекова", "name: Асель Бекова-Нурланова")
    world.draft()  # a colleague renamed in the organisations file
    assert "Асель Бекова-Нурланова" in open_page(client, token).html
    with world.env(datetime(2027, 1, 26, 9, 0, tzinfo=UTC)) as env:
        review_tick(env=env)  # the deadline passed: the round closes elsewhere
    assert client.get(f"/r/{token}").status_code == 404


def test_text_shaped_like_a_page_slot_stays_text(client: TestClient, links: dict[str, str]) -> None:
    token = links[SAFE_HOME]
    post(client, token, "comment", open_page(client, token), body="<accord-slot-csrf/>")
    page = open_page(client, token)
    assert "&lt;accord-slot-csrf/&gt;" in page.html


def test_the_page_shows_the_plan_with_the_documents_numbers_and_fields(
    client: TestClient, links: dict[str, str]
) -> None:
    russian = html.unescape(open_page(client, links[SAFE_HOME]).html)
    plan = russian.split('<section class="plan"', 1)[1]
    assert '<h3 id="plan-title">План мероприятий</h3>' in plan
    first = plan.split('id="activity-c-01"', 1)[1].split("</article>", 1)[0]
    assert '<span class="num">1.</span> Организовать обучение сотрудников' in first
    assert "II кв. 2027" in first  # the deadline as the DOCX prints it
    assert "0 → 150" in first and "6\xa0000\xa0000 KZT" in first
    assert "Республиканский бюджет; техническое содействие МОМ" in first
    assert 'id="activity-c-05"' in plan and '<span class="num">5.</span>' in plan
    assert "c-0" not in re.sub(r"<[^>]*>", "", plan)  # ids only in anchors and links
    kazakh = html.unescape(open_page(client, links[SAFE_HOME], "?lang=kk").html)
    assert "Ішкі істер органдарының қызметкерлерін" in kazakh
    assert "Организовать обучение" not in kazakh


def test_an_activity_is_commented_on_like_a_clause(
    client: TestClient, links: dict[str, str], world: World
) -> None:
    token = links[SAFE_HOME]
    page = open_page(client, token)
    assert 'href="?lang=ru&amp;activity=c-03#comment"' in page.html
    assert "Прокомментировать мероприятие 3" in page.html
    chosen = open_page(client, token, "?activity=c-03").html
    assert '<option value="activity:c-03" selected>3. Обеспечить круглосуточный' in chosen
    status, location, _ = post(
        client, token, "comment", page, clause_id="activity:c-03", body="Уточнить срок."
    )
    assert status == 303 and location.endswith("#activity-c-03")  # back where they read
    shown = html.unescape(client.get(location).text)
    assert "Мероприятие 3. Обеспечить круглосуточный приём" in shown
    counted = shown.split('id="activity-c-03"', 1)[1].split("</article>", 1)[0]
    assert '<span class="count">1 комментарий</span>' in counted
    assert '<span class="count">' not in shown.split('id="activity-c-03"', 1)[0]
    with Session(world.engine) as session:
        row = session.exec(select(ReviewComment)).one()
    assert (row.clause_id, row.activity_id) == (None, "c-03")


def test_a_comment_on_an_activity_the_version_lacks_is_refused(
    client: TestClient, links: dict[str, str], world: World
) -> None:
    token = links[SAFE_HOME]
    page = open_page(client, token)
    status, _, body = post(client, token, "comment", page, clause_id="activity:c-99", body="x")
    assert status == 422
    assert "В плане версии 1 нет мероприятия «c-99»" in html.unescape(body)
    assert count(world.engine, ReviewComment) == 0


def test_a_refusal_is_shown_beside_the_field_that_caused_it(
    client: TestClient, links: dict[str, str]
) -> None:
    token = links[LEGAL]
    page = open_page(client, token)
    status, _, body = post(client, token, "decision", page, decision="request_changes", reason="")
    assert status == 422
    reason = re.search(r'<textarea id="reason"[^>]*>', body)
    assert reason is not None
    assert 'aria-invalid="true"' in reason.group(0) and "autofocus" in reason.group(0)
    assert 'aria-describedby="reason-error"' in reason.group(0)
    beside = body.split(reason.group(0), 1)[1].split("</form>", 1)[0]
    assert '<p class="field-error" id="reason-error" role="alert">' in beside
    assert "Өзгерістер сұралғанда негіздеме қажет" in beside
    assert 'class="flash error"' not in body  # not atop the page
    assert body.count('aria-invalid="true"') == 1
    status, _, body = post(client, token, "comment", page, clause_id="", body="   ")
    assert status == 422
    assert re.search(r'<textarea id="body"[^>]*aria-invalid="true"', body)
    assert 'id="body-error" role="alert"' in body


def test_both_languages_side_by_side_clause_by_clause(
    client: TestClient, links: dict[str, str]
) -> None:
    single = open_page(client, links[SAFE_HOME]).html
    assert 'href="?lang=ru&amp;both=1#text">Языки рядом</a>' in single
    page = open_page(client, links[SAFE_HOME], "?lang=ru&both=1").html
    assert 'class="document parallel-text"' in page
    general = page.split('id="clause-general"', 1)[1].split("</section>", 1)[0]
    columns = re.findall(r'<div class="column( other)?" lang="(\w+)">', general)
    assert columns == [("", "ru"), (" other", "kk")]  # the reader's language first
    assert "Общие положения" in general and "Жалпы ережелер" in general
    assert 'href="?lang=ru#text">Один язык</a>' in page
    kazakh_first = open_page(client, links[SAFE_HOME], "?lang=kk&both=1").html
    first = kazakh_first.split('<div class="column" lang="', 1)[1]
    assert first.startswith("kk")


def test_a_reviewer_proposes_new_wording_for_a_clause(
    client: TestClient, links: dict[str, str], world: World
) -> None:
    token = links[SAFE_HOME]
    page = open_page(client, token)
    wording = "Персональные данные хранятся не более трёх лет."
    status, location, _ = post(
        client,
        token,
        "comment",
        page,
        clause_id="confidentiality",
        body="Пять лет — слишком долго.",
        proposed=wording,
    )
    assert status == 303 and location.endswith("#clause-confidentiality")
    shown = html.unescape(client.get(location).text)
    assert f'Предлагаемая редакция:</p><blockquote class="body proposed">{wording}' in shown
    with Session(world.engine) as session:
        row = session.exec(select(ReviewComment)).one()
    assert (row.body, row.proposed_text) == ("Пять лет — слишком долго.", wording)


def test_proposed_wording_must_change_something_and_name_a_clause(
    client: TestClient, links: dict[str, str], world: World
) -> None:
    token = links[SAFE_HOME]
    page = open_page(client, token)
    with Session(world.engine) as session:
        agreement = find_agreement(MOU, session=session)
        content = version_content(find_version(agreement, None, session=session))
    current = next(c for c in content.agreement.commitments if c.id == "c-03").activity["ru"]
    status, _, body = post(
        client, token, "comment", page, clause_id="activity:c-03", body="x", proposed=current
    )
    assert status == 422
    assert "Предлагаемая редакция совпадает с действующим текстом" in html.unescape(body)
    assert re.search(r'<textarea id="proposed"[^>]*aria-invalid="true"', body)
    status, _, body = post(client, token, "comment", page, clause_id="", body="x", proposed="y")
    assert status == 422 and "Новая редакция заменяет пункт или мероприятие" in body
    assert count(world.engine, ReviewComment) == 0


def test_parties_read_each_others_comments_only_when_the_agreement_says_so(
    client: TestClient, world: World
) -> None:
    world.edit(
        f"{MOU}.yaml",
        "review: {working_days: 10, remind_before: [3, 1]}",
        "review: {working_days: 10, remind_before: [3, 1], comments_visible: parties}",
    )
    world.draft()
    from tests.portal.conftest import start_round_one

    links = start_round_one(world)
    page = open_page(client, links[LEGAL])
    status, _, _ = post(
        client, links[LEGAL], "comment", page, clause_id="activity:c-03", body="Срок нереален."
    )
    assert status == 303
    other = html.unescape(open_page(client, links[SAFE_HOME]).html)
    shared = other.split("Комментарии других сторон", 1)[1].split("</ol>", 1)[0]
    assert "Мероприятие 3." in shared and "Срок нереален." in shared
    assert "«Правовая опора»" in shared  # the commenting organisation is named
    assert "Комментарии других сторон" not in html.unescape(open_page(client, links[LEGAL]).html)


def test_by_default_a_party_reads_only_its_own_comments(
    client: TestClient, links: dict[str, str]
) -> None:
    page = open_page(client, links[LEGAL])
    post(client, links[LEGAL], "comment", page, clause_id="general", body="Замечание.")
    assert "Замечание." not in open_page(client, links[SAFE_HOME]).html
    assert "Комментарии других сторон" not in open_page(client, links[SAFE_HOME]).html


def test_a_delegation_outside_the_partys_domains_waits_for_the_secretariat(
    client: TestClient, links: dict[str, str], world: World
) -> None:
    token = links[SAFE_HOME]
    page = open_page(client, token)
    status, location, _ = post(
        client,
        token,
        "delegate",
        page,
        colleague="",
        name="Айжан Серикова",
        email="a.serikova@example.org",
    )
    assert status == 303 and "done=delegate_held" in location
    shown = client.get(location).text
    assert "сначала подтверждает секретариат" in shown
    assert world.messages("delegated_access") == []  # no link before the confirmation


def test_after_the_deadline_the_page_says_so_instead_of_offering_the_forms(
    settings_on: Settings, links: dict[str, str], world: World
) -> None:
    from accord.portal.app import create_app

    now = [NOW]
    token = links[SAFE_HOME]  # writes in Russian
    app = create_app(settings_on, clock=lambda: now[0])
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as client:
        page = open_page(client, token)  # in time: the forms, and the page is kept for reuse
        assert set(page.keys) == {"comment", "decision", "delegate"}
        now[0] = datetime(2027, 1, 25, 13, 0, tzinfo=UTC)  # 18:00 in Kazakhstan, before the tick
        late = client.get(f"/r/{token}")
        assert late.status_code == 200
        assert 'method="post"' not in late.text
        assert "решения, комментарии и поручения больше не принимаются" in html.unescape(late.text)
        assert "Текст проекта" in late.text  # the draft is still there to read
        for form, fields in (
            ("comment", {"body": "Поздно", "clause_id": ""}),
            ("decision", {"decision": "approve", "reason": ""}),
            ("delegate", {"colleague": "", "name": "Айжан", "email": "aizhan@example.kz"}),
        ):
            status, _, body = post(client, token, form, page, **fields)
            assert 400 <= status < 500, (form, status)
            assert "больше не принимаются" in html.unescape(body)
    assert count(world.engine, ReviewComment) == 0
    assert count(world.engine, ReviewDecision) == 0
    assert world.messages("delegated_access") == []
