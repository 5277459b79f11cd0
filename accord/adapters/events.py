"""State changes announced as Prefect events, so automations (prefect.yaml triggers) can react."""

import logging
import threading
from typing import Any

log = logging.getLogger(__name__)


def announce(event: str, agreement: str, **payload: Any) -> None:
    """Best effort: a missing or unreachable Prefect API never fails the change itself."""
    try:
        from prefect.events import emit_event

        emit_event(
            event=f"accord.{event}",
            resource={
                "prefect.resource.id": f"accord.agreement.{agreement}",
                "prefect.resource.name": agreement,
            },
            payload={k: _plain(v) for k, v in payload.items()},
        )
    except Exception as error:  # the event is a notification, never a precondition
        log.warning("could not announce accord.%s for %s: %s", event, agreement, error)


def _plain(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


def announce_in_background(event: str, agreement: str, **payload: Any) -> threading.Thread:
    """For processes that are not Prefect's (the portal): the answer never waits for Prefect,
    and the event goes only to a Prefect API that is configured, never to a temporary server
    started for it. Without one the event is dropped: what it would start (delivering the
    outbox) runs with the next scheduled delivery."""
    thread = threading.Thread(
        target=_announce_to_configured_api,
        args=(event, agreement),
        kwargs=payload,
        name=f"accord-announce-{event}",
        daemon=True,
    )
    thread.start()
    return thread


def _announce_to_configured_api(event: str, agreement: str, **payload: Any) -> None:
    from prefect.settings import get_current_settings

    if get_current_settings().api.url is None:
        log.info("accord.%s for %s not announced: PREFECT_API_URL is not set", event, agreement)
        return
    announce(event, agreement, **payload)
