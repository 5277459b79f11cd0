"""The group-commit sender: what the outbox holds goes to the provider, each marked once.

Delivery is I/O, so it lives with the adapters; the services only queue mail (`mail_queue`).
"""

import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, or_, update
from sqlalchemy import text as sql
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from accord.adapters.file_store import FileDocumentStore
from accord.adapters.mailers import make_mailer
from accord.mail.delivery import Mailer, deliver_with_retry
from accord.mail.message import (
    Attachment,
    OutgoingMail,
    PermanentDeliveryError,
    TransientDeliveryError,
)
from accord.services.delivery_feedback import report_unsendable
from accord.services.ports import DocumentStore
from accord.settings import Settings
from models import MessageStatus, OutgoingMessage
from models.columns import utcnow

LOG = logging.getLogger(__name__)

CONFIRM_GRACE = timedelta(minutes=15)
"""How long a message in flight when a delivery died waits for the provider to confirm it
(SendGrid's `processed` event, posted to the event webhook within a minute or so) before it
is handed over again: resending at once could send it twice."""


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    deferred: int = 0
    in_doubt: int = 0
    """Handed over without an answer: left in flight, to be confirmed like a crash's."""
    awaiting_confirmation: int = 0
    """Messages in flight when an earlier delivery died, not handed over again yet."""
    errors: list[str] = field(default_factory=list)
    unsendable: list[int] = field(default_factory=list)
    """Messages that raised while being built: failed, and reported to the secretariat."""
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, outcome: str, error: str | None = None) -> None:
        with self.lock:
            setattr(self, outcome, getattr(self, outcome) + 1)
            if error:
                self.errors.append(error)

    def merge(self, other: "DeliveryReport") -> None:
        """Add a later pass's counts (the notices a first pass made necessary)."""
        self.sent += other.sent
        self.failed += other.failed
        self.deferred += other.deferred
        self.in_doubt += other.in_doubt
        self.awaiting_confirmation = max(self.awaiting_confirmation, other.awaiting_confirmation)
        self.errors += other.errors


def deliver_pending(
    *,
    engine: Engine,
    mailer: Mailer,
    store: DocumentStore,
    limit: int = 100_000,
    concurrency: int = 1,
    sleep: Callable[[float], None] | None = None,
    confirm_grace: timedelta = CONFIRM_GRACE,
    clock: Callable[[], datetime] = utcnow,
) -> DeliveryReport:
    """Each message is marked in flight in a commit before it is handed to the provider, and
    sent in a commit right after the provider accepts it.

    A message a dead delivery left in flight may have been accepted: unless the mailer's
    resends are harmless, it is handed over again only after `confirm_grace`, and not at all
    once the provider's event webhook confirmed it (`delivery_feedback` marks it sent).

    `concurrency` bounds how many deliveries are in flight at once. Only this thread reads
    (a few messages at a time, just before they are handed out, skipping any no longer
    pending); the threads only talk to the provider, and their outcomes are committed as they
    come, together when several arrive during one commit (see `_Marks`). One delivery runs at
    a time per database (see `_one_delivery_at_a_time`).
    """
    grace = timedelta(0) if mailer.resend_is_harmless else confirm_grace

    def one_pass() -> DeliveryReport:
        return _deliver_pending(
            engine=engine,
            mailer=mailer,
            store=store,
            limit=limit,
            concurrency=concurrency,
            sleep=sleep,
            settled_before=clock() - grace,
            clock=clock,
        )

    with _one_delivery_at_a_time(engine):
        report = one_pass()
        if report.unsendable and _told_secretariat(report.unsendable, engine=engine):
            report.merge(one_pass())  # the secretariat's notices of what could not be built
        return report


def deliver_as_configured(settings: Settings, *, engine: Engine) -> DeliveryReport:
    """Deliver the outbox with the settings' mailer and document store: the one way the CLI,
    the flows and the web application's courier send what is pending."""
    return deliver_pending(
        engine=engine,
        mailer=make_mailer(settings),
        store=FileDocumentStore(settings.output_dir),
        concurrency=settings.mail_concurrency,
    )


def _told_secretariat(message_ids: list[int], *, engine: Engine) -> int:
    """Queue the secretariat's notices of unsendable messages; how many were queued."""
    with Session(engine) as session:
        queued = report_unsendable(message_ids, session=session)
        session.commit()
    return queued


DELIVERY_LOCK = 0x61636364
"""The PostgreSQL advisory lock of mail delivery ("accd")."""


