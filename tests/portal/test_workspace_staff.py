"""Administrators manage their secretariat's staff from the workspace; anyone may ask for a
password reset link, and the answer never says whether an account has the address."""

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from sqlmodel import Session, col, select
from starlette.testclient import TestClient

from accord.settings import Settings
from accord.workspace.app import create_app
from models import AuditEvent, OutgoingMessage, StaffAccount, StaffRole
from tests.review_world import World
from tests.workspace_world import (
    ADMIN,
    KG_OFFICER,
    OFFICER,
    PASSWORD,
    VIEWER,
    courier_done,
    csrf_of,
    sign_in,
    staff_world,
)

T0 = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
LINK = re.compile(r"/workspace/password/([A-Za-z0-9_-]{20,})")
NEWCOMER = "newcomer@example.kz"
SAME_ANSWER = "If an account has this address, a link to choose a new password was sent to it."


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(settings_on: Settings, world: World, clock: Clock) -> FastAPI:
    staff_world(world)
    return create_app(settings_on, clock=clock)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False, headers={"accept-language": "en"}) as test_client:
        yield test_client


def account(world: World, email: str) -> StaffAccount:
    with Session(world.engine) as session:
        found = session.exec(select(StaffAccount).where(StaffAccount.email == email)).one()
        session.expunge(found)
        return found


def mails(world: World, kind: str, to: str) -> list[OutgoingMessage]:
    return [m for m in world.messages(kind) if m.to_email == to]


def test_an_invited_member_sets_a_password_from_the_email_and_signs_in(
    world: World, client: TestClient
) -> None:
    csrf = sign_in(client, ADMIN)
    answer = client.post(
        "/workspace/staff/invite",
        data={
            "csrf_token": csrf,
            "email": NEWCOMER,
            "name": "Dana Newcomer",
            "role": "viewer",
            "language": "kk",
        },
    )
    assert answer.status_code == 303, answer.text[:500]
    invited = account(world, NEWCOMER)
    assert invited.role is StaffRole.viewer and invited.language == "kk"
    assert invited.password_hash is None
    (mail,) = mails(world, "staff_invitation", NEWCOMER)
    assert mail.contact_id is None and mail.language == "kk"
    assert mail.subject.startswith("Жұмыс кабинетіндегі тіркелгіңіз")
    token = LINK.search(mail.text)
    assert token is not None, mail.text
    page = client.get(f"/workspace/password/{token.group(1)}")
    assert page.status_code == 200
    new_password = "the river runs past the hill"
    set_answer = client.post(
        f"/workspace/password/{token.group(1)}",
        data={"csrf_token": csrf_of(page.text), "password": new_password, "repeated": new_password},
    )
    assert set_answer.status_code == 303, set_answer.text[:500]
    client.cookies.clear()
    sign_in(client, NEWCOMER, new_password)


def test_an_invitation_with_a_bad_address_is_refused_beside_the_field(
    world: World, client: TestClient
) -> None:
    csrf = sign_in(client, ADMIN)
    answer = client.post(
        "/workspace/staff/invite",
        data={"csrf_token": csrf, "email": "not an address", "name": "X", "role": "officer"},
    )
    assert answer.status_code == 422
    assert 'id="email-error"' in answer.text and 'aria-invalid="true"' in answer.text
    assert not world.messages("staff_invitation")


def test_the_staff_page_is_for_administrators_and_lists_only_their_secretariat(
    client: TestClient,
) -> None:
    csrf = sign_in(client, OFFICER)
    assert client.get("/workspace/staff").status_code == 403
    client.post("/workspace/sign-out", data={"csrf_token": csrf})
    sign_in(client, ADMIN)
    page = client.get("/workspace/staff")
    assert page.status_code == 200
    assert OFFICER in page.text and VIEWER in page.text
    assert KG_OFFICER not in page.text


def test_an_administrator_changes_a_role_and_the_audit_trail_names_them(
    world: World, client: TestClient
) -> None:
    csrf = sign_in(client, ADMIN)
    viewer = account(world, VIEWER)
    answer = client.post(
        f"/workspace/staff/{viewer.id}/role", data={"csrf_token": csrf, "role": "officer"}
    )
    assert answer.status_code == 303
    assert account(world, VIEWER).role is StaffRole.officer
    with Session(world.engine) as session:
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == "staff.role_changed")
        ).one()
    assert event.actor == f"staff:{ADMIN}" and event.subject == f"staff:{VIEWER}"
    assert event.data == {"before": "viewer", "after": "officer"}


