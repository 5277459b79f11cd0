"""With ACCORD_REDIS_URL set, every API process shares one count of link guesses: misses
made through one process count in another. Runs against the real Redis (CI has one)."""

import os
import secrets

import pytest
import redis
from starlette.testclient import TestClient

from accord.portal.app import create_app
from accord.portal.guesses import RedisGuessCounter, miss_counter
from accord.settings import Settings
from tests.portal.conftest import NOW, SAFE_HOME

REDIS_URL = os.environ.get("ACCORD_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _redis_unavailable() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        return f"Redis at {REDIS_URL} not reachable ({error}); CI runs one"
    return ""


pytestmark = pytest.mark.skipif(bool(_redis_unavailable()), reason=_redis_unavailable())


def _process(settings: Settings) -> TestClient:
    """One API process of its own, as behind the proxy."""
    return TestClient(create_app(settings, clock=lambda: NOW), follow_redirects=False)


def _guess(client: TestClient, address: str) -> int:
    token = secrets.token_urlsafe(24)
    return client.get(f"/r/{token}", headers={"X-Forwarded-For": address}).status_code


def test_misses_in_one_process_count_in_another(
    settings_on: Settings, links: dict[str, str]
) -> None:
    settings = settings_on.model_copy(
        update={"link_misses_per_minute": 4, "trust_proxy_headers": True, "redis_url": REDIS_URL}
    )
    guesser = f"2001:db8::{secrets.token_hex(2)}:{secrets.token_hex(2)}"  # this run's own
    redis.Redis.from_url(REDIS_URL).delete(RedisGuessCounter.PREFIX + guesser)
    first, second = _process(settings), _process(settings)
    assert [_guess(first, guesser), _guess(second, guesser)] == [404, 404]
    assert [_guess(first, guesser), _guess(second, guesser)] == [404, 404]
    assert _guess(first, guesser) == 429
    blocked = second.get(f"/r/{links[SAFE_HOME]}", headers={"X-Forwarded-For": guesser})
    assert blocked.status_code == 429 and 1 <= int(blocked.headers["retry-after"]) <= 61
    reviewer = second.get(f"/r/{links[SAFE_HOME]}", headers={"X-Forwarded-For": "198.51.100.9"})
    assert reviewer.status_code == 200


def test_without_a_redis_url_each_process_counts_alone() -> None:
    assert not isinstance(miss_counter(None, 5), RedisGuessCounter)
    assert isinstance(miss_counter(REDIS_URL, 5), RedisGuessCounter)


def test_an_unreachable_redis_falls_back_to_counting_in_the_process() -> None:
    counter = RedisGuessCounter.from_url("redis://127.0.0.1:1/0", 2)
    assert not counter.blocked("192.0.2.1")
    counter.miss("192.0.2.1")
    counter.miss("192.0.2.1")
    assert counter.blocked("192.0.2.1") and counter.retry_after("192.0.2.1") >= 1
