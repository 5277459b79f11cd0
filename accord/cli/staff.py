"""`accord staff …`: the secretariat's workspace accounts, from a terminal.

The first administrator is made here; later ones are invited from the workspace.
"""

from typing import Annotated

import typer

from models import StaffRole

staff_app = typer.Typer(help="Accounts of the secretariat's workspace.", no_args_is_help=True)

Email = Annotated[str, typer.Argument(metavar="EMAIL", help="The person's e-mail address.")]


@staff_app.command("add")
def add(
    email: Email,
    secretariat: Annotated[
        str, typer.Option(help="The secretariat organisation's id, as the sources name it.")
    ],
    role: Annotated[StaffRole, typer.Option(help="admin, officer or viewer.")] = StaffRole.officer,
    name: Annotated[str, typer.Option(help="Full name (default: the address).")] = "",
    language: Annotated[str, typer.Option(help="Workspace language: en, ru, kk.")] = "ru",
) -> None:
    """Create an account; prints its one-time link to set a password."""
    from accord.cli.runtime import service_session, whoami
    from accord.services.staff.accounts import NewAccount, add_account

    with service_session(whoami()) as env:
        account, link = add_account(
            NewAccount(email, name or email, secretariat, role, language), env=env
        )
        url = env.link(link.path)
        hours = int(link.expires_in.total_seconds() // 3600)
    typer.echo(f"{account.email}: {role.value} of {secretariat}")
    typer.echo(f"set the password within {hours} hours, once, at:\n  {url}")


@staff_app.command("password-link")
def password_link(email: Email) -> None:
    """A new one-time link to set the password (earlier unused links stop working)."""
    from accord.cli.runtime import service_session, whoami
    from accord.services.staff.accounts import account_by_email, issue_link
    from models import StaffLinkPurpose

    with service_session(whoami()) as env:
        account = account_by_email(email, env=env)
        link = issue_link(account, StaffLinkPurpose.set_password, env=env)
        url = env.link(link.path)
    typer.echo(f"set the password of {account.email} once, at:\n  {url}")


@staff_app.command("list")
def list_staff(
    secretariat: Annotated[str | None, typer.Option(help="Only this organisation's.")] = None,
) -> None:
    """Accounts with their secretariat, role, second factor and state."""
    from accord.cli.runtime import service_session
    from accord.services.staff.accounts import staff_list

    with service_session() as env:
        rows = staff_list(secretariat, env=env)
    if not rows:
        typer.echo("no accounts")
        return
    for row in rows:
        typer.echo(
            f"{row.email:<40} {row.secretariat:<24} {row.role:<8} "
            f"{'2fa' if row.second_factor else '   '} {'active' if row.active else 'inactive'}"
        )
