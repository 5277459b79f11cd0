"""The workspace's commitment register at scale: 100,000 tracked items across 5 secretariats
(20,000 each), paged and filtered as the page asks for them.

Run: python bench/bench_register.py. Prints `name: value unit` lines:
workspace_register_p95_ms_sqlite (p95 of `register_page` over 40 requests of one
secretariat: the first page, a page in the middle, the last page, one organisation's items,
the overdue ones and a due window; each one count and one bounded select; target ≤ 100 ms)
and, when PostgreSQL answers on ACCORD_TEST_POSTGRES_URL, workspace_register_p95_ms_postgres
(on a database of its own, created and dropped; skipped with the reason otherwise).
"""

import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from accord.db import get_engine, upgrade_schema  # noqa: E402
from accord.services.commitments.register import RegisterFilter, register_page  # noqa: E402
from models import (  # noqa: E402
    AgreementVersion,
    CommitmentDefinition,
    ItemStatus,
    Organization,
    TrackedCommitment,
)
from tests.many_agreements import SECRETARIATS, insert_agreements  # noqa: E402

AGREEMENTS, ITEMS, RESPONSIBLE = 1_000, 100, 40
TODAY = date(2027, 4, 12)
CREATED = datetime(2026, 11, 1, tzinfo=UTC)
REQUESTS = 40


def load(engine: Engine) -> None:
    insert_agreements(engine, AGREEMENTS)
    with engine.begin() as conn:
        conn.execute(
            insert(Organization),
            [
                {"slug": f"org-{n:03d}", "kind": "government", "country": "KZ",
                 "name": {"en": f"Organisation {n}"}, "updated_at": CREATED}
                for n in range(RESPONSIBLE)
            ],
        )  # fmt: skip
        orgs = [
            i
            for s, i in conn.execute(select(Organization.slug, Organization.id))
            if s.startswith("org-")
        ]
        versions = conn.execute(
            select(AgreementVersion.agreement_id, AgreementVersion.id).where(
                AgreementVersion.number == 1
            )
        ).all()
        conn.execute(
            insert(CommitmentDefinition),
            [
                {"version_id": v, "key": "c-01", "activity": {"en": "An activity of the plan"},
                 "responsible_id": orgs[0], "partners": [], "due": TODAY, "due_label": "2027-04-12"}
                for _a, v in versions
            ],
        )  # fmt: skip
        definitions = dict(
            conn.execute(select(CommitmentDefinition.version_id, CommitmentDefinition.id)).all()
        )
        rows = [_item(a, definitions[v], orgs, k) for a, v in versions for k in range(ITEMS)]
        for start in range(0, len(rows), 20_000):
            conn.execute(insert(TrackedCommitment), rows[start : start + 20_000])


def _item(agreement: int, definition: int, orgs: list[int], k: int) -> dict[str, object]:
    """Due dates spread over 900 days around TODAY. As in a real register, past items are
    mostly done (3 % still open, overdue), future ones not started or in progress."""
    due = TODAY + timedelta(days=(agreement * 7 + k * 11) % 900 - 450)
    turn = (agreement * 31 + k) % 100
    if due < TODAY:
        status = (
            ItemStatus.overdue
            if turn < 2
            else ItemStatus.in_progress
            if turn < 3
            else ItemStatus.cancelled
            if turn < 4
            else ItemStatus.done
        )
    else:
        status = ItemStatus.in_progress if turn % 3 == 0 else ItemStatus.not_started
    return {
        "agreement_id": agreement,
        "key": f"c-{k:03d}",
        "definition_id": definition,
        "responsible_id": orgs[(agreement + k) % RESPONSIBLE],
        "due": due,
        "status": status,
        "created_at": CREATED,
    }


def measure(engine: Engine) -> float:
    with Session(engine) as session:
        secretariat = session.execute(
            select(Organization.id).where(Organization.slug == SECRETARIATS[0])
        ).scalar_one()
        org = "org-007"
        asks = [
            (RegisterFilter(), 1),
            (RegisterFilter(), 200),
            (RegisterFilter(), 399),
            (RegisterFilter(organization=org), 3),
            (RegisterFilter(overdue=True), 2),
            (RegisterFilter(status=ItemStatus.in_progress), 5),
            (RegisterFilter(due_from=TODAY, due_to=TODAY + timedelta(days=30)), 1),
        ]
        register_page(secretariat, RegisterFilter(), page=1, today=TODAY, session=session)
        times = []
        for n in range(REQUESTS):
            wanted, page = asks[n % len(asks)]
            start = time.perf_counter()
            found = register_page(secretariat, wanted, page=page, today=TODAY, session=session)
            times.append((time.perf_counter() - start) * 1000)
            assert found.lines, (wanted, page)
    return statistics.quantiles(times, n=20)[18]


def sqlite() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/register.db"
        upgrade_schema(url)
        engine = get_engine(url)
        load(engine)
        print(f"workspace_register_p95_ms_sqlite: {measure(engine):.1f} ms")
        engine.dispose()


def postgres() -> None:
    base = os.environ.get(
        "ACCORD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    name = "wssign_bench_register"
    admin = get_engine(base)
    try:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # no server: say why, measure nothing
        print(f"# workspace_register_p95_ms_postgres skipped: {error.__class__.__name__}")
        return
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade_schema(url)
        engine = get_engine(url)
        load(engine)
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
        print(f"workspace_register_p95_ms_postgres: {measure(engine):.1f} ms")
        engine.dispose()
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    sqlite()
    postgres()
