"""The rules of sign-off, free of I/O: approval gaps, whether a signature may be recorded."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath

from accord.errors import Refusal
from accord.services.signing import scan_content
from accord.source.people import NotAName, check_name
from accord.source.spec import ApprovalSpec
from models import Decision, SignatureStatus

APPROVALS = (Decision.approve, Decision.approve_with_comments)
NAME_LIMIT = 200
"""`signature.signer_name` and `signer_title` hold 200 characters."""
REASON_LIMIT = 5000


@dataclass(frozen=True)
class LastReview:
    """A signatory's latest external review of the agreement, as far as sign-off cares."""

    round_number: int
    version_id: int
    version_number: int
    decision: Decision | None
    """Its latest decision in that round; None when it did not answer."""


@dataclass(frozen=True)
class Gap:
    """Why one signatory holds sign-off back."""

    party: str
    version_number: int
    last: LastReview | None

    def __str__(self) -> str:
        if self.last is None:
            return f"{self.party} has not reviewed any version yet"
        said = self.last.decision.value if self.last.decision else "no answer"
        if self.last.version_number != self.version_number:
            return (
                f"{self.party} has not approved version {self.version_number}: its latest "
                f"review (round {self.last.round_number}) was of version "
                f"{self.last.version_number} ({said})"
            )
        return (
            f"{self.party} has not approved version {self.version_number} "
            f"(round {self.last.round_number}: {said})"
        )


def approval_gaps(
    signatories: Sequence[str],
    last_reviews: dict[str, LastReview | None],
    *,
    version_id: int,
    version_number: int,
) -> list[Gap]:
    """Every signatory must have approved exactly this version in its latest external review."""
    gaps = []
    for party in signatories:
        last = last_reviews.get(party)
        approved = last is not None and last.version_id == version_id and last.decision in APPROVALS
        if not approved:
            gaps.append(Gap(party, version_number, last))
    return gaps


def not_signed_yet(version_number: int, *, signed_number: int | None, agreement: str) -> None:
    """A signed version is never signed again: only an amendment (a newer version) can be."""
    if signed_number == version_number:
        raise Refusal(
            "signing.already_signed_version",
            "Version %(version)s of “%(agreement)s” is already signed and in force; sign-off "
            "starts again only for an amendment, a newer version reviewed and approved.",
            version=version_number,
            agreement=agreement,
        )


def refuse_gaps(gaps: list[Gap]) -> None:
    if gaps:
        raise Refusal("signing.not_approved", "sign-off refused: %(gaps)s", gaps=tuple(gaps))


def still_pending(
    status: SignatureStatus,
    signed_at: datetime | None,
    *,
    party: str,
    version_number: int,
    signer: str | None,
    declining: bool,
) -> None:
    """A signature is given once: an organisation that signed can neither sign nor decline."""
    if status is SignatureStatus.signed and signed_at is not None:
        if declining:
            raise Refusal(
                "signing.already_signed_no_decline",
                "Your organisation has already signed version %(number)s (%(signer)s, "
                "%(when)s), so it can no longer decline.",
                number=version_number,
                signer=signer or "",
                when=signed_at,
            )
        raise Refusal(
            "signing.already_signed",
            "Your organisation has already signed version %(number)s (%(signer)s, %(when)s).",
            number=version_number,
            signer=signer or "",
            when=signed_at,
        )
    if status is not SignatureStatus.pending:
        raise Refusal(
            "signing.already_answered",
            "%(party)s has already %(status)s",
            party=party,
            status=status.value,
        )


def same_text(
    *,
    latest_id: int,
    latest_number: int,
    signoff_version_id: int,
    signoff_number: int,
    latest_sha256: str,
    signoff_sha256: str,
) -> None:
    """Approvals never carry over to another text: a newer version blocks this sign-off."""
    if latest_id == signoff_version_id and latest_sha256 == signoff_sha256:
        return
    raise Refusal(
        "signing.text_changed",
        "The text changed after approval (version %(latest)s exists, this sign-off is for "
        "version %(version)s); the new version needs a review round first.",
        latest=latest_number,
        version=signoff_number,
    )


def signer(name: str, title: str, *, confirmed: bool) -> tuple[str, str]:
    """Both the name and the title, within their columns, and the confirmation ticked."""
    person, position = name.strip(), title.strip()
    if not person or not position:
        raise Refusal(
            "signing.name_and_title",
            "Enter both your full name and your title to sign.",
            field="name" if not person else "title",
        )
    for field, text in (("name", person), ("title", position)):
        if len(text) > NAME_LIMIT:
            raise Refusal(
                "signing.name_too_long",
                "The name or title is %(length)s characters long; the limit is %(limit)s.",
                field=field,
                length=len(text),
                limit=NAME_LIMIT,
            )
        try:
            check_name(text)
        except NotAName:
            raise Refusal(
                "signing.not_one_line",
                "Write your name and your title each on one line, without control characters.",
                field=field,
            ) from None
    if not confirmed:
        raise Refusal(
            "signing.not_confirmed",
            "Tick the confirmation: it states which exact text you sign, and for whom.",
            field="confirm",
        )
    return person, position


