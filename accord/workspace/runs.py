"""Long work started from the workspace runs as a Prefect flow run, as from the CLI.

Through prefect.yaml's deployment when a Prefect server runs them (`accord serve`, or a
worker of a configured server); otherwise the flow runs in this process, in a thread, against
the Prefect server the launcher is given (the configured one, or Accord's background
server). Either way a `workspace_run` row records who started what, the flow run's id and,
once known, its state and summary, so the page can show them and link to Prefect's UI.
"""

import contextvars
import logging
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from accord.db import transaction
from models import RunState, WorkspaceRun

log = logging.getLogger("accord.workspace")


@dataclass(frozen=True)
class FlowSpec:
    """A flow the workspace may start: where it lives and its deployment in prefect.yaml."""

    entrypoint: str
    """`module:function`."""
    deployment: str
    """The deployment's name in prefect.yaml (`start`, `signoff`, …)."""


FLOWS: Mapping[str, FlowSpec] = {
    "draft": FlowSpec("flows.drafting:draft_agreements", "draft"),
    "review.start": FlowSpec("flows.review:start_review_round", "start"),
    "review.tick": FlowSpec("flows.review:review_rounds_tick", "hourly"),
    "signoff.start": FlowSpec("flows.signoff:start_signoff_flow", "signoff"),
    "report": FlowSpec("flows.commitments:progress_report", "monthly"),
}


def _flow(spec: FlowSpec) -> Any:
    import importlib

    module, name = spec.entrypoint.split(":")
    return getattr(importlib.import_module(module), name)


def _jsonable(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


@dataclass
class Launcher:
    """Starts flows for the workspace; `api_url` says which Prefect server reports them."""

    engine: Engine
    api_url: Callable[[], str | None]
    """The Prefect API to use (None: Prefect's own default); called in the run's thread."""
    use_deployments: bool = False
    """True where a process serves prefect.yaml's deployments (`accord serve`)."""
    wait: bool = False
    """Run in the caller's thread (tests, and commands that must show the outcome at once)."""
    _threads: list[threading.Thread] = field(default_factory=list)
    _last_url: str | None = None

    def known_api_url(self) -> str | None:
        """The Prefect API runs report to, as far as this process knows it (for links)."""
        return os.environ.get("PREFECT_API_URL") or self._last_url

    def launch(
        self,
        kind: str,
        parameters: Mapping[str, object],
        *,
        account_id: int,
        secretariat_id: int,
        agreement_id: int | None = None,
    ) -> int:
        """Record the run, start it, and return its id for the page to follow."""
        spec = FLOWS[kind]
        with transaction(self.engine) as session:
            row = WorkspaceRun(
                kind=kind,
                agreement_id=agreement_id,
                secretariat_id=secretariat_id,
                account_id=account_id,
                started_at=datetime.now(UTC),
            )
            session.add(row)
            session.flush()
            assert row.id is not None
            run_id = row.id
        params = {k: _jsonable(v) for k, v in parameters.items()}
        if self.use_deployments:
            self._through_deployment(run_id, spec, params)
        elif self.wait:
            self._in_process(run_id, spec, params)
        else:
            context = contextvars.copy_context()
            thread = threading.Thread(
                target=context.run,
                args=(self._in_process, run_id, spec, params),
                name=f"workspace-run-{run_id}",
                daemon=True,
            )
            self._threads.append(thread)
            thread.start()
        return run_id

    def join(self, timeout: float | None = None) -> None:
        """Wait for the runs this process started (tests; a clean shutdown)."""
        for thread in list(self._threads):
            thread.join(timeout)

    def _through_deployment(self, run_id: int, spec: FlowSpec, params: dict[str, Any]) -> None:
        from prefect.deployments import run_deployment

        flow = _flow(spec)
        try:
            flow_run: Any = run_deployment(
                f"{flow.name}/{spec.deployment}", parameters=params, timeout=0
            )
        except Exception as error:  # the server refused or is gone: the page says so
            log.exception("could not start %s through its deployment", spec.deployment)
            _finish(self.engine, run_id, RunState.failed, error=str(error))
            return
        _set_flow_run(self.engine, run_id, str(flow_run.id))

    def _in_process(self, run_id: int, spec: FlowSpec, params: dict[str, Any]) -> None:
        from prefect.settings import (
            PREFECT_API_URL,
            PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
            temporary_settings,
        )

        updates: dict[Any, Any] = {PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}
        try:
            url = self.api_url()
            if url:
                updates[PREFECT_API_URL] = self._last_url = url
            with temporary_settings(updates=updates):
                state = _flow(spec)(**params, return_state=True)
        except Exception as error:
            log.exception("workspace run %s could not start", run_id)
            _finish(self.engine, run_id, RunState.failed, error=str(error))
            return
        flow_run_id = state.state_details.flow_run_id
        if flow_run_id is not None:
            _set_flow_run(self.engine, run_id, str(flow_run_id))
        if state.is_completed():
            _finish(self.engine, run_id, RunState.completed, result=state.result())
        else:
            try:
                state.result()
                error_text = state.message or state.name
            except Exception as error:
                error_text = str(error)
            _finish(self.engine, run_id, RunState.failed, error=error_text)


def _set_flow_run(engine: Engine, run_id: int, flow_run_id: str) -> None:
    with transaction(engine) as session:
        row = session.get(WorkspaceRun, run_id)
        if row is not None:
            row.flow_run_id = flow_run_id


def _finish(
    engine: Engine, run_id: int, state: RunState, *, result: object = None, error: str = ""
) -> None:
    with transaction(engine) as session:
        row = session.get(WorkspaceRun, run_id)
        if row is None:
            return
        row.state = state
        row.finished_at = datetime.now(UTC)
        row.result = {"value": _jsonable(result)} if result is not None else {}
        row.error = error[:4000]


def refresh_from_prefect(session: Session, row: WorkspaceRun, api_url: str | None) -> None:
    """A deployment's run finishes elsewhere: ask Prefect for its state while it runs."""
    if row.state is not RunState.running or row.flow_run_id is None or not api_url:
        return
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    try:
        with (
            temporary_settings(updates={PREFECT_API_URL: api_url}),
            get_client(sync_client=True) as client,
        ):
            flow_run = client.read_flow_run(row.flow_run_id)  # type: ignore[arg-type]
    except Exception:  # Prefect is away: the page shows what it knew
        log.warning("could not read flow run %s", row.flow_run_id, exc_info=True)
        return
    state = flow_run.state
    if state is None or not state.is_final():
        return
    row.state = RunState.completed if state.is_completed() else RunState.failed
    row.finished_at = datetime.now(UTC)
    row.error = "" if state.is_completed() else (state.message or state.name or "")


def prefect_ui_link(api_url: str | None, flow_run_id: str | None) -> str | None:
    """Where Prefect's UI shows the run (its API address without `/api`)."""
    if not api_url or not flow_run_id:
        return None
    return f"{api_url.rstrip('/').removesuffix('/api')}/runs/flow-run/{flow_run_id}"
