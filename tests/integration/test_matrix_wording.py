"""The comments matrix the secretariat receives when a round closes carries the wording a
party proposed, under its comment."""

from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from docx2python import docx2python
from sqlalchemy.engine import Engine

from accord.services.review.access import resolve
from accord.services.review.actions import add_comment, decide
from accord.services.review.rounds import RoundRequest, start_round
from models import Decision
from tests.review_world import MOU, World, make_world

DAY = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
WORDING = "Персональные данные хранятся три года."


@pytest.fixture
def world(tmp_path: Path, engine: Engine) -> World:
    return make_world(tmp_path, engine)


def test_the_closing_matrix_shows_the_proposed_wording(world: World) -> None:
    with world.env(DAY) as env:
        start_round(RoundRequest(agreement=MOU, working_days=10), env=env)
    for email, token in world.links().items():
        with world.env(DAY, actor=f"reviewer:{email}") as env:
            scope = resolve(token, session=env.session, for_update=True, now=env.now)
            if email == "safehome@example.kz":
                add_comment(
                    scope,
                    "confidentiality",
                    "Срок слишком долгий.",
                    request_key="k1",
                    env=env,
                    proposed=WORDING,
                )
                decide(scope, Decision.request_changes, "См. замечание.", request_key="d", env=env)
            elif email != "d.ospanov@example.kz":
                decide(scope, Decision.approve, None, request_key=f"d-{email}", env=env)
    [closing, *_] = world.messages("round_closed")
    matrix = docx2python(BytesIO(world.store.read(closing.attachments[0]["document"]))).text
    said = matrix.index("Срок слишком долгий.")
    label = matrix.index("Ұсынылатын редакция:")  # in Kazakh, the agreement's primary language
    assert said < label < matrix.index(WORDING)
