"""What a PDF seal is about, apart from the PDF library that makes and checks it.

Kept apart so that the modules that only pass these values around (document stores, the
services' ports) do not load the signing library, which takes most of a command's start.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import Enum


@dataclass(frozen=True)
class SealStamp:
    """Which agreement version a sealed PDF is: written into its metadata before sealing."""

    agreement: str
    title: str
    number: int
    sha256: str

    @property
    def subject(self) -> str:
        return f"{self.agreement}, version {self.number}, sha256 {self.sha256}"


@dataclass(frozen=True)
class SealKey:
    """The installation's seal: PEM private key and certificate (read by an adapter)."""

    key_pem: bytes
    cert_pem: bytes
    password: bytes | None = None


class SealState(Enum):
    intact = "intact"
    altered = "altered"
    not_sealed = "not sealed"


@dataclass(frozen=True)
class SealCheck:
    state: SealState
    reason: str = ""
    sealed_by: str = ""
    sealed_at: datetime | None = None
    stamp: SealStamp | None = None
    trusted: bool = False


class SealError(Exception):
    """The seal's key or certificate cannot be used; the message says which and why."""
