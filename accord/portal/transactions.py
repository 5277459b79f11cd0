"""One form post, one transaction; retried when another writer got there first.

A retry is always safe: the services look the request key up first, so a transaction that
lost to a duplicate of itself (unique `request_key`) finds the winner's row on the next try
and does nothing. The same goes for the audit trail's sequence number and SQLite's
"database is locked" when many reviewers answer at the same moment.
"""

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session

from accord.db import transaction
from accord.services.mail_queue import queued_in

ATTEMPTS = 6
log = logging.getLogger("accord.portal")
T = TypeVar("T")


def is_lock_conflict(error: OperationalError) -> bool:
    text = str(error.orig).lower()
    return "database is locked" in text or "deadlock detected" in text


def write(
    engine: Engine,
    work: Callable[[Session], T],
    *,
    sleep: Callable[[float], None] = time.sleep,
    mail_queued: Callable[[], None] = lambda: None,
) -> T:
    """Run `work` in a transaction; on a write conflict roll back and run it again. Once it
    is committed, `mail_queued` is called if the work queued mail."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with transaction(engine) as session:
                result = work(session)
        except IntegrityError as error:
            if attempt == ATTEMPTS:
                raise
            log.info("retrying a form post after a conflicting write: %s", error.orig)
        except OperationalError as error:
            if attempt == ATTEMPTS or not is_lock_conflict(error):
                raise
            log.warning("retrying a form post: %s (attempt %d)", error.orig, attempt)
        else:
            if queued_in(session):
                mail_queued()
            return result
        sleep(random.uniform(0.01, 0.05) * attempt)
    raise AssertionError("unreachable")
