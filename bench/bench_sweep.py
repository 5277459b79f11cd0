"""The daily reminder sweep at scale: 1,000,000 tracked commitments, 20,000 focal points.

Run: python bench/bench_sweep.py. Prints `name: value unit` lines:
sweep_select_s_sqlite, sweep_select_s_postgres (median of 3 `select_due` calls after a
warm-up; target ≤ 1 s), sweep_full_s_sqlite / _postgres (the whole `send_reminders`: overdue
marking, selection, 10,000 digests and the escalations enqueued and committed; informational),
digests_10k_s (those 10,000 focal digests handed by `deliver_pending(concurrency=16)` to
`SendGridMailer` against the schema-checking local endpoint of tests/sendgrid_endpoint.py;
target ≤ 30 s; on PostgreSQL when it answers, else SQLite; the other database is printed as
digests_10k_s_sqlite, informational) and sweep_peak_mb (RSS high-water of a process that runs
only the sweep, interpreter and imports included — `ru_maxrss` via RUSAGE_CHILDREN, read by a
small launcher process (see LAUNCHER) — the worse of the two databases; target ≤ 500 MB).

Data: 20,000 organisations with one focal point each, 10 secretariats, 1,000 agreements in
force (one version, 100 commitment definitions, 1,000 tracked items each), due dates spread
uniformly over three years around AS_OF. Past items are done or cancelled except ~1.7 %
still open (overdue); items due by the 5-working-day horizon are mostly open; the rest lie
further ahead. About 1.5 % of the rows are selected, and exactly 10,000 organisations have
something due, so the sweep enqueues exactly 10,000 focal digests. Loaded with executemany
(SQLite) and COPY (PostgreSQL) in one transaction, on the schema of the real migrations.
PostgreSQL: ACCORD_TEST_POSTGRES_URL, else postgres@127.0.0.1:5432/test; a database of its
own is created and dropped (also on failure); skipped with the reason when unreachable.
"""

import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import func, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, select

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from accord.adapters.delivery import deliver_pending  # noqa: E402
from accord.adapters.file_store import FileDocumentStore  # noqa: E402
from accord.db import get_engine, upgrade_schema  # noqa: E402
from accord.mail.sendgrid_mailer import SendGridMailer  # noqa: E402
from accord.services.commitments.reminders import select_due  # noqa: E402
from accord.services.working_days import add_working_days  # noqa: E402
from models import MessageStatus, OutgoingMessage  # noqa: E402
from tests.sendgrid_endpoint import SendGridEndpoint  # noqa: E402

AS_OF = date(2027, 4, 12)  # a Monday with no Kazakh holiday in the following week
COUNTRY, DUE_WITHIN, CONCURRENCY = "KZ", 5, 16
ORGS, SECRETARIATS, AGREEMENTS = 20_000, 10, 1_000
DEFINITIONS_PER_AGREEMENT, TRACKED_PER_AGREEMENT = 100, 1_000
DIGEST_ORGS, DIGESTS = 10_000, 10_000
SPREAD_DAYS = 548  # due dates in AS_OF ± 1.5 years
STILL_OPEN_PAST = 0.017  # of the past items, the share nobody closed
SELECT_RUNS = 3
BATCH = 50_000
CREATED = datetime(2025, 1, 15, 9, 0, tzinfo=UTC)
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SEED = 20270412

SWEEP_CHILD = """
import json, sys, time
from datetime import UTC, date, datetime
from pathlib import Path
from accord.adapters.file_store import FileDocumentStore
from accord.db import make_engine, transaction
from accord.services.bootstrap import service_env
from accord.services.commitments.reminders import send_reminders

def status_kb(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])

url, as_of, store = sys.argv[1], date.fromisoformat(sys.argv[2]), Path(sys.argv[3])
engine = make_engine(url)
before_kb = status_kb("VmRSS")
started = time.perf_counter()
with transaction(engine) as session:
    env = service_env(session=session, store=FileDocumentStore(store),
                    base_url="https://accord.example.kz", actor="bench",
                    now=datetime.now(UTC))
    report = send_reminders(as_of, due_within_days=int(sys.argv[4]), env=env)
elapsed = time.perf_counter() - started
print(json.dumps({"elapsed_s": elapsed, "selected": report.selected, "digests": report.digests,
                  "escalations": report.escalations, "marked_overdue": report.marked_overdue,
                  "before_kb": before_kb, "hwm_kb": status_kb("VmHWM")}))
"""
"""Only the sweep: imports, one engine, `send_reminders` in one transaction, committed."""

