"""From approval to signed, in force and tracked: sign-off, progress, reminders, documents."""

import re
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from docx2python import docx2python
from icalendar import Calendar
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from accord.documents.calendar_ics import organisation_calendar
from accord.documents.register_xlsx import export_register, read_register
from accord.errors import Refusal
from accord.services import audit
from accord.services.commitments.focal import Evidence, Progress, record_progress, resolve_focal
from accord.services.commitments.reminders import send_reminders
from accord.services.commitments.report import write_progress_report
from accord.services.commitments.tracked import tracked_items
from accord.services.review.access import AccessScope, resolve
from accord.services.review.actions import decide
from accord.services.review.rounds import RoundRequest, start_round
from accord.services.signing.access import resolve_signature
from accord.services.signing.acts import decline, sign
from accord.services.signing.start import start_signoff
from models import Agreement, AgreementStatus, Decision, ItemStatus, TrackedCommitment
from tests.factories import minimal_pdf
from tests.review_world import MOU, World, approve_all, make_world

DAY = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
SIGN_LINK = re.compile(r"/s/([A-Za-z0-9_-]{20,})")
FOCAL_LINK = re.compile(r"/f/([A-Za-z0-9_-]{20,})")


@pytest.fixture
def world(tmp_path: Path, engine: Engine) -> World:
    return make_world(tmp_path, engine)


def _approve_all(world: World, now: datetime = DAY) -> None:
    approve_all(world, now)


def _tokens(world: World, kind: str, pattern: re.Pattern[str]) -> dict[str, str]:
    return {
        m.to_email: pattern.search(m.text).group(1)  # type: ignore[union-attr]
        for m in world.messages(kind)
    }


def _sign_all(world: World, now: datetime = DAY) -> None:
    for email, token in _tokens(world, "sign_request", SIGN_LINK).items():
        with world.env(now, actor=f"signer:{email}") as env:
            sign(
                resolve_signature(token, session=env.session, now=env.now),
                name=f"Signer {email}",
                title="Director",
                confirmed=True,
                ip_address="192.0.2.10",
                user_agent="Mozilla/5.0 (test)",
                env=env,
            )


def test_signoff_is_refused_until_every_signatory_approved(world: World) -> None:
    with pytest.raises(Refusal, match="has not reviewed any version"), world.env(DAY) as env:
        start_signoff(MOU, env=env)
    with world.env(DAY) as env:
        start_round(RoundRequest(agreement=MOU, working_days=10), env=env)
    token = world.links()["safehome@example.kz"]
    with world.env(DAY) as env:
        decide(
            resolve(token, session=env.session, now=env.now),
            Decision.request_changes,
            "Срок хранения",
            request_key="x",
            env=env,
        )
    with (
        pytest.raises(
            Refusal,
            match=r"ngo-safe-home has not approved version 1 "
            r"\(round 1: request_changes\)",
        ),
        world.env(DAY) as env,
    ):
        start_signoff(MOU, env=env)


