"""A delivery process killed half-way and run again delivers every message exactly once."""

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path

from sqlalchemy.engine import Engine

from accord.adapters.delivery import deliver_pending
from accord.mail.eml_mailer import EmlMailer
from accord.services.review.rounds import RoundRequest, start_round
from models import MessageStatus
from tests.review_world import MOU, make_world

SLOW_DELIVERY = """
import sys, time
from accord.adapters.file_store import FileDocumentStore
from accord.db import get_engine
from accord.mail.eml_mailer import EmlMailer
from accord.adapters.delivery import deliver_pending

class SlowDisk(EmlMailer):
    def deliver(self, mail):
        result = super().deliver(mail)
        time.sleep(0.4)  # the window between the provider accepting and our commit
        return result

url, outbox, output = sys.argv[1:4]
deliver_pending(engine=get_engine(url), mailer=SlowDisk(__import__("pathlib").Path(outbox)),
                store=FileDocumentStore(__import__("pathlib").Path(output)))
"""


def test_kill_mid_delivery_then_rerun(tmp_path: Path, engine: Engine, database_url: str) -> None:
    world = make_world(tmp_path, engine)
    with world.env(datetime(2027, 1, 11, 9, tzinfo=UTC)) as env:
        start_round(RoundRequest(agreement=MOU, working_days=10), env=env)
    outbox = tmp_path / "outbox"
    worker = subprocess.Popen(
        [sys.executable, "-c", SLOW_DELIVERY, database_url, str(outbox), str(tmp_path / "output")],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
    )
    deadline = time.monotonic() + 60
    while len(list(outbox.glob("*.eml"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    before = len(list(outbox.glob("*.eml")))
    assert 2 <= before < 5, "the kill must land half-way"

    report = deliver_pending(engine=engine, mailer=EmlMailer(outbox), store=world.store)

    files = sorted(outbox.glob("*.eml"))
    keys = [
        BytesParser(policy=policy.default).parsebytes(f.read_bytes())["X-Accord-Idempotency-Key"]
        for f in files
    ]
    assert len(files) == 5 and len(set(keys)) == 5
    assert {m.status for m in world.messages()} == {MessageStatus.sent}
    # the killed run may have written one file it never marked sent: that one is "sent" again,
    # and the outbox recognises its key instead of writing a second file
    assert report.sent in (5 - before, 5 - before + 1)
