"""Personal links expire after their kind's lifetime, and the secretariat lists, revokes and
re-issues them one by one (on SQLite and PostgreSQL)."""

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import Session

from accord.errors import Refusal
from accord.services.commitments.focal import resolve_focal
from accord.services.links import (
    LinkKind,
    LinkNotValid,
    LinkState,
    LinkView,
    list_links,
    reissue_link,
    revoke_link,
)
from accord.services.review.access import resolve
from accord.services.review.rounds import RoundRequest, start_round
from accord.services.signing.access import resolve_signature
from accord.services.signing.start import start_signoff
from accord.settings import Settings, get_settings
from tests.cli_runner import run_cli
from tests.review_world import MOU, World, approve_all, bring_into_force, make_world

DAY = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
SAFE_HOME = "safehome@example.kz"
SIGN_LINK = re.compile(r"/s/([A-Za-z0-9_-]{20,})")
FOCAL_LINK = re.compile(r"/f/([A-Za-z0-9_-]{20,})")


@pytest.fixture
def lifetimes(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Short lifetimes, one per kind, so each expiry is its own."""
    monkeypatch.setenv("ACCORD_REVIEW_LINK_DAYS", "5")
    monkeypatch.setenv("ACCORD_SIGNING_LINK_DAYS", "7")
    monkeypatch.setenv("ACCORD_FOCAL_LINK_DAYS", "30")
    get_settings.cache_clear()
    return get_settings()


@pytest.fixture
def world(tmp_path: Path, engine: Engine, lifetimes: Settings) -> World:
    return make_world(tmp_path, engine)


def _tokens(world: World, kind: str, pattern: re.Pattern[str]) -> dict[str, str]:
    found = {}
    for message in world.messages(kind):
        match = pattern.search(message.text)
        assert match, f"no link in {message.kind} to {message.to_email}"
        found[message.to_email] = match.group(1)
    return found


def _round_one(world: World) -> dict[str, str]:
    with world.env(DAY) as env:
        start_round(RoundRequest(agreement=MOU, working_days=10), env=env)
    return world.links()


def _links(world: World, now: datetime = DAY) -> list[LinkView]:
    with Session(world.engine) as session:
        return list_links(MOU, session=session, now=now)


def _link_of(world: World, kind: LinkKind, contact: str) -> LinkView:
    return next(v for v in _links(world) if v.kind is kind and v.contact == contact)


def test_lifetimes_are_settings_with_sane_bounds(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (settings.review_link_days, settings.signing_link_days) == (90, 60)
    assert settings.focal_link_days == 365
    for name, value in [("REVIEW", "0"), ("SIGNING", "-3"), ("FOCAL", "100000"), ("REVIEW", "x")]:
        monkeypatch.setenv(f"ACCORD_{name}_LINK_DAYS", value)
        with pytest.raises(ValidationError, match=f"{name.lower()}_link_days"):
            Settings()
        monkeypatch.delenv(f"ACCORD_{name}_LINK_DAYS")


def test_a_review_link_expires_after_its_days(world: World) -> None:
    token = _round_one(world)[SAFE_HOME]
    with Session(world.engine) as session:
        assert resolve(token, session=session, now=DAY + timedelta(days=5, seconds=-1))
        with pytest.raises(LinkNotValid):
            resolve(token, session=session, now=DAY + timedelta(days=5))
    expired = _links(world, DAY + timedelta(days=5))
    assert {v.state for v in expired} == {LinkState.expired}


def test_signing_and_focal_links_expire_after_their_own_days(world: World) -> None:
    bring_into_force(world, DAY)  # every signature made: start a second sign-off's worth
    focal = _tokens(world, "focal_access", FOCAL_LINK)["m.issayeva@example.kz"]
    with Session(world.engine) as session:
        assert resolve_focal(focal, session=session, now=DAY + timedelta(days=29))
        with pytest.raises(LinkNotValid):
            resolve_focal(focal, session=session, now=DAY + timedelta(days=30))
    signing = [v for v in _links(world) if v.kind is LinkKind.signing]
    assert signing and all(v.expires_at == DAY + timedelta(days=7) for v in signing)
    assert {v.state for v in signing} == {LinkState.used}


def test_a_pending_signing_link_expires(world: World) -> None:
    approve_all(world, DAY)
    with world.env(DAY) as env:
        start_signoff(MOU, env=env)
    token = next(iter(_tokens(world, "sign_request", SIGN_LINK).values()))
    with Session(world.engine) as session:
        assert resolve_signature(token, session=session, now=DAY + timedelta(days=6))
        with pytest.raises(LinkNotValid):
            resolve_signature(token, session=session, now=DAY + timedelta(days=7))


def test_the_list_shows_each_link_and_never_its_token(world: World) -> None:
    tokens = _round_one(world)
    views = _links(world)
    assert {v.contact for v in views} == set(tokens)
    view = _link_of(world, LinkKind.review, SAFE_HOME)
    assert view.link_id.startswith("r") and view.party == "ngo-safe-home"
    assert (view.stage, view.state) == ("round 1, stage 1", LinkState.active)
    assert view.expires_at == DAY + timedelta(days=5)
    shown = repr(views)
    assert not any(token in shown for token in tokens.values())


def test_a_revoked_link_is_dead_at_once_and_revoking_twice_is_refused(world: World) -> None:
    token = _round_one(world)[SAFE_HOME]
    link = _link_of(world, LinkKind.review, SAFE_HOME)
    with world.env(DAY, actor="secretariat") as env:
        assert revoke_link(link.link_id, env=env).state is LinkState.revoked
    with pytest.raises(LinkNotValid), Session(world.engine) as session:
        resolve(token, session=session, now=DAY)
    with pytest.raises(Refusal) as twice, world.env(DAY) as env:
        revoke_link(link.link_id, env=env)
    assert twice.value.code == "links.already_revoked"
    others = [v for v in _links(world) if v.contact != SAFE_HOME]
    assert others and {v.state for v in others} == {LinkState.active}


def test_a_reissued_link_goes_to_the_same_person_and_the_old_one_dies(world: World) -> None:
    old = _round_one(world)[SAFE_HOME]
    link = _link_of(world, LinkKind.review, SAFE_HOME)
    later = DAY + timedelta(days=3)
    with world.env(later, actor="secretariat") as env:
        view = reissue_link(link.link_id, env=env)
    assert (view.link_id, view.state) == (link.link_id, LinkState.active)
    assert view.expires_at == later + timedelta(days=5)
    mails = world.messages("link_reissued")
    assert [m.to_email for m in mails] == [SAFE_HOME]
    new = re.search(r"/r/([A-Za-z0-9_-]{20,})", mails[0].text)
    assert new and new.group(1) != old and old not in mails[0].text
    with Session(world.engine) as session:
        assert resolve(new.group(1), session=session, now=later).contact.email == SAFE_HOME
        with pytest.raises(LinkNotValid):
            resolve(old, session=session, now=later)


def test_a_revoked_focal_link_can_be_reissued_with_a_new_calendar(world: World) -> None:
    bring_into_force(world, DAY)
    old = _tokens(world, "focal_access", FOCAL_LINK)["m.issayeva@example.kz"]
    link = _link_of(world, LinkKind.focal, "m.issayeva@example.kz")
    with world.env(DAY) as env:
        revoke_link(link.link_id, env=env)
    with world.env(DAY) as env:
        assert reissue_link(link.link_id, env=env).state is LinkState.active
    [mail] = world.messages("link_reissued")
    new = FOCAL_LINK.search(mail.text)
    assert new and f"/f/{new.group(1)}/calendar.ics" in mail.text
    with Session(world.engine) as session:
        assert resolve_focal(new.group(1), session=session, now=DAY).organization.slug == "kz-mia"
        with pytest.raises(LinkNotValid):
            resolve_focal(old, session=session, now=DAY)


@pytest.mark.parametrize(
    ("link_id", "code"),
    [("r999", "links.not_found"), ("x1", "links.not_found"), ("r1²", "links.not_found")],
)
def test_an_unknown_link_id_is_refused(world: World, link_id: str, code: str) -> None:
    _round_one(world)
    for act in (revoke_link, reissue_link):
        with pytest.raises(Refusal) as refused, world.env(DAY) as env:
            act(link_id, env=env)
        assert refused.value.code == code


def test_a_used_or_closed_link_is_not_reissued(world: World) -> None:
    bring_into_force(world, DAY)  # round closed, every signature made
    refusals: dict[LinkKind, str] = {}
    for kind in (LinkKind.review, LinkKind.signing):
        view = next(v for v in _links(world) if v.kind is kind)
        act: Callable[..., LinkView] = reissue_link
        with pytest.raises(Refusal) as refused, world.env(DAY) as env:
            act(view.link_id, env=env)
        refusals[kind] = refused.value.code
    assert refusals == {LinkKind.review: "links.closed", LinkKind.signing: "links.already_used"}
    assert world.messages("link_reissued") == []


def test_the_commands_list_revoke_and_reissue(
    world: World,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ACCORD_DATABASE_URL", database_url)
    get_settings.cache_clear()
    token = _round_one(world)[SAFE_HOME]
    link = _link_of(world, LinkKind.review, SAFE_HOME)
    listed = run_cli(capsys, "links", "list", MOU)
    assert listed.code == 0, listed.err
    assert f"{link.link_id} " in listed.out and SAFE_HOME in listed.out
    assert token not in listed.out
    revoked = run_cli(capsys, "links", "revoke", link.link_id)
    assert revoked.code == 0 and "revoked" in revoked.out
    again = run_cli(capsys, "links", "revoke", link.link_id)
    assert again.code == 1 and f"Link {link.link_id} was already revoked" in again.err
    reissued = run_cli(capsys, "links", "reissue", link.link_id)
    assert reissued.code == 0, reissued.err
    assert f"e-mailed to {SAFE_HOME}" in reissued.out
    unknown = run_cli(capsys, "links", "reissue", "r99999")
    assert unknown.code == 1 and "There is no link r99999" in unknown.err
