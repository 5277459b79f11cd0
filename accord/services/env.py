"""The environment every service step runs in, and how its events reach their handlers."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from accord.services.events import Event
from accord.services.ports import DocumentStore

Handler = Callable[[Any, "ServiceEnv"], None]
"""Reacts to one event type, in the publisher's transaction (same session, same clock)."""
Handlers = Mapping[type, Sequence[Handler]]


@dataclass(frozen=True)
class ServiceEnv:
    """The collaborators a step needs, passed as one value: build it with
    `accord.services.bootstrap.service_env`, which also wires the event handlers."""

    session: Session
    store: DocumentStore
    base_url: str
    actor: str
    now: datetime
    handlers: Handlers | None = None

    def publish(self, event: Event) -> None:
        """Run every handler of the event now, synchronously: they commit or fail together."""
        if self.handlers is None:
            raise RuntimeError(
                "this ServiceEnv has no event handlers; build it with "
                "accord.services.bootstrap.service_env"
            )
        for handler in self.handlers.get(type(event), ()):
            handler(event, self)

    def link(self, path: str) -> str:
        """An address on the portal, as e-mails give it."""
        return f"{self.base_url.rstrip('/')}{path}"
