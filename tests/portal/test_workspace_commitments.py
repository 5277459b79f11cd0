"""The workspace's commitments: the register with its filters, one agreement's progress per
objective (an SVG drawn on the server), an item's history and evidence, the XLSX export, and
the report buttons refused on the page when there is nothing to report on."""

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from sqlmodel import Session, col, select
from starlette.testclient import TestClient

from accord.documents.register_xlsx import read_register
from accord.services.commitments.focal import Evidence, Progress, record_progress, resolve_focal
from accord.settings import Settings
from accord.workspace.app import create_app
from models import ItemStatus, TrackedCommitment, WorkspaceRun
from tests.factories import minimal_pdf
from tests.portal.test_focal_pages import FOCAL_LINK
from tests.review_world import MOU, World, bring_into_force
from tests.workspace_world import KG_OFFICER, OFFICER, VIEWER, sign_in, staff_world

IN_FORCE = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
NOW = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)
BASE = f"/workspace/agreements/{MOU}/commitments"
MIA = "m.issayeva@example.kz"  # kz-mia's focal point


@pytest.fixture
def app(settings_on: Settings, world: World) -> FastAPI:
    staff_world(world)
    return create_app(settings_on, clock=lambda: NOW)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


@pytest.fixture
def in_force(world: World) -> int:
    """The MOU in force; kz-mia reported on its first item with a PDF. Returns that item's id."""
    bring_into_force(world, IN_FORCE)
    token = next(
        FOCAL_LINK.search(m.text).group(1)  # type: ignore[union-attr]
        for m in world.messages("focal_access")
        if m.to_email == MIA
    )
    with world.env(IN_FORCE, actor="focal") as env:
        scope = resolve_focal(token, session=env.session, now=env.now)
        item = env.session.exec(
            select(TrackedCommitment)
            .where(TrackedCommitment.responsible_id == scope.organization.id)
            .order_by(col(TrackedCommitment.due))
        ).first()
        assert item is not None and item.id is not None
        progress = Progress(
            ItemStatus.in_progress,
            percent=40,
            note="Two groups trained",
            evidence=Evidence("minutes.pdf", minimal_pdf()),
        )
        record_progress(scope, item.key, MOU, progress, request_key="u1", env=env)
        return item.id


def shown(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", page))


def rows(page: str) -> int:
    body = page.split("<tbody>")[-1].split("</tbody>")[0]
    return body.count("<tr")


def test_the_register_lists_and_filters_the_secretariat_s_items(
    client: TestClient, in_force: int
) -> None:
    sign_in(client, VIEWER)
    everything = client.get("/workspace/commitments")
    assert everything.status_code == 200
    assert "5 items" in shown(everything.text) and rows(everything.text) == 5
    mine = client.get("/workspace/commitments?org=kz-mia")
    assert "2 items" in shown(mine.text)
    started = client.get("/workspace/commitments?status=in_progress")
    assert "1 item" in shown(started.text) and f"{BASE}/{in_force}" in started.text
    none_yet = client.get("/workspace/commitments?from=2099-01-01")
    assert "No commitment matches these filters." in shown(none_yet.text)
    odd = client.get("/workspace/commitments?status=nonsense&from=yesterday&page=-3")
    assert odd.status_code == 200 and "5 items" in shown(odd.text), "bad filters are left out"


def test_overdue_items_are_those_past_their_due_date_and_open(
    client: TestClient, in_force: int, world: World
) -> None:
    with Session(world.engine) as session:
        dues = sorted(t.due for t in session.exec(select(TrackedCommitment)))
    sign_in(client, OFFICER)
    # the workspace's clock is 1 February 2027; nothing is due that early in the example
    assert all(due > NOW.date() for due in dues)
    assert "No commitment matches" in shown(client.get("/workspace/commitments?overdue=1").text)
    with Session(world.engine) as session:
        item = session.get(TrackedCommitment, in_force)
        assert item is not None
        item.due = NOW.date().replace(day=1).replace(month=1)
        session.add(item)
        session.commit()
    late = client.get("/workspace/commitments?overdue=1")
    assert "1 item" in shown(late.text) and 'class="late"' in late.text


def test_the_agreement_page_draws_progress_per_objective(client: TestClient, in_force: int) -> None:
    sign_in(client, OFFICER)
    page = client.get(BASE)
    assert page.status_code == 200
    assert "<svg" in page.text and "<script" not in page.text
    assert 'fill="#3a6ea5"' in page.text, "the item in progress has its segment"
    assert f'action="{BASE}/request-reports"' in page.text
    assert f'action="{BASE}/report"' in page.text


def test_an_item_shows_its_history_and_its_evidence_downloads(
    client: TestClient, in_force: int
) -> None:
    sign_in(client, VIEWER)
    page = client.get(f"{BASE}/{in_force}")
    assert page.status_code == 200
    assert "Two groups trained" in page.text and "minutes.pdf" in page.text
    link = re.search(rf'href="({BASE}/{in_force}/evidence/\d+)"', page.text)
    assert link is not None
    evidence = client.get(link.group(1))
    assert evidence.status_code == 200 and evidence.content == minimal_pdf()
    assert evidence.headers["content-type"] == "application/pdf"
    assert client.get(f"{BASE}/{in_force}/evidence/999").status_code == 404
    assert client.get(f"{BASE}/999").status_code == 404
    assert client.get(f"{BASE}/{in_force}x").status_code == 404


def test_the_register_exports_as_the_cli_s_workbook(client: TestClient, in_force: int) -> None:
    sign_in(client, VIEWER)
    answer = client.get(f"{BASE}/register.xlsx")
    assert answer.status_code == 200
    assert f"{MOU}-register.xlsx" in answer.headers["content-disposition"]
    assert len(read_register(answer.content)) == 5


def test_reports_of_an_agreement_not_in_force_are_refused_on_the_page(
    client: TestClient, world: World
) -> None:
    csrf = sign_in(client, OFFICER)
    for action in ("report", "request-reports"):
        answer = client.post(f"{BASE}/{action}", data={"csrf_token": csrf})
        assert answer.status_code == 422, action
        assert 'role="alert"' in answer.text
    with Session(world.engine) as session:
        assert session.exec(select(WorkspaceRun)).all() == []


def test_another_secretariat_sees_none_of_these_items(client: TestClient, in_force: int) -> None:
    sign_in(client, KG_OFFICER)
    register = client.get("/workspace/commitments")
    assert register.status_code == 200 and "0 items" in shown(register.text)
    assert client.get(f"{BASE}/{in_force}").status_code == 404
