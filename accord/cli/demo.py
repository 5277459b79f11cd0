"""`accord demo`: the examples drafted, and one MOU taken through two review rounds.

The review part works on a copy of the example sources in the data folder, edits that copy
to answer the reviewers (version 2), and acts for the reviewers through the same services
the portal uses, following the links in the e-mails they received.
"""

import re
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from sqlmodel import Session, col, select

from accord.cli.runtime import open_database, prefect_api, run_flow, service_session
from accord.errors import AccordError
from accord.services.links import LinkNotValid
from accord.services.review.access import resolve
from accord.services.review.actions import add_comment, decide
from accord.settings import Settings, get_settings
from models import Agreement, Decision, OutgoingMessage, ReviewRound

MOU = "kz-referral-mou"
ASKS_FOR_CHANGES = "safehome@example.kz"
LINK = re.compile(r"/r/([A-Za-z0-9_-]{20,})")


def run_demo() -> None:
    settings = get_settings()
    clock = time.monotonic()
    with _step("0. The Prefect server and the document converter …"):
        _background_services(settings)
    with _step(f"1. Drafting the examples in {settings.agreements_dir} …"):
        from flows.drafting import draft_agreements

        drafted = run_flow(draft_agreements, paths=[str(settings.agreements_dir)], actor="demo")
        _print_drafts(drafted)
    if _mou_was_reviewed(settings):
        typer.echo(
            f"\nThe demo review of {MOU} already ran; delete {settings.data_dir} and "
            f"{settings.output_dir} to run it again."
        )
        _workspace_admin(settings)
        return
    sources = _demo_sources(settings)
    with _step(f"2. Review round 1 on {MOU} (sources copied to {sources}) …"):
        _round(settings, sources, first=True)
    with _step("3. Version 2 answers the requested change; review round 2 …"):
        text = (sources / f"{MOU}.yaml").read_text(encoding="utf-8")
        (sources / f"{MOU}.yaml").write_text(
            text.replace("retention_years: 5", "retention_years: 3", 1), encoding="utf-8"
        )
        mou = str(sources / f"{MOU}.yaml")
        _print_drafts(run_flow(draft_agreements, paths=[mou], actor="demo"))
        _round(settings, sources, first=False)
    with _step("4. Sign-off of the approved version; entry into force …"):
        _sign_off()
    with _step("5. Focal points report progress; a reminder day; the progress report …"):
        _track_commitments()
    _workspace_admin(settings)
    typer.echo(f"\nE-mails (.eml, open them in a mail client): {settings.outbox_dir.resolve()}")
    typer.echo(f"Documents and comments matrices: {settings.output_dir.resolve()}")
    typer.echo(f"The demo took {time.monotonic() - clock:.1f} s.")


@contextmanager
def _step(title: str) -> Iterator[None]:
    """A line when a step starts, and its time when it ends: a person sees it move."""
    typer.echo(title if title.startswith("0.") else f"\n{title}")
    started = time.monotonic()
    yield
    typer.echo(f"   done in {time.monotonic() - started:.1f} s")


def _background_services(settings: Settings) -> None:
    """Both started together (each takes seconds the first time), then left for later use."""
    from accord.cli.pdf import start_converter

    converter = threading.Thread(target=start_converter, args=(settings,), name="converter")
    converter.start()
    try:
        typer.echo(f"   prefect server: {prefect_api().removesuffix('/api')}")
    finally:
        converter.join()


def _print_drafts(summary: list[dict[str, Any]]) -> None:
    """Each agreement's version and document, with its languages (the state language first)."""
    for item in summary:
        if "error" in item:
            raise AccordError(f"{item['agreement']}: {item['error']}")
        state = "new version" if item["created"] else "unchanged, still version"
        languages = ", ".join(item.get("languages", ()))
        typer.echo(
            f"   {item['agreement']} [{languages}]: {state} {item['version']}  {item['document']}"
        )


def _mou_was_reviewed(settings: Settings) -> bool:
    with Session(open_database(settings)) as session:
        return (
            session.exec(
                select(ReviewRound.id)
                .join(Agreement, col(Agreement.id) == ReviewRound.agreement_id)
                .where(Agreement.slug == MOU)
            ).first()
            is not None
        )


def _demo_sources(settings: Settings) -> Path:
    target = settings.data_dir / "demo-agreements"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(settings.agreements_dir, target)
    return target


def _round(settings: Settings, sources: Path, *, first: bool) -> None:
    from flows.review import review_rounds_tick, start_review_round

    started = run_flow(start_review_round, agreement=MOU, working_days=10, actor="demo")
    typer.echo(
        f"   round {started['round']} open until {started['deadline']}: "
        f"{started['requests']} review requests e-mailed"
    )
    for email, token in _links_of_round(settings, started["round"]).items():
        changes = first and email == ASKS_FOR_CHANGES
        _act_as_reviewer(email, token, changes=changes)
        verdict = "requests changes to the confidentiality clause" if changes else "approves"
        typer.echo(f"   {email} {verdict}")
    run_flow(review_rounds_tick, actor="demo")
    with service_session() as env:
        round_ = env.session.exec(
            select(ReviewRound)
            .join(Agreement, col(Agreement.id) == ReviewRound.agreement_id)
            .where(Agreement.slug == MOU, ReviewRound.number == started["round"])
        ).one()
        typer.echo(
            f"   round {round_.number}: {round_.status.value}, outcome "
            f"{round_.outcome.value if round_.outcome else 'pending'}"
        )


