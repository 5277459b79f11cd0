"""The final, signed agreement: signature blocks filled in, and a certificate page of evidence.

The body is the agreement document itself (`agreement_docx.agreement_package`); only the
signature pages differ. The certificate says which exact version (SHA-256) was signed, when
it takes effect, and who signed it for whom, when, from where and on which version.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from accord.documents.agreement_docx import Edition, agreement_package
from accord.documents.blocks import LanguageTexts, org_name, stacked
from accord.documents.closing import signature_blocks
from accord.documents.docx_package import skeleton, w3cdtf
from accord.documents.docx_styles import (
    CLAUSE_TEXT,
    MONO,
    SMALL_CELL,
    SMALL_CELL_ALT,
    SMALL_CELL_HEAD,
    SMALL_CELL_HEAD_ALT,
    TITLE,
    styled,
)
from accord.documents.formatting import as_utc, format_date
from accord.documents.labels import DocumentLabels
from accord.documents.wordml import cell, paragraph, row, run, table, text_paragraph
from accord.source.spec import VersionContent

COLUMNS = (
    "col_organization",
    "col_signer",
    "col_email",
    "col_signed_at",
    "col_ip",
    "col_user_agent",
    "col_version_hash",
)
SHARES = (13, 14, 18, 18, 11, 12, 14)
"""Percent of the portrait text width per column: timestamp and hash prefix fit on one line."""
PADDING = 57
"""Cell margins of 1 mm (Word's default is 1.9 mm): every millimetre counts on a portrait page."""
HEAD_FILL = "D9D9D9"
FLAG_FILL = "F4CCCC"
AGENT_LENGTH = 80
"""Characters of a user agent printed; the full string stays in the sign-off record."""
HASH_PREFIX = 12
MATCH, MISMATCH = "✓", "≠"
SIGNED_TAG = "signed"
_PAGE_BREAK = "<w:pageBreakBefore/>"


@dataclass(frozen=True)
class SignatureEvidence:
    """One signatory's confirmation as sign-off kept it: who, for whom, when, from where, what."""

    org_id: str
    signer_name: str
    signer_title: str
    contact_email: str
    signed_at: datetime
    """UTC (a naive time is taken to be UTC)."""
    ip_address: str
    user_agent: str
    version_sha256: str


@dataclass(frozen=True)
class _Certificate:
    """What every part of the certificate page needs, worked out once."""

    content: VersionContent
    labels: DocumentLabels
    sha256: str
    widths: tuple[int, ...]

    def each(self, key: str) -> LanguageTexts:
        """The label `key` in every document language, for `stacked`."""
        pairs = zip(self.labels.languages, self.labels.each(key), strict=True)
        return [(lang, (text,)) for lang, text in pairs]


def render_signed_agreement(
    content: VersionContent,
    *,
    number: int,
    sha256: str,
    created_at: datetime,
    signatures: Sequence[SignatureEvidence],
    effective_date: date,
) -> bytes:
    """The signed .docx of version `number`: the agreement, its signatures, their certificate."""
    labels = DocumentLabels(content.agreement.languages)
    edition = Edition(
        number=number,
        sha256=sha256,
        created_at=created_at,
        mark=labels.joined("signed_mark"),
        tags=(SIGNED_TAG,),
        notes=(f"effective:{effective_date.isoformat()}",),
        original=True,
    )
    width = skeleton().sections[2].text_width
    certificate = _Certificate(
        content=content,
        labels=labels,
        sha256=sha256,
        widths=tuple(width * share // 100 for share in SHARES),
    )
    blocks = signature_blocks(content, labels, _signed_blocks(signatures, sha256))
    if content.agreement.approval is not None and not signatures:
        # Adopted by a decision: the approval block on the first page is its evidence.
        return agreement_package(content, labels, edition, blocks)
    certificate_page = _certificate_page(certificate, signatures, number, effective_date)
    return agreement_package(content, labels, edition, blocks, certificate_page)


def _signed_blocks(
    signatures: Sequence[SignatureEvidence], sha256: str
) -> Mapping[str, SignatureEvidence]:
    """Per organisation, the latest signature on this very version; one on another version
    leaves the block blank (the certificate shows it, flagged)."""
    on_this = (s for s in signatures if s.version_sha256 == sha256)
    return {s.org_id: s for s in sorted(on_this, key=lambda s: as_utc(s.signed_at))}


def _certificate_page(
    certificate: _Certificate,
    signatures: Sequence[SignatureEvidence],
    number: int,
    effective_date: date,
) -> str:
    """Heading, statement, the full hash, the effective date, the evidence table, its legend."""
    labels = certificate.labels
    statements = [
        (lang, (text.format(number=number),))
        for lang, (text,) in certificate.each("certificate_statement")
    ]
    return "".join(
        (
            _heading(certificate),
            stacked(statements, CLAUSE_TEXT, CLAUSE_TEXT),
            text_paragraph(certificate.sha256, MONO),
            paragraph(
                run(f"{labels.joined('effective_date')}: ", bold=True)
                + run(format_date(effective_date)),
                styled(CLAUSE_TEXT, labels.languages[0]),
            ),
            *table(
                _rows(certificate, signatures), certificate.widths, borders=True, padding=PADDING
            ),
            text_paragraph("", SMALL_CELL),
            stacked(certificate.each("hash_legend"), SMALL_CELL, SMALL_CELL_ALT),
        )
    )


def _heading(certificate: _Certificate) -> str:
    """The certificate's title in each language (once if they read the same); it starts a page."""
    out: dict[str, str] = {}
    for lang, (title,) in certificate.each("certificate_title"):
        if title not in out:
            props = "" if out else _PAGE_BREAK
            out[title] = paragraph(run(title), styled(TITLE, lang), props)
    return "".join(out.values())


def _rows(certificate: _Certificate, signatures: Sequence[SignatureEvidence]) -> list[str]:
    """Header row (repeated on every page), then one row per signature in party order."""
    head = row(
        (
            cell(
                stacked(certificate.each(key), SMALL_CELL_HEAD, SMALL_CELL_HEAD_ALT),
                width,
                fill=HEAD_FILL,
            )
            for key, width in zip(COLUMNS, certificate.widths, strict=True)
        ),
        header=True,
    )
    if not signatures:
        empty = stacked(certificate.each("no_signatures"), SMALL_CELL, SMALL_CELL_ALT)
        return [head, row([cell(empty, sum(certificate.widths), span=len(COLUMNS))])]
    order = {org: index for index, org in enumerate(certificate.content.agreement.signatories())}
    ordered = sorted(
        signatures, key=lambda s: (order.get(s.org_id, len(order)), as_utc(s.signed_at))
    )
    return [head, *(_evidence_row(certificate, evidence) for evidence in ordered)]


def _evidence_row(certificate: _Certificate, evidence: SignatureEvidence) -> str:
    names = [
        (lang, (org_name(certificate.content, evidence.org_id, lang),))
        for lang in certificate.labels.languages
    ]
    contents = (
        stacked(names, SMALL_CELL, SMALL_CELL_ALT),
        text_paragraph(evidence.signer_name, SMALL_CELL)
        + text_paragraph(evidence.signer_title, SMALL_CELL_ALT),
        text_paragraph(evidence.contact_email or "—", SMALL_CELL),
        text_paragraph(w3cdtf(as_utc(evidence.signed_at)), SMALL_CELL),
        text_paragraph(evidence.ip_address or "—", SMALL_CELL),
        text_paragraph(shorten(evidence.user_agent, AGENT_LENGTH) or "—", SMALL_CELL),
    )
    widths = certificate.widths
    cells = [cell(xml, width) for xml, width in zip(contents, widths[:-1], strict=True)]
    cells.append(_hash_cell(certificate, evidence.version_sha256, widths[-1]))
    return row(cells)


def _hash_cell(certificate: _Certificate, version_sha256: str, width: int) -> str:
    """The first characters of the signed version's hash: ✓ when it is this document's,
    else ≠ on a red ground with "another version" underneath."""
    same = version_sha256 == certificate.sha256
    prefix = run(f"{version_sha256[:HASH_PREFIX]} ")
    mark = paragraph(prefix + run(MATCH if same else MISMATCH, bold=True), SMALL_CELL)
    if same:
        return cell(mark, width)
    note = stacked(certificate.each("other_version"), SMALL_CELL, SMALL_CELL_ALT)
    return cell(mark + note, width, fill=FLAG_FILL)


def shorten(text: str, limit: int) -> str:
    """`text` on one line, cut to `limit` characters with an ellipsis when longer."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    return line[: limit - 1].rstrip() + "…"
