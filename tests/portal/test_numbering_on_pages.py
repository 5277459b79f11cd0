"""What a person reads on a page names the agreement by its title and clauses and activities by
the numbers the document prints: the slug and the ids stay in links and form fields."""

import html
import re

from sqlmodel import Session
from starlette.testclient import TestClient

from accord.services.agreements import find_agreement, find_version, version_content
from accord.source.spec import numbered
from tests.portal.conftest import LEGAL, SAFE_HOME, open_page, post
from tests.portal.test_focal_pages import ISSAYEVA, KIM, focal_links, open_focal
from tests.review_world import MOU, World

__all__ = ["focal_links"]  # the fixture, shared with the focal pages' tests
MARKUP = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S)


def visible(page: str) -> str:
    """The text a reader sees: no tags, attributes, scripts or comments."""
    return html.unescape(MARKUP.sub(" ", re.sub(r"<!--.*?-->", " ", page, flags=re.S)))


def internal_ids(world: World) -> set[str]:
    with Session(world.engine) as session:
        spec = version_content(
            find_version(find_agreement(MOU, session=session), None, session=session)
        ).agreement
    clauses = {item.clause.id for item in numbered(spec.clauses)}
    return {MOU} | clauses | {c.id for c in spec.commitments}


def shown(text: str, ids: set[str]) -> list[str]:
    return sorted(i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text))


def test_the_review_page_shows_no_slug_or_id(
    client: TestClient, links: dict[str, str], world: World
) -> None:
    ids = internal_ids(world)
    page = open_page(client, links[SAFE_HOME])
    post(client, links[SAFE_HOME], "comment", page, clause_id="activity:c-03", body="Срок.")
    post(client, links[SAFE_HOME], "comment", page, clause_id="confidentiality", body="Короче.")
    for token, query in ((links[SAFE_HOME], ""), (links[LEGAL], "?lang=ru"), (links[LEGAL], "")):
        text = visible(open_page(client, token, query).html)
        assert not shown(text, ids), shown(text, ids)
        assert "3. " in text


def test_the_focal_page_shows_no_slug_or_key(
    client: TestClient, focal_links: dict[str, str], world: World
) -> None:
    ids = internal_ids(world)
    for token in (focal_links[KIM], focal_links[ISSAYEVA]):
        text = visible(open_focal(client, token).html)
        assert not shown(text, ids), shown(text, ids)
