"""Rendered workspace pages (the home page, the round board), reused while nothing they show
has changed — as the reviewer's page is (`accord.portal.review.page_cache`).

A page is kept under what it shows: the page and its object (the round), the secretariat (one
secretariat's page is never another's), the page language, the reader's role (which forms and
sections it offers) and today's date (the working days left). Every request still asks the
database one small question, `read_stamp`: the latest audit entry, delivery event, undelivered
e-mail count, comment, contact and organisation change. Every change a page shows moves one of
them: decisions, answers, rounds, deadlines, sign-offs, statuses, versions and commitments are
written with an audit entry; comments (added by reviewers without one) by their id; bounces by
the provider's event or the sender giving up (the undelivered count); contacts and names by
`contact.id` and `organization.updated_at`. A page is reused only while the stamp is the one it
was built from, and for at most `MAX_AGE_S` seconds, so a change made by any process (the CLI,
a flow, another worker) shows at once.

The person's own parts — their name and address in the bar, the CSRF field bound to their
session — are slots filled in for every response; the rest is encoded to UTF-8 once.
"""

import re
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from threading import Lock
from typing import Any, cast

from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape
from sqlalchemy import Select, func, select
from sqlalchemy.engine import Engine
from sqlmodel import col

from accord.portal import csrf
from accord.services.staff.rules import Action
from accord.workspace.deps import Staff, Workspace
from accord.workspace.frame import bound_to, frame
from models import (
    AuditEvent,
    Contact,
    MessageEvent,
    MessageStatus,
    Organization,
    OutgoingMessage,
    ReviewComment,
    StaffAccount,
)

MAX_AGE_S = 30.0
SLOT = re.compile(r"<accord-slot-([a-z]+)/>")
"""A slot cannot come from user text: every `<` in it is escaped before it reaches a page."""
UNDELIVERED = (
    MessageStatus.bounced,
    MessageStatus.dropped,
    MessageStatus.failed,
)


def slot(name: str) -> Markup:
    return Markup(f"<accord-slot-{name}/>")


@cache
def _stamp_query() -> Select[tuple[object, ...]]:
    latest: list[Select[Any]] = [
        select(func.max(col(AuditEvent.seq))),
        select(func.max(col(MessageEvent.id))),
        select(func.count(col(OutgoingMessage.id))).where(
            col(OutgoingMessage.status).in_(UNDELIVERED)
        ),
        select(func.max(col(ReviewComment.id))),
        select(func.max(col(Contact.id))),
        select(func.max(col(Organization.updated_at))),
    ]
    return select(*(q.scalar_subquery() for q in latest))


def read_stamp(engine: Engine) -> tuple[object, ...]:
    """What any change a workspace page shows moves: one indexed query."""
    with engine.connect() as connection:
        row = connection.execute(_stamp_query()).one()
    return tuple(row)


@dataclass(frozen=True)
class RenderedPage:
    """A page split at its slots, encoded once: bytes, slot name, bytes, …, bytes."""

    parts: tuple[bytes | str, ...]

    @classmethod
    def of(cls, html: str) -> "RenderedPage":
        parts = SLOT.split(html)
        return cls(tuple(part if index % 2 else part.encode() for index, part in enumerate(parts)))

    def fill(self, values: Mapping[str, str]) -> bytes:
        return b"".join(
            values[part].encode() if isinstance(part, str) else part for part in self.parts
        )


Key = tuple[object, ...]


class PageCache:
    """A small LRU of rendered pages, each kept with the stamp it was built from."""

    def __init__(self, maxsize: int = 256) -> None:
        self._items: OrderedDict[Key, tuple[tuple[object, ...], float, RenderedPage]]
        self._items = OrderedDict()
        self._maxsize = maxsize
        self._lock = Lock()

    def get(self, key: Key, stamp: tuple[object, ...]) -> RenderedPage | None:
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

    def put(self, key: Key, stamp: tuple[object, ...], page: RenderedPage) -> None:
        with self._lock:
            self._items[key] = (stamp, time.monotonic(), page)
            self._items.move_to_end(key)
            while len(self._items) > self._maxsize:
                self._items.popitem(last=False)


_MADE = Lock()


def page_cache(request: Request) -> PageCache:
    """The application's cache of workspace pages (one per app, made when first needed:
    two apps on two databases never share pages)."""
    state = request.app.state
    with _MADE:
        found = getattr(state, "workspace_pages", None)
        if found is None:
            found = state.workspace_pages = PageCache()
    return cast(PageCache, found)


def page_key(staff: Staff, what: Key, today: date) -> Key:
    """Everything a page's shared part depends on besides the stamp."""
    return (
        staff.secretariat.id,
        *what,
        staff.lang,
        staff.can(Action.run),
        staff.can(Action.manage),
        today,
    )


def _anyone(staff: Staff) -> Staff:
    """The staff member with slots for what is theirs alone (name, address, session)."""
    account = StaffAccount(
        email=cast(str, slot("email")),
        name=cast(str, slot("name")),
        secretariat_id=staff.account.secretariat_id,
        role=staff.account.role,
        language=staff.account.language,
    )
    return replace(staff, account=account, token="")


def cached_page(
    workspace: Workspace,
    request: Request,
    staff: Staff,
    template: str,
    *,
    what: Key,
    section: str,
    context: Callable[[], dict[str, object] | None],
) -> HTMLResponse | None:
    """The page from the cache or rendered into it; None when `context` finds nothing to
    show (the caller answers as it would uncached). Pages with a query are not cached."""
    cookie = csrf.browser_cookie(request)
    if request.query_params:
        return None
    cache_ = page_cache(request)
    engine = workspace.portal.engine
    stamp = read_stamp(engine)
    key = (template, *page_key(staff, what, workspace.portal.clock().date()))
    rendered = cache_.get(key, stamp)
    if rendered is None:
        values = context()
        if values is None:
            return None
        f = replace(
            frame(
                workspace, request, cookie, lang=staff.lang, staff=_anyone(staff), section=section
            ),
            csrf=cast(str, slot("csrf")),
        )
        rendered = RenderedPage.of(
            workspace.render(staff.lang, f"workspace/{template}", f=f, **values)
        )
        cache_.put(key, stamp, rendered)
    body = rendered.fill(
        {
            "csrf": csrf.form_token(workspace.portal.secret, cookie, bound_to(staff)),
            "name": str(escape(staff.account.name)),
            "email": str(escape(staff.account.email)),
        }
    )
    response = HTMLResponse(body)
    return csrf.with_cookie(workspace.portal, response, cookie)
