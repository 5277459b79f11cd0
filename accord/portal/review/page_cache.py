"""Rendered reviewer pages, reused for as long as nothing they show has changed.

Every request still asks the database one small question (`read_stamp`): is the link usable
(its round and stage open, its contact active, the link neither revoked nor expired — what
`resolve` checks) and what is the latest
decision, link, colleague and organisation change of its party, and the latest comment of its
round (every party's, which a page may show)? A page is reused
only while that answer is the one it was built from, and for at most `MAX_AGE_S` seconds,
so a change made by any process (the CLI, a flow, another worker) shows at once.

Decisions, comments and links are only ever added (their largest id moves); contacts and the
organisation's name change through `sync_organizations`, which moves `organization.updated_at`.
The per-render secrets (CSRF field, request keys) are slots filled in for every response.

The clauses and the plan inside a page (most of its bytes) are rendered once per version,
document language and page language and kept in the portal's `RenderCache`: they do not
change within a round, so a page rebuilt after a comment renders only what is around them.
"""

import re
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from threading import Lock
from typing import cast

from fastapi import Request
from markupsafe import Markup
from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import aliased
from sqlmodel import col

from models import (
    Contact,
    Organization,
    ReviewAccess,
    ReviewAssignment,
    ReviewComment,
    ReviewDecision,
    ReviewRound,
    ReviewStage,
    RoundStatus,
    StageStatus,
)
from models.columns import UTCDateTime

MAX_AGE_S = 30.0
SLOT = re.compile(r"<accord-slot-([a-z]+)/>")
"""A slot cannot come from user text: every `<` in it is escaped before it reaches a page."""


def slot(name: str) -> Markup:
    return Markup(f"<accord-slot-{name}/>")


@dataclass(frozen=True)
class Stamp:
    usable: bool
    state: tuple[object, ...]


@cache
def _stamp_query() -> Select[tuple[object, ...]]:
    assignment = col(ReviewAssignment.id)
    decision, comment, link = aliased(ReviewDecision), aliased(ReviewComment), aliased(ReviewAccess)
    colleagues = aliased(Contact)
    asked, stage = aliased(ReviewAssignment), aliased(ReviewStage)
    latest = [
        select(func.max(col(decision.id))).where(col(decision.assignment_id) == assignment),
        select(func.max(col(comment.id)))
        .join(asked, col(asked.id) == col(comment.assignment_id))
        .join(stage, col(stage.id) == col(asked.stage_id))
        .where(col(stage.round_id) == col(ReviewRound.id)),
        select(func.max(col(link.id))).where(col(link.assignment_id) == assignment),
        select(func.max(col(colleagues.id))).where(
            col(colleagues.organization_id) == col(Organization.id)
        ),
    ]
    return (
        select(
            col(ReviewRound.status),
            col(ReviewStage.status),
            col(Contact.active),
            col(ReviewAccess.revoked_at),
            col(ReviewAccess.expires_at),
            *(q.scalar_subquery() for q in latest),
            col(ReviewStage.deadline),
            col(Organization.updated_at),
        )
        .select_from(ReviewAccess)
        .join(ReviewAssignment, assignment == col(ReviewAccess.assignment_id))
        .join(ReviewStage, col(ReviewStage.id) == col(ReviewAssignment.stage_id))
        .join(ReviewRound, col(ReviewRound.id) == col(ReviewStage.round_id))
        .join(Contact, col(Contact.id) == col(ReviewAccess.contact_id))
        .join(Organization, col(Organization.id) == col(ReviewAssignment.organization_id))
        .where(col(ReviewAccess.token_hash) == bindparam("link_hash"))
    )


@dataclass(frozen=True)
class _DriverStamp:
    """The stamp query as the database driver takes it, with the one conversion it needs."""

    sql: str
    positional: bool
    read_expiry: Callable[[object], datetime | None]


@cache
def _driver_stamp(dialect: Dialect) -> _DriverStamp:
    compiled = _stamp_query().compile(dialect=dialect)
    processor = UTCDateTime().dialect_impl(dialect).result_processor(dialect, None)
    return _DriverStamp(
        sql=str(compiled),
        positional=bool(compiled.positional),
        read_expiry=processor or (lambda value: cast(datetime | None, value)),
    )


def read_stamp(connection: Connection, link_hash: str, *, now: datetime) -> Stamp | None:
    """The link's state, compared and never shown: taken as the driver returns it (SQL
    Alchemy's row processing cost more than the query itself on the portal's hottest path)."""
    driver = _driver_stamp(connection.dialect)
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(driver.sql, (link_hash,) if driver.positional else {"link_hash": link_hash})
        row = cursor.fetchone()
    finally:
        cursor.close()
    if row is None:
        return None
    round_status, stage_status, active, revoked_at, raw_expiry, *state = row
    expires_at = driver.read_expiry(raw_expiry) if raw_expiry is not None else None
    usable = (
        round_status == RoundStatus.open
        and stage_status == StageStatus.open
        and bool(active)
        and revoked_at is None
        and (expires_at is None or now < expires_at)
    )
    return Stamp(usable=usable, state=tuple(state))


@dataclass(frozen=True)
class RenderedPage:
    """A page split at its slots, encoded once: bytes, slot name, bytes, slot name, …, bytes.

    The page is large (every clause and the whole plan) and mostly Cyrillic; encoding it to
    UTF-8 on every response cost more than everything else a reused page needs, so it is
    encoded when built and each response only joins the bytes around its own secrets.
    """

    parts: tuple[bytes | str, ...]
    shows_forms_until: datetime | None = None
    """A page offering the forms is reused only until the stage's deadline passes: its state
    in the database does not change then, but the page must say the deadline passed."""

    @classmethod
    def of(cls, html: str, *, shows_forms_until: datetime | None = None) -> "RenderedPage":
        parts = SLOT.split(html)
        encoded = tuple(part if index % 2 else part.encode() for index, part in enumerate(parts))
        return cls(encoded, shows_forms_until)

    def fill(self, values: Mapping[str, str]) -> bytes:
        """The page's UTF-8 with each slot's value (ASCII secrets) in place."""
        return b"".join(
            values[part].encode() if isinstance(part, str) else part for part in self.parts
        )


def fresh_values(csrf_field: str, forms: tuple[str, ...]) -> dict[str, str]:
    """This response's CSRF field and a new request key for each form."""
    return {"csrf": csrf_field, **{name: secrets.token_urlsafe(18) for name in forms}}


class PageCache:
    """A small LRU of rendered pages, each kept with the stamp it was built from."""

    def __init__(self, maxsize: int = 512) -> None:
        self._items: OrderedDict[tuple[object, ...], tuple[Stamp, float, RenderedPage]]
        self._items = OrderedDict()
        self._maxsize = maxsize
        self._lock = Lock()

    def get(self, key: tuple[object, ...], stamp: Stamp) -> RenderedPage | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            built_from, built_at, page = item
            if built_from != stamp or time.monotonic() - built_at > MAX_AGE_S:
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return page

    def put(self, key: tuple[object, ...], stamp: Stamp, page: RenderedPage) -> None:
        with self._lock:
            self._items[key] = (stamp, time.monotonic(), page)
            self._items.move_to_end(key)
            while len(self._items) > self._maxsize:
                self._items.popitem(last=False)


def page_cache(request: Request) -> PageCache:
    """The app's cache of reviewer pages (made by the app factory, one per app)."""
    return cast(PageCache, request.app.state.review_pages)
