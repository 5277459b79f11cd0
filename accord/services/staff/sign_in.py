"""Signing in: password, then the second factor when the account has one; sessions that end
after inactivity; throttled failures that never say whether an account exists."""

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import col, delete, select

from accord.errors import Refusal
from accord.services import audit
from accord.services.env import ServiceEnv
from accord.services.links import new_token, token_hash
from accord.services.staff import rules
from accord.services.staff.accounts import actor_of, normalised_email
from accord.services.staff.passwords import verify_password
from accord.services.staff.second_factor import code_step
from models import SignInFailure, StaffAccount, StaffSession

MAX_SESSION_TOKEN = 200


@dataclass(frozen=True)
class SessionRules:
    """From the settings: how long a session lasts, and whether admins need a second factor."""

    idle: timedelta
    longest: timedelta
    admins_need_second_factor: bool = False


@dataclass(frozen=True)
class SignedIn:
    token: str
    """The session cookie's value; only its hash is stored."""
    needs_second_factor: bool


@dataclass(frozen=True)
class Signed:
    """A session found for a request: its account and whether it may use the workspace."""

    account: StaffAccount
    session: StaffSession

    @property
    def complete(self) -> bool:
        return self.session.second_factor_done


def sign_in(email: str, password: str, *, client: str, env: ServiceEnv) -> SignedIn:
    """A new session for the right password, or the one refusal for every wrong case."""
    tried = normalised_email(email)[:254]
    client = client[:64]
    wait = rules.throttle_wait(_failures(tried, client, env=env), env.now)
    if wait is not None:
        raise rules.throttled(wait)
    account = env.session.exec(select(StaffAccount).where(StaffAccount.email == tried)).first()
    hashed = account.password_hash if account is not None and account.active else None
    ok, rehashed = verify_password(password[: rules.MAX_PASSWORD], hashed)
    if account is None or not ok:
        env.session.add(SignInFailure(email=tried, client=client, at=env.now))
        raise rules.wrong_credentials()
    if rehashed is not None:
        account.password_hash = rehashed
    token, hashed_token = new_token()
    needs = account.totp_secret is not None
    env.session.add(
        StaffSession(
            token_hash=hashed_token,
            account_id=account.id,  # type: ignore[arg-type]
            created_at=env.now,
            last_seen_at=env.now,
            second_factor_done=not needs,
            client=client,
        )
    )
    if not needs:
        _signed_in(account, env=env)
    return SignedIn(token, needs)


def second_factor(token: str, code: str, *, client: str, env: ServiceEnv) -> None:
    """Completes a session that gave its password: a current code, never one used before."""
    found = _session(token, env=env)
    if found is None:
        raise Refusal("staff.session_ended", "Your session has ended; sign in again.")
    session, account = found
    wait = rules.throttle_wait(_failures(account.email, client[:64], env=env), env.now)
    if wait is not None:
        raise rules.throttled(wait)
    step = code_step(account.totp_secret, code, env.now)
    if step is None or (account.totp_last_step is not None and step <= account.totp_last_step):
        env.session.add(SignInFailure(email=account.email, client=client[:64], at=env.now))
        raise Refusal(
            "staff.wrong_code", "This code is not right or was used already.", field="code"
        )
    account.totp_last_step = step
    session.second_factor_done = True
    _signed_in(account, env=env)


def current(token: str | None, *, rules_: SessionRules, env: ServiceEnv) -> Signed | None:
    """The session a cookie names, if it is still alive; touches it (inactivity restarts)."""
    found = _session(token, env=env) if token else None
    if found is None:
        return None
    session, account = found
    if not account.active or rules.session_ended(
        created_at=session.created_at,
        last_seen_at=session.last_seen_at,
        now=env.now,
        idle=rules_.idle,
        longest=rules_.longest,
    ):
        env.session.delete(session)
        return None
    if (env.now - session.last_seen_at).total_seconds() > 30:  # spare a write per request
        session.last_seen_at = env.now
    return Signed(account, session)


def sign_out(token: str | None, *, env: ServiceEnv) -> None:
    if token and len(token) <= MAX_SESSION_TOKEN:
        env.session.exec(
            delete(StaffSession).where(col(StaffSession.token_hash) == token_hash(token))
        )


def _session(token: str | None, *, env: ServiceEnv) -> tuple[StaffSession, StaffAccount] | None:
    if not token or len(token) > MAX_SESSION_TOKEN:
        return None
    session = env.session.exec(
        select(StaffSession).where(StaffSession.token_hash == token_hash(token))
    ).first()
    if session is None:
        return None
    account = env.session.get(StaffAccount, session.account_id)
    return (session, account) if account is not None else None


def _failures(email: str, client: str, *, env: ServiceEnv) -> rules.Failures:
    since = env.now - rules.THROTTLE_WINDOW

    def times(*where: object) -> tuple:  # type: ignore[type-arg]
        rows = env.session.exec(
            select(SignInFailure.at)
            .where(col(SignInFailure.at) > since, *where)  # type: ignore[arg-type]
            .order_by(col(SignInFailure.at))
        )
        return tuple(rows)

    return rules.Failures(
        for_account=times(SignInFailure.email == email),
        for_client=times(SignInFailure.client == client),
    )


def _signed_in(account: StaffAccount, *, env: ServiceEnv) -> None:
    audit.record(
        session=env.session,
        actor=actor_of(account),
        action="staff.signed_in",
        subject=actor_of(account),
        data={},
    )
