"""Review commands through the CLI and Prefect flows, as the secretariat uses them."""

import shutil
from pathlib import Path
from typing import Any

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

from accord.settings import Settings
from tests.cli_runner import run_cli
from tests.conftest import EXAMPLES

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_harness")]
MOU = "kz-referral-mou"


@pytest.fixture
def drafted(settings_on: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    sources = tmp_path / "agreements"
    shutil.copytree(EXAMPLES, sources)
    assert run_cli(capsys, "draft", str(sources)).code == 0
    return sources


def test_start_record_status_and_tick(
    drafted: Path, settings_on: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    started = run_cli(capsys, "review", "start", MOU, "--working-days", "10")
    assert started.code == 0, started.err
    assert f"{MOU}: round 1 open on version 1" in started.out
    assert "5 review requests, 5 sent" in started.out
    assert len(list(settings_on.outbox_dir.glob("*.eml"))) == 5

    again = run_cli(capsys, "review", "start", MOU, "--working-days", "10")
    assert again.code == 1 and "already has round 1 open" in again.err

    for party in ("kz-iac", "kz-mia", "ngo-legal-support"):
        assert (
            run_cli(capsys, "review", "record", MOU, "--party", party, "--decision", "approve").code
            == 0
        )
    last = run_cli(
        capsys,
        "review",
        "record",
        MOU,
        "--party",
        "ngo-safe-home",
        "--decision",
        "request_changes",
        "--comment",
        "Пункт 7 требует доработки",
    )
    assert last.code == 0 and "the round is closed" in last.out

    status = run_cli(capsys, "review", "status", MOU)
    assert "round 1 on version 1: closed, changes_requested" in status.out
    assert "ngo-safe-home" in status.out and "request_changes" in status.out

    late = run_cli(capsys, "review", "record", MOU, "--party", "kz-mia", "--decision", "approve")
    assert late.code == 1 and "no open review round" in late.err

    tick = run_cli(capsys, "review", "tick", "--as-of", "2027-01-05")
    assert tick.code == 0 and "e-mails sent" in tick.out
    assert len(list(settings_on.outbox_dir.glob("*.eml"))) > 5  # secretariat told

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[f"review-{MOU}"])), limit=5
        )
    assert artifacts and "ngo-safe-home" in str(artifacts[0].data)


