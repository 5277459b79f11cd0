"""The reviewer portal under load: page latency with 50 clients, and 200 decisions at once.

Run: python bench/bench_portal.py. Prints `name: value unit` lines:
portal_review_page_p95_ms (50 concurrent keep-alive clients for ~10 s on a 60-clause bilingual
draft with a 200-activity plan, which the page shows whole; also p50 and throughput, and the
same load's throughput on FastAPI's hello world with the ratio portal_review_vs_hello), then
decisions_lost, decisions_duplicated and round_closed_count after 200 reviewers (of 200
parties) approve at the same moment, 20 of them twice with the same form. The portal runs
in its own process (uvicorn, one worker) on SQLite.
"""

import argparse
import asyncio
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import yaml
from sqlmodel import Session, col, func, select

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from accord.adapters.file_store import FileDocumentStore  # noqa: E402
from accord.db import get_engine, transaction, upgrade_schema  # noqa: E402
from accord.services import audit  # noqa: E402
from accord.services.bootstrap import service_env  # noqa: E402
from accord.services.drafting.drafting import record_drafts  # noqa: E402
from accord.services.review.rounds import RoundRequest, start_round  # noqa: E402
from accord.settings import Settings  # noqa: E402
from accord.source.clause_library import ClauseLibrary  # noqa: E402
from accord.source.loader import load_sources  # noqa: E402
from models import AuditEvent, OutgoingMessage, ReviewAssignment, ReviewDecision  # noqa: E402

CLAUSES, PARTIES, CLIENTS, SECONDS, WARMUP, DUPLICATES = 60, 200, 50, 10.0, 1.5, 20
OBJECTIVES, ACTIVITIES = 10, 200
SLUG = "bench-portal-mou"
OPENED = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
LINK = re.compile(r"/r/([A-Za-z0-9_-]{20,})")
CSRF = re.compile(rb'name="csrf_token" value="([0-9a-f]{64})"')
DECISION_KEY = re.compile(rb'action="/r/[^"]+/decision".*?name="request_key" value="([^"]+)"', re.S)
COOKIE = re.compile(rb"set-cookie: accord_csrf=([A-Za-z0-9_-]+)", re.I)
RU = (
    "Стороны обеспечивают своевременное выявление жертв торговли людьми, их направление "
    "в специализированные организации и оказание помощи без дискриминации."
)
KK = (
    "Тараптар адам саудасы құрбандарын уақтылы анықтауды, оларды мамандандырылған "
    "ұйымдарға жолдауды және кемсітусіз көмек көрсетуді қамтамасыз етеді."
)


# --- the data: 200 parties, a 60-clause bilingual MOU, one open round ---------------------


