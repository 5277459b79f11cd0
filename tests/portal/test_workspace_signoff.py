"""The sign-off page of the workspace: who has not approved which version, a start refused on
the page, the evidence of each signature, and a signature on paper recorded with its scan."""

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from sqlmodel import Session, col, select
from starlette.testclient import TestClient

from accord.settings import Settings
from accord.workspace.app import create_app
from models import (
    Agreement,
    AgreementStatus,
    AuditEvent,
    Organization,
    Signature,
    SignatureStatus,
    WorkspaceRun,
)
from tests.portal.test_signing_pages import start_signing
from tests.review_world import MOU, World, bring_into_force
from tests.scans import scan_pdf, tiny_png
from tests.workspace_world import OFFICER, VIEWER, sign_in, staff_world

PAGE = f"/workspace/agreements/{MOU}/signoff"
NOW = datetime(2027, 1, 20, 9, 0, tzinfo=UTC)
"""The workspace's clock: after the sign-off opened (`start_signing` runs on 11 January)."""


@pytest.fixture
def app(settings_on: Settings, world: World) -> FastAPI:
    staff_world(world)
    return create_app(settings_on, clock=lambda: NOW)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", page))


def paper_form(csrf: str, **changes: str) -> dict[str, str]:
    return {
        "csrf_token": csrf,
        "party": "kz-mia",
        "name": "Yerlan Kassymov",
        "title": "Minister of Internal Affairs",
        "signed_on": "2027-01-15",
        "place": "Astana, Akorda",
        **changes,
    }


def post_paper(
    client: TestClient, csrf: str, scan: tuple[str, bytes, str] | None, **changes: str
) -> tuple[int, str, str]:
    files = {"scan": scan} if scan else {"scan": ("", b"", "application/octet-stream")}
    answer = client.post(f"{PAGE}/paper", data=paper_form(csrf, **changes), files=files)
    return answer.status_code, answer.headers.get("location", ""), answer.text


def signature(world: World, party: str) -> Signature:
    with Session(world.engine) as session:
        return session.exec(
            select(Signature)
            .join(Organization, col(Organization.id) == Signature.organization_id)
            .where(Organization.slug == party)
        ).one()


def test_the_page_says_which_party_has_not_approved_which_version(client: TestClient) -> None:
    sign_in(client, OFFICER)
    page = client.get(PAGE)
    assert page.status_code == 200
    shown = text_of(page.text)
    assert "Safe Home Public Foundation (crisis centre) has not reviewed any version" in shown
    assert shown.count("has not reviewed any version yet.") == 3, "one line per signatory"
    assert "/signoff/start" not in page.text, "no start button while approvals are missing"


def test_a_start_the_service_refuses_is_explained_on_the_page(
    client: TestClient, world: World
) -> None:
    csrf = sign_in(client, OFFICER)
    answer = client.post(f"{PAGE}/start", data={"csrf_token": csrf})
    assert answer.status_code == 422
    assert "sign-off refused: " in text_of(answer.text)
    assert "has not reviewed any version yet" in text_of(answer.text)
    with Session(world.engine) as session:
        assert session.exec(select(WorkspaceRun)).all() == [], "no run was started"


def test_once_approved_the_page_offers_the_start(client: TestClient, world: World) -> None:
    from tests.review_world import approve_all

    approve_all(world, datetime(2027, 1, 11, 9, 0, tzinfo=UTC))
    sign_in(client, OFFICER)
    page = client.get(PAGE)
    assert f'action="{PAGE}/start"' in page.text
    assert "Every signatory approved version 1" in text_of(page.text)


