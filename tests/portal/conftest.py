"""The portal against a drafted example MOU with round 1 open, on SQLite and PostgreSQL."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select
from starlette.testclient import TestClient

from accord.portal.app import create_app
from accord.services.review.rounds import RoundRequest, start_round
from accord.settings import Settings
from models import ReviewComment, ReviewDecision
from tests.review_world import MOU, World, make_world

MONDAY = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
NOW = MONDAY + timedelta(days=1, hours=2)
"""The portal's clock: the day after the round opened."""
CSRF_FIELD = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')
KEY_FIELD = re.compile(r'action="/r/[^"]+/(\w+)".*?name="request_key" value="([^"]+)"', re.S)

SAFE_HOME = "safehome@example.kz"  # ngo-safe-home, writes in Russian
LEGAL = "s.zhumabayeva@example.kz"  # ngo-legal-support, writes in Kazakh
MIA = "m.issayeva@example.kz"  # kz-mia, Kazakh


@pytest.fixture
def world(tmp_path: Path, engine: Engine, settings_on: Settings) -> World:
    """The examples drafted; documents go where the portal's settings say."""
    return make_world(tmp_path, engine)


def start_round_one(world: World) -> dict[str, str]:
    with world.env(MONDAY) as env:
        start_round(RoundRequest(agreement=MOU, working_days=10), env=env)
    return world.links()


@pytest.fixture
def links(world: World) -> dict[str, str]:
    """Recipient e-mail → token of round 1, read from the queued e-mails."""
    return start_round_one(world)


@pytest.fixture
def client(settings_on: Settings) -> Iterator[TestClient]:
    app = create_app(settings_on, clock=lambda: NOW)
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as test_client:
        yield test_client


@dataclass(frozen=True)
class PageForms:
    html: str
    csrf: str
    keys: dict[str, str]
    """Form name (comment, decision, delegate) → its request key."""


def open_page(client: TestClient, token: str, query: str = "") -> PageForms:
    response = client.get(f"/r/{token}{query}")
    assert response.status_code == 200, response.text[:500]
    html = response.text
    csrf = CSRF_FIELD.search(html)
    assert csrf is not None
    return PageForms(html, csrf.group(1), dict(KEY_FIELD.findall(html)))


def post(
    client: TestClient, token: str, form: str, page: PageForms, **fields: str
) -> tuple[int, str, str]:
    """(status, location, body) of posting `form` as the page rendered it."""
    data = {"csrf_token": page.csrf, "request_key": page.keys[form], "lang": "", **fields}
    response = client.post(f"/r/{token}/{form}", data=data)
    return response.status_code, response.headers.get("location", ""), response.text


def count(engine: Engine, model: type[ReviewDecision] | type[ReviewComment]) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count(col(model.id)))).one()
