"""The last signature never starts a Prefect server: the portal is not Prefect's process.

Without `PREFECT_API_URL` Prefect would start a temporary server to receive the
`accord.agreement.in_force` event (seconds of waiting, and a server left running after the
portal stops); the portal announces only to a Prefect API that is configured, in the
background, and the outbox keeps the signed document's mail for the next delivery.
"""

import os
import sys
import threading
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from models import AgreementStatus
from tests.portal.test_signing_pages import (
    agreement_status,
    open_sign_page,
    sign_form,
    start_signing,
)
from tests.review_world import World


def _children() -> set[int]:
    """Processes whose parent is this one."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid():
            found.add(int(stat.parent.name))
    return found


def _settle_announcements() -> None:
    """Wait for the portal's announcements and for Prefect's event worker, if it was used."""
    for thread in threading.enumerate():
        if thread.name.startswith("accord-announce"):
            thread.join(timeout=60)
    if "prefect.events.worker" in sys.modules:
        from prefect.events.worker import EventsWorker

        EventsWorker.drain_all(timeout=30)


@pytest.fixture
def signing_links(world: World) -> dict[str, str]:
    return start_signing(world)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads child processes from /proc")
def test_the_last_signature_starts_no_prefect_server(
    client: TestClient,
    signing_links: dict[str, str],
    world: World,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    before = _children()
    for token in signing_links.values():
        page = open_sign_page(client, token)
        assert client.post(f"/s/{token}/sign", data=sign_form(page)).status_code == 303
    _settle_announcements()
    assert agreement_status(world) is AgreementStatus.in_force
    assert _children() - before == set()
    queued = [m for m in world.messages("signed_agreement") if m.status.value == "pending"]
    assert queued  # the signed document waits in the outbox for the next delivery
