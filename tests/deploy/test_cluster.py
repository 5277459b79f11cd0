"""Accord on the several-machine topology, losing parts of it on the way.

Prefect's database on PostgreSQL, Redis, two API processes behind nginx, the background
services in their own process, three workers, the portal, and a local SendGrid that records
every request. Through it: a review round (one API process is killed with -9 while the round
starts), decisions posted twice in the portal, Redis restarted, sign-off, the signatures whose
event starts the delivery deployment while the hourly tick runs beside it, and the daily
reminders, whose worker is killed with -9 while a mail is in flight. Then every e-mail is
counted per idempotency key, every decision per personal link and every signature.
"""

import html
import json
import re
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from accord.db import get_engine, upgrade_schema
from accord.mail.webhook import parse_events
from accord.services.delivery_feedback import record_delivery_events
from models import MessageStatus, OutgoingMessage
from tests.conftest import POSTGRES_URL, REQUIRE_POSTGRES, _postgres_unavailable
from tests.deploy.cluster import (
    BIN,
    Cluster,
    ClusterUnavailable,
    descendants,
    nginx_binary,
    prefect_cluster,
    redis_binary,
    wait_healthy,
    wait_redis,
)
from tests.deploy.live_prefect import _create_database, _drop_database, free_port
from tests.review_world import MOU, World, make_world
from tests.sendgrid_endpoint import RecordedRequest, SendGridEndpoint

pytestmark = pytest.mark.deployment

AS_OF = date(2028, 7, 31)
"""A day on which the MOU's focal points get digests and the secretariat escalations: a
working day in Kazakhstan (a Monday), since a day off sends no reminders."""
HEARTBEAT_S = 30
"""Prefect's shortest flow-run heartbeat; a run silent for CRASH_AFTER_S is marked Crashed."""
CRASH_AFTER_S = 50
CRASHED_RUNS_AUTOMATION = """\
name: accord-crashed-runs
description: A flow run whose heartbeats stopped (its worker or machine is gone) is Crashed.
trigger:
  type: event
  posture: Proactive
  after: ["prefect.flow-run.heartbeat"]
  expect:
    - prefect.flow-run.heartbeat
    - prefect.flow-run.Completed
    - prefect.flow-run.Failed
    - prefect.flow-run.Cancelled
    - prefect.flow-run.Crashed
  match:
    prefect.resource.id: "prefect.flow-run.*"
  for_each: ["prefect.resource.id"]
  threshold: 1
  within: {within}
actions:
  - type: change-flow-run-state
    state: CRASHED
    message: "No heartbeat for {within} s: the worker running it is gone."
"""
TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


@pytest.fixture
def accord_database() -> Iterator[str]:
    """Accord's own database on PostgreSQL, as the topology has it."""
    reason = _postgres_unavailable()
    if reason:
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL is required here: {reason}")
        pytest.skip(reason)
    try:
        nginx_binary()
        redis_binary()
    except ClusterUnavailable as error:
        pytest.skip(str(error))
    name = _create_database(POSTGRES_URL, "accord_cluster")
    url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    upgrade_schema(url)
    yield url
    get_engine(url).dispose()
    _drop_database(POSTGRES_URL, name)


def test_cluster_loses_parts_and_sends_each_mail_once(tmp_path: Path, accord_database: str) -> None:
    started = time.monotonic()
    world = make_world(tmp_path, get_engine(accord_database))
    portal_port = free_port()
    portal = f"http://127.0.0.1:{portal_port}"
    with SendGridEndpoint() as sendgrid:
        accord_env = {
            "ACCORD_DATABASE_URL": accord_database,
            "ACCORD_DATA_DIR": str(tmp_path / "data"),
            "ACCORD_OUTPUT_DIR": str(world.store.root),
            "ACCORD_PUBLIC_BASE_URL": portal,
            "ACCORD_PORTAL_PORT": str(portal_port),
            "ACCORD_MAIL_BACKEND": "sendgrid",
            "ACCORD_SENDGRID_API_KEY": sendgrid.api_key,
            "ACCORD_SENDGRID_HOST": sendgrid.url,
            "PREFECT_FLOWS_HEARTBEAT_FREQUENCY": str(HEARTBEAT_S),
            # As in the rest of the suite: no LibreOffice converter, which would outlive us.
            "ACCORD_PDF_DOCUMENTS": "false",
        }
        with prefect_cluster(tmp_path, accord_env, postgres_url=POSTGRES_URL) as cluster:
            print(f"cluster_start_s: {time.monotonic() - started:.1f} s")
            try:
                in_flight = _lifecycle(cluster, sendgrid, portal, world, accord_database)
            except BaseException as error:
                raise AssertionError(f"{error}\n{cluster.logs()}") from error
        requests = [r for r in sendgrid.requests if r.valid]
    _assert_each_mail_once(requests, accord_database, in_flight_at_crash=in_flight)
    _assert_each_decision_once(accord_database)
    print(f"cluster_test_wall_s: {time.monotonic() - started:.1f} s")