def test_whole_path_to_force_with_progress_reminders_and_documents(world: World) -> None:
    _approve_all(world)
    with world.env(DAY) as env:
        started = start_signoff(MOU, env=env)
    assert started.requests == 3  # the commission coordinates: it does not sign
    _sign_all(world)
    with Session(world.engine) as session:
        agreement = session.exec(select(Agreement).where(Agreement.slug == MOU)).one()
        assert agreement.status is AgreementStatus.in_force
        items = session.exec(select(TrackedCommitment)).all()
        assert len(items) == 5 and {i.status for i in items} == {ItemStatus.not_started}
        assert audit.verify_chain(session=session).ok
    signed = [m for m in world.messages("signed_agreement")]
    assert signed and signed[0].attachments[0]["filename"] == f"{MOU}-v1-signed.docx"
    certificate = docx2python(BytesIO(world.store.read(signed[0].attachments[0]["document"])))
    assert "192.0.2.10" in certificate.text and "Signer e.kassymov@example.kz" in certificate.text

    focal = _tokens(world, "focal_access", FOCAL_LINK)
    mia_token = focal["m.issayeva@example.kz"]
    with world.env(DAY, actor="focal") as env:
        scope = resolve_focal(mia_token, session=env.session, now=env.now)
        own = tracked_items(session=env.session, organization_id=scope.organization.id)
        first = own[0]
        record_progress(
            scope,
            first.commitment_id,
            MOU,
            Progress(
                ItemStatus.in_progress,
                value="2",
                percent=40,
                note="Обучено 2 группы",
                evidence=Evidence("протокол.pdf", minimal_pdf()),
            ),
            request_key="u1",
            env=env,
        )
        record_progress(
            scope,
            first.commitment_id,
            MOU,
            Progress(ItemStatus.in_progress, value="2", percent=40),
            request_key="u1",
            env=env,
        )  # double submit: a no-op
        other = next(
            i
            for i in tracked_items(session=env.session, agreement=MOU)
            if i.responsible_org_id != "kz-mia"
        )
        with pytest.raises(Refusal, match="has no commitment"):
            record_progress(
                scope,
                other.commitment_id,
                MOU,
                Progress(ItemStatus.done),
                request_key="u2",
                env=env,
            )
        with pytest.raises(Refusal, match="cannot be attached"):
            record_progress(
                scope,
                first.commitment_id,
                MOU,
                Progress(ItemStatus.done, evidence=Evidence("virus.exe", b"MZ")),
                request_key="u3",
                env=env,
            )

    due_dates = sorted(i.due for i in tracked_items(session=Session(world.engine), agreement=MOU))
    before_first = date.fromordinal(due_dates[0].toordinal() - 2)
    with world.env(DAY) as env:
        report = send_reminders(before_first, env=env)
    with world.env(DAY) as env:
        again = send_reminders(before_first, env=env)
    assert report.digests >= 1 and again.digests == 0
    late = date.fromordinal(due_dates[0].toordinal() + 30)
    with world.env(DAY) as env:
        escalated = send_reminders(late, env=env)
    assert escalated.marked_overdue >= 1 and escalated.escalations >= 1
    with Session(world.engine) as session:
        from models import AuditEvent

        overdue = session.exec(
            select(AuditEvent).where(AuditEvent.action == "commitments.overdue")
        ).all()
        assert sum(len(e.data["commitments"]) for e in overdue) == escalated.marked_overdue
        assert audit.verify_chain(session=session).ok
    assert world.messages("escalation_digest")

    with world.env(DAY) as env:
        location, *others = write_progress_report(MOU, late, env=env)
        items = tracked_items(session=env.session, agreement=MOU)
    report_text = docx2python(location).text
    assert "40" in report_text
    assert "Обучено 2 группы" in report_text  # the focal point's note, from the latest update
    assert "Орындаған: Айгерим Жаксылыкова" in report_text  # the secretariat's contact
    # the state language first, as the agreement lists it; then each other document language
    assert [Path(other).name for other in others] == [f"{MOU}-progress-{late.isoformat()}-ru.docx"]
    assert "Исполнитель: Айгерим Жаксылыкова" in docx2python(others[0]).text
    assert [i.latest_note for i in items if i.latest_note] == ["Обучено 2 группы"]
    ics = Calendar.from_ical(
        organisation_calendar(
            "kz-mia",
            "МВД",
            [i for i in items if i.responsible_org_id == "kz-mia"],
            language="ru",
            generated_at=DAY,
        )
    )
    assert len([c for c in ics.walk("VEVENT")]) == len(
        [i for i in items if i.responsible_org_id == "kz-mia"]
    )
    back = read_register(export_register(items, language="ru"))
    assert len(back) == len(items)


def test_decline_sends_it_back_and_a_changed_text_cannot_be_signed(world: World) -> None:
    _approve_all(world)
    with world.env(DAY) as env:
        start_signoff(MOU, env=env)
    tokens = _tokens(world, "sign_request", SIGN_LINK)
    first, second = list(tokens.values())[:2]
    with world.env(DAY) as env:
        sign(
            resolve_signature(first, session=env.session, now=env.now),
            name="A",
            title="B",
            confirmed=True,
            ip_address="192.0.2.1",
            user_agent="ua",
            env=env,
        )
    with pytest.raises(Refusal, match="already signed"), world.env(DAY) as env:
        sign(
            resolve_signature(first, session=env.session, now=env.now),
            name="A",
            title="B",
            confirmed=True,
            ip_address="192.0.2.1",
            user_agent="ua",
            env=env,
        )
    world.edit(f"{MOU}.yaml", "retention_years: 5", "retention_years: 4")
    world.draft()
    with pytest.raises(Refusal, match="text changed after approval"), world.env(DAY) as env:
        sign(
            resolve_signature(second, session=env.session, now=env.now),
            name="C",
            title="D",
            confirmed=True,
            ip_address="192.0.2.2",
            user_agent="ua",
            env=env,
        )
    with world.env(DAY) as env:
        decline(
            resolve_signature(second, session=env.session, now=env.now),
            reason="Текст изменился после согласования",
            env=env,
        )
    with Session(world.engine) as session:
        assert (
            session.exec(select(Agreement).where(Agreement.slug == MOU)).one().status
            is AgreementStatus.draft
        )
    assert world.messages("signoff_declined")


