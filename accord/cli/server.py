"""`accord server start|status|stop`: the background Prefect server that flow commands use."""

import os

import typer

from accord.cli import command_servers
from accord.cli.prefect_server import ensure_server, log_path, server_status, stop_server
from accord.cli.server_state import Verdict
from accord.settings import get_settings

server_app = typer.Typer(
    help="Accord's background Prefect server (started by the first command that runs a flow).",
    no_args_is_help=True,
)


@server_app.command()
def start() -> None:
    """Start the background server now (or confirm the one running); it stays until stopped."""
    settings = get_settings()
    url = ensure_server(settings)
    typer.echo(f"running: {url.removesuffix('/api')} (log: {log_path(settings)})")


@server_app.command()
def status() -> None:
    """Which Prefect server flow commands use, and whether it answers; the command servers
    that keep Accord loaded for them."""
    for server in command_servers.running(get_settings()):
        typer.echo(f"command server: pid {server.pid} (socket {server.socket})")
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        typer.echo(f"configured: PREFECT_API_URL={configured}; no background server is used")
        return
    record, verdict = server_status(get_settings())
    if record is None or verdict is None:
        typer.echo("not running: the next command that runs a flow starts it")
        return
    where = f"{record.api_url.removesuffix('/api')} (pid {record.pid}, Prefect "
    where += f"{record.prefect_version}, data {record.data_folder})"
    owner = " for `accord serve`" if record.owner == "serve" else ""
    if verdict is Verdict.USE:
        typer.echo(f"running{owner}: {where}")
    elif verdict is Verdict.WAIT:
        typer.echo(f"starting{owner}: {where}")
    else:
        typer.echo(f"stale ({verdict.value}): {where}; the next command replaces it")


@server_app.command()
def stop() -> None:
    """Stop the background server and the command servers; the next command that runs a
    flow starts them again."""
    settings = get_settings()
    for server in command_servers.stop_all(settings):
        typer.echo(f"stopped: command server (pid {server.pid})")
    record = stop_server(settings)
    if record is None:
        typer.echo("not running")
    else:
        typer.echo(f"stopped: {record.api_url.removesuffix('/api')} (pid {record.pid})")
