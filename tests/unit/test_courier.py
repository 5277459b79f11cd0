"""The web application's courier: one delivery at a time in its own thread, nudges during a
delivery coalesced into one more, failures logged and never raised, work handed over run
in its thread before the delivery it asks for; nothing while the application is stopped."""

import logging
import threading
from collections.abc import Iterator

import pytest

from accord.portal.courier import Courier

WAIT_S = 30.0
"""Bound of every wait: a test that would hang fails instead."""


class Deliveries:
    """A delivery that records itself and, when gated, waits until the test lets it go."""

    def __init__(self) -> None:
        self.count = 0
        self.threads: list[str] = []
        self.at_once = 0
        self.most_at_once = 0
        self.started = threading.Event()
        self.gate: threading.Event | None = None
        self.failures = 0
        self._lock = threading.Lock()

    def __call__(self) -> None:
        with self._lock:
            self.count += 1
            self.at_once += 1
            self.most_at_once = max(self.most_at_once, self.at_once)
            self.threads.append(threading.current_thread().name)
        self.started.set()
        try:
            if self.gate is not None:
                assert self.gate.wait(WAIT_S)
            if self.failures:
                self.failures -= 1
                raise ConnectionError("the provider is away")
        finally:
            with self._lock:
                self.at_once -= 1


@pytest.fixture
def deliveries() -> Deliveries:
    return Deliveries()


@pytest.fixture
def courier(deliveries: Deliveries) -> Iterator[Courier]:
    running = Courier(deliveries)
    running.start()
    yield running
    running.stop(WAIT_S)
    assert running.thread is None


def test_nothing_happens_until_nudged_and_the_thread_starts_then(
    courier: Courier, deliveries: Deliveries
) -> None:
    assert courier.thread is None and courier.wait_until_idle(WAIT_S)
    courier.nudge()
    assert courier.wait_until_idle(WAIT_S)
    assert deliveries.count == 1 and deliveries.threads == ["accord-courier"]


def test_nudges_during_a_delivery_make_one_more_delivery(
    courier: Courier, deliveries: Deliveries
) -> None:
    deliveries.gate = threading.Event()
    courier.nudge()
    assert deliveries.started.wait(WAIT_S)
    for _ in range(5):
        courier.nudge()
    deliveries.gate.set()
    assert courier.wait_until_idle(WAIT_S)
    assert deliveries.count == 2


def test_never_two_deliveries_at_once(courier: Courier, deliveries: Deliveries) -> None:
    nudgers = [threading.Thread(target=lambda: [courier.nudge() for _ in range(50)]) for _ in "ab"]
    for nudger in nudgers:
        nudger.start()
    for nudger in nudgers:
        nudger.join(WAIT_S)
    assert courier.wait_until_idle(WAIT_S)
    assert deliveries.count >= 1 and deliveries.most_at_once == 1
    assert set(deliveries.threads) == {"accord-courier"}


def test_a_failed_delivery_is_logged_and_the_next_nudge_delivers_again(
    courier: Courier, deliveries: Deliveries, caplog: pytest.LogCaptureFixture
) -> None:
    deliveries.failures = 1
    with caplog.at_level(logging.ERROR, logger="accord.portal.courier"):
        courier.nudge()
        assert courier.wait_until_idle(WAIT_S)
    assert "delivering the outbox failed" in caplog.text and "provider is away" in caplog.text
    courier.nudge()
    assert courier.wait_until_idle(WAIT_S)
    assert deliveries.count == 2


def test_work_handed_over_runs_in_the_courier_before_the_delivery_it_asks_for(
    courier: Courier, deliveries: Deliveries
) -> None:
    seen: list[tuple[str, int]] = []

    def job() -> None:
        seen.append((threading.current_thread().name, deliveries.count))
        courier.nudge()  # as a write that queued mail does

    def failing() -> None:
        raise RuntimeError("a job that fails is logged; the others still run")

    courier.after(failing)
    courier.after(job)
    assert courier.wait_until_idle(WAIT_S)
    assert seen == [("accord-courier", 0)] and deliveries.count == 1


def test_a_stopped_courier_delivers_nothing_and_does_handed_work_at_once(
    deliveries: Deliveries,
) -> None:
    courier = Courier(deliveries)
    courier.nudge()  # the application is not running: the scheduled delivery sends it
    seen: list[str] = []
    courier.after(lambda: seen.append(threading.current_thread().name))
    assert seen == [threading.current_thread().name]
    assert courier.thread is None and deliveries.count == 0
    courier.start()
    courier.nudge()
    assert courier.wait_until_idle(WAIT_S)
    courier.stop(WAIT_S)
    assert courier.thread is None
    courier.nudge()
    assert courier.thread is None and deliveries.count == 1
    courier.start()  # a started again application has its courier again
    courier.nudge()
    assert courier.wait_until_idle(WAIT_S)
    courier.stop(WAIT_S)
    assert deliveries.count == 2 and courier.thread is None