LAUNCHER = """
import json, resource, subprocess, sys
done = subprocess.run([sys.executable, "-c", *sys.argv[1:]], capture_output=True, text=True)
sys.stderr.write(done.stderr)
print(json.dumps({"returncode": done.returncode, "stdout": done.stdout,
                  "children_maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""
"""Starts the sweep and reports its RUSAGE_CHILDREN maxrss. Needed because Linux hands a
process the RSS high-water of the one it was forked from: a child of this (large) benchmark
process would report at least our size; a child of this small launcher reports its own."""


# --- the data ------------------------------------------------------------------------------


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def organization_rows() -> Iterator[tuple[Any, ...]]:
    """(id, slug, kind, country, name, updated_at): focal organisations, then secretariats."""
    for i in range(1, ORGS + SECRETARIATS + 1):
        secretariat = i > ORGS
        slug = f"secretariat-{i - ORGS:02d}" if secretariat else f"org-{i:05d}"
        name = {"ru": f"Организация № {i}", "kk": f"№ {i} ұйым", "en": f"Organisation {i}"}
        yield i, slug, "secretariat" if secretariat else "ministry", "KZ", _json(name), CREATED


def contact_rows() -> Iterator[tuple[Any, ...]]:
    """(id, organization_id, name, email, language, roles, active): one contact per org."""
    for i in range(1, ORGS + SECRETARIATS + 1):
        role = "secretariat" if i > ORGS else "focal_point"
        language = "kk" if i % 3 == 0 else "ru"
        yield i, i, f"Контакт {i}", f"contact{i}@org{i}.example.kz", language, _json([role]), True


def agreement_rows() -> Iterator[tuple[Any, ...]]:
    """(id, slug, kind, country, languages, status, secretariat_id, created_at)."""
    for a in range(1, AGREEMENTS + 1):
        secretariat = ORGS + 1 + a % SECRETARIATS
        yield (
            a,
            f"bench-{a:04d}",
            "mou",
            "KZ",
            _json(["ru", "kk"]),
            "in_force",
            secretariat,
            CREATED,
        )


def version_content_json(a: int) -> str:
    """A small but valid version: escalation digests print the agreement's real title."""
    from accord.source.spec import (
        AgreementKind,
        AgreementSpec,
        ClauseSpec,
        OrgKind,
        OrgSnapshot,
        PartyRole,
        PartySpec,
        VersionContent,
    )

    secretariat = f"secretariat-{a % SECRETARIATS + 1:02d}"
    party = f"org-{a % ORGS + 1:05d}"
    spec = AgreementSpec(
        id=f"bench-{a:04d}",
        kind=AgreementKind.mou,
        languages=("ru", "kk"),
        country="KZ",
        secretariat=secretariat,
        title={"ru": f"Меморандум № {a}", "kk": f"№ {a} меморандум"},
        parties=(PartySpec(org=party, role=PartyRole.signatory),),
        clauses=(ClauseSpec(id="purpose", text={"ru": "Цель.", "kk": "Мақсаты."}),),
    )
    orgs = {
        slug: OrgSnapshot(id=slug, kind=OrgKind.ministry, country="KZ", name={"ru": slug})
        for slug in (secretariat, party)
    }
    return VersionContent(agreement=spec, organizations=orgs).canonical_json()


def version_rows() -> Iterator[tuple[Any, ...]]:
    """(id, agreement_id, number, sha256, source_path, content, created_at)."""
    for a in range(1, AGREEMENTS + 1):
        content = version_content_json(a)
        digest = hashlib.sha256(content.encode()).hexdigest()
        yield a, a, 1, digest, f"agreements/bench-{a:04d}.yaml", content, CREATED


