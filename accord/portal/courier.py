"""Mail from the web application leaves at once: a courier delivers what a request queued.

The outbox (`accord.services.mail_queue`) is written in the request's transaction; without a
courier it would wait for the next scheduled delivery. Every form post commits through
`Portal.write`, and `enqueue` marks the session that queued mail, so the one place that knows
"this commit queued mail" nudges the courier: no route has to remember it, and a post that
queued nothing costs nothing (no outbox query per request).

One thread per application, started at the first nudge while the application runs (between
its lifespan's start and stop), delivers with `deliver` until no nudge came during the last
delivery: nudges that arrive meanwhile are coalesced into one more delivery, and two
deliveries never run at once in one process (`deliver_pending` itself excludes other
processes). A delivery that fails is logged, never raised into a request; its mail stays in
the outbox for the scheduled delivery, as it would without the courier.

Work that must not delay a request's answer (`after`) runs in the same thread before its
delivery: the password reset request hands over its per-account work so that its answer
takes the same time whether or not an account has the address.
"""

import logging
import threading
from collections.abc import Callable

LOG = logging.getLogger(__name__)
STOP_WAIT_S = 30.0
"""How long stopping waits for a delivery in progress; after that the thread, a daemon, is
left to finish on its own (its mail is marked as it goes, the rest stays queued)."""


class Courier:
    """Delivers the outbox in one background thread when nudged; see the module docstring."""

    def __init__(self, deliver: Callable[[], object], *, name: str = "accord-courier") -> None:
        self._deliver = deliver
        self._name = name
        self._changed = threading.Condition()
        self._running = False
        self._thread: threading.Thread | None = None
        self._wanted = False
        self._jobs: list[Callable[[], None]] = []
        self._busy = False

    def start(self) -> None:
        """Take nudges from now on (the application's lifespan starts)."""
        with self._changed:
            self._running = True

    def nudge(self) -> None:
        """Mail was committed: deliver it soon. Ignored while the application is not running:
        the scheduled delivery sends it."""
        with self._changed:
            if not self._running:
                return
            self._wanted = True
            self._ensure_thread()
            self._changed.notify_all()

    def after(self, job: Callable[[], None]) -> None:
        """Run `job` in the courier's thread, after the caller has answered; at once in the
        caller's thread while the application is not running, so the work is never lost."""
        with self._changed:
            if self._running:
                self._jobs.append(job)
                self._ensure_thread()
                self._changed.notify_all()
                return
        _safely(job, "work handed to the courier")

    def wait_until_idle(self, timeout: float) -> bool:
        """Whether everything asked for was done within `timeout` seconds."""
        with self._changed:
            return self._changed.wait_for(self._idle, timeout=timeout)

    def stop(self, timeout: float = STOP_WAIT_S) -> None:
        """Stop with the application: the delivery in progress finishes, work handed over is
        done, and mail nudged for but not delivered yet waits for the scheduled delivery."""
        with self._changed:
            self._running = False
            thread = self._thread
            self._changed.notify_all()
        if thread is None:
            return
        thread.join(timeout)
        if thread.is_alive():
            LOG.warning("the courier is still delivering after %.0f s; left to finish", timeout)

    @property
    def thread(self) -> threading.Thread | None:
        """The delivering thread while there is one."""
        return self._thread

    def _idle(self) -> bool:
        return not (self._jobs or self._busy or (self._wanted and self._running))

    def _ensure_thread(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            with self._changed:
                self._busy = False
                self._changed.notify_all()
                while self._running and not (self._jobs or self._wanted):
                    self._changed.wait()
                jobs, self._jobs = self._jobs, []
                if not self._running and not jobs:
                    self._thread, self._wanted = None, False
                    self._changed.notify_all()
                    return
                self._busy = True
            for job in jobs:
                _safely(job, "work handed to the courier")
            with self._changed:
                wanted, self._wanted = self._wanted and self._running, False
            if wanted:
                _safely(self._deliver, "delivering the outbox")


def _safely(work: Callable[[], object], what: str) -> None:
    try:
        work()
    except Exception:  # a request already answered; the scheduled delivery tries again
        LOG.exception("%s failed; what it queued waits for the next scheduled delivery", what)
