"""The seal's key: the installation's own from settings, or one self-signed for a laptop."""

import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID

from accord.adapters.seal_keys import ensure_seal, load_seal, self_signed_seal
from accord.errors import AccordError
from accord.settings import Settings, get_settings
from tests.cli_runner import run_cli

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def _common_name(cert_pem: bytes) -> str:
    cert = x509.load_pem_x509_certificate(cert_pem)
    return str(cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value)


def test_a_laptop_gets_a_self_signed_seal_once(settings: Settings) -> None:
    first = ensure_seal(settings, now=NOW)
    key_file, cert_file = settings.seal_files
    pair = key_file.read_bytes(), cert_file.read_bytes()

    second = ensure_seal(settings, now=NOW)

    assert first == cert_file
    assert second is None
    assert (key_file.read_bytes(), cert_file.read_bytes()) == pair
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert _common_name(pair[1]) == "Accord document seal"


def test_the_seal_names_the_public_host_of_a_server(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCORD_PUBLIC_BASE_URL", "https://accord.example.kz")
    monkeypatch.setenv("ACCORD_MAIL_FROM_NAME", "Secretariat of the Commission")
    get_settings.cache_clear()

    ensure_seal(get_settings(), now=NOW)

    cert = get_settings().seal_files[1].read_bytes()
    assert _common_name(cert) == "Secretariat of the Commission (accord.example.kz) document seal"


def test_a_configured_seal_is_used_and_nothing_is_generated(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key, cert = self_signed_seal("Ministry of Justice", now=NOW)
    (tmp_path / "seal.key").write_bytes(key)
    (tmp_path / "seal.crt").write_bytes(cert)
    monkeypatch.setenv("ACCORD_SEAL_KEY_FILE", str(tmp_path / "seal.key"))
    monkeypatch.setenv("ACCORD_SEAL_CERT_FILE", str(tmp_path / "seal.crt"))
    get_settings.cache_clear()
    configured = get_settings()

    assert ensure_seal(configured, now=NOW) is None
    assert load_seal(configured).cert_pem == cert
    assert not (configured.data_dir / "seal").exists()


def test_a_key_of_another_certificate_is_refused_with_both_paths(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key, _ = self_signed_seal("Ministry of Justice", now=NOW)
    _, other_cert = self_signed_seal("Someone Else", now=NOW)
    (tmp_path / "seal.key").write_bytes(key)
    (tmp_path / "seal.crt").write_bytes(other_cert)
    monkeypatch.setenv("ACCORD_SEAL_KEY_FILE", str(tmp_path / "seal.key"))
    monkeypatch.setenv("ACCORD_SEAL_CERT_FILE", str(tmp_path / "seal.crt"))
    get_settings.cache_clear()

    with pytest.raises(AccordError, match=r"seal\.key does not belong to .*seal\.crt"):
        ensure_seal(get_settings())


def test_a_key_without_its_certificate_is_an_invalid_setting(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCORD_SEAL_KEY_FILE", str(tmp_path / "seal.key"))
    get_settings.cache_clear()

    with pytest.raises(ValueError, match="ACCORD_SEAL_KEY_FILE and ACCORD_SEAL_CERT_FILE go"):
        get_settings()


def test_init_says_once_that_it_generated_the_seal(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    first = run_cli(capsys, "init")
    second = run_cli(capsys, "init")

    assert first.code == second.code == 0
    assert "PDF seal: generated a self-signed key and certificate in " in first.out
    assert "PDF seal" not in second.out
    assert "PDFs: switched off (ACCORD_PDF_DOCUMENTS=false)" in second.out
