"""`accord serve`: one machine, one command: the portal and prefect.yaml's scheduled flows."""

import threading
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
    """Portal in a thread, flows served by Prefect in this process until Ctrl+C."""
    from prefect import serve

    from accord.portal.serve import check_port_free
    from accord.portal.serve import serve as serve_portal

    check_port_free(settings.portal_host, settings.portal_port)
    deployments = runner_deployments(deployment_specs())
    portal = threading.Thread(target=serve_portal, args=(settings,), daemon=True, name="portal")
    portal.start()
    typer.echo(
        f"portal: http://{settings.portal_host}:{settings.portal_port}  ·  "
        f"{len(deployments)} flows served (schedules from prefect.yaml)"
    )
    try:
        serve(*deployments, print_starting_message=False)
    except OSError as error:
        raise AccordError(f"cannot serve the flows: {error}") from error