def test_report_requests_and_expiry_alerts_follow_the_calendar(world: World) -> None:
    from accord.services.commitments.periodic import periodic_duties
    from tests.review_world import bring_into_force

    world.edit(f"{MOU}.yaml", "\nterm:", "\nreporting:\n  every_months: 6\n  day: 20\nterm:")
    world.draft()
    bring_into_force(world, DAY)  # effective 2027-01-11; periods end 2027-07-10, 2028-01-10 …
    with world.env(DAY) as env:
        assert periodic_duties(date(2027, 7, 10), env=env) == 0
    with world.env(DAY) as env:  # Sunday 11 July: the request waits for the working week
        assert periodic_duties(date(2027, 7, 11), env=env) == 0
    with world.env(DAY) as env:
        first = periodic_duties(date(2027, 7, 12), env=env)
    with world.env(DAY) as env:
        assert periodic_duties(date(2027, 7, 12), env=env) == 0  # never twice on a day
    requests = world.messages("report_request")
    assert first == len(requests) > 0
    assert "20" in requests[0].text  # due by Friday 20 August, the 20th of the following month
    with world.env(DAY) as env:  # a week on is Saturday 17 July: reminders on the Monday
        assert periodic_duties(date(2027, 7, 17), env=env) == 0
    with world.env(DAY) as env:
        assert periodic_duties(date(2027, 7, 19), env=env) == first
    with world.env(DAY) as env:
        assert periodic_duties(date(2029, 11, 1), env=env) >= 1  # 71 days before 2030-01-11
    with world.env(DAY) as env:
        periodic_duties(date(2029, 11, 2), env=env)
    alerts = world.messages("expiry_alert")
    assert len({m.key.rsplit(":", 1)[0] for m in alerts}) == 1  # the 90-day alert, once


def test_reports_can_follow_calendar_half_years(world: World) -> None:
    """ "By the 20th after each half-year": the first period ends on 30 June, whatever the
    day of entry into force."""
    from accord.services.commitments.periodic import periodic_duties
    from tests.review_world import bring_into_force

    world.edit(f"{MOU}.yaml", "\nterm:", "\nreporting:\n  every: half-year\nterm:")
    world.draft()
    bring_into_force(world, DAY)  # effective 2027-01-11
    with world.env(DAY) as env:
        assert periodic_duties(date(2027, 6, 30), env=env) == 0
    with world.env(DAY) as env:
        assert periodic_duties(date(2027, 7, 1), env=env) > 0  # a Thursday
    keys = {m.key.split(":")[2] for m in world.messages("report_request")}
    assert keys == {"2027-06-30"}


def test_an_amendment_keeps_commitments_by_id_with_their_history(world: World) -> None:
    from accord.services.signing.start import start_signoff as start
    from models import ProgressUpdate
    from tests.review_world import bring_into_force

    bring_into_force(world, DAY)
    focal = _tokens(world, "focal_access", FOCAL_LINK)
    with world.env(DAY) as env:
        scope = resolve_focal(focal["m.issayeva@example.kz"], session=env.session, now=env.now)
        item = tracked_items(session=env.session, organization_id=scope.organization.id)[0]
        record_progress(
            scope,
            item.commitment_id,
            MOU,
            Progress(ItemStatus.in_progress, value="1", percent=10),
            request_key="before",
            env=env,
        )
    with Session(world.engine) as session:
        before = {t.key: t.id for t in session.exec(select(TrackedCommitment))}
    world.edit(f"{MOU}.yaml", "retention_years: 5", "retention_years: 4")
    assert {r.agreement: r.number for r in world.draft()}[MOU] == 2
    later = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
    approve_all(world, later)
    with world.env(later) as env:
        started = start(MOU, env=env)
    for message in world.messages("sign_request")[-started.requests :]:
        with world.env(later) as env:
            sign(
                resolve_signature(
                    SIGN_LINK.search(message.text).group(1),  # type: ignore[union-attr]
                    session=env.session,
                    now=env.now,
                ),
                name="N",
                title="T",
                confirmed=True,
                ip_address="192.0.2.3",
                user_agent="ua",
                env=env,
            )
    with Session(world.engine) as session:
        after = {t.key: t for t in session.exec(select(TrackedCommitment))}
        assert {k: t.id for k, t in after.items()} == before  # same items, same ids
        kept = after[item.commitment_id]
        assert kept.status is ItemStatus.in_progress and kept.latest_percent == 10
        assert (
            session.exec(select(ProgressUpdate).where(ProgressUpdate.tracked_id == kept.id))
            .one()
            .request_key
            == "before"
        )
        assert (
            session.exec(select(Agreement).where(Agreement.slug == MOU)).one().status
            is AgreementStatus.in_force
        )


