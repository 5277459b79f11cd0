"""The workspace against the drafted examples: staff of two secretariats, signed in through
the pages as a person would."""

import re
from dataclasses import dataclass, field
from typing import Any

from starlette.testclient import TestClient

from accord.services.staff.accounts import NewAccount, add_account, set_password
from accord.workspace.runs import FlowSpec, Launcher
from models import StaffRole
from tests.review_world import World

PASSWORD = "a long walk by the river"
CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')

OFFICER = "officer@example.kz"
VIEWER = "viewer@example.kz"
ADMIN = "admin@example.kz"
KG_OFFICER = "officer@example.kg"
"""Runs the Kyrgyz commission's agreements: must see nothing of Kazakhstan's."""

KZ_STAFF = {OFFICER: StaffRole.officer, VIEWER: StaffRole.viewer, ADMIN: StaffRole.admin}


@dataclass(frozen=True)
class Staffed:
    world: World
    emails: tuple[str, ...]


def add_staff(world: World, email: str, secretariat: str, role: StaffRole) -> str:
    """An account with `PASSWORD` set through its one-time link; returns the link's token."""
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    with world.env(now, actor="cli:test") as env:
        _account, link = add_account(
            NewAccount(email, email.split("@")[0].title(), secretariat, role, "en"), env=env
        )
        token = link.path.rsplit("/", 1)[-1]
        set_password(token, PASSWORD, env=env)
    return token


def staff_world(world: World) -> Staffed:
    for email, role in KZ_STAFF.items():
        add_staff(world, email, "kz-iac", role)
    add_staff(world, KG_OFFICER, "kg-cc", StaffRole.officer)
    return Staffed(world, (*KZ_STAFF, KG_OFFICER))


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found is not None, html[:500]
    return found.group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Signs the client in through the sign-in page; returns a CSRF field for its forms."""
    page = client.get("/workspace/sign-in")
    assert page.status_code == 200
    answer = client.post(
        "/workspace/sign-in",
        data={"csrf_token": csrf_of(page.text), "email": email, "password": password},
    )
    assert answer.status_code == 303, answer.text[:500]
    home = client.get("/workspace/")
    assert home.status_code == 200, home.text[:300]
    return csrf_of(home.text)


def courier_done(client: TestClient, timeout: float = 60.0) -> None:
    """Wait, at most `timeout` seconds, until the app's courier did what the requests so far
    asked of it (delivered the mail they queued, sent the links they left for later)."""
    courier = client.app.state.portal.courier  # type: ignore[attr-defined]
    assert courier.wait_until_idle(timeout), f"the courier was still busy after {timeout} s"


@dataclass
class RecordingLauncher(Launcher):
    """Records the flows the pages start instead of running them (the flows tests run them)."""

    started: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def _in_process(self, run_id: int, spec: FlowSpec, params: dict[str, Any]) -> None:
        self.started.append((spec.entrypoint, params))
