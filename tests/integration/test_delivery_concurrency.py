"""Two deliveries at once (the flow runs of two workers, say) send each pending mail once."""

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from accord.adapters.delivery import DeliveryReport, deliver_pending
from accord.mail.sendgrid_mailer import SendGridMailer
from models import MessageStatus
from tests.review_world import approve_all, make_world
from tests.sendgrid_endpoint import SendGridEndpoint


def test_two_deliveries_at_once_send_each_mail_once(tmp_path: Path, engine: Engine) -> None:
    world = make_world(tmp_path, engine)
    approve_all(world, datetime(2027, 1, 11, 9, tzinfo=UTC))
    queued = world.messages()
    assert len(queued) >= 5
    with SendGridEndpoint() as sendgrid:
        for _ in queued:
            sendgrid.script(202, delay_s=0.05)  # a provider that takes a moment to answer

        def deliver(_: int) -> DeliveryReport:
            mailer = SendGridMailer(
                sendgrid.api_key, host=sendgrid.url, from_email="noreply@example.org", from_name="A"
            )
            return deliver_pending(engine=engine, mailer=mailer, store=world.store, concurrency=4)

        with ThreadPoolExecutor(max_workers=2) as pool:
            reports = list(pool.map(deliver, range(2)))
        sends = Counter(
            str(r.body["headers"]["X-Accord-Idempotency-Key"]) for r in sendgrid.requests if r.valid
        )
    assert set(sends) == {m.key for m in queued}
    assert [key for key, n in sends.items() if n > 1] == []
    assert sum(r.sent for r in reports) == len(queued)
    assert {m.status for m in world.messages()} == {MessageStatus.sent}
