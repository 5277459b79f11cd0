"""A plan adopted by a decision enters into force on that record, without signatures."""

from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from docx2python import docx2python
from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from accord.documents.register_xlsx import read_register
from accord.errors import Refusal
from accord.services.commitments.tracked import tracked_items
from accord.services.signing.adoption import enter_into_force_on_approval
from accord.settings import Settings
from models import Agreement, AgreementStatus, SignOff, SignOffStatus
from tests.cli_runner import run_cli
from tests.review_world import MOU, World, make_world

PLAN = "kg-nrm-action-plan"
PLAN_FILE = "kg-nrm-action-plan.yaml"
DAY = datetime(2027, 3, 2, 9, 0, tzinfo=UTC)
APPROVAL = (
    "approval:\n"
    "  by:\n"
    "    ru: решением Координационного совета\n"
    "    en: decision of the Coordination Council\n"
    "  date: 2027-02-15\n"
    '  number: "3"\n'
    "term:"
)


@pytest.fixture
def world(tmp_path: Path, engine: Engine) -> World:
    return make_world(tmp_path, engine)


def test_an_approved_plan_enters_into_force_on_its_decision_date(world: World) -> None:
    world.edit(PLAN_FILE, "term:", APPROVAL)
    [drafted] = [d for d in world.draft() if d.agreement == PLAN]
    assert drafted.created

    with world.env(DAY) as env:
        adopted = enter_into_force_on_approval(PLAN, env=env)

    assert adopted.effective_date == date(2027, 2, 15)
    with Session(world.engine) as session:
        agreement = session.exec(select(Agreement).where(Agreement.slug == PLAN)).one()
        signoff = session.exec(select(SignOff).where(SignOff.agreement_id == agreement.id)).one()
        items = tracked_items(session=session, agreement=PLAN)
    assert agreement.status is AgreementStatus.in_force
    assert (signoff.status, signoff.effective_date) == (SignOffStatus.completed, date(2027, 2, 15))
    assert len(items) == len(drafted.content.agreement.commitments) > 0
    signed = world.store.root / PLAN / f"{PLAN}-v{drafted.number}-signed.docx"
    with docx2python(BytesIO(signed.read_bytes())) as read:
        text, header = read.text, str(read.header)
    assert "решением Координационного совета от 15.02.2027 № 3" in text
    assert "Certificate of electronic signature" not in text
    assert "ПРОЕКТ" not in header


def test_a_recurring_commitment_is_tracked_once_per_occurrence(world: World) -> None:
    world.edit(PLAN_FILE, "term:", APPROVAL)
    world.edit(
        PLAN_FILE, "    due: 2028-12-31\n", "    due: 2028-12-31\n    repeat: {every: quarter}\n"
    )
    [drafted] = [d for d in world.draft() if d.agreement == PLAN]
    recurring = [c.id for c in drafted.content.agreement.commitments if c.repeat is not None]

    with world.env(DAY) as env:
        enter_into_force_on_approval(PLAN, env=env)

    with Session(world.engine) as session:
        items = tracked_items(session=session, agreement=PLAN)
    keys = sorted(
        item.commitment_id for item in items if item.commitment_id.startswith(f"{recurring[0]}@")
    )
    # from the approval (15.02.2027) to the due date (31.12.2028): eight quarter ends
    assert recurring == ["c-04"]
    assert keys == [
        f"c-04@{day}"
        for day in (
            "2027-03-31", "2027-06-30", "2027-09-30", "2027-12-31",
            "2028-03-31", "2028-06-30", "2028-09-30", "2028-12-31",
        )
    ]  # fmt: skip
    assert len(items) == len(drafted.content.agreement.commitments) - 1 + 8


def test_a_signed_memorandum_cannot_enter_into_force_by_approval(world: World) -> None:
    with pytest.raises(Refusal, match="records no approval"), world.env(DAY) as env:
        enter_into_force_on_approval(MOU, env=env)


def test_the_command_puts_an_approved_plan_into_force_and_refuses_a_memorandum(
    settings_on: Settings, engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    world = make_world(tmp_path / "world", engine)
    world.edit(PLAN_FILE, "term:", APPROVAL)
    world.draft()

    adopted = run_cli(capsys, "sign", "approved", PLAN)
    refused = run_cli(capsys, "sign", "approved", MOU)

    assert adopted.code == 0, adopted.err
    assert "in force since 2027-02-15, the date of its approval" in adopted.out
    assert refused.code == 1
    assert refused.err.startswith(f"accord: Version 1 of “{MOU}” records no approval")
    assert len(refused.err.strip().splitlines()) == 1

    exported = run_cli(capsys, "export", PLAN)
    register = settings_on.output_dir / PLAN / f"{PLAN}-register.xlsx"
    assert exported.code == 0, exported.err
    assert str(register) in exported.out
    rows = read_register(register.read_bytes())
    assert len(rows) > 0 and {row["agreement_id"] for row in rows} == {PLAN}
    assert load_workbook(register).sheetnames == ["Реестр", "По организациям"]  # ru plan


def test_the_secretariat_reports_on_its_instruments_for_a_half_year(
    settings_on: Settings, engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    world = make_world(tmp_path / "world", engine)
    world.edit(PLAN_FILE, "term:", APPROVAL)
    world.draft()
    assert run_cli(capsys, "sign", "approved", PLAN).code == 0

    made = run_cli(capsys, "report", "--secretariat", "kg-cc", "--period", "2027-H2")
    bad = run_cli(capsys, "report", "--secretariat", "kg-cc", "--period", "2027-H3")
    nobody = run_cli(capsys, "report", "--secretariat", "kz-iac", "--period", "2027")

    assert made.code == 0, made.err
    folder = settings_on.output_dir / "kg-cc"
    assert sorted(p.name for p in folder.iterdir()) == [
        "kg-cc-implementation-2027-H2-en.docx",
        "kg-cc-implementation-2027-H2-ru.docx",
    ]
    with docx2python(folder / "kg-cc-implementation-2027-H2-ru.docx") as read:
        text = read.text
    assert "Информация о ходе реализации соглашений и планов" in text
    assert "за период с 01.07.2027 по 31.12.2027" in text
    assert bad.code != 0 and "not a reporting period" in bad.err
    assert nobody.code == 1 and "no agreement in force has 'kz-iac'" in nobody.err
