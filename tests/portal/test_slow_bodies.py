"""A body that stops arriving is cut off with 408 (4xx for forms), never held open."""

import asyncio

from starlette.types import Message

from accord.portal.app import create_app
from accord.portal.slow_bodies import BodyTimeout
from accord.settings import Settings
from tests.portal.conftest import NOW


def _stalled_post(settings: Settings, path: str, content_type: bytes) -> tuple[int, float]:
    """(status, seconds) of a POST whose body sends one part and then nothing."""
    app = BodyTimeout(create_app(settings, clock=lambda: NOW), idle_s=0.3, total_s=5)
    parts = [b"--xyz\r\nContent-Disposition: form-data; name=note\r\n\r\nsome"]
    answer: list[int] = []

    async def receive() -> Message:
        if parts:
            return {"type": "http.request", "body": parts.pop(), "more_body": True}
        await asyncio.sleep(3600)  # the client went quiet
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            answer.append(message["status"])

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"content-type", content_type)],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }

    async def run() -> float:
        loop = asyncio.get_running_loop()
        started = loop.time()
        await asyncio.wait_for(app(scope, receive, send), timeout=10)
        return loop.time() - started

    seconds = asyncio.run(run())
    return answer[0], seconds


def test_the_portal_bounds_every_body(settings_on: Settings) -> None:
    app = create_app(settings_on, clock=lambda: NOW)
    assert any(m.cls is BodyTimeout for m in app.user_middleware)


def test_a_stalled_upload_gets_408(settings_on: Settings, links: dict[str, str]) -> None:
    multipart = b"multipart/form-data; boundary=xyz"
    status, seconds = _stalled_post(settings_on, "/f/some-focal-token-xxxxxxxx/update", multipart)
    assert status == 408 and seconds < 5


def test_a_stalled_webhook_post_gets_408(settings_on: Settings) -> None:
    keyed = settings_on.model_copy(update={"sendgrid_webhook_public_key": "MFkw"})
    status, _ = _stalled_post(keyed, "/sendgrid/events", b"application/json")
    assert status == 408


def test_a_stalled_form_post_is_refused(settings_on: Settings, links: dict[str, str]) -> None:
    token = next(iter(links.values()))
    form = b"application/x-www-form-urlencoded"
    status, seconds = _stalled_post(settings_on, f"/r/{token}/comment", form)
    assert 400 <= status < 500 and seconds < 5
