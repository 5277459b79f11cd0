"""`accord serve`: one machine, one command: the portal and prefect.yaml's scheduled flows."""

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
import yaml

from accord.errors import AccordError
from accord.settings import PROJECT_ROOT, Settings

PREFECT_YAML = PROJECT_ROOT / "prefect.yaml"


def deployment_specs(path: Path = PREFECT_YAML) -> list[dict[str, Any]]:
    """The deployments exactly as prefect.yaml declares them: schedules live in one place."""
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["deployments"])


def runner_deployments(specs: list[dict[str, Any]]) -> list[Any]:
    """prefect.yaml's deployments as `serve()` takes them (no work pool: this process runs them)."""
    from prefect.client.schemas.schedules import construct_schedule
    from prefect.flows import load_flow_from_entrypoint

    deployments = []
    for spec in specs:
        flow: Any = load_flow_from_entrypoint(str(PROJECT_ROOT / spec["entrypoint"]))
        schedules = [
            construct_schedule(cron=s["cron"], timezone=s.get("timezone"))
            for s in spec.get("schedules") or []
            if s.get("active", True)
        ]
        deployments.append(
            flow.to_deployment(
                name=spec["name"],
                parameters=spec.get("parameters") or {},
                description=spec.get("description"),
                tags=spec.get("tags") or [],
                schedules=schedules or None,
                concurrency_limit=spec.get("concurrency_limit"),
            )
        )
    return deployments


def serve_everything(settings: Settings) -> None:
    """Portal in a thread, prefect.yaml's flows served by Prefect here, until Ctrl+C."""
    from accord.portal.serve import check_port_free

    check_port_free(settings.portal_host, settings.portal_port)
    with document_converter(settings):
        if os.environ.get("PREFECT_API_URL"):
            _serve(settings)
            return
        background = _running_background_server(settings)
        if background:
            typer.echo(
                f"prefect server: {background.removesuffix('/api')} (Accord's background server)"
            )
            os.environ["PREFECT_API_URL"] = background
            _serve(settings)
            return
        # Prefect's temporary in-process server has no scheduler: cron runs would never appear.
        check_port_free("127.0.0.1", settings.prefect_port)
        signal.signal(signal.SIGTERM, _exit_on_sigterm)  # systemd's stop: clean up like Ctrl+C
        with local_prefect_server(settings) as api_url:
            os.environ["PREFECT_API_URL"] = api_url  # before this process first imports prefect
            _serve(settings)


def _running_background_server(settings: Settings) -> str | None:
    """A healthy background server of the same data folder is used, not a second one."""
    from accord.cli.prefect_server import server_status
    from accord.cli.server_state import Verdict

    record, verdict = server_status(settings)
    if record is not None and record.owner == "background" and verdict is Verdict.USE:
        return record.api_url
    return None


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(0)


@contextmanager
def document_converter(settings: Settings) -> Iterator[None]:
    """The PDF converter started with us, so no request waits for it; stopped with us."""
    from accord.adapters import pdf_converter
    from accord.cli.pdf import start_converter

    started = start_converter(settings)
    try:
        yield
    finally:
        if started:
            pdf_converter.stop(settings)


@contextmanager
def local_prefect_server(settings: Settings) -> Iterator[str]:
    """`prefect server start` on 127.0.0.1 beside us, stopped when we stop; recorded meanwhile
    so that other commands use it instead of starting a background server."""
    from accord.cli.prefect_server import recorded_for_serve

    log_path = settings.data_dir / "prefect-server.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    url = f"http://127.0.0.1:{settings.prefect_port}/api"
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    command = [
        str(Path(sys.executable).with_name("prefect")),
        "server",
        "start",
        "--host",
        "127.0.0.1",
        "--port",
        str(settings.prefect_port),
    ]
    with log_path.open("ab") as log:
        server = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        _wait_for_health(url, server, log_path)
        typer.echo(f"prefect server: {url.removesuffix('/api')} (log: {log_path})")
        with recorded_for_serve(settings, server.pid, settings.prefect_port):
            yield url
    finally:
        _stop(server)


def _wait_for_health(url: str, server: "subprocess.Popen[bytes]", log_path: Path) -> None:
    import httpx

    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AccordError(f"the Prefect server stopped while starting; see {log_path}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AccordError(f"the Prefect server did not answer within 3 minutes; see {log_path}")


def _stop(server: "subprocess.Popen[bytes]") -> None:
    """SIGINT first; the server may take a while, and is killed after 20 s."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


def _serve(settings: Settings) -> None:
    """prefect.yaml's deployments registered on the server first, then the portal: the
    workspace's runs start through them, so none may be asked for before it exists."""
    import asyncio

    from prefect.exceptions import TerminationSignal
    from prefect.runner import Runner

    from accord.cli.web import web_app
    from accord.portal.serve import serve as serve_portal

    deployments = runner_deployments(deployment_specs())
    runner = Runner(limit=None)  # as `prefect.serve` builds it, registered before the portal
    try:
        for deployment in deployments:
            runner.add_deployment(deployment)
    except OSError as error:
        raise AccordError(f"cannot serve the flows: {error}") from error
    app = web_app(settings, use_deployments=True)
    portal = threading.Thread(target=serve_portal, args=(settings, app), daemon=True, name="portal")
    portal.start()
    if settings.public_secret_warning:  # once the port and the database are known to be fine
        typer.secho(settings.public_secret_warning, err=True, fg="red", bold=True)
    typer.echo(
        f"portal: http://{settings.portal_host}:{settings.portal_port}  ·  "
        f"{len(deployments)} flows served (schedules from prefect.yaml)"
    )
    try:
        asyncio.run(runner.start())
    except (KeyboardInterrupt, TerminationSignal):
        return
    except OSError as error:
        raise AccordError(f"cannot serve the flows: {error}") from error