def decline_reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise Refusal(
            "signing.reason_required",
            "Say why your organisation declines to sign (up to %(limit)s characters): "
            "the secretariat receives it at once.",
            field="reason",
            limit=REASON_LIMIT,
        )
    if len(text) > REASON_LIMIT:
        raise Refusal(
            "signing.reason_too_long",
            "The reason is %(length)s characters long; the limit is %(limit)s.",
            field="reason",
            length=len(text),
            limit=REASON_LIMIT,
        )
    return text


def all_signed(statuses: Sequence[SignatureStatus]) -> bool:
    return all(s is SignatureStatus.signed for s in statuses)


def last_signature_day(
    signed: Sequence[tuple[datetime | None, date | None]], *, today: date
) -> date:
    """The day the last signatory signed: the day on the page for a signature on paper, the
    day of the click for one given online."""
    days = [on_paper or (at.date() if at else today) for at, on_paper in signed]
    return max(days, default=today)


def approval_recorded(
    approval: ApprovalSpec | None, *, agreement: str, version_number: int
) -> ApprovalSpec:
    """The decision that adopts a plan; a version without one is signed, not approved."""
    if approval is None:
        raise Refusal(
            "signing.no_approval",
            "Version %(version)s of “%(agreement)s” records no approval: add `approval:` (by, "
            "date, number) to its source, or start sign-off.",
            agreement=agreement,
            version=version_number,
        )
    return approval


# --- a signature given on paper, recorded by the secretariat ---------------------------------

PLACE_LIMIT = 200
SCAN_LIMIT = 10 * 1024 * 1024
"""Bytes of a scan of a signed page: a few pages scanned at 300 dpi fit."""
SCAN_TYPES = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg"}


@dataclass(frozen=True)
class PaperSigning:
    """What the secretariat writes down about a signature given at a ceremony."""

    name: str
    title: str
    signed_on: date | None
    place: str


def paper_signer(name: str, title: str) -> tuple[str, str]:
    """The person who signed and their title, each on one line within its column."""
    person, position = name.strip(), title.strip()
    if not person or not position:
        raise Refusal(
            "signing.paper_signer",
            "Enter the full name and the title of the person who signed.",
            field="name" if not person else "title",
        )
    for field, text in (("name", person), ("title", position)):
        _one_line(field, text, NAME_LIMIT)
    return person, position


def _one_line(field: str, text: str, limit: int) -> None:
    if len(text) > limit:
        raise Refusal(
            "signing.text_too_long",
            "This is %(length)s characters long; the limit is %(limit)s.",
            field=field,
            length=len(text),
            limit=limit,
        )
    try:
        check_name(text)
    except NotAName:
        raise Refusal(
            "signing.paper_not_one_line",
            "Write it on one line, without control characters.",
            field=field,
        ) from None


def paper_signing(given: PaperSigning, *, opened_on: date, today: date) -> PaperSigning:
    """A day between the start of sign-off and today, a place, and who signed."""
    name, title = paper_signer(given.name, given.title)
    place = given.place.strip()
    if not place:
        raise Refusal(
            "signing.paper_place",
            "Enter the place where the agreement was signed (a city, a building).",
            field="place",
        )
    _one_line("place", place, PLACE_LIMIT)
    day = given.signed_on
    if day is None:
        raise Refusal(
            "signing.paper_date",
            "Enter the date written on the signed page.",
            field="signed_on",
        )
    if day > today or day < opened_on:
        raise Refusal(
            "signing.paper_date_range",
            "The date of signature must lie between the start of sign-off (%(opened)s) and "
            "today (%(today)s).",
            field="signed_on",
            opened=opened_on,
            today=today,
        )
    return PaperSigning(name, title, day, place)


def scan_file(filename: str, data: bytes) -> tuple[str, str]:
    """(name, suffix) of a scan that is really a PDF, PNG or JPEG within the size limit."""
    name = PurePath(filename.replace("\\", "/")).name.strip()[:255] or "scan"
    suffix = PurePath(name).suffix.lower()
    suffix = ".jpg" if suffix == ".jpeg" else suffix
    if not data:
        raise Refusal(
            "signing.scan_missing",
            "Attach the scan of the signed page (PDF, PNG or JPEG).",
            field="scan",
        )
    if len(data) > SCAN_LIMIT:
        raise scan_too_large()
    if suffix not in SCAN_TYPES or not scan_content.matches(suffix, data):
        raise Refusal(
            "signing.scan_content",
            "“%(name)s” is not a PDF, PNG or JPEG file; attach the scan of the signed page itself.",
            field="scan",
            name=name[:80],
        )
    return name, suffix


def scan_too_large() -> Refusal:
    return Refusal(
        "signing.scan_too_large",
        "The scan is larger than %(limit)s MB; scan the signed page at a lower resolution.",
        field="scan",
        limit=SCAN_LIMIT // (1024 * 1024),
    )
