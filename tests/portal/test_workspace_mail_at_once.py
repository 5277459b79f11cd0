"""Mail queued by the workspace's actions leaves at once through the app's courier, without
the scheduled delivery; a failing provider leaves it queued and the page answers as usual;
a password reset request does the same work before answering whether or not an account has
the address — on SQLite and PostgreSQL."""

import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import event
from starlette.testclient import TestClient

from accord.mail.eml_mailer import IDEMPOTENCY_HEADER
from accord.settings import Settings
from accord.workspace.app import create_app
from models import MessageStatus, OutgoingMessage
from tests.portal.conftest import LEGAL, MIA, SAFE_HOME
from tests.portal.test_workspace_rounds import BOARD, NOW, open_round_with_comments
from tests.review_world import World
from tests.sendgrid_endpoint import SendGridEndpoint
from tests.workspace_world import ADMIN, OFFICER, courier_done, csrf_of, sign_in, staff_world

COURIER = "accord-courier"
DELIVERY = "accord-delivery"
"""The courier's delivery threads (`deliver_pending`'s pool)."""


@pytest.fixture
def app(settings_on: Settings, world: World) -> FastAPI:
    staff_world(world)
    open_round_with_comments(world)
    return create_app(settings_on, clock=lambda: NOW)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False, headers={"accept-language": "en"}) as test_client:
        yield test_client


def written(settings: Settings) -> set[tuple[str, str]]:
    """(address, message key) of every e-mail the outbox mailer wrote."""
    found = set()
    for path in settings.outbox_dir.glob("*.eml"):
        mail = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(mail, EmailMessage)
        found.add((mail["To"].addresses[0].addr_spec, str(mail[IDEMPOTENCY_HEADER])))
    return found


def assert_delivered(world: World, settings: Settings, kind: str) -> list[OutgoingMessage]:
    """Every message of `kind` is marked sent and its .eml file was written."""
    messages = world.messages(kind)
    assert messages, f"no {kind} e-mail was queued"
    assert {m.status for m in messages} == {MessageStatus.sent}, [
        (m.to_email, m.status, m.last_error) for m in messages
    ]
    files = written(settings)
    for message in messages:
        assert (message.to_email, message.key) in files
    return messages


def test_remind_now_delivers_the_reminders_at_once(
    client: TestClient, world: World, settings_on: Settings
) -> None:
    csrf = sign_in(client, OFFICER)
    assert client.post(f"{BOARD}/remind", data={"csrf_token": csrf}).status_code == 303
    courier_done(client)
    reminded = {m.to_email for m in assert_delivered(world, settings_on, "review_reminder")}
    assert reminded and SAFE_HOME not in reminded
    assert_delivered(world, settings_on, "review_request")  # what was pending went with them


def test_extending_the_deadline_tells_the_reviewers_at_once(
    client: TestClient, world: World, settings_on: Settings
) -> None:
    csrf = sign_in(client, OFFICER)
    answer = client.post(
        f"{BOARD}/deadline", data={"csrf_token": csrf, "new_deadline": "2027-02-05"}
    )
    assert answer.status_code == 303, answer.text[:1000]
    courier_done(client)
    told = assert_delivered(world, settings_on, "deadline_extended")
    assert {m.to_email for m in told} >= {SAFE_HOME, LEGAL, MIA}


def test_an_added_reviewer_gets_the_link_at_once(
    client: TestClient, world: World, settings_on: Settings
) -> None:
    csrf = sign_in(client, OFFICER)
    form = {"party": "kz-mia", "name": "Dana Example", "email": "dana@example.kz"}
    answer = client.post(f"{BOARD}/reviewer", data={"csrf_token": csrf, "replacing": "", **form})
    assert answer.status_code == 303, answer.text[:1500]
    courier_done(client)
    sent = assert_delivered(world, settings_on, "review_request")
    assert "dana@example.kz" in {m.to_email for m in sent}


