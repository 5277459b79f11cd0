"""The seal on a signed original: what it records, and that `accord verify` notices any change."""

import re
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from accord.adapters.seal_keys import load_seal, self_signed_seal
from accord.documents.pdf_seal import check_seal, seal_pdf
from accord.documents.seal_values import SealKey, SealStamp, SealState
from accord.settings import Settings
from tests.cli_runner import run_cli

STAMP = SealStamp(
    agreement="kz-referral-mou",
    title="Меморандум о взаимодействии при направлении жертв",
    number=3,
    sha256="3f" * 32,
)
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def plain_pdf() -> bytes:
    """A one-page PDF made without an office suite (matplotlib ships with Accord)."""
    figure = Figure(figsize=(8.27, 11.69))
    figure.text(0.1, 0.9, "Memorandum of understanding: signed original")
    buffer = BytesIO()
    figure.savefig(buffer, format="pdf")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def other_key() -> SealKey:
    key, cert = self_signed_seal("Someone Else", now=NOW)
    return SealKey(key_pem=key, cert_pem=cert)


@pytest.fixture(scope="module")
def our_key() -> SealKey:
    """Generated once: an RSA key takes seconds on a busy machine."""
    key, cert = self_signed_seal("Accord", now=NOW)
    return SealKey(key_pem=key, cert_pem=cert)


@pytest.fixture
def installation(settings: Settings, our_key: SealKey) -> Settings:
    """Settings whose data folder holds the installation's seal, as `accord init` leaves it."""
    key_file, cert_file = settings.seal_files
    key_file.parent.mkdir(parents=True)
    key_file.write_bytes(our_key.key_pem)
    cert_file.write_bytes(our_key.cert_pem)
    return settings


@pytest.fixture
def sealed(installation: Settings) -> Path:
    """A signed original sealed with this installation's seal, on disk."""
    settings = installation
    path = settings.output_dir / "kz-referral-mou" / "kz-referral-mou-v3-signed.pdf"
    path.parent.mkdir(parents=True)
    path.write_bytes(seal_pdf(plain_pdf(), key=load_seal(settings), stamp=STAMP))
    return path


def test_a_sealed_pdf_says_who_sealed_which_version_and_when(
    settings: Settings, sealed: Path
) -> None:
    before = datetime.now(UTC)
    trusted = settings.seal_files[1].read_bytes()

    result = check_seal(sealed.read_bytes(), trusted_cert_pem=trusted)

    assert result.state is SealState.intact
    assert result.trusted
    assert result.stamp == STAMP
    assert result.sealed_by == "Accord document seal"
    assert result.sealed_at is not None
    assert abs((result.sealed_at - before).total_seconds()) < 60


def test_verify_prints_one_line_and_exits_zero_when_intact(
    sealed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli(capsys, "verify", str(sealed))

    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert len(lines) == 1
    assert "intact: sealed by" in lines[0]
    assert f"kz-referral-mou version 3, sha256 {'3f' * 32}" in lines[0]
    assert "not this installation's" not in lines[0]


def _positions(data: bytes) -> list[int]:
    """Every region of the file: header, page, metadata, the signature, its padding, the end."""
    match = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)", data)
    assert match, "no signature byte range"
    gap_start, gap_end = int(match.group(2)), int(match.group(3))
    spread = [len(data) * k // 23 for k in range(23)]
    signature = [gap_start, gap_start + 1, gap_start + 40, (gap_start + gap_end) // 2]
    padding = [gap_end - 3, gap_end - 2, gap_end - 1]
    ends = [gap_end, gap_end + 5, len(data) - 2, len(data) - 1]
    return sorted(set(spread + signature + padding + ends))


def test_one_changed_byte_anywhere_is_reported_as_altered(settings: Settings, sealed: Path) -> None:
    original = sealed.read_bytes()
    trusted = settings.seal_files[1].read_bytes()
    positions = _positions(original)
    missed = []
    for position in positions:
        changed = bytearray(original)
        changed[position] ^= 0x01
        if check_seal(bytes(changed), trusted_cert_pem=trusted).state is not SealState.altered:
            missed.append(position)

    assert len(positions) > 30
    assert missed == []


def test_verify_reports_a_changed_byte_and_exits_one(
    sealed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = bytearray(sealed.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))

    result = run_cli(capsys, "verify", str(tampered))

    assert result.code == 1
    assert result.out.count("\n") == 1
    assert f"{tampered}: altered:" in result.out


def test_a_change_appended_after_sealing_is_reported(settings: Settings, sealed: Path) -> None:
    writer = IncrementalPdfFileWriter(BytesIO(sealed.read_bytes()), strict=False)
    writer.root["/Lang"] = generic.TextStringObject("kk")
    writer.update_root()
    appended = BytesIO()
    writer.write(appended)

    result = check_seal(appended.getvalue(), trusted_cert_pem=settings.seal_files[1].read_bytes())

    assert result.state is SealState.altered
    assert result.reason == "the file was changed after sealing"


def test_a_pdf_without_a_seal_is_reported_as_such(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unsealed = tmp_path / "kz-referral-mou-v3.pdf"
    unsealed.write_bytes(plain_pdf())

    result = run_cli(capsys, "verify", str(unsealed))

    assert result.code == 1
    assert result.out == f"{unsealed}: not sealed: the PDF carries no seal\n"


def test_a_file_that_is_no_pdf_is_not_intact(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "minutes.pdf"
    text.write_text("minutes of the meeting", encoding="utf-8")

    result = run_cli(capsys, "verify", str(text))

    assert result.code == 1
    assert f"{text}: altered: the file cannot be read as a PDF" in result.out


def test_a_missing_file_is_one_line(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli(capsys, "verify", str(tmp_path / "nowhere.pdf"))

    assert result.code == 1
    assert result.err.startswith("accord: cannot read ")


def test_another_installations_seal_is_intact_but_named_as_foreign(
    installation: Settings, other_key: SealKey, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = tmp_path / "foreign.pdf"
    foreign.write_bytes(seal_pdf(plain_pdf(), key=other_key, stamp=STAMP))

    result = run_cli(capsys, "verify", str(foreign))

    assert result.code == 0
    assert "sealed by" in result.out and "Someone Else" in result.out
    assert "(not this installation's seal)" in result.out


def test_the_seal_covers_the_recorded_version(settings: Settings, sealed: Path) -> None:
    """Rewriting the recorded hash, even to one of the same length, breaks the seal."""
    data = sealed.read_bytes()
    forged = data.replace(b"3f3f3f3f", b"3f3f3f3e", 1)
    assert forged != data

    result = check_seal(forged, trusted_cert_pem=settings.seal_files[1].read_bytes())

    assert result.state is SealState.altered