def definition_rows(rng: random.Random) -> Iterator[tuple[Any, ...]]:
    """(id, version_id, key, objective, activity, responsible_id, partners, due, due_label)."""
    for a in range(1, AGREEMENTS + 1):
        for j in range(DEFINITIONS_PER_AGREEMENT):
            due = AS_OF + timedelta(days=rng.randint(-SPREAD_DAYS, SPREAD_DAYS))
            activity = {
                "ru": f"Мероприятие {j + 1} соглашения {a}: обучение специалистов",
                "kk": f"{a} келісімнің {j + 1} іс-шарасы: мамандарды оқыту",
            }
            yield (
                (a - 1) * DEFINITIONS_PER_AGREEMENT + j + 1,
                a,
                f"c{j:04d}",
                f"o{j % 5 + 1}",
                _json(activity),
                rng.randint(1, ORGS),
                "[]",
                due,
                str(due.year),
            )


def tracked_rows(rng: random.Random, horizon: date) -> Iterator[tuple[Any, ...]]:
    """(id, agreement_id, key, definition_id, responsible_id, due, status, created_at).

    Everything selected today (open and due by the horizon) belongs to one of DIGEST_ORGS
    organisations, in turn, so each of them gets exactly one digest; the rest of the rows
    are spread over all ORGS organisations.
    """
    digest_orgs = rng.sample(range(1, ORGS + 1), DIGEST_ORGS)
    selected = 0
    row_id = 0
    for a in range(1, AGREEMENTS + 1):
        for k in range(TRACKED_PER_AGREEMENT):
            row_id += 1
            due = AS_OF + timedelta(days=rng.randint(-SPREAD_DAYS, SPREAD_DAYS))
            roll = rng.random()
            if due < AS_OF - timedelta(days=3):  # earlier sweeps marked these overdue
                status = (
                    "overdue" if roll < STILL_OPEN_PAST else ("done" if roll < 0.9 else "cancelled")
                )
            elif due < AS_OF:  # since Friday's sweep: still not started or in progress
                status = (
                    ("not_started" if roll < STILL_OPEN_PAST / 2 else "in_progress")
                    if roll < STILL_OPEN_PAST
                    else "done"
                )
            elif due <= horizon:
                status = "not_started" if roll < 0.5 else ("in_progress" if roll < 0.9 else "done")
            else:
                status = "not_started" if roll < 0.6 else ("in_progress" if roll < 0.95 else "done")
            if due <= horizon and status in ("not_started", "in_progress", "overdue"):
                responsible = digest_orgs[selected % DIGEST_ORGS]
                selected += 1
            else:
                responsible = rng.randint(1, ORGS)
            definition = (a - 1) * DEFINITIONS_PER_AGREEMENT + k % DEFINITIONS_PER_AGREEMENT + 1
            yield row_id, a, f"c{k:04d}", definition, responsible, due, status, CREATED
    assert selected >= DIGEST_ORGS, f"only {selected} items due: not every organisation gets one"


TABLES: list[tuple[str, str]] = [
    ("organization", "id, slug, kind, country, name, updated_at"),
    ("contact", "id, organization_id, name, email, language, roles, active"),
    ("agreement", "id, slug, kind, country, languages, status, secretariat_id, created_at"),
    ("agreement_version", "id, agreement_id, number, sha256, source_path, content, created_at"),
    (
        "commitment_definition",
        "id, version_id, key, objective, activity, responsible_id, partners, due, due_label",
    ),
    (
        "tracked_commitment",
        "id, agreement_id, key, definition_id, responsible_id, due, status, created_at",
    ),
]


def all_rows(horizon: date) -> Iterator[tuple[str, str, Iterator[tuple[Any, ...]]]]:
    """Each table with its columns and rows: the same data on every database (fixed seed)."""
    rng = random.Random(SEED)
    sources = [
        organization_rows(),
        contact_rows(),
        agreement_rows(),
        version_rows(),
        definition_rows(rng),
        tracked_rows(rng, horizon),
    ]
    for (table, columns), rows in zip(TABLES, sources, strict=True):
        yield table, columns, rows


