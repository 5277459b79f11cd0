"""The pure rules of staff accounts: roles, passwords, throttling, sessions."""

from datetime import UTC, datetime, timedelta

import pytest

from accord.errors import Refusal
from accord.services.staff import rules
from models import StaffRole

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("role", "action", "allowed"),
    [
        (StaffRole.viewer, "read", True),
        (StaffRole.viewer, "run", False),
        (StaffRole.officer, "run", True),
        (StaffRole.officer, "manage", False),
        (StaffRole.admin, "manage", True),
    ],
)
def test_roles(role: StaffRole, action: str, allowed: bool) -> None:
    if allowed:
        rules.require_allowed(role, action)
    else:
        with pytest.raises(Refusal) as refused:
            rules.require_allowed(role, action)
        assert refused.value.code == "staff.not_allowed"


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("short one", "staff.password_too_short"),
        ("x" * 257, "staff.password_too_long"),
        ("aaaaaaaaaaaaaaaa", "staff.password_guessable"),
        ("my aigerim.example password", "staff.password_guessable"),
        ("a long walk by the river", None),
    ],
)
def test_passwords(password: str, code: str | None) -> None:
    problem = rules.password_problem(password, "aigerim.example@example.kz")
    assert (problem.code if problem else None) == code


def test_the_fifth_failure_makes_the_address_wait_until_the_first_leaves_the_window() -> None:
    times = tuple(NOW - timedelta(minutes=m) for m in (10, 8, 6, 4, 2))
    wait = rules.throttle_wait(rules.Failures(times, ()), NOW)
    assert wait == timedelta(minutes=5)
    assert rules.throttle_wait(rules.Failures(times[1:], ()), NOW) is None
    old = tuple(NOW - timedelta(minutes=m) for m in (40, 35, 30, 25, 20))
    assert rules.throttle_wait(rules.Failures(old, ()), NOW) is None


def test_a_client_waits_after_twenty_failures_across_addresses() -> None:
    times = tuple(NOW - timedelta(seconds=s) for s in range(200, 0, -10))
    assert len(times) == 20
    assert rules.throttle_wait(rules.Failures((), times), NOW) is not None
    assert rules.throttled(timedelta(seconds=61)).params["minutes"] == 2


def test_sessions_end_after_inactivity_or_their_longest_life() -> None:
    idle, longest = timedelta(minutes=30), timedelta(hours=12)
    fresh = {"created_at": NOW - timedelta(hours=1), "idle": idle, "longest": longest}
    assert not rules.session_ended(last_seen_at=NOW - timedelta(minutes=29), now=NOW, **fresh)
    assert rules.session_ended(last_seen_at=NOW - timedelta(minutes=30), now=NOW, **fresh)
    old = {**fresh, "created_at": NOW - timedelta(hours=12)}
    assert rules.session_ended(last_seen_at=NOW, now=NOW, **old)


def test_a_secretariat_keeps_an_administrator() -> None:
    rules.require_an_admin_left(1)
    with pytest.raises(Refusal) as refused:
        rules.require_an_admin_left(0)
    assert refused.value.code == "staff.last_admin"


def test_no_one_changes_their_own_account_from_the_staff_page() -> None:
    rules.require_not_oneself(1, 2)
    with pytest.raises(Refusal) as refused:
        rules.require_not_oneself(3, 3)
    assert refused.value.code == "staff.not_yourself"


def test_a_role_named_in_a_form_is_one_of_the_three() -> None:
    assert rules.role_named("viewer") is StaffRole.viewer
    with pytest.raises(Refusal) as refused:
        rules.role_named("owner")
    assert refused.value.field == "role"