def _lifecycle(
    cluster: Cluster, sendgrid: SendGridEndpoint, portal: str, world: World, database: str
) -> set[str]:
    """The steps above; the keys of the mails in flight when the worker was killed."""
    home = world.sources.parent
    clock = time.monotonic()

    def lap(step: str) -> None:
        nonlocal clock
        print(f"cluster_step_s[{step}]: {time.monotonic() - clock:.1f} s", flush=True)
        clock = time.monotonic()

    automation = home / "crashed-runs.yaml"
    automation.write_text(CRASHED_RUNS_AUTOMATION.format(within=CRASH_AFTER_S))
    cluster.run("automation", "create", "--from-file", str(automation))
    cluster.start("portal", [str(BIN / "accord"), "portal"], cluster.client_env)
    _wait_up(f"{portal}/healthz")

    # 1. A review round; one API process dies (-9) while the run starts; nginx uses the other.
    round_run = _run(cluster, "start-review-round/start", agreement=MOU, working_days=10)
    _wait_state(cluster, round_run, {"PENDING", "RUNNING", *TERMINAL})
    cluster.kill_tree("api-1")
    assert _wait_final(cluster, round_run) == "COMPLETED"
    reviewers = _links(sendgrid, "review_request", "/r/")
    assert reviewers, "no review request reached SendGrid"

    lap("review round, api-1 killed")

    # 2. Every reviewer approves in the portal; the browser sends each decision twice.
    with httpx.Client(base_url=portal, timeout=30) as browser:
        for token in reviewers:
            page = browser.get(f"/r/{token}")
            if "/decision" not in page.text:
                continue  # the round closed with the other parties' answers
            form = _form(page.text, f"/r/{token}/decision")
            posted = {**form, "decision": "approve"}
            first = browser.post(f"/r/{token}/decision", data=posted)
            assert first.status_code < 400, first.text[:500]
            again = browser.post(f"/r/{token}/decision", data=posted)
            # The same answer, or 404 when this decision closed the round (the link is spent).
            assert again.status_code < 400 or again.status_code == 404, again.text[:500]

    lap("decisions in the portal")

    # 3. Redis restarts (messaging, event ordering, leases, the background-service queue).
    # Prefect's server processes keep connections to the old Redis in places (a request
    # answered 500, a background-service queue that never reconnected, a dead worker's run
    # never marked Crashed), so they are restarted after it, one at a time, as docs/deploy.md
    # says; nginx sends requests to whichever API process is up. API process 1 comes back.
    cluster.stop("redis")
    cluster.restart("redis")
    wait_redis(cluster)
    cluster.stop("services")
    cluster.restart("services")
    for number, port in enumerate(cluster.api_ports, start=1):
        cluster.stop(f"api-{number}")
        cluster.restart(f"api-{number}")
        wait_healthy(cluster, f"http://127.0.0.1:{port}/api")

    lap("redis and the Prefect server processes restarted")
    signoff_run = _run(cluster, "start-signoff/signoff", agreement=MOU)
    assert _wait_final(cluster, signoff_run) == "COMPLETED"

    lap("sign-off started")

    # 4. Each signatory signs in the portal; the last signature's event starts `deliver`, and
    # the hourly tick runs beside it: both deliver what the signatures queued.
    with httpx.Client(base_url=portal, timeout=30) as browser:
        for token in _links(sendgrid, "sign_request", "/s/"):
            page = browser.get(f"/s/{token}")
            form = _form(page.text, f"/s/{token}/sign")
            form.update({"name": "Aigerim Example", "title": "Director"})
            answer = browser.post(f"/s/{token}/sign", data=form)
            assert answer.status_code < 400, answer.text[:500]
    # The hourly tick falls due meanwhile: two runs on two workers deliver the same mail.
    tick_run = _run(cluster, "review-rounds-tick/hourly")
    deliver_run = _first_run_of(cluster, "complete-signoff", timeout=300)
    assert _wait_final(cluster, deliver_run) == "COMPLETED"
    assert _wait_final(cluster, tick_run) == "COMPLETED"
    assert _links(sendgrid, "focal_access", "/f/"), "no focal point got a link"

    lap("signatures, triggered delivery")

    # 5. The daily reminders; the worker running them is killed (-9) while SendGrid holds the
    # third of their e-mails, so that one is in flight when the machine is gone.
    before = len(sendgrid.requests)
    for delay in (0, 0, 300):
        sendgrid.script(202, delay_s=delay)
    reminders = _run(cluster, "send-reminders/daily", as_of=AS_OF.isoformat())
    _wait_for(lambda: len(sendgrid.requests) - before >= 3, 300, "the reminders' third e-mail")
    _kill_worker_running(cluster, reminders)
    assert _wait_final(cluster, reminders, timeout=CRASH_AFTER_S + 180) == "CRASHED"
    lap("reminders, worker killed, run crashed")
    in_window = _received_but_pending(sendgrid.requests[before:], database)
    # SendGrid's event webhook confirms what it accepted: its `processed` events carry our
    # message ids, so the re-run hands none of the mails in flight at the crash over again.
    with world.env(datetime.now(UTC), actor="sendgrid") as env:
        record_delivery_events(parse_events(_processed(sendgrid.requests[before:])), env=env)
    rerun = _run(cluster, "send-reminders/daily", as_of=AS_OF.isoformat())
    assert _wait_final(cluster, rerun) == "COMPLETED"
    lap("reminders run again")
    twice = {k for k, n in _sends(sendgrid.requests).items() if n > 1}
    print(f"mails_in_flight_at_crash: {len(in_window)}")
    print(f"mails_sent_twice_per_crash: {len(twice)}")
    assert not twice, f"confirmed by SendGrid, yet sent again: {twice}"
    return in_window


