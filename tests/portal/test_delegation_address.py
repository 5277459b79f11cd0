"""A delegate's address is matched as written: `%` and `_` are characters, not wildcards."""

from starlette.testclient import TestClient

from tests.portal.conftest import SAFE_HOME, open_page, post
from tests.review_world import World

COLLEAGUE = "a.bekova@example.kz"
"""ngo-safe-home's focal point, a contact already: a wildcard would find her."""


def test_wildcards_in_the_address_reach_nobody_else(
    client: TestClient, links: dict[str, str], world: World
) -> None:
    token = links[SAFE_HOME]
    for pattern in ("a_bekova@example.kz", "%@example.kz"):
        page = open_page(client, token)
        status, location, body = post(
            client, token, "delegate", page, colleague="", name="Жанна Ахметова", email=pattern
        )
        assert status == 303 and "done=delegate" in location, body[:300]
    delegated = world.links("delegated_access")
    assert set(delegated) == {"a_bekova@example.kz", "%@example.kz"}
    assert COLLEAGUE not in delegated
