"""The signing link goes to a signatory and nobody else: a party without an active contact
marked `signatory` makes `sign start` refuse, naming the party (SQLite and PostgreSQL)."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from accord.errors import Refusal
from accord.services.signing.start import start_signoff
from accord.settings import PROJECT_ROOT
from accord.source.clause_library import ClauseLibrary
from accord.source.loader import load_sources
from accord.source.spec import PartyRole
from tests.review_world import MOU, World, approve_all, make_world

DAY = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
KZ_MIA_SIGNATORY = (
    "      - name: Ерлан Касымов\n        email: e.kassymov@example.kz\n"
    "        language: ru\n        roles: [signatory]\n"
)


@pytest.fixture
def world(tmp_path: Path, engine: Engine) -> World:
    return make_world(tmp_path, engine)


def test_every_signing_party_of_the_examples_has_a_signatory() -> None:
    library = ClauseLibrary.from_directory(PROJECT_ROOT / "templates" / "clauses")
    sources = load_sources([PROJECT_ROOT / "agreements"], clause_library=library)
    lacking = {
        (agreement.id, party.org)
        for _, agreement in sources.agreements
        for party in agreement.parties
        if party.role is PartyRole.signatory and sources.organizations[party.org].signer() is None
    }
    assert lacking == set()


def test_the_signing_links_go_to_the_signatories_only(world: World) -> None:
    approve_all(world, DAY)
    with world.env(DAY) as env:
        start_signoff(MOU, env=env)
    assert sorted(m.to_email for m in world.messages("sign_request")) == [
        "e.kassymov@example.kz",  # kz-mia: not its reviewer and focal point
        "s.zhumabayeva@example.kz",
        "safehome@example.kz",
    ]  # kz-iac coordinates the MOU: it reviews but does not sign


def test_a_party_without_a_signatory_is_named_and_nothing_is_sent(world: World) -> None:
    world.edit(
        "organizations.yaml",
        KZ_MIA_SIGNATORY,
        KZ_MIA_SIGNATORY.replace("roles: [signatory]", "roles: [focal_point]"),
    )
    world.draft()
    approve_all(world, DAY)
    with pytest.raises(Refusal) as refused, world.env(DAY) as env:
        start_signoff(MOU, env=env)
    assert refused.value.code == "signing.no_signer"
    assert "kz-mia" in str(refused.value) and "signatory" in str(refused.value)
    assert world.messages("sign_request") == []
