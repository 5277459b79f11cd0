"""The workspace's agreement pages against the drafted examples: the list, one agreement,
its DOCX and redlines, the source edited in the browser and a new agreement from the
clause library, on SQLite and PostgreSQL."""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlmodel import Session, select
from starlette.testclient import TestClient

from accord.services.drafting.rules import text_sha256
from accord.settings import Settings, get_settings
from accord.workspace.app import create_app
from models import AuditEvent
from tests.cli_runner import run_cli
from tests.review_world import MOU, World
from tests.workspace_world import OFFICER, VIEWER, RecordingLauncher, csrf_of, sign_in, staff_world

MOU_FILE = f"{MOU}.yaml"
BASE = re.compile(r'name="base" value="([0-9a-f]{64})"')


@pytest.fixture
def sources_on(world: World, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The settings with the world's copy of the sources as the agreements folder."""
    monkeypatch.setenv("ACCORD_AGREEMENTS_DIR", str(world.sources))
    get_settings.cache_clear()
    return get_settings()


@pytest.fixture
def launcher(sources_on: Settings, world: World) -> RecordingLauncher:
    return RecordingLauncher(world.engine, api_url=lambda: None, wait=True)


@pytest.fixture
def app(sources_on: Settings, world: World, launcher: RecordingLauncher) -> FastAPI:
    staff_world(world)
    return create_app(sources_on, launcher=launcher)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def test_the_list_shows_our_agreements_with_filters(client: TestClient) -> None:
    sign_in(client, OFFICER)
    page = client.get("/workspace/agreements")
    assert page.status_code == 200
    assert f"/workspace/agreements/{MOU}" in page.text
    assert "kg-referral-mou" not in page.text  # the Kyrgyz commission's
    assert "/workspace/agreements/new" in page.text
    drafts = client.get("/workspace/agreements?status=draft&country=kz")
    assert MOU in drafts.text
    assert MOU not in client.get("/workspace/agreements?status=in_force").text
    assert MOU not in client.get("/workspace/agreements?country=UZ").text


def test_the_agreement_page_has_versions_outline_rounds_and_trail(
    client: TestClient, world: World
) -> None:
    from tests.portal.conftest import start_round_one

    start_round_one(world)
    sign_in(client, VIEWER)
    page = client.get(f"/workspace/agreements/{MOU}")
    assert page.status_code == 200, page.text[:500]
    text = page.text
    assert f"/workspace/agreements/{MOU}/versions/1.docx" in text
    assert f"/workspace/agreements/{MOU}/rounds/1" in text
    assert f"/workspace/agreements/{MOU}/signoff" in text
    assert "Version recorded (1)" in text and "Review round opened" in text
    assert "answers being collected" in text
    assert re.search(r'<span class="num">5\.3\.</span>', text), "sub-clause numbers"
    assert "<td>test</td>" in text  # the version's author, from the audit trail
    assert f"/workspace/agreements/{MOU}/source" not in text  # a viewer does not edit


def test_a_version_downloads_as_docx(client: TestClient) -> None:
    sign_in(client, VIEWER)
    answer = client.get(f"/workspace/agreements/{MOU}/versions/1.docx")
    assert answer.status_code == 200
    assert answer.content[:2] == b"PK"
    assert f"{MOU}-v1.docx" in answer.headers["content-disposition"]
    assert client.get(f"/workspace/agreements/{MOU}/versions/7.docx").status_code == 404


def test_the_redline_between_two_versions(client: TestClient, world: World) -> None:
    world.edit(MOU_FILE, "(количество мест — не менее", "(количество мест — не менее чем")
    world.draft()
    sign_in(client, OFFICER)
    page = client.get(f"/workspace/agreements/{MOU}/redline/1/2?lang=ru")
    assert page.status_code == 200, page.text[:500]
    assert "<ins>" in page.text and "чем" in page.text
    back = client.get(f"/workspace/agreements/{MOU}/redline/2/1?lang=ru")
    assert "<del>" in back.text
    docx = client.get(f"/workspace/agreements/{MOU}/redline/1/2.docx?lang=ru")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert "redline-ru" in docx.headers["content-disposition"]
    assert client.get(f"/workspace/agreements/{MOU}/redline/1/9").status_code == 404


def open_source(client: TestClient) -> tuple[str, str, str]:
    """(csrf, base, text) of the source form as the page renders it."""
    page = client.get(f"/workspace/agreements/{MOU}/source")
    assert page.status_code == 200, page.text[:500]
    base = BASE.search(page.text)
    assert base is not None
    return csrf_of(page.text), base.group(1), page.text


def save(client: TestClient, csrf: str, base: str, original: str, text: str, action: str) -> Any:
    return client.post(
        f"/workspace/agreements/{MOU}/source",
        data={
            "csrf_token": csrf,
            "base": base,
            "original": original,
            "text": text,
            "action": action,
        },
    )


def test_a_problem_is_shown_at_its_line_and_column(client: TestClient, world: World) -> None:
    sign_in(client, OFFICER)
    csrf, base, _page = open_source(client)
    original = (world.sources / MOU_FILE).read_text(encoding="utf-8")
    assert base == text_sha256(original)
    broken = original.replace("kind: mou", "kind: memo", 1)
    line = broken.splitlines().index("kind: memo") + 1
    answer = save(client, csrf, base, original, broken, "check")
    assert answer.status_code == 422
    assert f'href="#L{line}"' in answer.text
    assert f"Line {line}, column 7" in answer.text
    assert f'id="L{line}" class="problem"' in answer.text
    saving = save(client, csrf, base, original, broken, "save")
    assert saving.status_code == 422  # refused: never written
    assert (world.sources / MOU_FILE).read_text(encoding="utf-8") == original
    fine = save(client, csrf, base, original, original, "check")
    assert fine.status_code == 200 and "No problems" in fine.text


def test_two_saves_from_the_same_base_the_second_is_refused_with_the_diff(
    client: TestClient, world: World, launcher: RecordingLauncher
) -> None:
    sign_in(client, OFFICER)
    csrf, base, _page = open_source(client)
    path = world.sources / MOU_FILE
    original = path.read_text(encoding="utf-8")
    first = original.replace("city: Астана", "city: Алматы", 1)
    second = original.replace("shelter_places: 20", "shelter_places: 25", 1)
    answer = save(client, csrf, base, original, first, "save")
    assert answer.status_code == 303, answer.text[:800]
    assert answer.headers["location"].startswith("/workspace/runs/")
    assert launcher.started == [
        ("flows.drafting:draft_agreements", {"paths": [str(path)], "actor": f"staff:{OFFICER}"})
    ]
    refused = save(client, csrf, base, original, second, "save")
    assert refused.status_code == 409
    assert "-  city: Астана" in refused.text and "+  city: Алматы" in refused.text
    assert "shelter_places: 25" in refused.text  # the officer's text is kept in the form
    assert path.read_text(encoding="utf-8") == first
    assert len(launcher.started) == 1
    with Session(world.engine) as session:
        saved = session.exec(select(AuditEvent).where(AuditEvent.action == "source.saved")).all()
        assert [(e.actor, e.data["after"]) for e in saved] == [
            (f"staff:{OFFICER}", text_sha256(first))
        ]


def test_a_save_must_keep_the_agreement_and_its_secretariat(
    client: TestClient, world: World
) -> None:
    sign_in(client, OFFICER)
    csrf, base, _page = open_source(client)
    original = (world.sources / MOU_FILE).read_text(encoding="utf-8")
    moved = original.replace("secretariat: kz-iac", "secretariat: kg-cc", 1)
    answer = save(client, csrf, base, original, moved, "save")
    assert answer.status_code == 422
    assert "secretariat: kz-iac" in answer.text
    assert (world.sources / MOU_FILE).read_text(encoding="utf-8") == original


def test_a_source_missing_from_the_folder_is_said_plainly(client: TestClient, world: World) -> None:
    (world.sources / MOU_FILE).unlink()
    sign_in(client, OFFICER)
    page = client.get(f"/workspace/agreements/{MOU}/source")
    assert page.status_code == 404
    assert f"The agreements folder has no source file of {MOU}." in page.text


def test_a_viewer_cannot_open_the_source_editor(client: TestClient) -> None:
    sign_in(client, VIEWER)
    assert client.get(f"/workspace/agreements/{MOU}/source").status_code == 403
    assert client.get("/workspace/agreements/new").status_code == 403


def new_agreement(client: TestClient, **changes: object) -> Any:
    page = client.get("/workspace/agreements/new")
    assert page.status_code == 200, page.text[:500]
    data: dict[str, object] = {
        "csrf_token": csrf_of(page.text),
        "slug": "kz-shelter-mou",
        "kind": "mou",
        "country": "KZ",
        "languages": ["kk", "ru"],
        "title_kk": "Баспана туралы меморандум",
        "title_ru": "Меморандум о приютах",
        "role_kz-iac": "signatory",
        "role_kz-mia": "signatory",
        "role_iom-kz": "observer",
        "clauses": ["purpose", "definitions", "confidentiality", "final-provisions"],
    }
    data.update(changes)
    return client.post("/workspace/agreements/new", data=data)


def test_a_new_agreement_is_a_source_accord_check_accepts(
    client: TestClient,
    world: World,
    launcher: RecordingLauncher,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sign_in(client, OFFICER)
    answer = new_agreement(client)
    assert answer.status_code == 303, answer.text[:2000]
    path = world.sources / "kz-shelter-mou.yaml"
    text = path.read_text(encoding="utf-8")
    assert "id: kz-shelter-mou" in text and "secretariat: kz-iac" in text
    assert "text_languages: [kk, ru]" in text
    checked = run_cli(capsys, "check", str(path))
    assert checked.code == 0, checked.err
    assert "1 agreements checked" in checked.out
    assert launcher.started[-1][1]["paths"] == [str(path)]
    again = new_agreement(client)
    assert again.status_code == 422
    assert 'id="slug"' in again.text and 'aria-invalid="true"' in again.text
    assert path.read_text(encoding="utf-8") == text
    taken = new_agreement(client, slug=MOU)
    assert taken.status_code == 422
    assert not (world.sources / "kz-shelter-mou-2.yaml").exists()


def test_a_new_agreement_refuses_what_is_missing_at_its_field(
    client: TestClient, world: World
) -> None:
    sign_in(client, OFFICER)
    no_title = new_agreement(client, title_ru="")
    assert no_title.status_code == 422
    assert 'id="title_ru-error"' in no_title.text
    no_signatory = new_agreement(client, **{"role_kz-iac": "", "role_kz-mia": "reviewer"})
    assert no_signatory.status_code == 422 and 'id="parties-error"' in no_signatory.text
    assert not (world.sources / "kz-shelter-mou.yaml").exists()


def test_the_source_files_stay_where_the_settings_say(sources_on: Settings, world: World) -> None:
    assert Path(sources_on.agreements_dir) == world.sources
