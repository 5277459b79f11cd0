"""The workspace's organisations: the list and one organisation, edits by officers and
administrators that rewrite one entry of organizations.yaml keeping its comments (refused at
the field, or with that entry's diff when it changed; another organisation's change made
meanwhile is kept), a new organisation added by an officer, a contact deactivated with their
review link handed to a colleague, no page or form showing another secretariat's partners,
and kinds, roles and languages named in words, on SQLite and PostgreSQL."""

import difflib
import html
import re
from collections.abc import Iterator

import pytest
import yaml
from fastapi import FastAPI
from sqlmodel import Session, col, select
from starlette.testclient import TestClient

from accord.services.drafting import organizations_source as orgs_file
from accord.services.drafting.rules import text_sha256
from accord.settings import Settings, get_settings
from accord.workspace.app import create_app
from models import AuditEvent, Contact, ReviewAccess, Signature, SignatureStatus
from tests.cli_runner import run_cli
from tests.portal.conftest import MIA, MONDAY, start_round_one
from tests.review_world import MOU, SIGN_LINK, World, approve_all
from tests.workspace_world import (
    ADMIN,
    KG_OFFICER,
    OFFICER,
    VIEWER,
    RecordingLauncher,
    csrf_of,
    sign_in,
    staff_world,
)

ORGS = "organizations.yaml"
ENTRY = re.compile(r'<input type="hidden" name="entry" value="([^"]*)">')
COLLEAGUE = "e.kassymov@example.kz"  # kz-mia's signatory


@pytest.fixture
def sources_on(world: World, monkeypatch: pytest.MonkeyPatch) -> Settings:
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


def opened(client: TestClient, org: str = "kz-mia") -> tuple[str, str]:
    """(csrf, entry) of the organisation page's forms: the entry as the browser sends it."""
    page = client.get(f"/workspace/organisations/{org}")
    assert page.status_code == 200, page.text[:500]
    entries = {html.unescape(found) for found in ENTRY.findall(page.text)}
    assert len(entries) == 1, "every form of the page carries the same entry"
    return csrf_of(page.text), entries.pop()


def contact_form(csrf: str, entry: str, **changes: str) -> dict[str, str]:
    return {
        "csrf_token": csrf,
        "entry": entry,
        "form": "new",
        "name": "Нурлан Ахметов",
        "email": "n.akhmetov@example.kz",
        "language": "ru",
        "roles": "reviewer",
        "title_ru": "Начальник управления",
        **changes,
    }


def test_the_list_names_our_organisations_only(client: TestClient) -> None:
    sign_in(client, VIEWER)
    page = client.get("/workspace/organisations")
    assert page.status_code == 200
    assert "kz-mia" in page.text and "kz-iac" in page.text
    assert "kg-cc" not in page.text  # the Kyrgyz commission's, not ours


def test_an_organisation_shows_names_and_contacts_with_titles(client: TestClient) -> None:
    sign_in(client, VIEWER)
    page = client.get("/workspace/organisations/kz-mia")
    assert page.status_code == 200
    assert "Министерство внутренних дел Республики Казахстан" in page.text
    assert MIA in page.text and COLLEAGUE in page.text
    assert "Заместитель министра внутренних дел Республики Казахстан" in page.text
    assert "/workspace/organisations/kz-mia/deactivate" not in page.text  # a viewer reads
    assert client.get("/workspace/organisations/kg-cc").status_code == 404


def test_a_viewer_cannot_edit_organisations(client: TestClient, world: World) -> None:
    csrf = sign_in(client, VIEWER)
    before = (world.sources / ORGS).read_bytes()
    assert 'name="entry"' not in client.get("/workspace/organisations/kz-mia").text
    entry = orgs_file.entry_text(before.decode("utf-8"), "kz-mia")
    for action in ("", "/contacts", "/deactivate"):
        answer = client.post(
            f"/workspace/organisations/kz-mia{action}",
            data=contact_form(csrf, entry, contact=MIA, colleague=COLLEAGUE),
        )
        assert answer.status_code == 403, action
    assert (world.sources / ORGS).read_bytes() == before


