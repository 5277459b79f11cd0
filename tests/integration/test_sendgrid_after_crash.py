"""A delivery to SendGrid killed while mails are in flight: how many are sent twice.

SendGrid has no idempotency key, so a mail it accepted just before the process died looks
unsent to us. Such a message waits for SendGrid's `processed` event (its custom arguments
carry our message id) before it is handed over again; only when no event came within the
grace period is it sent again, at the risk of a duplicate.
"""

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from accord.adapters.delivery import CONFIRM_GRACE, deliver_pending
from accord.mail.sendgrid_mailer import SendGridMailer
from accord.mail.webhook import parse_events
from accord.services.delivery_feedback import record_delivery_events
from accord.services.review.rounds import RoundRequest, start_round
from models import MessageStatus
from tests.review_world import MOU, World, make_world
from tests.sendgrid_endpoint import SendGridEndpoint

FROM = "noreply@accord.example.org"
CONCURRENCY = 3
DELIVERY = """
import sys
from pathlib import Path
from accord.adapters.delivery import deliver_pending
from accord.adapters.file_store import FileDocumentStore
from accord.db import get_engine
from accord.mail.sendgrid_mailer import SendGridMailer

url, host, key, output, width = sys.argv[1:6]
mailer = SendGridMailer(key, host=host, from_email="noreply@accord.example.org", from_name="A")
deliver_pending(engine=get_engine(url), mailer=mailer, store=FileDocumentStore(Path(output)),
                concurrency=int(width))
"""


def _crash_mid_delivery(world: World, endpoint: SendGridEndpoint, database_url: str) -> None:
    """Run a delivery in its own process; kill -9 it while SendGrid holds accepted mails."""
    for _ in range(len(world.messages())):
        endpoint.script(202, delay_s=1.5)  # accepted (recorded), the answer slow to come back
    worker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            DELIVERY,
            database_url,
            endpoint.url,
            endpoint.api_key,
            str(world.store.root),
            str(CONCURRENCY),
        ],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
    )
    deadline = time.monotonic() + 60
    while len(endpoint.requests) < CONCURRENCY and time.monotonic() < deadline:
        time.sleep(0.02)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    assert len(endpoint.requests) == CONCURRENCY, "the kill must land with mails in flight"


def _sent_ids(endpoint: SendGridEndpoint) -> list[str]:
    return [
        r.body["personalizations"][0]["custom_args"]["message_id"]
        for r in endpoint.requests
        if r.valid and r.status == 202
    ]


def _processed_events(endpoint: SendGridEndpoint) -> bytes:
    """What SendGrid's event webhook posts for each mail it accepted."""
    return json.dumps(
        [
            {
                "email": r.body["personalizations"][0]["to"][0]["email"],
                "event": "processed",
                "sg_event_id": f"processed-{i}",
                "timestamp": int(time.time()),
                **r.body["personalizations"][0]["custom_args"],
            }
            for i, r in enumerate(endpoint.requests)
        ]
    ).encode()


def _mailer(endpoint: SendGridEndpoint) -> SendGridMailer:
    return SendGridMailer(endpoint.api_key, host=endpoint.url, from_email=FROM, from_name="A")


@pytest.fixture
def world(tmp_path: Path, engine: Engine) -> World:
    made = make_world(tmp_path, engine)
    with made.env(datetime(2027, 1, 11, 9, tzinfo=UTC)) as env:
        start_round(RoundRequest(agreement=MOU, working_days=10), env=env)
    return made


def test_mails_confirmed_by_the_webhook_are_not_sent_again(
    world: World, engine: Engine, database_url: str
) -> None:
    with SendGridEndpoint() as endpoint:
        _crash_mid_delivery(world, endpoint, database_url)
        with world.env(datetime.now(UTC), actor="mail-provider") as env:
            record_delivery_events(parse_events(_processed_events(endpoint)), env=env)
        report = deliver_pending(
            engine=engine, mailer=_mailer(endpoint), store=world.store, concurrency=CONCURRENCY
        )
        sent = _sent_ids(endpoint)
    messages = world.messages()
    duplicates = len(sent) - len(set(sent))
    print(f"sendgrid_duplicates_per_crash_confirmed: {duplicates} mails")
    assert duplicates == 0
    assert set(sent) == {str(m.id) for m in messages}
    assert {m.status for m in messages} == {MessageStatus.sent}
    assert report.sent == len(messages) - CONCURRENCY and report.awaiting_confirmation == 0


def test_without_confirmation_mails_wait_the_grace_period_then_go_again(
    world: World, engine: Engine, database_url: str
) -> None:
    with SendGridEndpoint() as endpoint:
        _crash_mid_delivery(world, endpoint, database_url)
        mailer = _mailer(endpoint)
        at_once = deliver_pending(
            engine=engine, mailer=mailer, store=world.store, concurrency=CONCURRENCY
        )
        assert at_once.awaiting_confirmation == CONCURRENCY
        assert len(_sent_ids(endpoint)) == len(world.messages())  # none sent twice yet
        later = datetime.now(UTC) + CONFIRM_GRACE + timedelta(seconds=1)
        after_grace = deliver_pending(
            engine=engine, mailer=mailer, store=world.store, clock=lambda: later
        )
        sent = _sent_ids(endpoint)
    duplicates = sum(n - 1 for n in Counter(sent).values())
    print(f"sendgrid_duplicates_per_crash_unconfirmed: {duplicates} mails")
    assert after_grace.sent == CONCURRENCY and after_grace.awaiting_confirmation == 0
    assert duplicates == CONCURRENCY  # at most the mails in flight: the guarantee stated
    assert {m.status for m in world.messages()} == {MessageStatus.sent}


def test_a_mail_without_an_answer_is_not_sent_again_before_it_is_confirmed(
    world: World, engine: Engine
) -> None:
    """A read timeout is a crash in small: SendGrid may have accepted the mail."""
    messages = world.messages()
    with SendGridEndpoint() as endpoint:
        for _ in messages:
            endpoint.script(202, delay_s=0.6)
        slow = SendGridMailer(
            endpoint.api_key, host=endpoint.url, from_email=FROM, from_name="A", timeout_s=0.2
        )
        first = deliver_pending(engine=engine, mailer=slow, store=world.store, concurrency=5)
        again = deliver_pending(engine=engine, mailer=slow, store=world.store, concurrency=5)
        with world.env(datetime.now(UTC), actor="mail-provider") as env:
            record_delivery_events(parse_events(_processed_events(endpoint)), env=env)
        sent = _sent_ids(endpoint)
    assert first.in_doubt == len(messages) and first.deferred == 0
    assert again.awaiting_confirmation == len(messages) and again.sent == 0
    assert sorted(sent) == sorted(str(m.id) for m in messages)  # each handed over once
    assert {m.status for m in world.messages()} == {MessageStatus.sent}