def test_an_invitation_is_delivered_at_once(
    client: TestClient, world: World, settings_on: Settings
) -> None:
    csrf = sign_in(client, ADMIN)
    answer = client.post(
        "/workspace/staff/invite",
        data={
            "csrf_token": csrf,
            "email": "newcomer@example.kz",
            "name": "Dana Newcomer",
            "role": "viewer",
            "language": "ru",
        },
    )
    assert answer.status_code == 303, answer.text[:500]
    courier_done(client)
    (invitation,) = assert_delivered(world, settings_on, "staff_invitation")
    assert invitation.to_email == "newcomer@example.kz"


def _reset(client: TestClient, email: str) -> int:
    page = client.get("/workspace/reset")
    answer = client.post(
        "/workspace/reset", data={"csrf_token": csrf_of(page.text), "email": email}
    )
    return answer.status_code


def test_a_reset_link_is_delivered_at_once_and_an_unknown_address_gets_nothing(
    client: TestClient, world: World, settings_on: Settings
) -> None:
    assert _reset(client, "nobody@example.kz") == 200
    assert _reset(client, OFFICER) == 200
    courier_done(client)
    (reset,) = assert_delivered(world, settings_on, "password_reset")
    assert reset.to_email == OFFICER


class Statements:
    """The SQL each request runs in the threads that answer it (the courier's and its
    delivery threads' left out)."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not threading.current_thread().name.startswith((COURIER, DELIVERY)):
            self.seen.append(statement)

    def during(self, act: Any) -> list[str]:
        self.seen = []
        act()
        return self.seen


def test_a_reset_request_does_the_same_work_before_answering_for_any_address(
    app: FastAPI, client: TestClient
) -> None:
    """Looking for the account, its link and its e-mail happen after the answer, in the
    courier's thread: the request's own statements are the same for both addresses."""
    engine = app.state.portal.engine
    statements = Statements()
    event.listen(engine, "before_cursor_execute", statements)
    try:

        def reset(email: str) -> None:
            assert _reset(client, email) == 200
            courier_done(client)  # no write of the courier's meets the next request's

        reset("first@example.kz")  # connections and caches warmed up alike
        for_account = statements.during(lambda: reset(OFFICER))
        for_nobody = statements.during(lambda: reset("nobody@example.kz"))
    finally:
        event.remove(engine, "before_cursor_execute", statements)
    assert for_account == for_nobody
    assert for_account, "the request was recorded"
    for table in ("staff_account", "staff_link", "outgoing_message", "audit_event"):
        assert not [s for s in for_account if table in s], table


def test_a_failing_provider_leaves_the_mail_queued_and_the_page_answers(
    settings_on: Settings, world: World
) -> None:
    staff_world(world)
    open_round_with_comments(world)
    with SendGridEndpoint() as sendgrid:
        for _ in range(200):  # every hand-over refused for now, with no wait asked
            sendgrid.script(429, headers={"Retry-After": "0"})
        settings = settings_on.model_copy(
            update={
                "mail_backend": "sendgrid",
                "sendgrid_api_key": SecretStr(sendgrid.api_key),
                "sendgrid_host": sendgrid.url,
            }
        )
        app = create_app(settings, clock=lambda: NOW)
        with TestClient(app, follow_redirects=False, headers={"accept-language": "en"}) as client:
            csrf = sign_in(client, OFFICER)
            assert client.post(f"{BOARD}/remind", data={"csrf_token": csrf}).status_code == 303
            courier_done(client)
            assert client.get(f"{BOARD}?done=reminded").status_code == 200
        assert sendgrid.requests, "the courier handed the mail over"
    reminders = world.messages("review_reminder")
    assert reminders
    for message in reminders:
        assert message.status is MessageStatus.pending and message.attempts == 1
        assert message.last_error is not None and "429" in message.last_error


def test_the_courier_stops_with_the_app(app: FastAPI) -> None:
    courier = app.state.portal.courier
    with TestClient(app, follow_redirects=False) as client:
        csrf = sign_in(client, OFFICER)
        assert client.post(f"{BOARD}/remind", data={"csrf_token": csrf}).status_code == 303
        courier_done(client)
        assert courier.thread is not None and courier.thread.is_alive()
    assert courier.thread is None
    assert COURIER not in {thread.name for thread in threading.enumerate()}
