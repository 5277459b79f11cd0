"""The signatory's two forms, parsed; the rules they must meet are sign-off's own."""

from dataclasses import dataclass

CONFIRMED = "yes"
"""What the confirmation checkbox sends when ticked."""


@dataclass(frozen=True)
class SignatureForm:
    name: str
    title: str
    confirmed: bool


def read_signature(name: str, title: str, confirm: str) -> SignatureForm:
    return SignatureForm(name, title, confirm == CONFIRMED)
