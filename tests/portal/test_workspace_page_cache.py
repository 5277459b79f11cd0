"""The home page and the round board are reused between requests, yet a change they show
appears on the very next request, whoever made it; another secretariat never gets them —
on SQLite and PostgreSQL."""

import html
from datetime import timedelta

from fastapi import FastAPI
from starlette.testclient import TestClient

from accord.services.review.access import resolve
from accord.services.review.actions import add_comment, decide
from accord.services.review.answers import answer_comment
from models import Decision
from tests.portal.conftest import LEGAL
from tests.portal.test_workspace_rounds import (
    BOARD,
    MONDAY,
    NOW,
    app,
    client,
    open_round_with_comments,
)
from tests.review_world import World
from tests.workspace_world import KG_OFFICER, OFFICER, VIEWER, csrf_of, sign_in

__all__ = ["app", "client"]  # the fixtures of the rounds' tests


def shown(client: TestClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text[:500]
    return html.unescape(page.text)


def test_the_board_shows_an_answer_a_decision_and_a_comment_at_once(
    client: TestClient, world: World
) -> None:
    ids = open_round_with_comments(world)
    sign_in(client, VIEWER)
    first = shown(client, BOARD)
    assert shown(client, BOARD) == first  # reused: nothing changed
    with world.env(NOW, actor="cli:test") as env:
        answer_comment(MOU_SLUG, 1, ids["clause"], "Shortened to three years.", "accepted", env=env)
    assert "Shortened to three years." in shown(client, BOARD)
    links = world.links()
    with world.env(MONDAY + timedelta(hours=5)) as env:
        scope = resolve(links[LEGAL], session=env.session, now=env.now)
        add_comment(scope, None, "A sentence about costs.", request_key="k9" * 8, env=env)
    assert "A sentence about costs." in shown(client, BOARD)
    before = shown(client, BOARD).count("approved")
    with world.env(MONDAY + timedelta(hours=6)) as env:
        scope = resolve(links[LEGAL], session=env.session, now=env.now)
        decide(scope, Decision.approve, "", request_key="k8" * 8, env=env)
    assert shown(client, BOARD).count("approved") > before


def test_the_home_page_shows_a_decision_at_once(client: TestClient, world: World) -> None:
    open_round_with_comments(world)
    sign_in(client, OFFICER)
    assert "1 / 4" in shown(client, "/workspace/")
    links = world.links()
    with world.env(MONDAY + timedelta(hours=6)) as env:
        scope = resolve(links[LEGAL], session=env.session, now=env.now)
        decide(scope, Decision.approve, "", request_key="k8" * 8, env=env)
    assert "2 / 4" in shown(client, "/workspace/")


def test_each_reader_gets_their_own_name_and_csrf_and_another_secretariat_nothing(
    app: FastAPI, world: World
) -> None:
    open_round_with_comments(world)
    with (
        TestClient(app, follow_redirects=False, headers={"accept-language": "en"}) as kz,
        TestClient(app, follow_redirects=False, headers={"accept-language": "en"}) as again,
        TestClient(app, follow_redirects=False, headers={"accept-language": "en"}) as kg,
    ):
        sign_in(kz, OFFICER)
        sign_in(again, OFFICER)
        sign_in(kg, KG_OFFICER)
        ours = shown(kz, BOARD)
        theirs = shown(again, BOARD)
        assert csrf_of(ours) != csrf_of(theirs)  # each bound to its own session
        assert OFFICER in ours
        assert kg.get(BOARD).status_code == 404
        kz_home, kg_home = shown(kz, "/workspace/"), shown(kg, "/workspace/")
        assert KG_OFFICER in kg_home and OFFICER not in kg_home
        assert "/rounds/1" in kz_home and "/rounds/1" not in kg_home
        # the cached form's field is genuine for its own session only
        answer = {"comment": "1", "response": "Noted.", "verdict": "accepted"}
        sent = again.post(f"{BOARD}/answer", data={**answer, "csrf_token": csrf_of(ours)})
        assert sent.status_code == 403
        sent = kz.post(f"{BOARD}/answer", data={**answer, "csrf_token": csrf_of(ours)})
        assert sent.status_code == 303


MOU_SLUG = BOARD.split("/")[3]
