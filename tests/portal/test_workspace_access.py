"""Every workspace route refuses without a session, hides other secretariats' agreements
behind the same 404, and refuses changes from a viewer — enumerated from the app itself,
so a route added later without those checks fails here."""

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.testclient import TestClient

from accord.settings import Settings
from accord.workspace.app import ROUTERS, create_app
from accord.workspace.auth import PUBLIC_PATHS
from tests.review_world import MOU, World
from tests.workspace_world import KG_OFFICER, OFFICER, VIEWER, sign_in, staff_world

PARAM = re.compile(r"{(\w+)(?::\w+)?}")
OURS = {
    "agreement": MOU,
    "number": "1",
    "other": "2",
    "round": "1",
    "item": "1",
    "run": "1",
    "account": "1",
    "signature": "1",
    "day": "2027-01-11",
    "file": "1",
    "org": "kz-mia",
}
"""A value for each path parameter the workspace's routes use, naming something of the
Kazakh secretariat. A new parameter must be added here, with a thought for its scope."""


@pytest.fixture
def app(settings_on: Settings, world: World) -> FastAPI:
    staff_world(world)
    return create_app(settings_on)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def workspace_routes(app: FastAPI) -> list[tuple[str, str]]:
    """Every route of every router the app factory includes for the workspace."""
    found = [
        (method, route.path)
        for router in ROUTERS
        for route in router.routes
        if isinstance(route, APIRoute) and route.path.startswith("/workspace")
        for method in sorted(route.methods or ())
        if route.path not in PUBLIC_PATHS
    ]
    assert len(found) >= 3, found
    return found


def filled(path: str) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in OURS, f"{path}: no sample value for {{{name}}}; add one to OURS"
        return OURS[name]

    return PARAM.sub(value, path)


def test_every_route_sends_a_stranger_to_sign_in(app: FastAPI, client: TestClient) -> None:
    for method, path in workspace_routes(app):
        answer = client.request(method, filled(path), data={})
        assert answer.status_code == 303, (method, path, answer.status_code)
        assert answer.headers["location"].startswith("/workspace/sign-in"), (method, path)


def test_another_secretariat_gets_the_same_404(app: FastAPI, client: TestClient) -> None:
    csrf = sign_in(client, KG_OFFICER)
    scoped = [(m, p) for m, p in workspace_routes(app) if PARAM.search(p)]
    for method, path in scoped:
        answer = client.request(method, filled(path), data={"csrf_token": csrf})
        assert answer.status_code == 404, (method, path, answer.status_code)
        assert MOU not in answer.text and "Kazakhstan" not in answer.text


def test_a_viewer_cannot_change_anything(app: FastAPI, client: TestClient) -> None:
    csrf = sign_in(client, VIEWER)
    own_account = {"/workspace/sign-out", "/workspace/sign-out-everywhere"}
    own_account |= {p for _m, p in workspace_routes(app) if p.startswith("/workspace/account")}
    for method, path in workspace_routes(app):
        if method == "GET" or path in own_account:
            continue
        answer = client.request(method, filled(path), data={"csrf_token": csrf})
        assert answer.status_code == 403, (method, path, answer.status_code)


def test_a_post_without_the_session_csrf_changes_nothing(app: FastAPI, client: TestClient) -> None:
    sign_in(client, OFFICER)
    for method, path in workspace_routes(app):
        if method != "POST":
            continue
        answer = client.request(method, filled(path), data={"csrf_token": "0" * 64})
        assert answer.status_code == 403, (method, path, answer.status_code)


def test_workspace_pages_carry_the_security_headers(client: TestClient) -> None:
    sign_in(client, OFFICER)
    page = client.get("/workspace/")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-store"