def test_a_deactivated_signatory_cannot_sign(world: World) -> None:
    from accord.services.links import LinkNotValid
    from models import Contact

    _approve_all(world)
    with world.env(DAY) as env:
        start_signoff(MOU, env=env)
    email, token = next(iter(_tokens(world, "sign_request", SIGN_LINK).items()))
    with world.env(DAY) as env:
        assert resolve_signature(token, session=env.session, now=env.now).contact.email == email
        contact = env.session.exec(select(Contact).where(Contact.email == email)).one()
        contact.active = False
    with pytest.raises(LinkNotValid), world.env(DAY) as env:
        resolve_signature(token, session=env.session, now=env.now)


def _agreement_status(world: World) -> AgreementStatus:
    with Session(world.engine) as session:
        return session.exec(select(Agreement).where(Agreement.slug == MOU)).one().status


def test_an_amendment_is_its_own_track_and_the_agreement_stays_in_force(world: World) -> None:
    from accord.services.commitments.periodic import periodic_duties
    from accord.services.commitments.report import agreements_in_force
    from tests.review_world import bring_into_force

    world.edit(f"{MOU}.yaml", "\nterm:", "\nreporting:\n  every_months: 6\n  day: 20\nterm:")
    world.draft()
    bring_into_force(world, DAY)
    later = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
    approve_all(world, later)  # a review round of the signed text itself
    assert _agreement_status(world) is AgreementStatus.in_force
    with pytest.raises(Refusal) as refused, world.env(later) as env:
        start_signoff(MOU, env=env)  # version 1 is signed already: no second sign-off
    assert refused.value.code == "signing.already_signed_version"

    world.edit(f"{MOU}.yaml", "retention_years: 5", "retention_years: 4")
    world.draft()  # the amendment: a newer version
    with world.env(later) as env:
        start_round(RoundRequest(agreement=MOU, working_days=10), env=env)
    assert _agreement_status(world) is AgreementStatus.in_force  # under review: still in force
    with world.env(later) as env:
        assert agreements_in_force(session=env.session) == [MOU]
        monday = date(2027, 7, 12)  # a working day: the daily run sends nothing on a day off
        assert periodic_duties(monday, env=env) > 0  # report requests keep going
        assert write_progress_report(MOU, monday, env=env)[0].endswith(".docx")
    for email, token in world.links().items():
        with world.env(later) as env:
            if (scope := _open(token, session=env.session, now=env.now)) is not None:
                decide(scope, Decision.approve, None, request_key=f"v2-{email}", env=env)
    with world.env(later) as env:
        started = start_signoff(MOU, env=env)
    amendment = world.messages("sign_request")[-started.requests :]
    token = SIGN_LINK.search(amendment[0].text).group(1)  # type: ignore[union-attr]
    with world.env(later) as env:
        decline(
            resolve_signature(token, session=env.session, now=env.now),
            reason="Не согласны",
            env=env,
        )
    assert _agreement_status(world) is AgreementStatus.in_force  # the signed version holds


def _open(token: str, *, session: Session, now: datetime) -> AccessScope | None:
    from accord.services.links import LinkNotValid

    try:
        return resolve(token, session=session, now=now)
    except LinkNotValid:
        return None  # the round closed with the last party's answer


def test_re_drafting_without_a_focal_point_lists_their_page_and_needs_yes(world: World) -> None:
    from accord.services.drafting.drafting import record_drafts
    from accord.services.links import LinkNotValid
    from accord.settings import PROJECT_ROOT
    from accord.source.clause_library import ClauseLibrary
    from accord.source.loader import load_sources
    from tests.review_world import bring_into_force

    bring_into_force(world, DAY)
    page = _tokens(world, "focal_access", FOCAL_LINK)["m.issayeva@example.kz"]
    world.edit(
        "organizations.yaml",
        "      - name: Мадина Исаева\n        email: m.issayeva@example.kz\n"
        "        language: kk\n        roles: [reviewer, focal_point]\n",
        "",
    )
    library = ClauseLibrary.from_directory(PROJECT_ROOT / "templates" / "clauses")
    sources = load_sources([world.sources], clause_library=library)
    with pytest.raises(Refusal) as refused, world.env(DAY) as env:
        record_drafts(sources, session=env.session, actor="test")
    assert "m.issayeva@example.kz (kz-mia): focal point page" in str(refused.value)
    with world.env(DAY) as env:
        record_drafts(sources, session=env.session, actor="test", revoke_open_access=True)
    with pytest.raises(LinkNotValid), Session(world.engine) as session:
        resolve_focal(page, session=session, now=DAY)