def test_evidence_pending_parties_and_a_paper_signature(client: TestClient, world: World) -> None:
    start_signing(world)
    csrf = sign_in(client, OFFICER)
    page = client.get(PAGE)
    shown = text_of(page.text)
    assert "Not signed yet:" in shown and f'action="{PAGE}/paper"' in page.text
    status, location, _ = post_paper(
        client, csrf, ("signed page.pdf", scan_pdf(), "application/pdf")
    )
    assert (status, location) == (303, f"{PAGE}?done=paper")
    kept = signature(world, "kz-mia")
    assert kept.status is SignatureStatus.signed and kept.recorded_by == f"staff:{OFFICER}"
    assert kept.paper_place == "Astana, Akorda"
    page = client.get(location)
    shown = text_of(page.text)
    assert "Yerlan Kassymov" in shown and "Astana, Akorda" in shown
    scan = client.get(f"{PAGE}/scans/{kept.id}")
    assert scan.status_code == 200 and scan.content == scan_pdf()
    assert scan.headers["content-type"] == "application/pdf"
    assert "attachment" in scan.headers["content-disposition"]
    with Session(world.engine) as session:
        actions = [e.action for e in session.exec(select(AuditEvent))]
    assert "signature.recorded_on_paper" in actions


def test_refusals_show_at_their_field_and_keep_what_was_typed(
    client: TestClient, world: World
) -> None:
    start_signing(world)
    csrf = sign_in(client, OFFICER)
    renamed = ("page.png", scan_pdf(), "image/png")
    status, _, page = post_paper(client, csrf, renamed)
    assert status == 422
    assert 'id="scan-error"' in page and 'aria-invalid="true"' in page
    assert 'value="Yerlan Kassymov"' in page, "the form keeps what was typed"
    status, _, page = post_paper(client, csrf, ("p.png", tiny_png(), "image/png"), place="")
    assert status == 422 and 'id="place-error"' in page
    status, _, page = post_paper(client, csrf, ("p.png", tiny_png(), "image/png"), signed_on="x")
    assert status == 422 and 'id="signed_on-error"' in page
    status, _, page = post_paper(client, csrf, None)
    assert status == 422 and 'id="scan-error"' in page
    assert signature(world, "kz-mia").status is SignatureStatus.pending


def test_an_oversized_scan_is_refused_while_it_arrives(client: TestClient, world: World) -> None:
    from accord.services.signing.rules import SCAN_LIMIT

    start_signing(world)
    csrf = sign_in(client, OFFICER)
    big = ("page.pdf", b"%PDF-" + b"0" * (SCAN_LIMIT + 1), "application/pdf")
    status, _, page = post_paper(client, csrf, big)
    assert status == 413 and "10 MB" in page
    assert signature(world, "kz-mia").status is SignatureStatus.pending


def test_the_last_signature_on_paper_puts_the_agreement_in_force(
    client: TestClient, world: World
) -> None:
    start_signing(world)
    csrf = sign_in(client, OFFICER)
    for party in ("kz-mia", "ngo-safe-home", "ngo-legal-support"):  # kz-iac coordinates
        status, location, _ = post_paper(
            client, csrf, ("p.png", tiny_png(), "image/png"), party=party
        )
        assert status == 303, party
    assert location == f"{PAGE}?done=in-force"
    with Session(world.engine) as session:
        agreement = session.exec(select(Agreement).where(Agreement.slug == MOU)).one()
    assert agreement.status is AgreementStatus.in_force


def test_a_viewer_sees_the_evidence_but_no_forms(client: TestClient, world: World) -> None:
    bring_into_force(world, datetime(2027, 1, 11, 9, 0, tzinfo=UTC))
    sign_in(client, VIEWER)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "192.0.2.10" in page.text, "the online signature's evidence"
    assert "<form" not in page.text.split("<main", 1)[1], "no form for a viewer"


def test_a_scan_of_another_signature_is_not_found(client: TestClient, world: World) -> None:
    start_signing(world)
    sign_in(client, OFFICER)
    assert client.get(f"{PAGE}/scans/1").status_code == 404, "no scan recorded"
    assert client.get(f"{PAGE}/scans/x").status_code == 404
