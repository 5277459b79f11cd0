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
from accord.services.drafting import DraftResult, record_drafts
from accord.services.review_rounds import ReviewEnv
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
    def env(self, now: datetime, actor: str = "test") -> Iterator[ReviewEnv]:
        with transaction(self.engine) as session:
            yield ReviewEnv(
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
