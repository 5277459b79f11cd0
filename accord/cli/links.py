"""`accord links …`: the secretariat lists, revokes and re-issues personal links."""

from typing import Annotated

import typer

links_app = typer.Typer(
    help="Personal links (review, signing, focal point): list, revoke, re-issue.",
    no_args_is_help=True,
)
LinkId = Annotated[
    str, typer.Argument(metavar="LINK-ID", help="The link's id as `links list` shows it (r12).")
]


@links_app.command("list")
def list_command(
    agreement: Annotated[str, typer.Argument(metavar="AGREEMENT", help="Agreement id (slug).")],
) -> None:
    """Every personal link of the agreement, its holder and state; never the link itself."""
    from accord.cli.runtime import service_session
    from accord.services.links import list_links

    with service_session() as env:
        links = list_links(agreement, session=env.session, now=env.now)
    if not links:
        typer.echo(f"{agreement}: no personal links yet")
    for link in links:
        expires = f"{link.expires_at:%Y-%m-%d %H:%M} UTC" if link.expires_at else "never"
        typer.echo(
            f"{link.link_id:<7} {link.kind.value:<8} {link.party:<20} {link.contact:<32} "
            f"{link.stage or '-':<20} expires {expires:<20} {link.state.value}"
        )


@links_app.command("revoke")
def revoke_command(link_id: LinkId) -> None:
    """The link stops working at once (the same page as any bad link)."""
    from accord.cli.runtime import service_session
    from accord.services.links import revoke_link

    with service_session() as env:
        link = revoke_link(link_id, env=env)
    typer.echo(f"{link.link_id}: {link.kind.value} link of {link.contact} ({link.party}) revoked")


@links_app.command("reissue")
def reissue_command(link_id: LinkId) -> None:
    """A new link to the same person by e-mail; the old one stops working at once."""
    from accord.cli.review import deliver_now
    from accord.cli.runtime import service_session
    from accord.services.links import reissue_link

    with service_session() as env:
        link = reissue_link(link_id, env=env)
    assert link.expires_at is not None
    typer.echo(
        f"{link.link_id}: new {link.kind.value} link e-mailed to {link.contact} ({link.party}), "
        f"valid until {link.expires_at:%Y-%m-%d %H:%M} UTC ({deliver_now()} e-mails sent)"
    )