def write_sources(folder: Path) -> None:
    orgs = [_org("bench-iac", "commission", "secretariat@example.kz", ["secretariat"])]
    orgs += [
        _org(f"bench-ngo-{n:03d}", "ngo", f"reviewer{n:03d}@example.kz", ["reviewer"])
        for n in range(1, PARTIES + 1)
    ]
    agreement = {
        "format": "accord/v1",
        "id": SLUG,
        "kind": "mou",
        "languages": ["ru", "kk"],
        "country": "KZ",
        "secretariat": "bench-iac",
        "title": {
            "ru": "Меморандум о сотрудничестве (нагрузочный тест)",
            "kk": "Ынтымақтастық туралы меморандум (жүктеме сынағы)",
        },
        "parties": [{"org": o["id"], "role": "signatory"} for o in orgs[1:]],
        "clauses": [
            {
                "id": f"clause-{n}",
                "title": {"ru": f"Положение {n}", "kk": f"{n}-ереже"},
                "text": {"ru": f"{RU} ({n})\n{RU}\n{RU}\n", "kk": f"{KK} ({n})\n{KK}\n{KK}\n"},
            }
            for n in range(1, CLAUSES + 1)
        ],
        "objectives": [
            {"id": f"o-{n}", "title": {"ru": f"Задача {n}", "kk": f"{n}-міндет"}}
            for n in range(1, OBJECTIVES + 1)
        ],
        "commitments": [_activity(n, orgs[3 + n % (PARTIES - 2)]["id"]) for n in range(ACTIVITIES)],
    }
    organizations = {"format": "accord/v1", "organizations": orgs}
    for name, data in (("organizations.yaml", organizations), (f"{SLUG}.yaml", agreement)):
        (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def _activity(n: int, responsible: object) -> dict[str, object]:
    return {
        "id": f"c-{n:03d}",
        "objective": f"o-{1 + n % OBJECTIVES}",
        "activity": {"ru": f"{RU} ({n})", "kk": f"{KK} ({n})"},
        "responsible": responsible,
        "partners": ["bench-ngo-001", "bench-ngo-002"],
        "due": f"{2027 + n % 3}-Q{1 + n % 4}",
        "indicator": {
            "ru": "Количество обученных сотрудников",
            "kk": "Оқытылған қызметкерлер саны",
        },
        "baseline": "0",
        "target": str(10 + n),
        "budget": {"amount": 1500000 + n, "currency": "KZT"},
        "funding": {"ru": "Республиканский бюджет", "kk": "Республикалық бюджет"},
    }


def _org(org_id: str, kind: str, email: str, roles: list[str]) -> dict[str, object]:
    language = "kk" if org_id[-1] in "13579" else "ru"
    return {
        "id": org_id,
        "kind": kind,
        "country": "KZ",
        "name": {"ru": f"Организация {org_id}", "kk": f"{org_id} ұйымы"},
        "contacts": [
            {"name": f"Сотрудник {org_id}", "email": email, "language": language, "roles": roles}
        ],
    }


def prepare(root: Path) -> tuple[Settings, list[str]]:
    """Draft the agreement, open the round; returns the settings and the 200 links' tokens."""
    sources = root / "agreements"
    sources.mkdir()
    write_sources(sources)
    settings = Settings(
        data_dir=root / "data",
        output_dir=root / "output",
        database_url=f"sqlite:///{root / 'bench.db'}",
    )
    upgrade_schema(settings.database_url)
    engine = get_engine(settings.database_url)
    library = ClauseLibrary.from_directory(settings.clauses_dir)
    loaded = load_sources([sources], clause_library=library)
    with transaction(engine) as session:
        record_drafts(loaded, session=session, actor="bench")
    with transaction(engine) as session:
        env = service_env(
            session=session,
            store=FileDocumentStore(settings.output_dir),
            base_url="http://127.0.0.1",
            actor="bench",
            now=OPENED,
        )
        start_round(RoundRequest(agreement=SLUG, working_days=10), env=env)
    with Session(engine) as session:
        texts = session.exec(select(OutgoingMessage.text).order_by(col(OutgoingMessage.id)))
        tokens = [m.group(1) for text in texts if (m := LINK.search(text))]
    assert len(tokens) == PARTIES, f"expected {PARTIES} links, found {len(tokens)}"
    return settings, tokens


# --- the server, in its own process ---------------------------------------------------------


def serve_portal(database_url: str, output_dir: str, port: int) -> None:
    """The real entry point (`accord portal`): one uvicorn worker; retries logged to count."""
    import logging

    from accord.portal.serve import serve

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    serve(Settings(database_url=database_url, output_dir=Path(output_dir), portal_port=port))


def serve_hello(port: int) -> None:
    """FastAPI's hello world on the same uvicorn settings: the ceiling the page is held to."""
    import uvicorn
    from fastapi import FastAPI
    from fastapi.responses import PlainTextResponse

    app = FastAPI()

    @app.get("/r/{token}")
    def hello(token: str) -> PlainTextResponse:
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


def start_server(
    settings: Settings, root: Path, *, hello: bool = False, script: str = __file__
) -> tuple[subprocess.Popen[bytes], int]:
    """`script --serve …` (or `--hello`) in a process of its own, once it accepts connections."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    log = (root / ("hello.log" if hello else "server.log")).open("wb")
    serving = (
        ["--hello", str(port)]
        if hello
        else ["--serve", settings.database_url, str(settings.output_dir), str(port)]
    )
    process = subprocess.Popen(
        [sys.executable, script, *serving],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=PROJECT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"the server did not start; see {root / 'server.log'}")


# --- a minimal keep-alive HTTP/1.1 client (the client must cost less than the server) -------


@dataclass
class Reply:
    status: int
    head: bytes
    body: bytes


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> "Connection":
        return cls(*await asyncio.open_connection("127.0.0.1", port))

    async def request(
        self, method: str, path: str, *, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> Reply:
        lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        if body:
            lines += [
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
            ]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        length = int(re.search(rb"content-length: (\d+)", head, re.I).group(1))  # type: ignore[union-attr]
        return Reply(int(head.split(b" ", 2)[1]), head, await self.reader.readexactly(length))

    def close(self) -> None:
        self.writer.close()


async def page_latencies(port: int, tokens: list[str]) -> tuple[list[float], int]:
    """Each client GETs its own reviewer's page back to back; latencies after the warm-up."""
    stop_at = time.perf_counter() + WARMUP + SECONDS
    measure_from = time.perf_counter() + WARMUP
    latencies: list[float] = []
    errors = 0

    async def client(token: str) -> None:
        nonlocal errors
        connection = await Connection.open(port)
        try:
            while (started := time.perf_counter()) < stop_at:
                reply = await connection.request("GET", f"/r/{token}")
                if reply.status != 200:
                    errors += 1
                if started >= measure_from:
                    latencies.append(time.perf_counter() - started)
        finally:
            connection.close()

    await asyncio.gather(*(client(token) for token in tokens[:CLIENTS]))
    return latencies, errors


async def decide_all(port: int, tokens: list[str]) -> dict[int, int]:
    """Render every form first, then post all 200 decisions (and 20 repeats) at the same moment."""
    forms = []
    reader = await Connection.open(port)
    for token in tokens:
        reply = await reader.request("GET", f"/r/{token}")
        cookie = COOKIE.search(reply.head).group(1).decode()  # type: ignore[union-attr]
        csrf = CSRF.search(reply.body).group(1).decode()  # type: ignore[union-attr]
        key = DECISION_KEY.search(reply.body).group(1).decode()  # type: ignore[union-attr]
        body = urlencode(
            {
                "csrf_token": csrf,
                "request_key": key,
                "decision": "approve",
                "reason": "",
                "lang": "ru",
            }
        ).encode()
        forms.append((token, cookie, body))
    reader.close()
    # Opened only now: a connection idle while 200 pages render would be closed by the
    # server's keep-alive timeout (5 s) on a busy machine.
    posts = [(await Connection.open(port), *form) for form in forms + forms[:DUPLICATES]]
    statuses: dict[int, int] = {}
    gate = asyncio.Event()

    async def post(connection: Connection, token: str, cookie: str, body: bytes) -> None:
        await gate.wait()
        reply = await connection.request(
            "POST", f"/r/{token}/decision", body=body, headers={"Cookie": f"accord_csrf={cookie}"}
        )
        statuses[reply.status] = statuses.get(reply.status, 0) + 1
        connection.close()

    tasks = [asyncio.create_task(post(*form)) for form in posts]
    await asyncio.sleep(0.2)
    gate.set()
    await asyncio.gather(*tasks)
    return statuses


def count_outcome(settings: Settings) -> tuple[int, int, int, bool]:
    with Session(get_engine(settings.database_url)) as session:
        chain_ok = audit.verify_chain(session=session).ok
        per_assignment = dict(
            session.exec(
                select(ReviewDecision.assignment_id, func.count(col(ReviewDecision.id))).group_by(
                    col(ReviewDecision.assignment_id)
                )
            ).all()
        )
        assignments = session.exec(select(ReviewAssignment.id)).all()
        closed = session.exec(
            select(func.count(col(AuditEvent.id))).where(
                AuditEvent.action == "round.closed", AuditEvent.subject == f"agreement:{SLUG}"
            )
        ).one()
    lost = sum(1 for a in assignments if per_assignment.get(a or 0, 0) == 0)
    duplicated = sum(max(0, n - 1) for n in per_assignment.values())
    return lost, duplicated, closed, chain_ok


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="accord-bench-portal-") as folder:
        root = Path(folder)
        settings, tokens = prepare(root)
        hello_process, hello_port = start_server(settings, root, hello=True)
        try:
            hello_latencies, _ = asyncio.run(page_latencies(hello_port, tokens))
        finally:
            hello_process.terminate()
            hello_process.wait(timeout=10)
        process, port = start_server(settings, root)
        try:
            latencies, errors = asyncio.run(page_latencies(port, tokens))
            statuses = asyncio.run(decide_all(port, tokens))
        finally:
            process.terminate()
            process.wait(timeout=10)
        server_log = (root / "server.log").read_text(encoding="utf-8", errors="replace")
        lost, duplicated, closed, chain_ok = count_outcome(settings)
    ms = sorted(x * 1000 for x in latencies)
    print(f"portal_review_page_p95_ms: {ms[int(len(ms) * 0.95) - 1]:.1f} ms")
    print(f"portal_review_page_p50_ms: {statistics.median(ms):.1f} ms")
    print(f"portal_review_page_throughput: {len(ms) / SECONDS:.0f} requests/s")
    print(f"fastapi_hello_throughput: {len(hello_latencies) / SECONDS:.0f} requests/s")
    print(f"portal_review_vs_hello: {len(ms) / max(len(hello_latencies), 1):.2f} ratio")
    print(f"portal_review_page_errors: {errors} count")
    print(f"decisions_lost: {lost} count")
    print(f"decisions_duplicated: {duplicated} count")
    print(f"round_closed_count: {closed} count")
    print(f"audit_chain_intact: {int(chain_ok)} bool")
    print(f"decision_posts_by_status: {dict(sorted(statuses.items()))} responses")
    locked = server_log.count("database is locked")
    conflicts = server_log.count("after a conflicting write")
    print(f"decision_posts_retried_database_locked: {locked} count")
    print(f"decision_posts_retried_conflicting_write: {conflicts} count")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--serve", nargs=3, metavar=("DATABASE_URL", "OUTPUT_DIR", "PORT"))
    parser.add_argument("--hello", type=int, metavar="PORT")
    arguments = parser.parse_args()
    if arguments.hello:
        serve_hello(arguments.hello)
    elif arguments.serve:
        serve_portal(arguments.serve[0], arguments.serve[1], int(arguments.serve[2]))
    else:
        main()
