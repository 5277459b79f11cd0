"""A secretariat's administrators manage its staff: invitations by e-mail, roles,
deactivation; and anyone may ask for a password reset link by e-mail.

Every change is written to the audit trail with the administrator as actor. A reset
request answers the same whether or not an account has the address, and is throttled per
address and per client as failed sign-ins are: it is two steps, the request recorded
(`record_reset_request`, the same work for any address) and the link sent
(`send_reset_link`, only for an account), so the answer can be given between them.
"""

from dataclasses import dataclass

from sqlmodel import col, func, select

from accord.errors import Refusal
from accord.mail.messages import PasswordReset, StaffInvitation
from accord.services import audit
from accord.services.env import ServiceEnv
from accord.services.links import token_hash
from accord.services.mail_queue import Recipient, enqueue
from accord.services.staff import rules
from accord.services.staff.accounts import (
    NewAccount,
    actor_of,
    add_account,
    end_sessions,
    issue_link,
    normalised_email,
)
from models import (
    Organization,
    PasswordResetRequest,
    StaffAccount,
    StaffLink,
    StaffLinkPurpose,
    StaffRole,
)


def invite(new: NewAccount, *, by: StaffAccount, env: ServiceEnv) -> StaffAccount:
    """A new account in the administrator's own secretariat, and the invitation e-mail with
    its one-time link to set a password."""
    secretariat = env.session.get(Organization, by.secretariat_id)
    assert secretariat is not None
    if new.secretariat != secretariat.slug:
        raise Refusal(
            "staff.other_secretariat",
            "You may invite staff only to your own secretariat.",
            field="email",
        )
    account, link = add_account(new, env=env)
    enqueue(
        StaffInvitation(
            inviter_name=by.name,
            secretariat_name=dict(secretariat.name),
            link_url=env.link(link.path),
            expires_on=(env.now + link.expires_in).date(),
        ),
        session=env.session,
        key=f"staff_invitation:{account.id}:{_link_key(link.path)}",
        contact=Recipient(account.name, account.email, account.language),
    )
    return account


def change_role(
    account: StaffAccount, role: StaffRole, *, by: StaffAccount, env: ServiceEnv
) -> None:
    """Another member's role; the secretariat keeps an active administrator."""
    assert by.id is not None and account.id is not None
    rules.require_not_oneself(by.id, account.id)
    if role == account.role:
        return
    if account.role is StaffRole.admin and account.active:
        rules.require_an_admin_left(_active_admins(account.secretariat_id, env=env) - 1)
    before = account.role
    account.role = role
    _record(by, account, "staff.role_changed", env=env, before=before.value, after=role.value)


def deactivate(account: StaffAccount, *, by: StaffAccount, env: ServiceEnv) -> int:
    """The account can no longer sign in: its sessions end and its unused links die.
    Returns how many sessions ended."""
    assert by.id is not None and account.id is not None
    rules.require_not_oneself(by.id, account.id)
    if not account.active:
        return 0
    if account.role is StaffRole.admin:
        rules.require_an_admin_left(_active_admins(account.secretariat_id, env=env) - 1)
    account.active = False
    for link in env.session.exec(
        select(StaffLink).where(
            StaffLink.account_id == account.id, col(StaffLink.used_at).is_(None)
        )
    ):
        link.used_at = env.now
    ended = end_sessions(account, env=env)
    _record(by, account, "staff.deactivated", env=env, sessions_ended=ended)
    return ended


@dataclass(frozen=True)
class ResetRequested:
    """A reset request as recorded: the address tried and the client that asked."""

    email: str
    client: str


def record_reset_request(email: str, *, client: str, env: ServiceEnv) -> ResetRequested:
    """Throttle (per address and per client) and record a reset request. Nothing here looks
    for an account, so this step costs the same whether or not one has the address; the
    caller answers after it and leaves `send_reset_link` for later."""
    asked = ResetRequested(normalised_email(email)[:254], client[:64])
    wait = rules.throttle_wait(_requests(asked.email, asked.client, env=env), env.now)
    if wait is not None:
        raise rules.reset_throttled(wait)
    env.session.add(PasswordResetRequest(email=asked.email, client=asked.client, at=env.now))
    return asked


def send_reset_link(asked: ResetRequested, *, env: ServiceEnv) -> None:
    """Mail a one-time reset link if an active account has the address; nothing otherwise."""
    account = env.session.exec(
        select(StaffAccount).where(StaffAccount.email == asked.email)
    ).first()
    if account is None or not account.active:
        return
    link = issue_link(account, StaffLinkPurpose.reset_password, env=env)
    enqueue(
        PasswordReset(link_url=env.link(link.path)),
        session=env.session,
        key=f"password_reset:{account.id}:{_link_key(link.path)}",
        contact=Recipient(account.name, account.email, account.language),
    )
    audit.record(
        session=env.session,
        actor=actor_of(account),
        action="staff.reset_requested",
        subject=actor_of(account),
        data={"client": asked.client},
    )


def _active_admins(secretariat_id: int, *, env: ServiceEnv) -> int:
    return env.session.exec(
        select(func.count()).where(
            StaffAccount.secretariat_id == secretariat_id,
            StaffAccount.role == StaffRole.admin,
            col(StaffAccount.active).is_(True),
        )
    ).one()


def _requests(email: str, client: str, *, env: ServiceEnv) -> rules.Failures:
    since = env.now - rules.THROTTLE_WINDOW

    def times(*where: object) -> tuple:  # type: ignore[type-arg]
        rows = env.session.exec(
            select(PasswordResetRequest.at)
            .where(col(PasswordResetRequest.at) > since, *where)  # type: ignore[arg-type]
            .order_by(col(PasswordResetRequest.at))
        )
        return tuple(rows)

    return rules.Failures(
        for_account=times(PasswordResetRequest.email == email),
        for_client=times(PasswordResetRequest.client == client),
    )


def _record(
    by: StaffAccount, account: StaffAccount, action: str, *, env: ServiceEnv, **data: object
) -> None:
    audit.record(
        session=env.session, actor=actor_of(by), action=action, subject=actor_of(account), data=data
    )


def _link_key(path: str) -> str:
    """Each link is mailed once: the message key names the link, never its token."""
    return token_hash(path.rsplit("/", 1)[-1])[:32]
