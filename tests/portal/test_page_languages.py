"""Every page of the portal in every language tag: the review, sign and focal pages and the
"link not valid" page, each rendered once per language and read for its own words."""

import html
from collections.abc import Callable

from starlette.testclient import TestClient

from accord.i18n import catalogs, languages
from tests.portal.conftest import MONDAY, open_page
from tests.portal.test_focal_pages import FOCAL_LINK, KIM, open_focal
from tests.portal.test_signing_pages import SAFE_HOME, open_sign_page, start_signing
from tests.review_world import World, bring_into_force


def say(tag: str, message: str) -> str:
    return catalogs.translations("pages", tag).gettext(message)


def assert_written_in(page: str, tag: str, messages: tuple[str, ...]) -> None:
    """The page is declared in `tag` and says `messages` in it, not in Russian or English."""
    text = html.unescape(page)
    assert f'<html lang="{tag}">' in page, tag
    for message in messages:
        own = say(tag, message)
        assert own in text, (tag, message)
        for other in ("en", "ru"):
            if other != tag and say(other, message) != own:
                assert say(other, message) not in text, (tag, other, message)


def each_language(open_in: Callable[[str], str], messages: tuple[str, ...]) -> None:
    for tag in languages.tags():
        assert_written_in(open_in(f"?ui={tag}"), tag, messages)


def test_the_review_page_in_every_language(client: TestClient, links: dict[str, str]) -> None:
    token = links[SAFE_HOME]
    each_language(
        lambda query: open_page(client, token, query).html,
        ("Your organisation's decision", "Approve with comments", "Request changes"),
    )


def test_the_sign_page_in_every_language(client: TestClient, world: World) -> None:
    token = start_signing(world)[SAFE_HOME]
    each_language(
        lambda query: open_sign_page(client, token, query).html,
        ("Signatory", "Fingerprint of the text (SHA-256)"),
    )


def test_the_focal_page_in_every_language(client: TestClient, world: World) -> None:
    bring_into_force(world, MONDAY)
    welcome = next(m for m in world.messages("focal_access") if m.to_email == KIM)
    found = FOCAL_LINK.search(welcome.text)
    assert found is not None
    token = found.group(1)
    each_language(
        lambda query: open_focal(client, token, query).html, ("Not started", "In progress")
    )


def test_the_not_valid_page_in_every_language(client: TestClient) -> None:
    def not_valid(query: str) -> str:
        response = client.get(f"/r/{'x' * 32}{query}")
        assert response.status_code == 404
        return response.text

    each_language(not_valid, ("This link is not valid",))
