"""The optional second factor: TOTP codes from an authenticator app (RFC 6238, pyotp)."""

from datetime import datetime

import pyotp

from accord.errors import Refusal

ISSUER = "Accord"
WINDOW = 1
"""One step (30 s) either side: a phone's clock is rarely exact."""


def new_secret() -> str:
    return pyotp.random_base32()


def setup_uri(secret: str, email: str) -> str:
    """What an authenticator app reads (typed in, or from a QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def code_step(secret: str | None, code: str, now: datetime) -> int | None:
    """The time step a code belongs to (so it is accepted once), or None if it is wrong."""
    if secret is None:
        return None
    digits = code.replace(" ", "")
    if not (len(digits) == 6 and digits.isascii() and digits.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    moment = int(now.timestamp())
    for offset in range(-WINDOW, WINDOW + 1):
        at = moment + offset * totp.interval
        if pyotp.utils.strings_equal(totp.at(at), digits):
            return at // totp.interval
    return None


def confirm_secret(secret: str, code: str, now: datetime) -> int:
    """A second factor is switched on only after its first code proves the app has it."""
    step = code_step(secret, code, now)
    if step is None:
        raise Refusal(
            "staff.wrong_code", "This code is not right or was used already.", field="code"
        )
    return step