def test_bad_review_input_gets_one_clear_line(
    drafted: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    both = run_cli(
        capsys, "review", "start", MOU, "--working-days", "3", "--deadline", "2030-01-10"
    )
    assert both.code == 2 and "exactly one of --deadline or --working-days" in both.err
    past = run_cli(capsys, "review", "start", MOU, "--deadline", "2020-01-10")
    assert past.code == 1 and "is in the past" in past.err and "Traceback" not in past.err
    holiday = run_cli(capsys, "review", "start", MOU, "--deadline", "2030-03-22")
    assert holiday.code == 1 and "next working day" in holiday.err
    unknown = run_cli(capsys, "review", "start", "no-such", "--working-days", "3")
    assert unknown.code == 1 and "no agreement 'no-such'" in unknown.err
    party = run_cli(capsys, "review", "record", MOU, "--party", "kz-mia", "--decision", "maybe")
    assert party.code == 2


def test_a_draft_that_would_revoke_open_round_links_lists_them_and_needs_yes(
    drafted: Path, settings_on: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(capsys, "review", "start", MOU, "--working-days", "10").code == 0
    orgs = drafted / "organizations.yaml"
    dropped = (
        "      - name: Гульнара Токтарова\n        email: safehome@example.kz\n"
        "        language: ru\n        roles: [signatory, reviewer]\n"
        "        title:\n          ru: Директор\n          kk: Директор\n          en: Director\n"
    )
    text = orgs.read_text(encoding="utf-8")
    assert dropped in text
    orgs.write_text(text.replace(dropped, ""), encoding="utf-8")
    refused = run_cli(capsys, "draft", str(drafted))
    assert refused.code == 1
    assert "safehome@example.kz (ngo-safe-home): review round 1 of kz-referral-mou" in refused.err
    assert "--yes" in refused.err
    assert _active(settings_on, "safehome@example.kz")  # nothing was written
    confirmed = run_cli(capsys, "draft", str(drafted), "--yes")
    assert confirmed.code == 0, confirmed.err
    assert not _active(settings_on, "safehome@example.kz")


def _active(settings: Settings, email: str) -> bool:
    from sqlmodel import Session, select

    from accord.db import get_engine
    from models import Contact

    with Session(get_engine(settings.database_url)) as session:
        return session.exec(select(Contact.active).where(Contact.email == email)).one()


def test_the_secretariat_confirms_a_held_delegation_from_the_command_line(
    drafted: Path, settings_on: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    import re
    from email import message_from_bytes, policy

    from accord.cli.runtime import service_session
    from accord.services.review.access import resolve
    from accord.services.review.actions import delegate

    assert run_cli(capsys, "review", "start", MOU, "--working-days", "10").code == 0
    mails = [
        message_from_bytes(f.read_bytes(), policy=policy.default)
        for f in settings_on.outbox_dir.glob("*.eml")
    ]
    to_mia = next(m for m in mails if "m.issayeva@example.kz" in str(m["To"]))
    body = to_mia.get_body(preferencelist=("plain",))
    assert body is not None
    token = re.search(r"/r/([A-Za-z0-9_-]{20,})", body.get_content()).group(1)  # type: ignore[union-attr]
    with service_session("reviewer") as env:
        scope = resolve(token, session=env.session, now=env.now)
        held = delegate(
            scope, colleague_email="b.sadykov@example.org", colleague_name="Б. Садыков", env=env
        )
    assert held.awaiting_confirmation
    status = run_cli(capsys, "review", "status", MOU)
    assert "WAITING FOR YOUR CONFIRMATION: #1 round 1, kz-mia: Мадина Исаева" in status.out
    before = len(list(settings_on.outbox_dir.glob("*.eml")))
    confirmed = run_cli(capsys, "review", "confirm-delegate", MOU, "1")
    assert confirmed.code == 0, confirmed.err
    assert "delegation #1 confirmed; Б. Садыков <b.sadykov@example.org>" in confirmed.out
    assert len(list(settings_on.outbox_dir.glob("*.eml"))) == before + 1 + 2  # and the notices
    again = run_cli(capsys, "review", "confirm-delegate", MOU, "1")
    assert again.code == 1 and "no delegation #1 waiting for confirmation" in again.err


def test_the_secretariat_declines_a_held_delegation_from_the_command_line(
    drafted: Path, settings_on: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    import re
    from email import message_from_bytes, policy

    from accord.cli.runtime import service_session
    from accord.services.review.access import resolve
    from accord.services.review.actions import delegate

    def mails(names: set[str] = set()) -> list[Any]:  # noqa: B006 (never mutated)
        return [
            message_from_bytes(f.read_bytes(), policy=policy.default)
            for f in sorted(settings_on.outbox_dir.glob("*.eml"))
            if f.name not in names
        ]

    assert run_cli(capsys, "review", "start", MOU, "--working-days", "10").code == 0
    to_mia = next(m for m in mails() if "m.issayeva@example.kz" in str(m["To"]))
    body = to_mia.get_body(preferencelist=("plain",))
    assert body is not None
    token = re.search(r"/r/([A-Za-z0-9_-]{20,})", body.get_content()).group(1)  # type: ignore[union-attr]
    with service_session("reviewer") as env:
        scope = resolve(token, session=env.session, now=env.now)
        delegate(
            scope, colleague_email="b.sadykov@example.org", colleague_name="Б. Садыков", env=env
        )
    assert "decline-delegate" in run_cli(capsys, "review", "status", MOU).out
    before = {f.name for f in settings_on.outbox_dir.glob("*.eml")}
    declined = run_cli(capsys, "review", "decline-delegate", MOU, "1")
    assert declined.code == 0, declined.err
    assert "delegation #1 to Б. Садыков <b.sadykov@example.org> declined" in declined.out
    new = mails(before)
    to_delegator = [m for m in new if "m.issayeva@example.kz" in str(m["To"])]
    assert len(to_delegator) == 1  # in her language, Kazakh
    assert str(to_delegator[0]["Subject"]).startswith("Тапсырма расталмады: Б.")
    status = run_cli(capsys, "review", "status", MOU)
    assert "#1 round 1, kz-mia: Б. Садыков <b.sadykov@example.org> declined by" in status.out
    assert "WAITING FOR YOUR CONFIRMATION" not in status.out
    again = run_cli(capsys, "review", "decline-delegate", MOU, "1")
    assert again.code == 1 and "no delegation #1 waiting for confirmation" in again.err
