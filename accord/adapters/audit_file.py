"""The audit checkpoints' file and signatures: the installation's seal key signs each one.

The file (`<data_dir>/audit/checkpoints.jsonl`, one checkpoint a line) lives outside the
database on purpose; copy it with the backups, not with the database.
"""

import base64
import json
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from sqlmodel import Session

from accord.adapters.seal_keys import ensure_seal, load_seal
from accord.errors import AccordError
from accord.services.audit import verify_chain
from accord.services.audit_anchor import (
    OVERDUE,
    Checkpoint,
    checkpoint_problems,
    mail_checkpoint,
    missing_triggers,
    next_checkpoint,
)
from accord.settings import Settings
from models.columns import utcnow

SigningKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


def checkpoint_file(settings: Settings) -> Path:
    return settings.data_dir / "audit" / "checkpoints.jsonl"


def read_checkpoints(path: Path) -> list[Checkpoint]:
    if not path.is_file():
        return []
    try:
        return [
            Checkpoint(**json.loads(line))
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
    except (ValueError, TypeError) as error:
        raise AccordError(f"{path}: not a file of audit checkpoints ({error})") from error


def sign_checkpoint(settings: Settings, *, session: Session) -> Checkpoint | None:
    """Append a signed checkpoint of the chain's head; None when there is nothing new."""
    path = checkpoint_file(settings)
    existing = read_checkpoints(path)
    last = existing[-1] if existing else None
    unsigned = next_checkpoint(last, session=session, now=utcnow())
    if unsigned is None or (last is not None and last.seq == unsigned.seq):
        return None
    key = _key(settings)
    signature = _sign(key, unsigned.signed_bytes())
    signed = Checkpoint(
        unsigned.seq, unsigned.hash, unsigned.at, unsigned.previous, signature=signature
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(signed.__dict__, sort_keys=True) + "\n")
    return signed


def audit_problems(settings: Settings, *, session: Session) -> tuple[int, list[str]]:
    """(entries, problems) of the whole check: the chain, the triggers, the checkpoints."""
    chain = verify_chain(session=session)
    found = [] if chain.ok else [f"audit trail broken at entry {chain.broken_at}: {chain.reason}"]
    found += [f"trigger {name} is missing" for name in missing_triggers(session=session)]
    return chain.entries, found + problems(settings, session=session)


def checkpoint_if_intact(settings: Settings, *, session: Session) -> Checkpoint | None:
    """Sign the head unless the trail was found tampered with (never bless a forgery), and
    queue it to the secretariats; a checkpoint only overdue is what this cures."""
    _, found = audit_problems(settings, session=session)
    if any(not problem.startswith(OVERDUE) for problem in found):
        raise AccordError("audit trail not intact, no checkpoint signed:\n" + "\n".join(found))
    signed = sign_checkpoint(settings, session=session)
    if signed is not None:
        mail_checkpoint(signed, session=session)
    return signed


def problems(settings: Settings, *, session: Session) -> list[str]:
    """What the signed checkpoints say about the trail in the database."""
    checkpoints = read_checkpoints(checkpoint_file(settings))
    if not checkpoints:
        return checkpoint_problems([], session=session, genuine=lambda _: False)
    public = _key(settings).public_key()
    return checkpoint_problems(checkpoints, session=session, genuine=lambda c: _verify(public, c))


def _key(settings: Settings) -> SigningKey:
    ensure_seal(settings)
    seal = load_seal(settings)
    key = serialization.load_pem_private_key(seal.key_pem, password=seal.password)
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise AccordError("the seal key must be an EC or RSA key to sign audit checkpoints")
    return key


def _sign(key: SigningKey, data: bytes) -> str:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        raw = key.sign(data, ec.ECDSA(hashes.SHA256()))
    else:
        raw = key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(raw).decode("ascii")


def _verify(public: ec.EllipticCurvePublicKey | rsa.RSAPublicKey, checkpoint: Checkpoint) -> bool:
    try:
        raw = base64.b64decode(checkpoint.signature, validate=True)
        if isinstance(public, ec.EllipticCurvePublicKey):
            public.verify(raw, checkpoint.signed_bytes(), ec.ECDSA(hashes.SHA256()))
        else:
            public.verify(raw, checkpoint.signed_bytes(), padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError):
        return False
    return True