def _processed(requests: list[RecordedRequest]) -> bytes:
    """What SendGrid's event webhook posts for each mail it received."""
    return json.dumps(
        [
            {
                "email": r.body["personalizations"][0]["to"][0]["email"],
                "event": "processed",
                "sg_event_id": f"processed-{i}",
                "timestamp": int(time.time()),
                **r.body["personalizations"][0]["custom_args"],
            }
            for i, r in enumerate(requests)
            if r.valid
        ]
    ).encode()


def _assert_each_mail_once(
    requests: list[RecordedRequest], database: str, *, in_flight_at_crash: set[str]
) -> None:
    """Every queued mail reached SendGrid, once.

    SendGrid takes no idempotency key: a mail it had accepted when the worker was killed, whose
    acceptance the killed process never committed, waits for SendGrid's confirmation rather
    than being sent again (were the confirmation lost, it would go again after the grace
    period: nothing outside that window may ever be sent twice, and nothing three times).
    """
    with Session(get_engine(database)) as session:
        messages = list(session.exec(select(OutgoingMessage)))
    assert messages
    not_sent = [(m.kind, m.to_email, m.status) for m in messages if m.status != MessageStatus.sent]
    assert not not_sent, f"not delivered: {not_sent}"
    sends = _sends(requests)
    assert set(sends) == {m.key for m in messages}, "SendGrid's mail and Accord's queue differ"
    twice = {key: n for key, n in sends.items() if n > 1}
    assert set(twice) <= in_flight_at_crash, f"sent twice outside the crash window: {twice}"
    assert all(n == 2 for n in twice.values()), twice
    assert in_flight_at_crash, "the worker must die while SendGrid holds one of its mails"


def _assert_each_decision_once(database: str) -> None:
    with get_engine(database).connect() as connection:
        decisions = connection.execute(
            text("SELECT access_id, count(*) FROM review_decision GROUP BY access_id")
        ).all()
        signatures = connection.execute(
            text("SELECT status, count(*) FROM signature GROUP BY status")
        ).all()
    # One row per personal link: the second post of the same form changed nothing.
    assert decisions and all(n == 1 for _, n in decisions), decisions
    assert dict(signatures).get("signed", 0) > 0 and set(dict(signatures)) == {"signed"}, signatures


def _sends(requests: list[RecordedRequest]) -> Counter[str]:
    return Counter(
        str(r.body["headers"]["X-Accord-Idempotency-Key"])
        for r in requests
        if r.valid and isinstance(r.body, dict)
    )


