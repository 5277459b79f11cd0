"""Link guessing slowed down: a client whose link requests keep missing is answered 429.

Tokens carry 192 random bits, so guessing one is hopeless anyway; this keeps a scanner from
loading the database and the logs. A miss is a link request answered 404 (the one page for
every bad link). Counted per client address: in Redis when ACCORD_REDIS_URL is set, so every
API process behind the proxy shares one count; else per process, in memory.
"""

import logging
import secrets
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol

import redis
from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord.portal import frame
from accord.portal.client_ip import client_ip
from accord.portal.deps import Portal

LINK_PREFIXES = ("/r/", "/s/", "/f/")
WINDOW_S = 60.0
TRACKED_CLIENTS = 50_000
"""Clients remembered at most; past that, those without a recent miss are forgotten."""


log = logging.getLogger(__name__)


class MissCounter(Protocol):
    """What the middleware asks of a count of misses, wherever it is kept."""

    def blocked(self, client: str) -> bool: ...

    def miss(self, client: str) -> None: ...

    def retry_after(self, client: str) -> int: ...


class GuessCounter:
    """Misses per client in the last `WINDOW_S` seconds; pure bookkeeping, its clock given."""

    def __init__(self, limit: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.clock = clock
        self._misses: dict[str, deque[float]] = {}

    def blocked(self, client: str) -> bool:
        misses = self._misses.get(client)
        if misses is None:
            return False
        self._forget_old(misses, self.clock())
        return len(misses) >= self.limit

    def miss(self, client: str) -> None:
        now = self.clock()
        if len(self._misses) >= TRACKED_CLIENTS:
            self._prune(now)
        misses = self._misses.setdefault(client, deque())
        self._forget_old(misses, now)
        misses.append(now)

    def retry_after(self, client: str) -> int:
        """Whole seconds until the oldest counted miss leaves the window."""
        misses = self._misses.get(client)
        if not misses:
            return 0
        return max(1, int(misses[0] + WINDOW_S - self.clock()) + 1)

    @staticmethod
    def _forget_old(misses: deque[float], now: float) -> None:
        while misses and misses[0] <= now - WINDOW_S:
            misses.popleft()

    def _prune(self, now: float) -> None:
        for client in [c for c, m in self._misses.items() if not m or m[-1] <= now - WINDOW_S]:
            del self._misses[client]


class RedisGuessCounter:
    """The same count kept in Redis, shared by every API process: one sorted set of miss
    times per client, trimmed to the window and expiring with it.

    Should Redis fail, the process counts on its own (`fallback`) until it answers again:
    a scanner is still slowed, and no reviewer is ever locked out by an outage.
    """

    PREFIX = "accord:link-misses:"

    def __init__(
        self,
        client: redis.Redis,
        limit: int,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.redis = client
        self.limit = limit
        self.clock = clock
        self.fallback = GuessCounter(limit, clock=clock)

    @classmethod
    def from_url(cls, url: str, limit: int) -> "RedisGuessCounter":
        return cls(redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5), limit)

    def _misses(self, client: str, now: float) -> list[float]:
        key = self.PREFIX + client
        pipe = self.redis.pipeline()
        pipe.zremrangebyscore(key, "-inf", now - WINDOW_S)
        pipe.zrange(key, 0, -1, withscores=True)
        _, members = pipe.execute()
        return [score for _, score in members]

    def blocked(self, client: str) -> bool:
        try:
            return len(self._misses(client, self.clock())) >= self.limit
        except redis.RedisError as error:
            log.warning("link-guess count in Redis unavailable (%s): counting locally", error)
            return self.fallback.blocked(client)

    def miss(self, client: str) -> None:
        now = self.clock()
        key = self.PREFIX + client
        try:
            pipe = self.redis.pipeline()
            pipe.zadd(key, {f"{now:.6f}:{secrets.token_hex(4)}": now})
            pipe.zremrangebyscore(key, "-inf", now - WINDOW_S)
            pipe.expire(key, int(WINDOW_S) + 1)
            pipe.execute()
        except redis.RedisError as error:
            log.warning("link-guess count in Redis unavailable (%s): counting locally", error)
            self.fallback.miss(client)

    def retry_after(self, client: str) -> int:
        now = self.clock()
        try:
            misses = self._misses(client, now)
        except redis.RedisError:
            return self.fallback.retry_after(client)
        if not misses:
            return 0
        return max(1, int(min(misses) + WINDOW_S - now) + 1)


def miss_counter(redis_url: str | None, limit: int) -> MissCounter:
    """Redis's shared count when a URL is configured, else this process's own."""
    return RedisGuessCounter.from_url(redis_url, limit) if redis_url else GuessCounter(limit)


class LinkGuessLimit:
    """Plain ASGI middleware: counts 404s of link addresses, answers 429 past the limit."""

    def __init__(self, app: ASGIApp, *, portal: Portal, counter: MissCounter) -> None:
        self.app = app
        self.portal = portal
        self.counter = counter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(LINK_PREFIXES):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        client = client_ip(request, trust_proxy_headers=self.portal.settings.trust_proxy_headers)
        if self.counter.blocked(client):
            await self._too_many(request, client, scope, receive, send)
            return

        async def counting_send(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 404:
                self.counter.miss(client)
            await send(message)

        await self.app(scope, receive, counting_send)

    async def _too_many(
        self, request: Request, client: str, scope: Scope, receive: Receive, send: Send
    ) -> None:
        """The page every bad link gets, as 429 with the wait: it tells a guesser nothing."""
        lang = frame.reader_language(request, request.query_params.get("ui"))
        response = frame.link_not_valid(self.portal, lang)
        response.status_code = 429
        response.headers["Retry-After"] = str(self.counter.retry_after(client))
        await response(scope, receive, send)
