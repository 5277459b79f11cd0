"""prefect.yaml is checked against the flows it names: a wrong parameter fails here, not live."""

import socket

import pytest
from prefect.flows import load_flow_from_entrypoint

from accord.cli.serve import PREFECT_YAML, deployment_specs, runner_deployments
from accord.settings import PROJECT_ROOT, Settings
from tests.cli_runner import run_cli

SPECS = deployment_specs()


@pytest.mark.parametrize("spec", SPECS, ids=[s["name"] for s in SPECS])
def test_parameters_match_the_flow_signature(spec: dict[str, object]) -> None:
    flow = load_flow_from_entrypoint(str(PROJECT_ROOT / str(spec["entrypoint"])))
    parameters = spec.get("parameters") or {}
    flow.validate_parameters(parameters)  # raises ParameterTypeError / SignatureMismatchError


def test_a_wrong_parameter_is_caught() -> None:
    flow = load_flow_from_entrypoint(str(PROJECT_ROOT / "flows/commitments.py:send_reminders_flow"))
    with pytest.raises(Exception, match="due_within"):
        flow.validate_parameters({"due_within": 5})


def test_every_flow_has_a_deployment_and_the_scheduled_ones_run_in_almaty() -> None:
    names = {s["name"] for s in SPECS}
    assert {"draft", "start", "hourly", "signoff", "deliver", "daily", "monthly"} <= names
    daily = next(s for s in SPECS if s["name"] == "daily")
    assert daily["schedules"] == [{"cron": "0 8 * * *", "timezone": "Asia/Almaty", "active": True}]
    served = runner_deployments(SPECS)
    assert {d.name for d in served} == names
    assert all(s.get("work_pool", {}).get("name") == "accord" for s in SPECS)
    assert PREFECT_YAML.is_file()


def test_serve_refuses_a_port_in_use(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from accord.settings import get_settings

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        monkeypatch.setenv("ACCORD_PORTAL_PORT", str(port))
        get_settings.cache_clear()
        result = run_cli(capsys, "serve")
    assert result.code == 1
    assert result.err.strip() == f"accord: port {port} on 127.0.0.1 is already in use"


def test_serve_without_a_reachable_database(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from accord.settings import get_settings

    monkeypatch.setenv("ACCORD_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:9/none")
    get_settings.cache_clear()
    result = run_cli(capsys, "serve")
    assert result.code == 1 and len(result.err.strip().splitlines()) == 1
    assert "cannot use the database" in result.err


def test_serve_with_sendgrid_but_no_key(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from accord.settings import get_settings

    monkeypatch.setenv("ACCORD_MAIL_BACKEND", "sendgrid")
    get_settings.cache_clear()
    result = run_cli(capsys, "serve")
    assert result.code == 1
    assert result.err.strip() == (
        "accord: invalid setting: ACCORD_SENDGRID_API_KEY is required "
        "when ACCORD_MAIL_BACKEND=sendgrid"
    )