@pytest.mark.parametrize("who", [OFFICER, ADMIN])
def test_a_new_contact_is_saved_keeping_comments_then_drafted(
    client: TestClient, world: World, launcher: RecordingLauncher, who: str
) -> None:
    sign_in(client, who)
    csrf, entry = opened(client)
    path = world.sources / ORGS
    original = path.read_text(encoding="utf-8")
    assert entry == orgs_file.entry_text(original, "kz-mia") and entry in original
    answer = client.post("/workspace/organisations/kz-mia/contacts", data=contact_form(csrf, entry))
    assert answer.status_code == 303, answer.text[:800]
    saved = path.read_text(encoding="utf-8")
    assert "# --- Kazakhstan ---" in saved  # comments kept
    added = "      - name: Нурлан Ахметов\n        email: n.akhmetov@example.kz\n"
    assert added in saved
    assert saved.replace(added, "").count("\n") == original.count("\n") + 4
    assert launcher.started == [
        ("flows.drafting:draft_agreements", {"paths": [str(path)], "actor": f"staff:{who}"})
    ]
    with Session(world.engine) as session:
        audit = session.exec(select(AuditEvent).where(AuditEvent.action == "source.saved")).one()
        assert audit.actor == f"staff:{who}"
        assert audit.data["before"] == text_sha256(original)
        assert audit.data["after"] == text_sha256(saved)


def test_a_refused_field_is_shown_beside_it_and_nothing_is_written(
    client: TestClient, world: World, launcher: RecordingLauncher
) -> None:
    sign_in(client, ADMIN)
    csrf, entry = opened(client)
    original = (world.sources / ORGS).read_text(encoding="utf-8")
    answer = client.post(
        "/workspace/organisations/kz-mia/contacts", data=contact_form(csrf, entry, language="xx")
    )
    assert answer.status_code == 422
    assert 'id="new-language" name="language" aria-invalid="true"' in answer.text
    assert 'id="new-language-error"' in answer.text and "invalid contact language" in answer.text
    assert 'value="n.akhmetov@example.kz"' in answer.text  # the admin's values are kept
    assert (world.sources / ORGS).read_text(encoding="utf-8") == original
    assert launcher.started == []


DIFF = re.compile(r'<pre class="diff">([^<]*)</pre>')


def organisation_form(csrf: str, entry: str) -> dict[str, str]:
    return {
        "csrf_token": csrf,
        "entry": entry,
        "kind": "ministry",
        "country": "KZ",
        "name_ru": "Министерство внутренних дел",
        "name_kk": "Ішкі істер министрлігі",
        "name_en": "Ministry of Internal Affairs",
    }


def test_an_edit_of_an_organisation_changed_since_is_refused_with_its_own_changes(
    client: TestClient, world: World, launcher: RecordingLauncher
) -> None:
    sign_in(client, OFFICER)
    csrf, entry = opened(client)
    world.edit(ORGS, "short_name: {ru: МВД, kk: ІІМ}", "short_name: {ru: МВД РК, kk: ІІМ}")
    world.edit(ORGS, "email: secretariat@example.kg", "email: office@example.kg")
    changed = (world.sources / ORGS).read_bytes()
    form = organisation_form(csrf, entry)
    answer = client.post("/workspace/organisations/kz-mia", data=form)
    assert answer.status_code == 409
    diff = DIFF.search(answer.text)
    assert diff is not None
    lines = html.unescape(diff.group(1)).splitlines()
    assert "+    short_name: {ru: МВД РК, kk: ІІМ}" in lines
    assert [line for line in lines if line[:1] in "+-" and line[:3] not in ("+++", "---")] == [
        "-    short_name: {ru: МВД, kk: ІІМ}",
        "+    short_name: {ru: МВД РК, kk: ІІМ}",
    ]  # that entry's change only: not the Kyrgyz commission's
    assert "example.kg" not in answer.text
    assert "was changed in organizations.yaml by someone else" in answer.text
    assert 'value="Ministry of Internal Affairs"' in answer.text
    assert (world.sources / ORGS).read_bytes() == changed
    assert launcher.started == []
    _csrf, now = opened(client)
    again = client.post("/workspace/organisations/kz-mia", data={**form, "entry": now})
    assert again.status_code == 303
    saved = (world.sources / ORGS).read_text(encoding="utf-8")
    assert "МВД РК" in saved and "en: Ministry of Internal Affairs\n" in saved