@contextmanager
def _one_delivery_at_a_time(engine: Engine) -> Iterator[None]:
    """Wait while another process delivers from the same database, on any machine.

    Two deliveries at once would read the same pending messages and both send them (several
    workers run flows that deliver). PostgreSQL: a session advisory lock, which the server
    releases when the process holding it dies. SQLite: a lock on a file beside the database.
    """
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sql("SELECT pg_advisory_lock(:key)"), {"key": DELIVERY_LOCK})
            try:
                yield
            finally:
                connection.execute(sql("SELECT pg_advisory_unlock(:key)"), {"key": DELIVERY_LOCK})
        return
    database = engine.url.database
    if sys.platform == "win32" or not database or database == ":memory:":
        yield
        return
    import fcntl

    fd = os.open(f"{database}.delivery-lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _deliver_pending(
    *,
    engine: Engine,
    mailer: Mailer,
    store: DocumentStore,
    limit: int,
    concurrency: int,
    sleep: Callable[[float], None] | None,
    settled_before: datetime,
    clock: Callable[[], datetime],
) -> DeliveryReport:
    report = DeliveryReport()
    with Session(engine) as session:
        ids = [
            i
            for i in session.exec(
                select(OutgoingMessage.id)
                .where(OutgoingMessage.status == MessageStatus.pending, _ready(settled_before))
                .order_by(col(OutgoingMessage.id))
                .limit(limit)
            )
            if i is not None
        ]
        report.awaiting_confirmation = len(
            session.exec(
                select(OutgoingMessage.id).where(
                    OutgoingMessage.status == MessageStatus.pending, ~_ready(settled_before)
                )
            ).all()
        )
    marks = _Marks(engine, report)

    handing = _Handing(engine, clock)

    def one(message: OutgoingMessage) -> None:
        if not marks.stopped:
            handing.mark(message.id or 0)
            marks.record(_deliver_one(message, mailer=mailer, store=store, sleep=sleep))

    width = max(1, concurrency)
    chunks = _still_pending(ids, width, engine=engine, stop=marks, settled_before=settled_before)
    if width == 1:
        for chunk in chunks:
            for message in chunk:
                one(message)
    else:
        with ThreadPoolExecutor(max_workers=width, thread_name_prefix="accord-delivery") as pool:
            in_flight: set[Future[None]] = set()
            for chunk in chunks:
                in_flight |= {pool.submit(one, message) for message in chunk}
                while len(in_flight) > width:  # read the next ones only when they are needed
                    done, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
                    _raise_first(done, marks)
            done, _ = wait(in_flight)
            _raise_first(done, marks)
    marks.raise_failure()
    return report


def _ready(settled_before: datetime) -> Any:
    """Not in flight, or in flight since before `settled_before` (its delivery died)."""
    since = col(OutgoingMessage.in_flight_since)
    return or_(since.is_(None), since < settled_before)


def _still_pending(
    ids: list[int], size: int, *, engine: Engine, stop: "_Marks", settled_before: datetime
) -> Iterator[list[OutgoingMessage]]:
    """The listed messages, `size` at a time, read when asked for: those still pending and
    not in flight."""
    for start in range(0, len(ids), size):
        if stop.stopped:
            return
        with Session(engine) as session:
            yield list(
                session.exec(
                    select(OutgoingMessage)
                    .where(
                        col(OutgoingMessage.id).in_(ids[start : start + size]),
                        OutgoingMessage.status == MessageStatus.pending,
                        _ready(settled_before),
                    )
                    .order_by(col(OutgoingMessage.id))
                )
            )


