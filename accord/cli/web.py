"""The web application as `accord portal` and `accord serve` run it: token pages and the
workspace, whose long work goes to Prefect."""

import os
from typing import TYPE_CHECKING

from accord.settings import Settings

if TYPE_CHECKING:
    from fastapi import FastAPI


def web_app(settings: Settings, *, use_deployments: bool) -> "FastAPI":
    """With `use_deployments` (`accord serve`), workspace runs go through prefect.yaml's
    deployments this process serves; otherwise they run in this process, reporting to the
    configured Prefect server or Accord's background server."""
    from accord.db import get_engine
    from accord.workspace.app import create_app
    from accord.workspace.runs import Launcher

    def api_url() -> str | None:
        configured = os.environ.get("PREFECT_API_URL")
        if configured:
            return configured
        from accord.cli.prefect_server import ensure_server

        return ensure_server(settings)

    launcher = Launcher(
        get_engine(settings.database_url), api_url=api_url, use_deployments=use_deployments
    )
    return create_app(settings, launcher=launcher)