def test_an_edit_after_another_organisation_changed_keeps_that_change(
    client: TestClient, world: World, launcher: RecordingLauncher
) -> None:
    sign_in(client, ADMIN)
    csrf, entry = opened(client)
    world.edit(ORGS, "email: secretariat@example.kg", "email: office@example.kg")
    world.edit(ORGS, "      - name: Данияр Оспанов\n", "      - name: Данияр Оспанов (kz-iac)\n")
    before = (world.sources / ORGS).read_text(encoding="utf-8")
    answer = client.post("/workspace/organisations/kz-mia", data=organisation_form(csrf, entry))
    assert answer.status_code == 303, answer.text[:800]
    saved = (world.sources / ORGS).read_text(encoding="utf-8")
    assert "email: office@example.kg" in saved and "Данияр Оспанов (kz-iac)" in saved
    assert changed_lines(before, saved) == [
        "-      ru: Министерство внутренних дел Республики Казахстан",
        "-      kk: Қазақстан Республикасының Ішкі істер министрлігі",
        "-      en: Ministry of Internal Affairs of the Republic of Kazakhstan",
        "+      ru: Министерство внутренних дел",
        "+      kk: Ішкі істер министрлігі",
        "+      en: Ministry of Internal Affairs",
    ]
    assert len(launcher.started) == 1


def changed_lines(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="")
    return [line for line in list(diff)[2:] if line[:1] in "+-"]


def test_deactivating_a_contact_hands_their_review_link_to_a_colleague(
    client: TestClient, world: World, launcher: RecordingLauncher
) -> None:
    links = start_round_one(world)
    assert MIA in links
    sign_in(client, OFFICER)
    csrf, entry = opened(client)
    path = world.sources / ORGS
    answer = client.post(
        "/workspace/organisations/kz-mia/deactivate",
        data={
            "csrf_token": csrf,
            "entry": entry,
            "contact": MIA,
            "colleague": COLLEAGUE,
        },
    )
    assert answer.status_code == 303, answer.text[:800]
    with Session(world.engine) as session:
        leaving = session.exec(select(Contact).where(Contact.email == MIA)).one()
        taking = session.exec(select(Contact).where(Contact.email == COLLEAGUE)).one()
        assert not leaving.active
        old = session.exec(select(ReviewAccess).where(ReviewAccess.contact_id == leaving.id)).all()
        assert old and all(a.revoked_at is not None for a in old)
        new = session.exec(
            select(ReviewAccess).where(
                ReviewAccess.contact_id == taking.id, col(ReviewAccess.revoked_at).is_(None)
            )
        ).all()
        assert len(new) == len(old)
        trail = session.exec(
            select(AuditEvent).where(AuditEvent.action == "contact.deactivated")
        ).one()
        assert trail.actor == f"staff:{OFFICER}" and trail.data["colleague"] == COLLEAGUE
    mails = [m for m in world.messages("link_reissued") if m.to_email == COLLEAGUE]
    assert mails and "/r/" in mails[0].text
    given = re.search(r"/r/([A-Za-z0-9_-]{20,})", mails[0].text)
    assert given is not None
    assert client.get(f"/r/{given.group(1)}").status_code == 200  # the colleague's link works
    assert client.get(f"/r/{links[MIA]}").status_code != 200  # the old one does not
    assert MIA not in path.read_text(encoding="utf-8")
    assert launcher.started[-1][1]["revoke_open_access"] is True
    world.draft()  # drafting the file now refuses nothing: the contact is already handed over
    page = client.get("/workspace/organisations/kz-mia")
    assert "deactivated" in page.text


def test_the_colleague_must_be_of_the_same_organisation(
    client: TestClient, world: World, launcher: RecordingLauncher
) -> None:
    start_round_one(world)
    sign_in(client, ADMIN)
    csrf, entry = opened(client)
    original = (world.sources / ORGS).read_text(encoding="utf-8")
    answer = client.post(
        "/workspace/organisations/kz-mia/deactivate",
        data={
            "csrf_token": csrf,
            "entry": entry,
            "contact": MIA,
            "colleague": "safehome@example.kz",
        },
    )
    assert answer.status_code == 422
    assert "Choose another active contact of the same organisation" in answer.text
    with Session(world.engine) as session:
        assert session.exec(select(Contact).where(Contact.email == MIA)).one().active
    assert (world.sources / ORGS).read_text(encoding="utf-8") == original
    assert launcher.started == []


