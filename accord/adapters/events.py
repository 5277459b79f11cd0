"""State changes announced as Prefect events, so automations (prefect.yaml triggers) can react."""

import logging
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
