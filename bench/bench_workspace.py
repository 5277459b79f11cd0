"""The secretariat's workspace under load: the home page and the round board with 20
signed-in staff at once.

Run: python bench/bench_workspace.py. Prints `name: value unit` lines:
workspace_home_p95_ms (20 concurrent keep-alive clients, each a signed-in member of one of 5
secretariats, for ~10 s; 1,000 agreements, 5,000 review rounds and 100,000 tracked commitments
across the 5 secretariats), workspace_board_p95_ms (the board of a 200-party round, or `n/a`
where this build has no board page), and the same run's throughput of FastAPI's hello world
on the same uvicorn settings with the ratio workspace_home_vs_hello. The application runs in
its own process (uvicorn, one worker) on SQLite, as `accord portal` serves it.

The 200-party round is drafted and started through the services (bench_portal's agreement);
everything else is written with bulk inserts, as a database grown over years would hold it.
"""

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "bench"))

import bench_portal  # noqa: E402
from bench_portal import OPENED, SLUG, Connection  # noqa: E402

from accord.db import get_engine, transaction  # noqa: E402
from accord.services.links import new_token  # noqa: E402
from accord.settings import Settings  # noqa: E402
from models import (  # noqa: E402
    Agreement,
    AgreementStatus,
    AgreementVersion,
    CommitmentDefinition,
    ItemStatus,
    Organization,
    ReviewAssignment,
    ReviewRound,
    ReviewStage,
    RoundOutcome,
    RoundStatus,
    StaffAccount,
    StaffRole,
    StaffSession,
    StageKind,
    StageStatus,
    TrackedCommitment,
)

SECRETARIATS, AGREEMENTS, ROUNDS, COMMITMENTS, STAFF = 5, 1_000, 5_000, 100_000, 20
CLIENTS, SECONDS, WARMUP = 20, 10.0, 1.5
BOARD = f"/workspace/agreements/{SLUG}/rounds/1"
STATUSES = (
    AgreementStatus.draft,
    AgreementStatus.in_review,
    AgreementStatus.in_force,
    AgreementStatus.approved,
)


def prepare(root: Path) -> tuple[Settings, list[str]]:
    """bench_portal's 200-party round, then the rest of the data in bulk; returns the
    settings and one session cookie per client (4 staff of each secretariat)."""
    settings, _tokens = bench_portal.prepare(root)
    engine = get_engine(settings.database_url)
    with transaction(engine) as session:
        first = session.exec(select(Agreement).where(Agreement.slug == SLUG)).one()
        version = session.exec(
            select(AgreementVersion).where(AgreementVersion.agreement_id == first.id)
        ).one()
        parties = [o.id for o in session.exec(select(Organization)).all() if o.kind == "ngo"]
        definition = session.exec(
            select(CommitmentDefinition.id).where(CommitmentDefinition.version_id == version.id)
        ).first()
        secretariats = [first.secretariat_id, *_secretariats(session)]
        agreement_ids = _agreements(session, secretariats, version, first.country)
        _rounds(session, agreement_ids, version.id or 0, parties)
        _commitments(session, agreement_ids, definition or 0, parties)
        cookies = _staff(session, secretariats)
    return settings, cookies


def _secretariats(session: Session) -> list[int]:
    rows = [
        {
            "slug": f"bench-commission-{n}",
            "kind": "commission",
            "country": "KZ",
            "name": {"ru": f"Комиссия {n}", "kk": f"{n}-комиссия", "en": f"Commission {n}"},
            "updated_at": OPENED,
        }
        for n in range(2, SECRETARIATS + 1)
    ]
    session.execute(insert(Organization), rows)
    return [
        o.id or 0
        for o in session.exec(
            select(Organization).where(col(Organization.slug).startswith("bench-commission-"))
        )
    ]


def _agreements(
    session: Session, secretariats: list[int], version: AgreementVersion, country: str
) -> list[int]:
    """999 more agreements, each with one version whose content is the drafted one's."""
    rows = [
        {
            "slug": f"bench-agreement-{n:04d}",
            "kind": "mou",
            "country": country,
            "languages": ["ru", "kk"],
            "status": STATUSES[n % len(STATUSES)],
            "secretariat_id": secretariats[n % len(secretariats)],
            "created_at": OPENED,
        }
        for n in range(1, AGREEMENTS)
    ]
    session.execute(insert(Agreement), rows)
    ids = list(session.exec(select(Agreement.id).order_by(col(Agreement.id))).all())
    session.execute(
        insert(AgreementVersion),
        [
            {
                "agreement_id": i,
                "number": 1,
                "sha256": version.sha256,
                "source_path": version.source_path,
                "content": version.content,
                "created_at": OPENED,
            }
            for i in ids[1:]
        ],
    )
    return [i or 0 for i in ids]


