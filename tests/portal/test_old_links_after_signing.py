"""After every party signed, an old review or signing link shows "signed" with the signed
agreement to download, never an error page; other links stay "not valid"."""

import html
import re

from sqlmodel import Session, select
from starlette.testclient import TestClient

from accord.services.links import token_hash
from accord.services.signing.access import resolve_signature
from accord.services.signing.acts import sign
from models import Contact, Signature
from tests.portal.conftest import MONDAY, NOW
from tests.portal.test_signing_pages import LEGAL, NOT_VALID, SAFE_HOME, start_signing
from tests.review_world import World

SIGNED_FILE = "kz-referral-mou-v1-signed.docx"


def sign_as(world: World, links: dict[str, str], emails: list[str]) -> None:
    """Each of `emails` signs with their signing link, as the portal records it."""
    for email in emails:
        with world.env(MONDAY, actor=f"signer:{email}") as env:
            sign(
                resolve_signature(links[email], session=env.session, now=env.now),
                name=f"Signer {email}",
                title="Director",
                confirmed=True,
                ip_address="192.0.2.10",
                user_agent="Mozilla/5.0 (test)",
                env=env,
            )


def _signed_page(client: TestClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.text[:300]
    page = html.unescape(response.text)
    assert "<h1>Подписано</h1>" in page
    assert "соглашение вступило в силу" in page
    link = re.search(r'<a class="button" href="([^"]+)" download>', page)
    assert link and link.group(1) == f"{path}/signed.docx"
    return link.group(1)


def test_old_review_and_signing_links_show_the_signed_agreement(
    client: TestClient, world: World
) -> None:
    signing = start_signing(world)
    review = world.links()  # round 1's links: closed long ago
    sign_as(world, signing, sorted(signing))
    stored = world.store.read(f"kz-referral-mou/{SIGNED_FILE}")
    for path in (f"/s/{signing[SAFE_HOME]}", f"/r/{review[SAFE_HOME]}"):
        download = client.get(_signed_page(client, path))
        assert download.status_code == 200
        assert download.headers["content-disposition"] == f'attachment; filename="{SIGNED_FILE}"'
        assert download.content == stored
    english = client.get(f"/r/{review[SAFE_HOME]}?ui=en").text
    assert "<h1>Signed</h1>" in english and "this link now opens the signed text" in english


def test_before_the_last_signature_an_old_review_link_is_not_valid(
    client: TestClient, world: World
) -> None:
    signing = start_signing(world)
    review = world.links()
    sign_as(world, signing, [SAFE_HOME])
    response = client.get(f"/r/{review[SAFE_HOME]}")
    assert response.status_code == 404 and NOT_VALID in response.text
    assert client.get(f"/r/{review[SAFE_HOME]}/signed.docx").status_code == 404


def test_forged_links_and_inactive_contacts_get_nothing(client: TestClient, world: World) -> None:
    signing = start_signing(world)
    review = world.links()
    sign_as(world, signing, sorted(signing))
    for path in ("/r/not-a-real-token-at-all-000", "/s/not-a-real-token-at-all-000"):
        assert client.get(path).status_code == 404
        assert client.get(f"{path}/signed.docx").status_code == 404
    with Session(world.engine) as session:
        contact = session.exec(select(Contact).where(Contact.email == SAFE_HOME)).one()
        contact.active = False
        session.add(contact)
        session.commit()
    assert client.get(f"/r/{review[SAFE_HOME]}").status_code == 404
    assert client.get(f"/s/{signing[SAFE_HOME]}/signed.docx").status_code == 404
    legal = signing[LEGAL]
    assert client.get(f"/s/{legal}").status_code == 200
    with Session(world.engine) as session:
        revoked = session.exec(
            select(Signature).where(Signature.token_hash == token_hash(legal))
        ).one()
        revoked.revoked_at = NOW
        session.add(revoked)
        session.commit()
    assert client.get(f"/s/{legal}").status_code == 404  # the secretariat cut this link off
    assert client.get(f"/s/{legal}/signed.docx").status_code == 404
