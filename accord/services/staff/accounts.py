"""Staff accounts: made by `accord staff add` or an admin's invitation, each with a one-time
link to set its password; password resets; roles; deactivation."""

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import col, select

from accord.errors import NotFound, Refusal
from accord.i18n.languages import parse_tag
from accord.services import audit
from accord.services.env import ServiceEnv
from accord.services.links import LinkNotValid, looked_up_hash, new_token
from accord.services.staff import rules
from accord.services.staff.passwords import hash_password
from accord.services.staff.second_factor import code_step, confirm_secret
from accord.source.people import NotAnAddress, NotAName, check_address, check_name
from models import (
    Organization,
    StaffAccount,
    StaffLink,
    StaffLinkPurpose,
    StaffRole,
    StaffSession,
)


@dataclass(frozen=True)
class NewAccount:
    email: str
    name: str
    secretariat: str
    """The organisation's id (`slug`) in the sources."""
    role: StaffRole
    language: str = "ru"


@dataclass(frozen=True)
class IssuedLink:
    account_id: int
    email: str
    path: str
    """Where the link points on the portal (the token inside): `/staff/password/<token>`."""
    expires_in: timedelta


def actor_of(account: StaffAccount) -> str:
    """How a staff member appears in the audit trail."""
    return f"staff:{account.email}"


def normalised_email(text: str) -> str:
    """Accounts are found by address whatever its case: people type it differently."""
    return text.strip().lower()


def add_account(new: NewAccount, *, env: ServiceEnv) -> tuple[StaffAccount, IssuedLink]:
    """A new account with no password yet, and its one-time link to set one."""
    email = _checked_email(new.email)
    name = _checked_name(new.name)
    secretariat = env.session.exec(
        select(Organization).where(Organization.slug == new.secretariat)
    ).first()
    if secretariat is None or secretariat.id is None:
        raise Refusal(
            "staff.unknown_secretariat",
            "There is no organisation %(id)s; run `accord draft` first or pick one the "
            "agreements name.",
            field="secretariat",
            id=new.secretariat,
        )
    taken = env.session.exec(select(StaffAccount).where(StaffAccount.email == email)).first()
    if taken is not None:
        raise Refusal(
            "staff.email_taken",
            "An account with the address %(email)s exists already.",
            field="email",
            email=email,
        )
    language = parse_tag(new.language)
    account = StaffAccount(
        email=email,
        name=name,
        secretariat_id=secretariat.id,
        role=new.role,
        language=language.tag if language else "ru",
        created_by=env.actor,
    )
    env.session.add(account)
    env.session.flush()
    audit.record(
        session=env.session,
        actor=env.actor,
        action="staff.added",
        subject=actor_of(account),
        data={"secretariat": secretariat.slug, "role": new.role.value},
    )
    return account, issue_link(account, StaffLinkPurpose.set_password, env=env)


def issue_link(account: StaffAccount, purpose: StaffLinkPurpose, *, env: ServiceEnv) -> IssuedLink:
    """A fresh one-time link; earlier unused links of the same purpose stop working."""
    assert account.id is not None
    for old in env.session.exec(
        select(StaffLink).where(
            StaffLink.account_id == account.id,
            StaffLink.purpose == purpose,
            col(StaffLink.used_at).is_(None),
        )
    ):
        old.used_at = env.now
    lifetime = rules.link_lifetime(purpose.value)
    token, hashed = new_token()
    env.session.add(
        StaffLink(
            token_hash=hashed,
            account_id=account.id,
            purpose=purpose,
            created_at=env.now,
            expires_at=env.now + lifetime,
        )
    )
    env.session.flush()
    return IssuedLink(account.id, account.email, f"/workspace/password/{token}", lifetime)


def link_account(token: str, *, env: ServiceEnv) -> tuple[StaffAccount, StaffLink]:
    """The account a one-time link is for, while the link is unused and unexpired."""
    link = env.session.exec(
        select(StaffLink).where(StaffLink.token_hash == looked_up_hash(token))
    ).first()
    if link is None or link.used_at is not None or env.now >= link.expires_at:
        raise LinkNotValid()
    account = env.session.get(StaffAccount, link.account_id)
    if account is None or not account.active:
        raise LinkNotValid()
    return account, link


