"""A revoked, re-issued or expired link gets the page every bad link gets, even when the page
it opened a moment ago is still in the portal's cache."""

import re

import pytest
from sqlmodel import Session
from starlette.testclient import TestClient

from accord.services.links import LinkKind, list_links, reissue_link, revoke_link
from accord.settings import get_settings
from tests.portal.conftest import MONDAY, NOW, SAFE_HOME, open_page, start_round_one
from tests.review_world import MOU, World, bring_into_force

NOT_VALID = "Ссылка недействительна"
FOCAL_LINK = re.compile(r"/f/([A-Za-z0-9_-]{20,})")
SIGN_LINK = re.compile(r"/s/([A-Za-z0-9_-]{20,})")


def _bad_link_page(client: TestClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 404
    assert NOT_VALID in response.text
    return response.text


def _link_id(world: World, kind: LinkKind, contact: str) -> str:
    with Session(world.engine) as session:
        views = list_links(MOU, session=session, now=NOW)
    return next(v.link_id for v in views if v.kind is kind and v.contact == contact)


def test_a_revoked_review_link_gets_the_bad_link_page_though_cached(
    client: TestClient, links: dict[str, str], world: World
) -> None:
    forged = _bad_link_page(client, "/r/" + "a" * 32)
    open_page(client, links[SAFE_HOME])  # rendered and cached
    with world.env(NOW) as env:
        revoke_link(_link_id(world, LinkKind.review, SAFE_HOME), env=env)
    assert _bad_link_page(client, f"/r/{links[SAFE_HOME]}") == forged
    assert client.get(f"/r/{links[SAFE_HOME]}/document.docx").status_code == 404


def test_a_reissued_review_link_works_and_the_old_one_does_not(
    client: TestClient, links: dict[str, str], world: World
) -> None:
    forged = _bad_link_page(client, "/r/" + "a" * 32)
    open_page(client, links[SAFE_HOME])
    with world.env(NOW) as env:
        reissue_link(_link_id(world, LinkKind.review, SAFE_HOME), env=env)
    [mail] = world.messages("link_reissued")
    new = re.search(r"/r/([A-Za-z0-9_-]{20,})", mail.text)
    assert new is not None
    assert _bad_link_page(client, f"/r/{links[SAFE_HOME]}") == forged
    assert "Безопасный дом" in open_page(client, new.group(1)).html


def test_an_expired_review_link_gets_the_bad_link_page(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCORD_REVIEW_LINK_DAYS", "1")  # the portal's clock is a day later
    get_settings.cache_clear()
    links = start_round_one(world)
    forged = _bad_link_page(client, "/r/" + "a" * 32)
    assert _bad_link_page(client, f"/r/{links[SAFE_HOME]}") == forged


def test_a_revoked_focal_link_gets_the_bad_link_page(client: TestClient, world: World) -> None:
    bring_into_force(world, MONDAY)
    forged = _bad_link_page(client, "/f/" + "a" * 32)
    focal = {m.to_email: FOCAL_LINK.search(m.text) for m in world.messages("focal_access")}
    token = focal["m.issayeva@example.kz"]
    assert token is not None
    assert client.get(f"/f/{token.group(1)}").status_code == 200
    with world.env(NOW) as env:
        revoke_link(_link_id(world, LinkKind.focal, "m.issayeva@example.kz"), env=env)
    assert _bad_link_page(client, f"/f/{token.group(1)}") == forged
    assert client.get(f"/f/{token.group(1)}/calendar.ics").status_code == 404


def test_a_revoked_signing_link_gets_the_bad_link_page(client: TestClient, world: World) -> None:
    from accord.services.signing.start import start_signoff
    from tests.review_world import approve_all

    approve_all(world, MONDAY)
    with world.env(MONDAY) as env:
        start_signoff(MOU, env=env)
    mail = world.messages("sign_request")[0]
    token = SIGN_LINK.search(mail.text)
    assert token is not None
    forged = _bad_link_page(client, "/s/" + "a" * 32)
    assert client.get(f"/s/{token.group(1)}").status_code == 200
    with world.env(NOW) as env:
        revoke_link(_link_id(world, LinkKind.signing, mail.to_email), env=env)
    assert _bad_link_page(client, f"/s/{token.group(1)}") == forged
