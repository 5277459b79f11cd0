"""Signing in to the workspace: one answer for every wrong case, throttling, one-time links,
the second factor, sessions that end."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from accord.services.staff.accounts import NewAccount, add_account
from accord.settings import Settings
from accord.workspace.app import create_app
from models import StaffRole
from tests.review_world import World
from tests.workspace_world import ADMIN, OFFICER, PASSWORD, csrf_of, sign_in, staff_world

T0 = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


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


def attempt(client: TestClient, email: str, password: str) -> tuple[int, str]:
    page = client.get("/workspace/sign-in")
    answer = client.post(
        "/workspace/sign-in",
        data={"csrf_token": csrf_of(page.text), "email": email, "password": password},
    )
    return answer.status_code, answer.text


def test_the_session_cookie_is_http_only_lax_and_scoped(client: TestClient) -> None:
    page = client.get("/workspace/sign-in")
    answer = client.post(
        "/workspace/sign-in",
        data={"csrf_token": csrf_of(page.text), "email": OFFICER, "password": PASSWORD},
    )
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/workspace" in cookie
    assert "Secure" not in cookie  # http://127.0.0.1 in development


def test_unknown_address_and_wrong_password_get_the_same_answer(client: TestClient) -> None:
    unknown = attempt(client, "nobody@example.kz", PASSWORD)
    wrong = attempt(client, OFFICER, "not the password at all")
    assert unknown[0] == wrong[0] == 422
    assert "The e-mail address or the password is not right." in unknown[1]
    assert "The e-mail address or the password is not right." in wrong[1]


@pytest.mark.parametrize("email", [OFFICER, "nobody@example.kz"])
def test_failed_sign_ins_are_throttled_per_address(
    client: TestClient, clock: Clock, email: str
) -> None:
    for _ in range(5):
        assert attempt(client, email, "wrong password here")[0] == 422
    status, text = attempt(client, email, PASSWORD)
    assert status == 429 and "Too many failed sign-ins" in text
    clock.now += timedelta(minutes=16)
    if email == OFFICER:
        assert attempt(client, email, PASSWORD)[0] == 303


def test_one_client_guessing_many_addresses_is_throttled(client: TestClient) -> None:
    for n in range(20):
        assert attempt(client, f"guess{n}@example.kz", "wrong password here")[0] == 422
    assert attempt(client, OFFICER, PASSWORD)[0] == 429


def test_a_password_link_works_once_and_expires(
    client: TestClient, world: World, clock: Clock
) -> None:
    with world.env(T0) as env:
        _account, link = add_account(
            NewAccount("new@example.kz", "New Person", "kz-iac", StaffRole.officer), env=env
        )
    page = client.get(link.path)
    assert page.status_code == 200
    done = client.post(
        link.path,
        data={"csrf_token": csrf_of(page.text), "password": PASSWORD, "repeated": PASSWORD},
    )
    assert done.status_code == 303
    assert client.get(link.path).status_code == 404
    with world.env(T0) as env:
        _account, late = add_account(
            NewAccount("late@example.kz", "Late Person", "kz-iac", StaffRole.viewer), env=env
        )
    clock.now = T0 + timedelta(days=3, minutes=1)
    assert client.get(late.path).status_code == 404


def test_a_session_ends_after_inactivity(client: TestClient, clock: Clock) -> None:
    sign_in(client, OFFICER)
    clock.now += timedelta(minutes=29)
    assert client.get("/workspace/").status_code == 200
    clock.now += timedelta(minutes=31)
    assert client.get("/workspace/").status_code == 303


def test_sign_out_everywhere_ends_the_other_browsers(app: FastAPI, client: TestClient) -> None:
    with TestClient(app, follow_redirects=False) as other:
        sign_in(other, OFFICER)
        csrf = sign_in(client, OFFICER)
        assert (
            client.post("/workspace/sign-out-everywhere", data={"csrf_token": csrf}).status_code
            == 303
        )
        assert other.get("/workspace/").status_code == 303
        assert client.get("/workspace/").status_code == 303


def _enable_second_factor(client: TestClient, clock: Clock) -> str:
    sign_in(client, OFFICER)
    page = client.get("/workspace/account")
    secret = page.text.split('name="secret" value="', 1)[1].split('"', 1)[0]
    code = pyotp.TOTP(secret).at(clock.now)
    answer = client.post(
        "/workspace/account/second-factor",
        data={"csrf_token": csrf_of(page.text), "secret": secret, "code": code, "action": "on"},
    )
    assert answer.status_code == 303, answer.text[:400]
    return secret


def test_the_second_factor_is_asked_and_a_code_is_good_once(
    app: FastAPI, client: TestClient, clock: Clock
) -> None:
    secret = _enable_second_factor(client, clock)
    clock.now += timedelta(minutes=2)
    with TestClient(app, follow_redirects=False) as browser:
        page = browser.get("/workspace/sign-in")
        answer = browser.post(
            "/workspace/sign-in",
            data={"csrf_token": csrf_of(page.text), "email": OFFICER, "password": PASSWORD},
        )
        assert answer.headers["location"].startswith("/workspace/sign-in/code")
        assert browser.get("/workspace/").status_code == 303  # password alone is not enough
        code_page = browser.get("/workspace/sign-in/code")
        wrong = browser.post(
            "/workspace/sign-in/code",
            data={"csrf_token": csrf_of(code_page.text), "code": "000000"},
        )
        assert wrong.status_code == 422
        code = pyotp.TOTP(secret).at(clock.now)
        right = browser.post(
            "/workspace/sign-in/code", data={"csrf_token": csrf_of(code_page.text), "code": code}
        )
        assert right.status_code == 303
        assert browser.get("/workspace/").status_code == 200
    with TestClient(app, follow_redirects=False) as replay:
        page = replay.get("/workspace/sign-in")
        replay.post(
            "/workspace/sign-in",
            data={"csrf_token": csrf_of(page.text), "email": OFFICER, "password": PASSWORD},
        )
        code_page = replay.get("/workspace/sign-in/code")
        again = replay.post(
            "/workspace/sign-in/code", data={"csrf_token": csrf_of(code_page.text), "code": code}
        )
        assert again.status_code == 422  # the same code twice is refused


def test_admins_must_set_up_a_second_factor_where_required(
    settings_on: Settings, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.settings import get_settings

    staff_world(world)
    monkeypatch.setenv("ACCORD_REQUIRE_2FA", "true")
    get_settings.cache_clear()
    app = create_app(get_settings())
    with TestClient(app, follow_redirects=False) as client:
        page = client.get("/workspace/sign-in")
        client.post(
            "/workspace/sign-in",
            data={"csrf_token": csrf_of(page.text), "email": ADMIN, "password": PASSWORD},
        )
        home = client.get("/workspace/")
        assert home.status_code == 303 and home.headers["location"] == "/workspace/account"
        account = client.get("/workspace/account")
        assert account.status_code == 200 and 'name="secret"' in account.text