def _links_of_round(settings: Settings, number: int) -> dict[str, str]:
    with Session(open_database(settings)) as session:
        rows = session.exec(
            select(OutgoingMessage)
            .join(ReviewRound, col(ReviewRound.id) == OutgoingMessage.round_id)
            .where(ReviewRound.number == number, OutgoingMessage.kind == "review_request")
            .order_by(col(OutgoingMessage.id))
        ).all()
    links: dict[str, str] = {}
    for message in rows:
        match = LINK.search(message.text)
        if match and message.to_email not in links:
            links[message.to_email] = match.group(1)
    return links


def _act_as_reviewer(email: str, token: str, *, changes: bool) -> None:
    with service_session(actor=f"reviewer:{email} (demo)") as env:
        try:
            scope = resolve(token, session=env.session, now=env.now, for_update=True)
        except LinkNotValid:  # the round closed when the last party answered
            return
        if changes:
            add_comment(
                scope,
                "confidentiality",
                "Предлагаем сократить срок хранения персональных данных до 3 лет.",
                request_key=uuid.uuid4().hex,
                env=env,
            )
            decide(
                scope,
                Decision.request_changes,
                "Срок хранения данных (5 лет) больше, чем требуется для целей меморандума.",
                request_key=uuid.uuid4().hex,
                env=env,
            )
        else:
            decide(scope, Decision.approve, None, request_key=uuid.uuid4().hex, env=env)


SIGN_LINK = re.compile(r"/s/([A-Za-z0-9_-]{20,})")
FOCAL_LINK = re.compile(r"/f/([A-Za-z0-9_-]{20,})")


def _links(kind: str, pattern: re.Pattern[str]) -> dict[str, str]:
    with Session(open_database()) as session:
        rows = session.exec(
            select(OutgoingMessage)
            .where(OutgoingMessage.kind == kind)
            .order_by(col(OutgoingMessage.id))
        ).all()
    return {m.to_email: match.group(1) for m in rows if (match := pattern.search(m.text))}


def _sign_off() -> None:
    from accord.services.signing.access import resolve_signature
    from accord.services.signing.acts import sign
    from flows.signoff import complete_signoff, start_signoff_flow

    started = run_flow(start_signoff_flow, agreement=MOU, actor="demo")
    typer.echo(
        f"   sign-off of version {started['version']} (sha256 {started['sha256'][:12]}): "
        f"{started['requests']} signing links e-mailed"
    )
    for email, token in _links("sign_request", SIGN_LINK).items():
        with service_session(actor=f"signer:{email} (demo)") as env:
            done = sign(
                resolve_signature(token, session=env.session, now=env.now),
                name=DEMO_SIGNERS.get(email, email),
                title="Director",
                confirmed=True,
                ip_address="192.0.2.10",
                user_agent="Accord demo",
                env=env,
            )
        typer.echo(f"   {email} signs" + ("; the MOU is in force" if done.completed else ""))
    run_flow(complete_signoff, actor="demo")


DEMO_SIGNERS = {
    "secretariat@example.kz": "Айгерим Примерова",
    "e.kassymov@example.kz": "Ерлан Касымов",
    "safehome@example.kz": "Гульнара Токтарова",
    "s.zhumabayeva@example.kz": "Салтанат Жумабаева",
}


def _track_commitments() -> None:
    from accord.services.commitments.focal import Progress, record_progress, resolve_focal
    from accord.services.commitments.tracked import tracked_items
    from accord.services.working_days import subtract_working_days
    from flows.commitments import progress_report, send_reminders_flow
    from models import ItemStatus

    reported = 0
    for email, token in _links("focal_access", FOCAL_LINK).items():
        with service_session(actor=f"focal:{email} (demo)") as env:
            scope = resolve_focal(token, session=env.session, now=env.now)
            items = tracked_items(session=env.session, organization_id=scope.organization.id)
            for item in items[:1]:
                record_progress(
                    scope,
                    item.commitment_id,
                    item.agreement_id,
                    Progress(ItemStatus.in_progress, value="1", percent=30, note="Работа начата"),
                    request_key=uuid.uuid4().hex,
                    env=env,
                )
                reported += 1
    typer.echo(f"   {reported} progress updates reported by focal points")
    with service_session() as env:
        items = tracked_items(session=env.session, agreement=MOU)
    first_due = min(i.due for i in items)
    day = subtract_working_days(first_due, 3, "KZ")  # the daily run rests on days off
    result = run_flow(send_reminders_flow, as_of=day, actor="demo")
    digests = result["digests"]
    said = "1 digest" if digests == 1 else f"{digests} digests"
    typer.echo(f"   reminder day {day}: {said} to focal points")
    for location in run_flow(progress_report, agreement=MOU, as_of=day, actor="demo"):
        typer.echo(f"   progress report: {location}")


DEMO_ADMIN = "demo.admin@example.kz"


def _workspace_admin(settings: Settings) -> None:
    """The secretariat's workspace: a demo administrator of the Kazakh commission, with a
    one-time link to choose a password (a new link each time the demo runs)."""
    from accord.errors import NotFound
    from accord.services.staff.accounts import (
        NewAccount,
        account_by_email,
        add_account,
        issue_link,
    )
    from models import StaffLinkPurpose, StaffRole

    with service_session(actor="demo") as env:
        try:
            account = account_by_email(DEMO_ADMIN, env=env)
            link = issue_link(account, StaffLinkPurpose.set_password, env=env)
        except NotFound:
            new = NewAccount(DEMO_ADMIN, "Demo Administrator", "kz-iac", StaffRole.admin, "ru")
            _account, link = add_account(new, env=env)
        url = env.link(link.path)
    base = settings.public_base_url.rstrip("/")
    typer.echo("\nThe secretariat's workspace (the Kazakh commission's demo administrator):")
    typer.echo("   1. start the web server:   .venv/bin/accord portal")
    typer.echo(f"   2. choose a password at:   {url}")
    typer.echo(f"   3. sign in at {base}/workspace/ as {DEMO_ADMIN}")