def test_changing_the_address_of_a_reviewer_with_an_open_link_is_refused_before_saving(
    client: TestClient, world: World, launcher: RecordingLauncher
) -> None:
    start_round_one(world)
    sign_in(client, ADMIN)
    csrf, entry = opened(client)
    original = (world.sources / ORGS).read_text(encoding="utf-8")
    with Session(world.engine) as session:
        mia = session.exec(select(Contact).where(Contact.email == MIA)).one()
    changed = {"contact": MIA, "email": "madina@example.kz", "language": "kk"}
    form = contact_form(csrf, entry, form=f"c{mia.id}", **changed)
    answer = client.post("/workspace/organisations/kz-mia/contacts", data=form)
    assert answer.status_code == 422
    assert "would deactivate contacts" in answer.text and MIA in answer.text
    assert (world.sources / ORGS).read_text(encoding="utf-8") == original
    assert launcher.started == []


def test_a_pending_signature_moves_to_the_colleague_with_a_new_link(
    client: TestClient, world: World
) -> None:
    from accord.services.signing.start import start_signoff

    approve_all(world, MONDAY)
    with world.env(MONDAY) as env:
        start_signoff(MOU, env=env)
    sign_links = {m.to_email: SIGN_LINK.search(m.text) for m in world.messages("sign_request")}
    old = sign_links[COLLEAGUE]
    assert old is not None
    sign_in(client, ADMIN)
    csrf, entry = opened(client)
    answer = client.post(
        "/workspace/organisations/kz-mia/deactivate",
        data={
            "csrf_token": csrf,
            "entry": entry,
            "contact": COLLEAGUE,
            "colleague": MIA,
        },
    )
    assert answer.status_code == 303, answer.text[:800]
    with Session(world.engine) as session:
        taking = session.exec(select(Contact).where(Contact.email == MIA)).one()
        signature = session.exec(select(Signature).where(Signature.contact_id == taking.id)).one()
        assert signature.status is SignatureStatus.pending
    mails = [m for m in world.messages("link_reissued") if m.to_email == MIA]
    given = SIGN_LINK.search(mails[0].text) if mails else None
    assert given is not None
    assert client.get(f"/s/{given.group(1)}").status_code == 200
    assert client.get(f"/s/{old.group(1)}").status_code != 200


LIST = "/workspace/organisations"
KG_HEADING = "  # --- Kyrgyzstan"


def shown(page: str) -> str:
    """The page without the entry its forms carry back (the file's own words)."""
    return ENTRY.sub("", page)


def list_opened(client: TestClient) -> str:
    """The csrf field of the list page's form adding an organisation (it carries nothing
    of the file)."""
    page = client.get(LIST)
    assert page.status_code == 200, page.text[:500]
    assert f'action="{LIST}"' in page.text, "no form to add an organisation"
    assert 'name="entry"' not in page.text
    return csrf_of(page.text)


def new_organisation(csrf: str, **changes: str) -> dict[str, str]:
    return {
        "csrf_token": csrf,
        "id": "kz-mlsp",
        "kind": "ministry",
        "country": "KZ",
        "name_ru": "Министерство труда и социальной защиты населения Республики Казахстан",
        "name_kk": "Қазақстан Республикасының Еңбек және халықты әлеуметтік қорғау министрлігі",
        "name_en": "Ministry of Labour and Social Protection of the Population",
        "name": "Алия Сериккызы",
        "email": "a.serikkyzy@example.kz",
        "language": "kk",
        "roles": "reviewer",
        "title_ru": "Директор департамента",
        **changes,
    }


