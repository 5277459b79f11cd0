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
from accord.services.review.access import resolve
from accord.services.review.actions import decide
from accord.services.review.rounds import RoundRequest, start_round
from accord.services.signing.access import resolve_signature
from accord.services.signing.acts import decline, sign
from accord.services.signing.start import start_signoff
from models import Agreement, AgreementStatus, Decision, ItemStatus, TrackedCommitment
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
                resolve_signature(token, session=env.session),
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
            resolve(token, session=env.session),
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
    assert started.requests == 4
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
        scope = resolve_focal(mia_token, session=env.session)
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
                evidence=Evidence("протокол.pdf", b"%PDF-1.4 test"),
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
    assert "Исполнитель: Айгерим Жаксылыкова" in report_text  # the secretariat's contact
    assert [Path(other).name for other in others] == [f"{MOU}-progress-{late.isoformat()}-kk.docx"]
    assert "Орындаған: Айгерим Жаксылыкова" in docx2python(others[0]).text
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
            resolve_signature(first, session=env.session),
            name="A",
            title="B",
            confirmed=True,
            ip_address="192.0.2.1",
            user_agent="ua",
            env=env,
        )
    with pytest.raises(Refusal, match="already signed"), world.env(DAY) as env:
        sign(
            resolve_signature(first, session=env.session),
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
            resolve_signature(second, session=env.session),
            name="C",
            title="D",
            confirmed=True,
            ip_address="192.0.2.2",
            user_agent="ua",
            env=env,
        )
    with world.env(DAY) as env:
        decline(
            resolve_signature(second, session=env.session),
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
    with world.env(DAY) as env:
        first = periodic_duties(date(2027, 7, 11), env=env)
    with world.env(DAY) as env:
        assert periodic_duties(date(2027, 7, 11), env=env) == 0  # never twice on a day
    requests = world.messages("report_request")
    assert first == len(requests) > 0
    assert "20" in requests[0].text  # due by the 20th of the following month
    with world.env(DAY) as env:
        assert periodic_duties(date(2027, 7, 17), env=env) == first  # a week on: reminders
    with world.env(DAY) as env:
        assert periodic_duties(date(2029, 11, 1), env=env) >= 1  # 71 days before 2030-01-11
    with world.env(DAY) as env:
        periodic_duties(date(2029, 11, 2), env=env)
    alerts = world.messages("expiry_alert")
    assert len({m.key.rsplit(":", 1)[0] for m in alerts}) == 1  # the 90-day alert, once


def test_an_amendment_keeps_commitments_by_id_with_their_history(world: World) -> None:
    from accord.services.signing.start import start_signoff as start
    from models import ProgressUpdate
    from tests.review_world import bring_into_force

    bring_into_force(world, DAY)
    focal = _tokens(world, "focal_access", FOCAL_LINK)
    with world.env(DAY) as env:
        scope = resolve_focal(focal["m.issayeva@example.kz"], session=env.session)
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
        start(MOU, env=env)
    for message in world.messages("sign_request")[-4:]:
        with world.env(later) as env:
            sign(
                resolve_signature(
                    SIGN_LINK.search(message.text).group(1),  # type: ignore[union-attr]
                    session=env.session,
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
