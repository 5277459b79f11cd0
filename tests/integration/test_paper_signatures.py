"""A signature given on paper at a ceremony, recorded by the secretariat with a scan of the
signed page: kept by hash, written to the audit trail, and the last one brings the agreement
into force on the day of the last signature."""

import hashlib
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from accord.errors import Refusal
from accord.services.signing.access import resolve_signature
from accord.services.signing.acts import SignatureRecorded, sign
from accord.services.signing.paper import Scan, record_paper_signature, scan_location
from accord.services.signing.rules import PaperSigning
from accord.services.signing.start import start_signoff
from accord.settings import Settings
from models import (
    Agreement,
    AgreementStatus,
    AuditEvent,
    Organization,
    Signature,
    SignatureStatus,
    SignOff,
    SignOffStatus,
    TrackedCommitment,
)
from tests.cli_runner import run_cli
from tests.review_world import MOU, SIGN_LINK, World, approve_all, make_world
from tests.scans import scan_pdf, tiny_png

OPENED = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
LATER = OPENED + timedelta(days=9)
STAFF = "staff:officer@example.kz"
CEREMONY = PaperSigning("Yerlan Kassymov", "Minister", date(2027, 3, 5), "Astana, Akorda")


@pytest.fixture
def world(tmp_path: Path, engine: Engine) -> World:
    world = make_world(tmp_path, engine)
    approve_all(world, OPENED)
    with world.env(OPENED) as env:
        start_signoff(MOU, env=env)
    return world


def sign_online(world: World, *, skip: str, now: datetime) -> None:
    """Every signatory signs through its link except the organisation `skip`."""
    for message in world.messages("sign_request"):
        token = SIGN_LINK.search(message.text)
        assert token is not None
        with world.env(now, actor=f"signer:{message.to_email}") as env:
            scope = resolve_signature(token.group(1), session=env.session, now=env.now)
            if scope.organization.slug == skip:
                continue
            sign(
                scope,
                name=f"Signer {message.to_email}",
                title="Director",
                confirmed=True,
                ip_address="192.0.2.10",
                user_agent="Mozilla/5.0 (test)",
                env=env,
            )


def record(
    world: World, party: str = "kz-mia", scan: Scan | None = None, **changes: object
) -> SignatureRecorded:
    given = replace(CEREMONY, **changes)  # type: ignore[arg-type]
    with world.env(LATER, actor=STAFF) as env:
        return record_paper_signature(
            MOU, party, given, scan or Scan("signed page.pdf", scan_pdf()), env=env
        )


def signature_of(world: World, party: str) -> Signature:
    with Session(world.engine) as session:
        return session.exec(
            select(Signature)
            .join(Organization, col(Organization.id) == Signature.organization_id)
            .where(Organization.slug == party)
        ).one()


def test_the_last_signature_on_paper_brings_the_agreement_into_force(world: World) -> None:
    sign_online(world, skip="kz-mia", now=OPENED + timedelta(days=2))
    assert record(world).completed
    kept = signature_of(world, "kz-mia")
    assert kept.status is SignatureStatus.signed
    assert (kept.signer_name, kept.signer_title) == ("Yerlan Kassymov", "Minister")
    assert (kept.paper_signed_on, kept.paper_place) == (date(2027, 3, 5), "Astana, Akorda")
    assert kept.recorded_by == STAFF and kept.scan_name == "signed page.pdf"
    assert kept.scan_sha256 == hashlib.sha256(scan_pdf()).hexdigest()
    assert world.store.read(scan_location(kept.scan_sha256, ".pdf")) == scan_pdf()
    with Session(world.engine) as session:
        agreement = session.exec(select(Agreement).where(Agreement.slug == MOU)).one()
        signoff = session.exec(select(SignOff)).one()
        tracked = session.exec(select(TrackedCommitment)).all()
        actions = [e.action for e in session.exec(select(AuditEvent).order_by(col(AuditEvent.seq)))]
    assert agreement.status is AgreementStatus.in_force
    assert signoff.status is SignOffStatus.completed
    assert signoff.effective_date == date(2027, 3, 5), "the day written on the last page"
    assert tracked, "items are tracked once in force"
    assert actions[-2:] == ["signature.recorded_on_paper", "agreement.in_force"]
    assert world.messages("signed_agreement"), "the signed document goes to every party"


def test_a_paper_signature_before_others_leaves_sign_off_open(world: World) -> None:
    assert not record(world, scan=Scan("page.png", tiny_png())).completed
    assert signature_of(world, "kz-mia").scan_type == "image/png"
    with Session(world.engine) as session:
        assert session.exec(select(SignOff)).one().status is SignOffStatus.open


@pytest.mark.parametrize(
    ("party", "scan", "changes", "code"),
    [
        ("iom-kz", None, {}, "signing.not_a_signatory"),
        ("kz-mia", Scan("page.pdf", b"%PDF-1.7 renamed"), {}, "signing.scan_content"),
        ("kz-mia", None, {"signed_on": date(2027, 2, 27)}, "signing.paper_date_range"),
        ("kz-mia", None, {"place": " "}, "signing.paper_place"),
    ],
)
def test_refusals_record_nothing(
    world: World, party: str, scan: Scan | None, changes: dict[str, object], code: str
) -> None:
    with pytest.raises(Refusal) as caught:
        record(world, party, scan, **changes)
    assert caught.value.code == code
    assert signature_of(world, "kz-mia").status is SignatureStatus.pending
    assert not (world.store.root / "scans").exists(), "a refused scan is not kept"


def test_a_signature_is_recorded_once(world: World) -> None:
    record(world)
    with pytest.raises(Refusal) as caught:
        record(world)
    assert caught.value.code == "signing.paper_already_answered"


def test_nothing_to_record_without_an_open_sign_off(world: World) -> None:
    sign_online(world, skip="", now=OPENED + timedelta(days=1))
    with pytest.raises(Refusal) as caught:
        record(world)
    assert caught.value.code == "signing.no_open_signoff"


def test_the_text_changed_since_approval(world: World) -> None:
    world.edit("kz-referral-mou.yaml", "shelter_places: 20", "shelter_places: 25")
    world.draft()
    with pytest.raises(Refusal) as caught:
        record(world)
    assert caught.value.code == "signing.text_changed"


def test_the_command_records_a_signature_on_paper(
    engine: Engine, settings_on: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command acts today: this sign-off opened in the past (5 January 2026)."""
    world = make_world(tmp_path / "cli", engine)
    opened = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    approve_all(world, opened)
    with world.env(opened) as env:
        start_signoff(MOU, env=env)
    scan = tmp_path / "signed page.png"
    scan.write_bytes(tiny_png())
    common = ("--name", "Yerlan Kassymov", "--title", "Minister", "--place", "Astana")
    recorded = run_cli(
        capsys, "sign", "paper", MOU, "--party", "kz-mia", "--date", "2026-01-06", "--scan",
        str(scan), *common,
    )  # fmt: skip
    refused = run_cli(
        capsys, "sign", "paper", MOU, "--party", "kz-mia", "--date", "2026-01-06", "--scan",
        str(scan), *common,
    )  # fmt: skip
    assert recorded.code == 0, recorded.err
    assert "signature of kz-mia on paper recorded; sign-off goes on" in recorded.out
    assert signature_of(world, "kz-mia").recorded_by.startswith("cli:")  # type: ignore[union-attr]
    assert refused.code == 1 and "has already answered this sign-off" in refused.err