def _received_but_pending(requests: list[RecordedRequest], database: str) -> set[str]:
    """Mails SendGrid has, whose acceptance Accord had not committed when the worker died."""
    received = set(_sends(requests))
    with Session(get_engine(database)) as session:
        pending = {
            m.key
            for m in session.exec(
                select(OutgoingMessage).where(OutgoingMessage.status == MessageStatus.pending)
            )
        }
    return received & pending


def _links(sendgrid: SendGridEndpoint, kind: str, prefix: str) -> list[str]:
    """The personal tokens in the mails of one kind that SendGrid received, in order, once."""
    tokens: list[str] = []
    for request in sendgrid.requests:
        body: Any = request.body
        if not request.valid or body["personalizations"][0]["custom_args"]["kind"] != kind:
            continue
        for token in re.findall(
            re.escape(prefix) + r"([A-Za-z0-9_-]{20,})", body["content"][0]["value"]
        ):
            if token not in tokens:
                tokens.append(token)
    return tokens


def _form(page: str, action: str) -> dict[str, str]:
    """The hidden fields (and the confirmation box) of the form posting to `action`."""
    start = page.index(f'action="{action}"')
    block = page[start : page.index("</form>", start)]
    fields = {
        html.unescape(name): html.unescape(value)
        for name, value in re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', block)
    }
    confirm = re.search(r'type="checkbox" name="confirm" value="([^"]*)"', block)
    if confirm:
        fields["confirm"] = html.unescape(confirm.group(1))
    return fields


def _run(cluster: Cluster, deployment: str, **parameters: object) -> str:
    args = [a for k, v in parameters.items() for a in ("--param", f"{k}={v}")]
    output = cluster.run("deployment", "run", deployment, *args)
    found = re.search(r"UUID:\s*([0-9a-f-]{36})", output)
    assert found, output
    return found.group(1)


def _flow_run(cluster: Cluster, flow_run_id: str) -> dict[str, Any]:
    answer = httpx.get(f"{cluster.api_url}/flow_runs/{flow_run_id}", timeout=10)
    answer.raise_for_status()
    return dict(answer.json())


def _state(cluster: Cluster, flow_run_id: str) -> str:
    try:
        return str(_flow_run(cluster, flow_run_id)["state"]["type"])
    except httpx.HTTPError:
        return "UNREACHABLE"  # the proxy is switching over; ask again


def _wait_state(cluster: Cluster, flow_run_id: str, states: set[str], timeout: float = 300) -> str:
    found = ""

    def reached() -> bool:
        nonlocal found
        found = _state(cluster, flow_run_id)
        return found in states

    _wait_for(reached, timeout, f"flow run {flow_run_id} in {sorted(states)}")
    return found


def _wait_final(cluster: Cluster, flow_run_id: str, timeout: float = 420) -> str:
    return _wait_state(cluster, flow_run_id, TERMINAL, timeout)


def _first_run_of(cluster: Cluster, flow: str, timeout: float) -> str:
    found: list[str] = []

    def started() -> bool:
        body = {"flows": {"name": {"any_": [flow]}}, "limit": 5, "sort": "START_TIME_DESC"}
        try:
            answer = httpx.post(f"{cluster.api_url}/flow_runs/filter", json=body, timeout=10)
        except httpx.HTTPError:
            return False
        found[:] = [run["id"] for run in answer.json()]
        return bool(found)

    _wait_for(started, timeout, f"a run of {flow} started by its event trigger")
    return found[0]


def _kill_worker_running(cluster: Cluster, flow_run_id: str) -> None:
    """kill -9 the worker whose child process runs the flow run, and the child with it."""
    pid = 0

    def known() -> bool:
        nonlocal pid
        infrastructure = _flow_run(cluster, flow_run_id).get("infrastructure_pid") or ""
        pid = int(infrastructure.rsplit(":", 1)[-1] or 0)
        return pid > 0

    _wait_for(known, 30, f"the process of flow run {flow_run_id}")
    for name, process in cluster.processes.items():
        if name.startswith("worker") and pid in descendants(process.pid):
            killed = cluster.kill_tree(name)
            assert pid in killed
            return
    raise AssertionError(f"no worker runs flow run {flow_run_id} (pid {pid})")


def _wait_up(url: str, timeout: float = 120) -> None:
    def up() -> bool:
        try:
            return httpx.get(url, timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    _wait_for(up, timeout, url)


def _wait_for(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"waited {timeout:.0f} s for {what}")