def _sqlite_value(value: Any) -> Any:
    """What SQLAlchemy itself stores in SQLite for dates and UTC datetimes."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def load_sqlite(engine: Engine, horizon: date) -> int:
    raw = engine.raw_connection()
    count = 0
    try:
        cursor = raw.cursor()
        for table, columns, rows in all_rows(horizon):
            marks = ", ".join("?" for _ in columns.split(","))
            statement = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
            batch: list[tuple[Any, ...]] = []
            for row in rows:
                batch.append(tuple(_sqlite_value(v) for v in row))
                if len(batch) >= BATCH:
                    cursor.executemany(statement, batch)
                    count += len(batch)
                    batch.clear()
            cursor.executemany(statement, batch)
            count += len(batch)
        raw.commit()
    finally:
        raw.close()
    return count


def load_postgres(engine: Engine, horizon: date) -> int:
    raw = engine.raw_connection()
    count = 0
    try:
        cursor = raw.cursor()
        for table, columns, rows in all_rows(horizon):
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            sequence = f"pg_get_serial_sequence('{table}', 'id')"
            cursor.execute(f"SELECT setval({sequence}, (SELECT max(id) FROM {table}))")
        raw.commit()
        cursor.close()
    finally:
        raw.close()
    with engine.connect() as connection:
        connection.execute(text("ANALYZE"))
        connection.commit()
    return count


# --- the measurements ----------------------------------------------------------------------


def time_select(engine: Engine, horizon: date) -> tuple[float, int]:
    """Median of SELECT_RUNS `select_due` calls after one warm-up, each in a fresh session."""
    times = []
    count = 0
    for run in range(SELECT_RUNS + 1):
        with Session(engine) as session:
            started = time.perf_counter()
            count = len(select_due(AS_OF, horizon, session=session))
            elapsed = time.perf_counter() - started
        if run:
            times.append(elapsed)
    return statistics.median(times), count


def run_sweep(url: str, store: Path) -> dict[str, Any]:
    """The whole sweep in a process of its own (started by LAUNCHER): its report and peak RSS."""
    arguments = [SWEEP_CHILD, url, AS_OF.isoformat(), str(store), str(DUE_WITHIN), COUNTRY]
    launched = subprocess.run(
        [sys.executable, "-c", LAUNCHER, *arguments],
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
        capture_output=True,
        text=True,
        check=False,
    )
    if launched.returncode != 0:
        raise RuntimeError(f"the sweep launcher failed:\n{launched.stderr[-4000:]}")
    outcome = json.loads(launched.stdout.strip().splitlines()[-1])
    if outcome["returncode"] != 0:
        raise RuntimeError(f"the sweep failed:\n{launched.stderr[-4000:]}")
    sweep: dict[str, Any] = json.loads(outcome["stdout"].strip().splitlines()[-1])
    sweep["peak_mb"] = outcome["children_maxrss_kb"] / 1024
    return sweep


def time_delivery(engine: Engine, store: Path) -> float:
    """The sweep's 10,000 focal digests to the local SendGrid endpoint; every one checked."""
    with Session(engine) as session:
        pending = session.exec(
            select(OutgoingMessage.kind, func.count())
            .where(OutgoingMessage.status == MessageStatus.pending)
            .group_by(OutgoingMessage.kind)
        ).all()
    assert dict(pending).get("focal_digest") == DIGESTS, f"pending messages: {dict(pending)}"
    with SendGridEndpoint() as endpoint:
        mailer = SendGridMailer(
            endpoint.api_key,
            host=endpoint.url,
            from_email="no-reply@accord.example.kz",
            from_name="Accord",
        )
        started = time.perf_counter()
        report = deliver_pending(
            engine=engine,
            mailer=mailer,
            store=FileDocumentStore(store),
            limit=DIGESTS,  # the digests come first: they are enqueued before the escalations
            concurrency=CONCURRENCY,
        )
        elapsed = time.perf_counter() - started
    requests = endpoint.requests
    assert report.sent == DIGESTS and not report.errors, f"{report.sent} sent: {report.errors[:3]}"
    assert len(requests) == DIGESTS, f"{len(requests)} requests reached the endpoint"
    invalid = [r.errors for r in requests if not r.valid or r.status != 202]
    assert not invalid, f"{len(invalid)} refused, e.g. {invalid[0]}"
    kinds = {r.body["personalizations"][0]["custom_args"]["kind"] for r in requests}
    assert kinds == {"focal_digest"}, kinds
    keys = {r.body["headers"]["X-Accord-Idempotency-Key"] for r in requests}
    assert len(keys) == DIGESTS, "a digest was sent twice"
    with Session(engine) as session:
        sent = session.exec(
            select(func.count())
            .select_from(OutgoingMessage)
            .where(
                OutgoingMessage.kind == "focal_digest", OutgoingMessage.status == MessageStatus.sent
            )
        ).one()
    assert sent == DIGESTS, f"{sent} digests marked sent"
    return elapsed


