"""The round board reads a round in a fixed number of queries, however many parties it has:
a 200-party round must stay fast (counted, not timed), on SQLite and PostgreSQL."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from accord.db import transaction
from accord.services.agreements import find_agreement
from accord.services.review.round_board import round_board
from accord.services.review.rounds import RoundRequest, start_round
from models import (
    Contact,
    Decision,
    MessageStatus,
    Organization,
    OutgoingMessage,
    ReviewAssignment,
    ReviewComment,
    ReviewDecision,
    ReviewRound,
    ReviewStage,
)
from tests.review_world import MOU, World, make_world

MONDAY = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def add_parties(world: World, how_many: int, *, start: int) -> None:
    """More parties in round 1, each with a decision, a comment and a bounced e-mail."""
    with transaction(world.engine) as session:
        round_ = session.exec(select(ReviewRound)).one()
        stage = session.exec(select(ReviewStage).where(ReviewStage.round_id == round_.id)).one()
        for n in range(start, start + how_many):
            org = Organization(slug=f"party-{n}", kind="ngo", country="KZ", name={"en": f"P{n}"})
            session.add(org)
            session.flush()
            contact = Contact(
                name=f"Reviewer {n}",
                email=f"r{n}@example.org",
                language="en",
                roles=["reviewer"],
                organization_id=org.id or 0,
            )
            assignment = ReviewAssignment(stage_id=stage.id or 0, organization_id=org.id or 0)
            session.add_all([contact, assignment])
            session.flush()
            session.add_all(
                [
                    ReviewDecision(
                        assignment_id=assignment.id or 0,
                        decision=Decision.approve_with_comments,
                        request_key=uuid.uuid4().hex,
                    ),
                    ReviewComment(
                        assignment_id=assignment.id or 0,
                        clause_id="confidentiality",
                        body=f"Comment {n}",
                        request_key=uuid.uuid4().hex,
                    ),
                    OutgoingMessage(
                        key=f"bounced-{n}",
                        kind="review_request",
                        round_id=round_.id,
                        contact_id=contact.id,
                        to_email=contact.email,
                        to_name=contact.name,
                        language="en",
                        subject="s",
                        text="t",
                        html="h",
                        attachments=[],
                        status=MessageStatus.bounced,
                    ),
                ]
            )


def board_queries(world: World) -> tuple[int, int, int]:
    with Session(world.engine) as session:
        agreement = find_agreement(MOU, session=session)
        with counted(world.engine) as statements:
            board = round_board(agreement, 1, session=session)
    return len(statements), len(board.parties), len(board.comments)


def test_the_board_reads_any_round_in_the_same_number_of_queries(
    tmp_path: Path, engine: Engine
) -> None:
    world = make_world(tmp_path, engine)
    with world.env(MONDAY) as env:
        start_round(RoundRequest(agreement=MOU, working_days=10), env=env)
    add_parties(world, 10, start=0)
    small, parties, comments = board_queries(world)
    assert (parties, comments) == (14, 10)
    add_parties(world, 190, start=10)
    large, parties, comments = board_queries(world)
    assert (parties, comments) == (204, 200)
    assert large == small, (small, large)
