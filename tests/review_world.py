"""A small world for review tests: the example agreements drafted into a test database."""

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from accord.adapters.file_store import FileDocumentStore
from accord.db import transaction
from accord.services.bootstrap import service_env
from accord.services.drafting.drafting import DraftResult, record_drafts
from accord.services.env import ServiceEnv
from accord.settings import PROJECT_ROOT
from accord.source.clause_library import ClauseLibrary
from accord.source.loader import load_sources
from models import OutgoingMessage

LINK = re.compile(r"/r/([A-Za-z0-9_-]{20,})")
MOU = "kz-referral-mou"


@dataclass
class World:
    engine: Engine
    sources: Path
    store: FileDocumentStore
    base_url: str = "https://accord.example.org"

    def draft(self) -> list[DraftResult]:
        library = ClauseLibrary.from_directory(PROJECT_ROOT / "templates" / "clauses")
        loaded = load_sources([self.sources], clause_library=library)
        with transaction(self.engine) as session:
            return record_drafts(loaded, session=session, actor="test")

    def edit(self, file: str, old: str, new: str) -> None:
        path = self.sources / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {file}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    @contextmanager
    def env(self, now: datetime, actor: str = "test") -> Iterator[ServiceEnv]:
        with transaction(self.engine) as session:
            yield service_env(
                session=session, store=self.store, base_url=self.base_url, actor=actor, now=now
            )

    def messages(self, kind: str | None = None) -> list[OutgoingMessage]:
        with Session(self.engine) as session:
            query = select(OutgoingMessage).order_by(col(OutgoingMessage.id))
            if kind:
                query = query.where(OutgoingMessage.kind == kind)
            return list(session.exec(query))

    def links(self, kind: str = "review_request") -> dict[str, str]:
        """Recipient e-mail → token, read from the e-mails as a reviewer would."""
        found = {}
        for message in self.messages(kind):
            match = LINK.search(message.text)
            assert match, f"no link in {message.kind} to {message.to_email}"
            found[message.to_email] = match.group(1)
        return found


def make_world(tmp_path: Path, engine: Engine) -> World:
    sources = tmp_path / "agreements"
    shutil.copytree(PROJECT_ROOT / "agreements", sources)
    world = World(engine=engine, sources=sources, store=FileDocumentStore(tmp_path / "output"))
    world.draft()
    return world


SIGN_LINK = re.compile(r"/s/([A-Za-z0-9_-]{20,})")


def approve_all(world: World, now: datetime) -> None:
    """A review round on the MOU in which every reviewer approves."""
    from accord.services.links import LinkNotValid
    from accord.services.review.access import resolve
    from accord.services.review.actions import decide
    from accord.services.review.rounds import RoundRequest, start_round
    from models import Decision

    with world.env(now) as env:
        start_round(RoundRequest(agreement=MOU, working_days=10), env=env)
    for email, token in world.links().items():
        with world.env(now) as env:
            try:
                scope = resolve(token, session=env.session, now=env.now)
            except LinkNotValid:
                continue  # the round closed with the last party's answer
            decide(scope, Decision.approve, None, request_key=f"{email}-{now}", env=env)


def bring_into_force(world: World, now: datetime) -> None:
    """Review round approved by all, sign-off, every signature: the MOU is in force."""
    from accord.services.signing.access import resolve_signature
    from accord.services.signing.acts import sign
    from accord.services.signing.start import start_signoff

    approve_all(world, now)
    with world.env(now) as env:
        start_signoff(MOU, env=env)
    for message in world.messages("sign_request"):
        match = SIGN_LINK.search(message.text)
        assert match
        with world.env(now, actor=f"signer:{message.to_email}") as env:
            sign(
                resolve_signature(match.group(1), session=env.session, now=env.now),
                name=f"Signer {message.to_email}",
                title="Director",
                confirmed=True,
                ip_address="192.0.2.10",
                user_agent="Mozilla/5.0 (test)",
                env=env,
            )
