"""A request body that stops arriving is cut off: 408, and the worker is free again.

Uvicorn waits for a body as long as the client keeps the connection open, so a client that
sends a few bytes a minute holds a request (and, for forms, a thread) for as long as it
likes. Each part of the body must arrive within `IDLE_S` of the one before, and the whole
body within `TOTAL_S`. Slow headers are the reverse proxy's to cut (nginx:
`client_header_timeout`, see docs/deploy.md).
"""

import asyncio
import time

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

IDLE_S = 30.0
TOTAL_S = 120.0
"""Ten megabytes of evidence at 1 Mbit/s take 80 s."""


class BodyTooSlow(Exception):
    """The body stopped arriving; nothing more is waited for."""


class BodyTimeout:
    """Plain ASGI middleware: bounds the time between the body's parts and for all of it."""

    def __init__(self, app: ASGIApp, *, idle_s: float = IDLE_S, total_s: float = TOTAL_S) -> None:
        self.app = app
        self.idle_s = idle_s
        self.total_s = total_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        deadline = time.monotonic() + self.total_s
        started = False

        async def timed_receive() -> Message:
            wait = min(self.idle_s, deadline - time.monotonic())
            try:
                return await asyncio.wait_for(receive(), timeout=max(0.0, wait))
            except TimeoutError:
                raise BodyTooSlow() from None

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, timed_receive, watched_send)
        except BodyTooSlow:
            if not started:
                answer = PlainTextResponse("Request Timeout", status_code=408)
                answer.headers["Connection"] = "close"
                await answer(scope, receive, send)
