"""What staff may do and when a sign-in is allowed: pure decisions, no session, no I/O."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from accord.errors import Refusal
from models import StaffRole

MIN_PASSWORD = 12
MAX_PASSWORD = 256
"""Long enough for a passphrase; bounded so hashing a posted megabyte costs nothing."""
THROTTLE_WINDOW = timedelta(minutes=15)
FAILURES_PER_ACCOUNT = 5
"""Failed sign-ins for one e-mail address within the window before it must wait."""
FAILURES_PER_CLIENT = 20
"""Failed sign-ins from one network address within the window (any e-mail) before it waits."""
SET_PASSWORD_LINK = timedelta(days=3)
RESET_PASSWORD_LINK = timedelta(hours=1)


class Action:
    """What a page or command asks to do; each role allows a set of them."""

    read = "read"
    run = "run"
    """Drafting, rounds, sign-offs, commitments, organisations and their contacts."""
    manage = "manage"
    """Staff accounts."""


ALLOWED: dict[StaffRole, frozenset[str]] = {
    StaffRole.viewer: frozenset({Action.read}),
    StaffRole.officer: frozenset({Action.read, Action.run}),
    StaffRole.admin: frozenset({Action.read, Action.run, Action.manage}),
}


def require_allowed(role: StaffRole, action: str) -> None:
    if action not in ALLOWED[role]:
        raise Refusal(
            "staff.not_allowed",
            "Your role (%(role)s) does not allow this; ask an administrator of your secretariat.",
            role=role.value,
        )


def password_problem(password: str, email: str) -> Refusal | None:
    """Length is what makes a password strong; the address itself is the first guess."""
    if len(password) < MIN_PASSWORD:
        return Refusal(
            "staff.password_too_short",
            "The password must have at least %(min)s characters; a few words make a good one.",
            field="password",
            min=MIN_PASSWORD,
        )
    if len(password) > MAX_PASSWORD:
        return Refusal(
            "staff.password_too_long",
            "The password may have at most %(max)s characters.",
            field="password",
            max=MAX_PASSWORD,
        )
    lowered = password.casefold()
    local = email.split("@", 1)[0].casefold()
    if len(set(lowered)) < 5 or (len(local) >= 4 and local in lowered):
        return Refusal(
            "staff.password_guessable",
            "This password is too easy to guess: avoid your own address and repeated characters.",
            field="password",
        )
    return None


def require_same(password: str, repeated: str) -> None:
    if password != repeated:
        raise Refusal(
            "staff.passwords_differ", "The two passwords are not the same.", field="repeated"
        )


@dataclass(frozen=True)
class Failures:
    """Failed sign-ins within the window, oldest first, for the address tried and the client."""

    for_account: tuple[datetime, ...]
    for_client: tuple[datetime, ...]


def throttle_wait(failures: Failures, now: datetime) -> timedelta | None:
    """How long this sign-in must wait, or None. The same answer whether or not an account
    exists for the address, so throttling reveals nothing either."""
    waits = [
        _wait(failures.for_account, FAILURES_PER_ACCOUNT, now),
        _wait(failures.for_client, FAILURES_PER_CLIENT, now),
    ]
    longest = max((w for w in waits if w is not None), default=None)
    return longest


def _wait(times: tuple[datetime, ...], limit: int, now: datetime) -> timedelta | None:
    recent = [t for t in times if now - t < THROTTLE_WINDOW]
    if len(recent) < limit:
        return None
    # The oldest failure that keeps the count at the limit must leave the window first.
    return recent[-limit] + THROTTLE_WINDOW - now


def throttled(wait: timedelta) -> Refusal:
    minutes = max(1, -(-int(wait.total_seconds()) // 60))
    return Refusal(
        "staff.sign_in_throttled",
        "Too many failed sign-ins. Try again in %(minutes)s min.",
        minutes=minutes,
    )


def wrong_credentials() -> Refusal:
    """The one answer for an unknown address, a wrong password and an inactive account."""
    return Refusal(
        "staff.wrong_credentials",
        "The e-mail address or the password is not right.",
        field="password",
    )


def session_ended(
    *,
    created_at: datetime,
    last_seen_at: datetime,
    now: datetime,
    idle: timedelta,
    longest: timedelta,
) -> bool:
    return now - last_seen_at >= idle or now - created_at >= longest


def link_lifetime(purpose: str) -> timedelta:
    return SET_PASSWORD_LINK if purpose == "set_password" else RESET_PASSWORD_LINK


def reset_throttled(wait: timedelta) -> Refusal:
    minutes = max(1, -(-int(wait.total_seconds()) // 60))
    return Refusal(
        "staff.reset_throttled",
        "Too many requests for a password reset. Try again in %(minutes)s min.",
        minutes=minutes,
    )


def require_not_oneself(actor_id: int, account_id: int) -> None:
    """An administrator never locks themselves out or lowers their own rights by a click."""
    if actor_id == account_id:
        raise Refusal(
            "staff.not_yourself",
            "You cannot change your own role or deactivate your own account; ask another "
            "administrator of your secretariat.",
        )


def require_an_admin_left(active_admins_after: int) -> None:
    """A secretariat always keeps an active administrator to manage its staff."""
    if active_admins_after < 1:
        raise Refusal(
            "staff.last_admin",
            "Your secretariat would have no active administrator left; make another member "
            "an administrator first.",
        )


def role_named(value: str) -> StaffRole:
    """A role chosen in a form: one of the three, or a refusal beside the field."""
    try:
        return StaffRole(value)
    except ValueError:
        raise Refusal(
            "staff.unknown_role",
            "Choose a role: administrator, officer or viewer.",
            field="role",
        ) from None
