"""The home page: open rounds with their answers and working days left, sign-offs and on
whom they wait, commitments overdue and coming due, bounced e-mails and recent activity —
each for the signed-in secretariat only."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from sqlmodel import Session, col, select
from starlette.testclient import TestClient

from accord.services.overview import secretariat_overview
from accord.services.review.rounds import RoundRequest, start_round
from accord.services.signing.start import start_signoff
from accord.settings import Settings
from accord.workspace.app import create_app
from models import Agreement, MessageStatus, Organization, OutgoingMessage
from tests.review_world import MOU, World, approve_all, bring_into_force
from tests.workspace_world import KG_OFFICER, OFFICER, sign_in, staff_world

MONDAY = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = MONDAY

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


def kz_iac(world: World) -> int:
    with Session(world.engine) as session:
        found = session.exec(select(Organization.id).where(Organization.slug == "kz-iac")).one()
        assert found is not None
        return found


def overview(world: World, now: datetime):  # type: ignore[no-untyped-def]
    with Session(world.engine) as session:
        return secretariat_overview(kz_iac(world), session=session, now=now)


def test_an_open_round_shows_its_answers_and_working_days_left(
    world: World, client: TestClient
) -> None:
    with world.env(MONDAY) as env:
        start_round(RoundRequest(agreement=MOU, working_days=10), env=env)
    seen = overview(world, MONDAY)
    assert seen.open_rounds == 1
    (line,) = seen.rounds
    assert line.slug == MOU and line.number == 1 and line.answered == 0
    assert line.expected > 1
    assert line.working_days_left == 10
    sign_in(client, OFFICER)
    page = client.get("/workspace/")
    assert f"/workspace/agreements/{MOU}/rounds/1" in page.text
    assert f"0 / {line.expected}" in page.text


def test_a_sign_off_shows_on_whom_it_waits(world: World) -> None:
    approve_all(world, MONDAY)
    with world.env(MONDAY) as env:
        start_signoff(MOU, env=env)
    (waiting,) = overview(world, MONDAY).sign_offs
    assert waiting.slug == MOU and waiting.signed == 0
    assert len(waiting.waiting_on) == waiting.expected > 1


def test_commitments_overdue_and_coming_due_are_counted(world: World) -> None:
    bring_into_force(world, MONDAY)
    assert overview(world, MONDAY).sign_offs == []
    later = overview(world, MONDAY + timedelta(days=3650))
    assert later.commitments.overdue > 0 and later.commitments.due_soon == 0
    assert len(later.commitments.overdue_items) == min(10, later.commitments.overdue)
    items = [overview(world, MONDAY + timedelta(days=d)).commitments for d in range(0, 400, 30)]
    assert any(c.due_soon for c in items)


def test_bounces_and_activity_are_the_secretariats_own(world: World, client: TestClient) -> None:
    with world.env(MONDAY) as env:
        start_round(RoundRequest(agreement=MOU, working_days=10), env=env)
    with Session(world.engine) as session:
        message = session.exec(
            select(OutgoingMessage).order_by(col(OutgoingMessage.id)).limit(1)
        ).one()
        message.status = MessageStatus.bounced
        session.commit()
        bounced_to = message.to_email
        mou = session.exec(select(Agreement).where(Agreement.slug == MOU)).one()
        assert mou.id is not None
    seen = overview(world, MONDAY)
    assert [b.to_email for b in seen.bounces] == [bounced_to]
    assert seen.activity and all(
        a.subject.startswith(("agreement:", "staff:")) for a in seen.activity
    )
    sign_in(client, KG_OFFICER)
    page = client.get("/workspace/")
    assert page.status_code == 200
    assert MOU not in page.text and bounced_to not in page.text