def _rounds(session: Session, agreements: list[int], version_id: int, parties: list[int]) -> None:
    """Four closed rounds per agreement and one open (three parties asked), 5,000 with the
    bench's own open round."""
    rows = []
    for n, agreement in enumerate(agreements[1:]):
        for number in range(1, ROUNDS // AGREEMENTS + 1):
            is_open = number == ROUNDS // AGREEMENTS and n % 2 == 0
            rows.append(
                {
                    "agreement_id": agreement,
                    "version_id": version_id,
                    "number": number,
                    "status": RoundStatus.open if is_open else RoundStatus.closed,
                    "outcome": None if is_open else RoundOutcome.changes_requested,
                    "started_by": "bench",
                    "opened_at": OPENED,
                }
            )
    rows = rows[: ROUNDS - 1]
    session.execute(insert(ReviewRound), rows)
    opened = session.exec(
        select(ReviewRound.id).where(
            ReviewRound.status == RoundStatus.open, col(ReviewRound.agreement_id) != agreements[0]
        )
    ).all()
    session.execute(
        insert(ReviewStage),
        [
            {
                "round_id": r,
                "position": 1,
                "kind": StageKind.external,
                "status": StageStatus.open,
                "deadline": date(2027, 1, 25) + timedelta(days=(r or 0) % 20),
                "opened_at": OPENED,
            }
            for r in opened
        ],
    )
    stages = session.exec(
        select(ReviewStage.id).where(col(ReviewStage.round_id).in_(list(opened)))
    ).all()
    session.execute(
        insert(ReviewAssignment),
        [
            {"stage_id": s, "organization_id": parties[(s or 0) * 3 % len(parties) + k]}
            for s in stages
            for k in range(3)
            if (s or 0) * 3 % len(parties) + k < len(parties)
        ],
    )


def _commitments(
    session: Session, agreements: list[int], definition_id: int, parties: list[int]
) -> None:
    """100,000 tracked commitments, 100 per agreement, due over three years."""
    start = date(2026, 1, 1)
    statuses = (ItemStatus.not_started, ItemStatus.in_progress, ItemStatus.done)
    for chunk in range(0, COMMITMENTS, 10_000):
        session.execute(
            insert(TrackedCommitment),
            [
                {
                    "agreement_id": agreements[n % len(agreements)],
                    "key": f"c-{n:06d}",
                    "definition_id": definition_id,
                    "responsible_id": parties[n % len(parties)],
                    "due": start + timedelta(days=n % 1095),
                    "status": statuses[n % 3],
                    "created_at": OPENED,
                }
                for n in range(chunk, chunk + 10_000)
            ],
        )


def _staff(session: Session, secretariats: list[int]) -> list[str]:
    """Four officers per secretariat, each signed in (a live session, its cookie returned)."""
    now = datetime.now(UTC)
    cookies = []
    for n in range(STAFF):
        account = StaffAccount(
            email=f"staff{n:02d}@example.org",
            name=f"Staff {n:02d}",
            secretariat_id=secretariats[n % len(secretariats)],
            role=StaffRole.officer,
            language="ru",
        )
        session.add(account)
        session.flush()
        token, hashed = new_token()
        session.add(
            StaffSession(
                token_hash=hashed,
                account_id=account.id or 0,
                created_at=now,
                last_seen_at=now,
                second_factor_done=True,
            )
        )
        cookies.append(token)
    return cookies


# --- the server -----------------------------------------------------------------------------


def serve_workspace(database_url: str, output_dir: str, port: int) -> None:
    """The real application (`accord portal`): token pages and the workspace, one worker."""
    from accord.portal.serve import serve
    from accord.workspace.app import create_app

    settings = Settings(database_url=database_url, output_dir=Path(output_dir), portal_port=port)
    serve(settings, create_app(settings))


def serve_hello(port: int) -> None:
    """FastAPI's hello world on the same uvicorn settings: the ceiling the page is held to."""
    import uvicorn
    from fastapi import FastAPI
    from fastapi.responses import PlainTextResponse

    app = FastAPI()

    @app.get("/workspace/")
    def hello() -> PlainTextResponse:
        return PlainTextResponse("Hello, world")

    uvicorn.run(
        app,
        host="127.0.0.1",
        port=port,
        proxy_headers=False,
        server_header=False,
        access_log=False,
        log_level="warning",
    )


def has_board() -> bool:
    """Whether this build serves the round board (another part of the workspace adds it)."""
    from fastapi.routing import APIRoute

    from accord.workspace.app import ROUTERS

    wanted = "/workspace/agreements/{agreement}/rounds/{round}"
    return any(
        isinstance(route, APIRoute) and route.path == wanted and "GET" in (route.methods or ())
        for router in ROUTERS
        for route in router.routes
    )


def start_server(settings: Settings, root: Path, *, hello: bool = False) -> tuple[Any, int]:
    return bench_portal.start_server(settings, root, hello=hello, script=__file__)


async def latencies(port: int, cookies: list[str], path: str) -> tuple[list[float], int]:
    """Each signed-in client GETs `path` back to back; latencies after the warm-up. One
    request first, alone: the server reads the agreements' titles once, then keeps them."""
    first = await Connection.open(port)
    await first.request("GET", path, headers={"Cookie": f"accord_staff={cookies[0]}"})
    first.close()
    stop_at = time.perf_counter() + WARMUP + SECONDS
    measure_from = time.perf_counter() + WARMUP
    found: list[float] = []
    errors = 0

    async def client(cookie: str) -> None:
        nonlocal errors
        connection = await Connection.open(port)
        try:
            while (started := time.perf_counter()) < stop_at:
                reply = await connection.request(
                    "GET", path, headers={"Cookie": f"accord_staff={cookie}"}
                )
                if reply.status != 200:
                    errors += 1
                if started >= measure_from:
                    found.append(time.perf_counter() - started)
        finally:
            connection.close()

    await asyncio.gather(*(client(cookie) for cookie in cookies[:CLIENTS]))
    return found, errors


def p95(values: list[float]) -> float:
    ms = sorted(x * 1000 for x in values)
    return ms[max(0, int(len(ms) * 0.95) - 1)]


def in_process(settings: Settings, cookie: str, path: str, times: int = 30) -> tuple[float, float]:
    """Server time of one page without HTTP or other clients (the machine is shared, so
    wall-clock latencies under load say less): the first request's and the median of the
    next `times`, in ms."""
    from fastapi.testclient import TestClient

    from accord.workspace.app import create_app

    with TestClient(create_app(settings)) as client:
        client.cookies.set("accord_staff", cookie)
        spent = []
        for _ in range(times + 1):
            started = time.perf_counter()
            reply = client.get(path)
            spent.append((time.perf_counter() - started) * 1000)
            if reply.status_code != 200:
                raise SystemExit(f"{path}: {reply.status_code}")
    return spent[0], statistics.median(spent[1:])


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="accord-bench-workspace-") as folder:
        root = Path(folder)
        started = time.perf_counter()
        settings, cookies = prepare(root)
        built = time.perf_counter() - started
        hello_process, hello_port = start_server(settings, root, hello=True)
        try:
            hello, _ = asyncio.run(latencies(hello_port, cookies, "/workspace/"))
        finally:
            hello_process.terminate()
            hello_process.wait(timeout=10)
        process, port = start_server(settings, root)
        try:
            home, home_errors = asyncio.run(latencies(port, cookies, "/workspace/"))
            board: list[float] | None = None
            board_errors = 0
            if has_board():
                # The 200-party round is the first secretariat's: its staff are every 5th.
                board, board_errors = asyncio.run(
                    latencies(port, cookies[::SECRETARIATS] * SECRETARIATS, BOARD)
                )
        finally:
            process.terminate()
            process.wait(timeout=10)
        home_first, home_server = in_process(settings, cookies[0], "/workspace/")
        board_first, board_server = (
            in_process(settings, cookies[0], BOARD) if board is not None else (0.0, 0.0)
        )
    print(f"workspace_bench_data_built_s: {built:.1f} s")
    print(f"workspace_home_p95_ms: {p95(home):.1f} ms")
    print(f"workspace_home_p50_ms: {statistics.median(home) * 1000:.1f} ms")
    print(f"workspace_home_throughput: {len(home) / SECONDS:.0f} requests/s")
    print(f"workspace_home_errors: {home_errors} count")
    if board is None:
        print("workspace_board_p95_ms: n/a")
    else:
        print(f"workspace_board_p95_ms: {p95(board):.1f} ms")
        print(f"workspace_board_errors: {board_errors} count")
    print(f"workspace_home_server_first_ms: {home_first:.1f} ms")
    print(f"workspace_home_server_ms: {home_server:.1f} ms")
    if board is not None:
        print(f"workspace_board_server_first_ms: {board_first:.1f} ms")
        print(f"workspace_board_server_ms: {board_server:.1f} ms")
    print(f"fastapi_hello_throughput: {len(hello) / SECONDS:.0f} requests/s")
    print(f"workspace_home_vs_hello: {len(home) / max(len(hello), 1):.2f} ratio")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--serve", nargs=3, metavar=("DATABASE_URL", "OUTPUT_DIR", "PORT"))
    parser.add_argument("--hello", type=int, metavar="PORT")
    arguments = parser.parse_args()
    if arguments.hello:
        serve_hello(arguments.hello)
    elif arguments.serve:
        serve_workspace(arguments.serve[0], arguments.serve[1], int(arguments.serve[2]))
    else:
        main()