def test_deactivating_a_member_ends_their_sessions(
    app: FastAPI, world: World, client: TestClient
) -> None:
    with TestClient(app, follow_redirects=False) as officers_browser:
        sign_in(officers_browser, OFFICER)
        csrf = sign_in(client, ADMIN)
        officer = account(world, OFFICER)
        answer = client.post(f"/workspace/staff/{officer.id}/deactivate", data={"csrf_token": csrf})
        assert answer.status_code == 303
        assert officers_browser.get("/workspace/").status_code == 303
    assert not account(world, OFFICER).active
    status, text = _attempt(client, OFFICER, PASSWORD)
    assert status == 422 and "The e-mail address or the password is not right." in text


def test_an_administrator_cannot_deactivate_themselves(world: World, client: TestClient) -> None:
    csrf = sign_in(client, ADMIN)
    me = account(world, ADMIN)
    answer = client.post(f"/workspace/staff/{me.id}/deactivate", data={"csrf_token": csrf})
    assert answer.status_code == 422
    assert "You cannot change your own role or deactivate your own account" in answer.text
    assert account(world, ADMIN).active


def test_another_secretariats_member_is_not_found(world: World, client: TestClient) -> None:
    csrf = sign_in(client, ADMIN)
    stranger = account(world, KG_OFFICER)
    answer = client.post(f"/workspace/staff/{stranger.id}/deactivate", data={"csrf_token": csrf})
    assert answer.status_code == 404
    assert account(world, KG_OFFICER).active


def _attempt(client: TestClient, email: str, password: str) -> tuple[int, str]:
    page = client.get("/workspace/sign-in")
    answer = client.post(
        "/workspace/sign-in",
        data={"csrf_token": csrf_of(page.text), "email": email, "password": password},
    )
    return answer.status_code, answer.text


def _reset(client: TestClient, email: str) -> tuple[int, str]:
    page = client.get("/workspace/reset")
    assert page.status_code == 200
    answer = client.post(
        "/workspace/reset", data={"csrf_token": csrf_of(page.text), "email": email}
    )
    courier_done(client)  # the link is sent after the answer
    return answer.status_code, answer.text


def test_a_reset_answers_the_same_for_an_unknown_address(world: World, client: TestClient) -> None:
    known = _reset(client, OFFICER.upper())
    unknown = _reset(client, "nobody@example.kz")
    assert known[0] == unknown[0] == 200
    assert SAME_ANSWER in known[1] and SAME_ANSWER in unknown[1]
    assert [m.to_email for m in world.messages("password_reset")] == [OFFICER]


def test_a_reset_link_works_once_and_sets_the_password(world: World, client: TestClient) -> None:
    _reset(client, OFFICER)
    (mail,) = mails(world, "password_reset", OFFICER)
    token = LINK.search(mail.text)
    assert token is not None
    path = f"/workspace/password/{token.group(1)}"
    page = client.get(path)
    new_password = "a quiet morning in the steppe"
    answer = client.post(
        path,
        data={"csrf_token": csrf_of(page.text), "password": new_password, "repeated": new_password},
    )
    assert answer.status_code == 303
    assert client.get(path).status_code == 404  # used
    assert _attempt(client, OFFICER, PASSWORD)[0] == 422
    sign_in(client, OFFICER, new_password)


def test_a_reset_link_expires_after_an_hour(world: World, client: TestClient, clock: Clock) -> None:
    _reset(client, OFFICER)
    token = LINK.search(mails(world, "password_reset", OFFICER)[0].text)
    assert token is not None
    clock.now = T0 + timedelta(minutes=59)
    assert client.get(f"/workspace/password/{token.group(1)}").status_code == 200
    clock.now = T0 + timedelta(hours=1)
    assert client.get(f"/workspace/password/{token.group(1)}").status_code == 404


@pytest.mark.parametrize("email", [OFFICER, "nobody@example.kz"])
def test_reset_requests_are_throttled_per_address(
    world: World, client: TestClient, clock: Clock, email: str
) -> None:
    for _ in range(5):
        assert _reset(client, email)[0] == 200
    status, text = _reset(client, email)
    assert status == 429 and "Too many requests for a password reset" in text
    assert len(mails(world, "password_reset", email)) == (5 if email == OFFICER else 0)
    clock.now = T0 + timedelta(minutes=16)
    assert _reset(client, email)[0] == 200


def test_a_deactivated_account_gets_no_reset_link(world: World, client: TestClient) -> None:
    csrf = sign_in(client, ADMIN)
    viewer = account(world, VIEWER)
    client.post(f"/workspace/staff/{viewer.id}/deactivate", data={"csrf_token": csrf})
    assert SAME_ANSWER in _reset(client, VIEWER)[1]
    assert not mails(world, "password_reset", VIEWER)
    with Session(world.engine) as session:
        assert session.exec(
            select(AuditEvent).where(col(AuditEvent.action) == "staff.deactivated")
        ).one()