def bench_database(name: str, url: str, work: Path) -> dict[str, float]:
    engine = get_engine(url)
    horizon = add_working_days(AS_OF, DUE_WITHIN, COUNTRY)
    upgrade_schema(url)
    started = time.perf_counter()
    rows = load_sqlite(engine, horizon) if name == "sqlite" else load_postgres(engine, horizon)
    print(f"sweep_load_s_{name}: {time.perf_counter() - started:.1f} s ({rows} rows)", flush=True)
    select_s, selected = time_select(engine, horizon)
    print(f"sweep_select_s_{name}: {select_s:.3f} s", flush=True)
    print(f"sweep_selected_items_{name}: {selected} items", flush=True)
    store = work / f"store-{name}"
    store.mkdir()
    sweep = run_sweep(url, store)
    assert sweep["digests"] == DIGESTS, sweep
    print(f"sweep_full_s_{name}: {sweep['elapsed_s']:.1f} s", flush=True)
    print(
        f"sweep_digests_{name}: {sweep['digests']} digests, {sweep['escalations']} escalations, "
        f"{sweep['marked_overdue']} newly overdue",
        flush=True,
    )
    print(
        f"sweep_peak_mb_{name}: {sweep['peak_mb']:.0f} MB (VmHWM {sweep['hwm_kb'] / 1024:.0f} MB; "
        f"{sweep['before_kb'] / 1024:.0f} MB before the sweep: interpreter, imports, engine)",
        flush=True,
    )
    figures = {"peak_mb": sweep["peak_mb"], "digests_s": time_delivery(engine, store)}
    engine.dispose()
    return figures


def postgres_admin_url() -> str:
    return os.environ.get("ACCORD_TEST_POSTGRES_URL") or DEFAULT_POSTGRES


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def main() -> None:
    admin = postgres_admin_url()
    try:
        with psycopg.connect(_libpq(admin), connect_timeout=5):
            postgres_problem = None
    except psycopg.Error as error:
        postgres_problem = str(error).strip().splitlines()[0]
    peaks: list[float] = []
    deliveries: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-sweep-") as tmp:
        work = Path(tmp)
        figures = bench_database("sqlite", f"sqlite:///{work / 'sweep.db'}", work)
        peaks.append(figures["peak_mb"])
        deliveries["sqlite"] = figures["digests_s"]
        database = f"accord_bench_sweep_{os.getpid()}"
        if postgres_problem is None:
            try:
                with psycopg.connect(_libpq(admin), autocommit=True) as connection:
                    connection.execute(f'CREATE DATABASE "{database}"')
            except psycopg.Error as error:
                postgres_problem = str(error).strip().splitlines()[0]
        if postgres_problem is None:
            url = make_url(admin).set(database=database).render_as_string(hide_password=False)
            try:
                figures = bench_database("postgres", url, work)
                peaks.append(figures["peak_mb"])
                deliveries["postgres"] = figures["digests_s"]
            finally:
                get_engine(url).dispose()
                with psycopg.connect(_libpq(admin), autocommit=True) as connection:
                    connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        else:
            print(f"sweep_select_s_postgres: skipped ({postgres_problem})")
    headline = "postgres" if "postgres" in deliveries else "sqlite"
    if headline == "postgres":
        print(f"digests_10k_s_sqlite: {deliveries['sqlite']:.1f} s")
    print(f"digests_10k_s: {deliveries[headline]:.1f} s ({headline}, concurrency {CONCURRENCY})")
    print(
        f"sweep_peak_mb: {max(peaks):.0f} MB "
        "(RSS high-water of the sweep process, RUSAGE_CHILDREN ru_maxrss; the worse database)"
    )


if __name__ == "__main__":
    main()