def set_password(token: str, password: str, *, env: ServiceEnv) -> StaffAccount:
    """Through a one-time link: the password is set, the link used, every session ended."""
    account, link = link_account(token, env=env)
    problem = rules.password_problem(password, account.email)
    if problem is not None:
        raise problem
    account.password_hash = hash_password(password)
    link.used_at = env.now
    end_sessions(account, env=env)
    audit.record(
        session=env.session,
        actor=actor_of(account),
        action="staff.password_set",
        subject=actor_of(account),
        data={"through": link.purpose.value},
    )
    return account


def end_sessions(account: StaffAccount, *, env: ServiceEnv) -> int:
    """Sign-out everywhere: every session of the account ends now."""
    sessions = list(
        env.session.exec(select(StaffSession).where(StaffSession.account_id == account.id))
    )
    for each in sessions:
        env.session.delete(each)
    env.session.flush()
    return len(sessions)


def record_staff_action(
    account: StaffAccount, action: str, *, env: ServiceEnv, **data: object
) -> None:
    """A staff member's own account action in the audit trail (their account is the actor)."""
    audit.record(
        session=env.session,
        actor=actor_of(account),
        action=action,
        subject=actor_of(account),
        data=dict(data),
    )


def enable_second_factor(account: StaffAccount, secret: str, code: str, *, env: ServiceEnv) -> None:
    """On once an authenticator app proves it holds the secret with a current code."""
    step = confirm_secret(secret, code, env.now)
    account.totp_secret = secret
    account.totp_last_step = step
    record_staff_action(account, "staff.second_factor_on", env=env)


def disable_second_factor(account: StaffAccount, code: str, *, env: ServiceEnv) -> None:
    """Off only with a current code, and never where admins must have one."""
    step = code_step(account.totp_secret, code, env.now)
    if step is None or (account.totp_last_step is not None and step <= account.totp_last_step):
        raise Refusal(
            "staff.wrong_code", "This code is not right or was used already.", field="code"
        )
    account.totp_secret = None
    account.totp_last_step = None
    record_staff_action(account, "staff.second_factor_off", env=env)


def account_by_email(email: str, *, env: ServiceEnv) -> StaffAccount:
    found = env.session.exec(
        select(StaffAccount).where(StaffAccount.email == normalised_email(email))
    ).first()
    if found is None:
        raise NotFound(f"no staff account has the address {email}")
    return found


def _checked_email(text: str) -> str:
    try:
        return check_address(normalised_email(text))
    except NotAnAddress as error:
        raise Refusal(
            "staff.bad_email",
            "%(email)s is not an e-mail address: %(reason)s",
            field="email",
            email=text,
            reason=str(error),
        ) from None


def _checked_name(text: str) -> str:
    name = text.strip()
    try:
        check_name(name)
    except NotAName as error:
        raise Refusal(
            "staff.bad_name", "The name cannot be used: %(reason)s", field="name", reason=str(error)
        ) from None
    if not name or len(name) > 200:
        raise Refusal("staff.name_length", "Give a name of 1 to 200 characters.", field="name")
    return name


@dataclass(frozen=True)
class StaffLine:
    email: str
    name: str
    secretariat: str
    role: str
    second_factor: bool
    active: bool


def staff_list(secretariat: str | None, *, env: ServiceEnv) -> list[StaffLine]:
    query = (
        select(StaffAccount, Organization.slug)
        .join(Organization, col(Organization.id) == col(StaffAccount.secretariat_id))
        .order_by(col(Organization.slug), col(StaffAccount.email))
    )
    if secretariat is not None:
        query = query.where(Organization.slug == secretariat)
    return [
        StaffLine(a.email, a.name, slug, a.role.value, a.totp_secret is not None, a.active)
        for a, slug in env.session.exec(query)
    ]