def test_an_officer_adds_an_organisation_that_accord_check_accepts(
    client: TestClient,
    world: World,
    launcher: RecordingLauncher,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sign_in(client, OFFICER)
    csrf = list_opened(client)
    path = world.sources / ORGS
    original = path.read_text(encoding="utf-8")
    answer = client.post(LIST, data=new_organisation(csrf))
    assert answer.status_code == 303, answer.text[:800]
    saved = path.read_text(encoding="utf-8")
    added = (
        "\n  - id: kz-mlsp\n    kind: ministry\n    country: KZ\n    name:\n"
        "      ru: Министерство труда и социальной защиты населения Республики Казахстан\n"
    )
    assert added in saved
    # after the last Kazakh organisation, before the Kyrgyz heading; every other line kept
    assert saved.index("  - id: iom-kz") < saved.index(added) < saved.index(KG_HEADING)
    assert "# --- Kazakhstan ---" in saved
    diff = list(difflib.unified_diff(original.splitlines(), saved.splitlines(), lineterm=""))
    changed = [line for line in diff[2:] if line[:1] in "+-"]
    assert len(changed) == 15 and all(line.startswith("+") for line in changed)
    assert run_cli(capsys, "check", str(world.sources)).code == 0
    assert launcher.started == [
        ("flows.drafting:draft_agreements", {"paths": [str(path)], "actor": f"staff:{OFFICER}"})
    ]
    with Session(world.engine) as session:
        audit = session.exec(
            select(AuditEvent).where(AuditEvent.action == "organization.added")
        ).one()
    assert audit.actor == f"staff:{OFFICER}" and audit.subject == "org:kz-mlsp"
    assert audit.data["secretariat"] == "kz-iac" and audit.data["after"] == text_sha256(saved)
    world.draft()  # what the launched run does
    assert "/workspace/organisations/kz-mlsp" in client.get(LIST).text
    assert "Алия Сериккызы" in client.get("/workspace/organisations/kz-mlsp").text
    assert 'name="role_kz-mlsp"' in client.get("/workspace/agreements/new").text


def test_an_added_organisation_stays_hidden_from_another_secretariat(
    client: TestClient, world: World
) -> None:
    sign_in(client, OFFICER)
    csrf = list_opened(client)
    assert client.post(LIST, data=new_organisation(csrf)).status_code == 303
    world.draft()
    client.cookies.clear()
    sign_in(client, KG_OFFICER)
    assert "/workspace/organisations/kz-mlsp" not in client.get(LIST).text
    assert client.get("/workspace/organisations/kz-mlsp").status_code == 404


@pytest.mark.parametrize(
    ("changes", "field", "said"),
    [
        ({"id": "kz mlsp!"}, "id", "lower-case Latin letters, digits and hyphens"),
        ({"id": "kz-mia"}, "id", "already has an organisation kz-mia"),
        ({"name_ru": "", "name_kk": "", "name_en": ""}, "name_ru", "name in at least one"),
        ({"email": "a.serikkyzy.example.kz"}, "email", "invalid contact email"),
        ({"kind": "ministry-of-magic"}, "kind", "expected one of"),
    ],
    ids=["bad id", "taken id", "no name", "bad e-mail", "unknown kind"],
)
def test_a_bad_new_organisation_is_refused_at_its_field_and_nothing_is_written(
    client: TestClient,
    world: World,
    launcher: RecordingLauncher,
    changes: dict[str, str],
    field: str,
    said: str,
) -> None:
    sign_in(client, ADMIN)
    csrf = list_opened(client)
    path = world.sources / ORGS
    before = path.read_bytes()
    answer = client.post(LIST, data=new_organisation(csrf, **changes))
    assert answer.status_code == 422, answer.text[:800]
    assert f'id="add-{field}" name="{field}"' in answer.text
    shown = re.search(rf'id="add-{field}"[^>]*aria-invalid="true"', answer.text)
    assert shown is not None, f"add-{field} is not marked invalid"
    error = re.search(rf'id="add-{field}-error"[^>]*>([^<]*)</p>', answer.text)
    assert error is not None and said in error.group(1), answer.text[:3000]
    assert "<details open>" in answer.text  # the form stays open, with what was typed
    assert 'value="Алия Сериккызы"' in answer.text
    assert path.read_bytes() == before
    assert launcher.started == []


def test_adding_after_another_change_to_the_file_keeps_it(
    client: TestClient, world: World, launcher: RecordingLauncher
) -> None:
    sign_in(client, OFFICER)
    csrf = list_opened(client)
    world.edit(ORGS, "short_name: {ru: МВД, kk: ІІМ}", "short_name: {ru: МВД РК, kk: ІІМ}")
    before = (world.sources / ORGS).read_text(encoding="utf-8")
    answer = client.post(LIST, data=new_organisation(csrf))
    assert answer.status_code == 303, answer.text[:800]
    saved = (world.sources / ORGS).read_text(encoding="utf-8")
    assert "short_name: {ru: МВД РК, kk: ІІМ}" in saved and "  - id: kz-mlsp\n" in saved
    assert all(line.startswith("+") for line in changed_lines(before, saved))
    assert len(launcher.started) == 1


def test_an_identifier_taken_meanwhile_is_refused_at_the_identifier(
    client: TestClient, world: World, launcher: RecordingLauncher
) -> None:
    sign_in(client, OFFICER)
    csrf = list_opened(client)
    world.edit(ORGS, "  - id: iom-kz\n", "  - id: kz-mlsp\n")
    before = (world.sources / ORGS).read_bytes()
    answer = client.post(LIST, data=new_organisation(csrf))
    assert answer.status_code == 422
    assert "already has an organisation kz-mlsp" in answer.text
    assert re.search(r'id="add-id"[^>]*aria-invalid="true"', answer.text) is not None
    assert (world.sources / ORGS).read_bytes() == before
    assert launcher.started == []


def test_a_viewer_cannot_add_an_organisation(client: TestClient, world: World) -> None:
    csrf = sign_in(client, VIEWER)
    assert f'action="{LIST}"' not in client.get(LIST).text
    before = (world.sources / ORGS).read_bytes()
    answer = client.post(LIST, data=new_organisation(csrf))
    assert answer.status_code == 403
    assert (world.sources / ORGS).read_bytes() == before


@pytest.mark.parametrize(
    ("ui", "words"),
    [
        (
            "ru",
            (
                "<dd>министерство</dd>",
                '<option value="ministry" selected>министерство</option>',
                '<option value="ngo">неправительственная организация</option>',
                "участник согласования, ответственное контактное лицо",
                '<span lang="kk">Қазақша</span>',
                "Наименование (Русский)",
                'value="focal_point"> ответственное контактное лицо</label>',
            ),
        ),
        (
            "kk",
            (
                "<dd>министрлік</dd>",
                '<option value="ministry" selected>министрлік</option>',
                '<option value="ngo">үкіметтік емес ұйым</option>',
                "келісуге қатысушы, жауапты байланыс тұлғасы",
                '<span lang="ru">Русский</span>',
                'value="focal_point"> жауапты байланыс тұлғасы</label>',
            ),
        ),
    ],
)
def test_kinds_roles_and_languages_are_words_in_the_page_language(
    client: TestClient, ui: str, words: tuple[str, ...]
) -> None:
    sign_in(client, ADMIN)
    page = shown(client.get(f"/workspace/organisations/kz-mia?ui={ui}").text)
    for word in words:
        assert word in page, word
    assert "focal_point" not in page.replace('value="focal_point"', "")
    listed = shown(client.get(f"{LIST}?ui={ui}").text)
    assert words[0].replace("dd>", "td>") in listed


def hidden_from(world: World, visible: set[str]) -> set[str]:
    """The ids and contact e-mails of every organisation of the file not in `visible`."""
    data = yaml.safe_load((world.sources / ORGS).read_text(encoding="utf-8"))
    others = [o for o in data["organizations"] if o["id"] not in visible]
    return {o["id"] for o in others} | {c["email"] for o in others for c in o["contacts"]}


@pytest.mark.parametrize("who", [OFFICER, ADMIN])
def test_no_page_or_form_shows_an_organisation_the_secretariat_may_not_see(
    client: TestClient, world: World, who: str
) -> None:
    sign_in(client, who)
    listed = client.get(LIST).text
    visible = set(re.findall(r'href="/workspace/organisations/([a-z0-9-]+)"', listed))
    assert {"kz-iac", "kz-mia", "iom-kz"} <= visible and "kg-cc" not in visible
    hidden = hidden_from(world, visible)
    assert "secretariat@example.kg" in hidden and "kg-cc" in hidden
    pages = [listed] + [client.get(f"{LIST}/{org}").text for org in sorted(visible)]
    csrf, entry = opened(client)
    answers = [
        client.post(LIST, data=new_organisation(csrf, kind="bureau")),
        client.post(f"{LIST}/kz-mia/contacts", data=contact_form(csrf, entry, language="xx")),
    ]
    world.edit(ORGS, "email: secretariat@example.kg", "email: secretariat.example.kg")
    answers.append(client.post(f"{LIST}/kz-mia", data=organisation_form(csrf, entry)))
    world.edit(ORGS, "short_name: {ru: МВД, kk: ІІМ}", "short_name: {ru: МВД РК, kk: ІІМ}")
    answers.append(client.post(f"{LIST}/kz-mia", data=organisation_form(csrf, entry)))
    assert [a.status_code for a in answers] == [422, 422, 422, 409]
    assert "for reasons outside this organisation" in answers[2].text
    for page in pages + [a.text for a in answers]:
        for secret in hidden | {"secretariat.example.kg"}:
            assert secret not in page, secret
