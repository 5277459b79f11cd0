"""The installation's seal key and certificate: from the settings, or self-signed on a laptop.

A national installation sets ACCORD_SEAL_KEY_FILE and ACCORD_SEAL_CERT_FILE to a key and a
certificate its certification authority issued. A laptop without them gets a self-signed pair
in the data folder on `accord init` (or the first time a signed original is sealed).
"""

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from accord.documents.seal_values import SealKey
from accord.errors import AccordError
from accord.files import write_atomically
from accord.settings import Settings

VALID_YEARS = 10


def ensure_seal(settings: Settings, *, now: datetime | None = None) -> Path | None:
    """Generate the self-signed pair if no seal is set and none exists; its certificate's path."""
    key_file, cert_file = settings.seal_files
    if settings.seal_key_file is not None or key_file.exists() or cert_file.exists():
        load_seal(settings)  # a seal that is set must also be usable: say so now, not at signing
        return None
    key, cert = self_signed_seal(_holder(settings), now=now or datetime.now(UTC))
    write_atomically(cert_file, cert)
    write_atomically(key_file, key)
    os.chmod(key_file, 0o600)
    return cert_file


def load_seal(settings: Settings) -> SealKey:
    key_file, cert_file = settings.seal_files
    try:
        key_pem, cert_pem = key_file.read_bytes(), cert_file.read_bytes()
    except OSError as error:
        raise AccordError(
            f"cannot read the PDF seal ({error.filename}: {error.strerror}); set "
            "ACCORD_SEAL_KEY_FILE and ACCORD_SEAL_CERT_FILE, or run `accord init`"
        ) from error
    password = settings.seal_key_password
    key = SealKey(
        key_pem=key_pem,
        cert_pem=cert_pem,
        password=password.get_secret_value().encode() if password else None,
    )
    _check(key, key_file, cert_file)
    return key


def trusted_certificate(settings: Settings) -> bytes | None:
    """This installation's seal certificate, if it has one yet (verifying never creates one)."""
    _, cert_file = settings.seal_files
    return cert_file.read_bytes() if cert_file.is_file() else None


def self_signed_seal(holder: str, *, now: datetime) -> tuple[bytes, bytes]:
    """A new key and a certificate for sealing documents: (key PEM, certificate PEM).

    ECDSA P-256: every current PDF reader checks it, and unlike a 3072-bit RSA key it loads
    in microseconds (cryptography validates RSA keys on every load, pyHanko loads per seal).
    """
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"{holder} document seal"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, holder),
        ]
    )
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365 * VALID_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


def _holder(settings: Settings) -> str:
    """Who seals: the secretariat's sender name, and the host when it says more than that."""
    host = urlsplit(settings.public_base_url).hostname or ""
    if host and host not in {"127.0.0.1", "localhost", "::1"}:
        return f"{settings.mail_from_name} ({host})"
    return settings.mail_from_name


def _check(key: SealKey, key_file: Path, cert_file: Path) -> None:
    try:
        private = serialization.load_pem_private_key(key.key_pem, password=key.password)
        cert = x509.load_pem_x509_certificate(key.cert_pem)
    except (ValueError, TypeError) as error:
        raise AccordError(
            f"the PDF seal in {key_file} / {cert_file} cannot be read: {error}"
        ) from error
    if private.public_key() != cert.public_key():
        raise AccordError(f"the PDF seal's key {key_file} does not belong to {cert_file}")