class _Handing:
    """Marks each message in flight, committed, just before it is handed over: so only the
    messages really handed over are in flight when a delivery dies. The threads' marks are
    committed together (whoever finds no commit running commits everyone waiting), and each
    thread waits until its own mark is committed."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock
        self._changed = threading.Condition()
        self._waiting: list[int] = []
        self._committed: set[int] = set()
        self._committing = False
        self._failure: BaseException | None = None

    def mark(self, message_id: int) -> None:
        with self._changed:
            self._waiting.append(message_id)
            while True:
                if self._failure is not None:
                    raise self._failure
                if message_id in self._committed:
                    self._committed.discard(message_id)
                    return
                if not self._committing:
                    break
                self._changed.wait()
            self._committing = True
            batch, self._waiting = self._waiting, []
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    update(_TABLE)
                    .where(_TABLE.c.id.in_(batch))
                    .values(in_flight_since=self.clock())
                )
        except BaseException as error:
            with self._changed:
                self._failure, self._committing = error, False
                self._changed.notify_all()
            raise
        with self._changed:
            self._committed.update(i for i in batch if i != message_id)
            self._committing = False
            self._changed.notify_all()


def _raise_first(done: set[Future[None]], marks: "_Marks") -> None:
    for future in done:
        error = future.exception()
        if error is not None:
            marks.stopped = True
            raise error


@dataclass(frozen=True)
class _Outcome:
    message_id: int
    kind: str  # "sent", "failed", "deferred" or "in_doubt": a DeliveryReport counter
    provider_id: str | None = None
    error: str | None = None
    report_error: str | None = None
    at: datetime = field(default_factory=utcnow)
    unsendable: bool = False


def _deliver_one(
    message: OutgoingMessage,
    *,
    mailer: Mailer,
    store: DocumentStore,
    sleep: Callable[[float], None] | None,
) -> _Outcome:
    assert message.id is not None
    to = repr(message.to_email)
    try:
        mail = _as_mail(message, store=store)
        result = deliver_with_retry(mailer, mail, sleep=sleep or time.sleep)
    except TransientDeliveryError as error:
        kind = "in_doubt" if error.in_doubt and not mailer.resend_is_harmless else "deferred"
        return _Outcome(message.id, kind, None, str(error), f"{to}: {error}")
    except PermanentDeliveryError as error:
        return _Outcome(message.id, "failed", None, str(error), f"{to}: {error}")
    except Exception as error:  # a poison message must never hold up the others
        LOG.exception("message %s to %s could not be built or handed over", message.id, to)
        reason = f"the message could not be built or handed over ({type(error).__name__}): {error}"
        return _Outcome(message.id, "failed", None, reason, f"{to}: {reason}", unsendable=True)
    return _Outcome(message.id, "sent", result.provider_id)


_TABLE = OutgoingMessage.__table__  # type: ignore[attr-defined]
_THIS = _TABLE.c.id == bindparam("m_id")
_MARK_STATEMENTS = {
    "sent": update(_TABLE)
    .where(_THIS)
    .values(
        attempts=_TABLE.c.attempts + 1,
        status=MessageStatus.sent,
        sent_at=bindparam("m_at", type_=_TABLE.c.sent_at.type),
        provider_id=bindparam("m_provider_id", type_=_TABLE.c.provider_id.type),
        last_error=None,
        in_flight_since=None,
    ),
    "failed": update(_TABLE)
    .where(_THIS)
    .values(
        attempts=_TABLE.c.attempts + 1,
        status=MessageStatus.failed,
        last_error=bindparam("m_error", type_=_TABLE.c.last_error.type),
        in_flight_since=None,
    ),
    "deferred": update(_TABLE)
    .where(_THIS)
    .values(
        attempts=_TABLE.c.attempts + 1,
        last_error=bindparam("m_error", type_=_TABLE.c.last_error.type),
        in_flight_since=None,
    ),
    "in_doubt": update(_TABLE)
    .where(_THIS)
    .values(
        attempts=_TABLE.c.attempts + 1,
        last_error=bindparam("m_error", type_=_TABLE.c.last_error.type),
    ),
}
"""One UPDATE per outcome (no read first), run for all outcomes of a kind at once."""


class _Marks:
    """Commits outcomes as they arrive: whichever thread records one while no commit is running
    commits it, with any others recorded meanwhile (a group commit). Alone, that is one commit
    per message, at once; never later than the commit in progress. If a commit fails, no more
    mail is handed to the provider, and the error is raised by `deliver_pending`.
    """

    def __init__(self, engine: Engine, report: DeliveryReport) -> None:
        self.engine = engine
        self.report = report
        self.stopped = False
        self._lock = threading.Lock()
        self._waiting: list[_Outcome] = []
        self._committing = False
        self._failure: BaseException | None = None

    def record(self, outcome: _Outcome) -> None:
        with self._lock:
            self._waiting.append(outcome)
            if self._committing:
                return  # the thread committing now takes it next
            self._committing = True
        while True:
            with self._lock:
                batch, self._waiting = self._waiting, []
                if not batch or self._failure is not None:
                    self._committing = False
                    return
            try:
                self._commit(batch)
            except BaseException as error:
                with self._lock:
                    self._failure, self.stopped, self._committing = error, True, False
                raise
            for outcome in batch:
                self.report.add(outcome.kind, outcome.report_error)
                if outcome.unsendable:
                    self.report.unsendable.append(outcome.message_id)

    def _commit(self, batch: list[_Outcome]) -> None:
        with self.engine.begin() as connection:
            for kind, statement in _MARK_STATEMENTS.items():
                rows = [
                    {"m_id": o.message_id, "m_at": o.at, "m_provider_id": o.provider_id}
                    if kind == "sent"
                    else {"m_id": o.message_id, "m_error": o.error}
                    for o in batch
                    if o.kind == kind
                ]
                if rows:
                    connection.execute(statement, rows)

    def raise_failure(self) -> None:
        if self._failure is not None:
            raise self._failure


def _as_mail(message: OutgoingMessage, *, store: DocumentStore) -> OutgoingMail:
    assert message.id is not None
    custom_args = {"message_id": str(message.id), "kind": message.kind}
    if message.agreement_id is not None:
        custom_args["agreement_id"] = str(message.agreement_id)
    if message.round_id is not None:
        custom_args["round_id"] = str(message.round_id)
    return OutgoingMail(
        idempotency_key=message.key,
        to_email=message.to_email,
        to_name=message.to_name,
        language=message.language,
        subject=message.subject,
        text=message.text,
        html=message.html,
        attachments=tuple(
            Attachment(
                filename=a["filename"],
                content_type=a["content_type"],
                data=store.read(a["document"]),
            )
            for a in message.attachments
        ),
        categories=("accord", message.kind),
        custom_args=custom_args,
        reply_to=None,
    )
