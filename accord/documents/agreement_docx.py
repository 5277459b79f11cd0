"""An agreement version as a .docx: title, parties, clauses, commitments, signatures.

Pure: content in, bytes out. The package skeleton comes from python-docx once
(`docx_package.skeleton`); each render writes only the body, the footers and the
core properties, as XML strings.
"""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from accord.documents.blocks import org_name, paragraph_texts, pick, side_by_side, stacked
from accord.documents.commitments_table import commitments_section
from accord.documents.docx_package import (
    CORE,
    DOCUMENT,
    Part,
    Section,
    Skeleton,
    core_properties_xml,
    skeleton,
    write_package,
)
from accord.documents.docx_styles import (
    CLAUSE_HEADING,
    CLAUSE_TEXT,
    FOOTER,
    HEADING,
    KIND,
    PARTY,
    SECTION_END,
    SIGNATURE_LINE,
    SIGNATURE_ORG,
    SIGNATURE_ORG_ALT,
    SUBCLAUSE_HEADING,
    TITLE,
    VERSION,
    styled,
)
from accord.documents.formatting import as_utc, format_date, format_moment
from accord.documents.labels import DocumentLabels, labels_for
from accord.documents.wordml import (
    TAB,
    field,
    paragraph,
    right_tab,
    run,
    text_paragraph,
)
from accord.source.spec import AgreementKind, NumberedClause, PartySpec, VersionContent, numbered

SIGNATURE_LINES = ("sig_name", "sig_title", "sig_signature", "sig_date")
_PAGE_PLACEHOLDERS = re.compile(r"(\{page\}|\{pages\})")
_FIELDS = {"{page}": "PAGE", "{pages}": "NUMPAGES"}
_NO_KEEP = '<w:keepNext w:val="0"/>'


class Signer(Protocol):
    """What a filled-in signature block prints of a signature."""

    @property
    def signer_name(self) -> str: ...

    @property
    def signer_title(self) -> str: ...

    @property
    def signed_at(self) -> datetime: ...


@dataclass(frozen=True)
class Edition:
    """Which version a document prints, and what its footers and properties add to that."""

    number: int
    sha256: str
    created_at: datetime
    mark: str = ""
    """Printed after the hash in every footer ("signed")."""
    tags: tuple[str, ...] = ()
    """Core keywords after the agreement id."""
    notes: tuple[str, ...] = ()
    """Core comments after the hash."""

    @property
    def version_line(self) -> str:
        return f"{self.number} · {self.sha256[:12]} · {format_date(self.created_at)}"

    @property
    def stamp(self) -> str:
        return " · ".join(filter(None, (f"v{self.number}", self.sha256[:12], self.mark)))


def render_agreement(
    content: VersionContent, *, number: int, sha256: str, created_at: datetime
) -> bytes:
    """The .docx of version `number` (hash `sha256`) of an agreement."""
    labels = DocumentLabels(content.agreement.languages)
    edition = Edition(number=number, sha256=sha256, created_at=created_at)
    return agreement_package(content, labels, edition, _signatures(content, labels))


def agreement_package(
    content: VersionContent, labels: DocumentLabels, edition: Edition, ending: str
) -> bytes:
    """The agreement's .docx, closed by `ending` (signatures and what follows) on portrait pages."""
    package = skeleton()
    body = _body(content, package, labels, edition.version_line, ending)
    parts: list[Part] = [(DOCUMENT, package.document_xml(body))]
    parts += [(s.footer, page_footer(package, s, labels, edition.stamp)) for s in package.sections]
    parts.append((CORE, _core(content, labels, edition)))
    return write_package(package.static_zip, parts)


def _body(
    content: VersionContent, package: Skeleton, labels: DocumentLabels, version: str, ending: str
) -> Iterator[str]:
    """Portrait text; then, for plans, the landscape commitments table; then `ending`."""
    opening, landscape, closing = package.sections
    yield _title_block(content, labels, version)
    yield _parties(content, labels, opening.text_width)
    yield from _clauses(content, labels, opening.text_width)
    agreement = content.agreement
    if agreement.commitments or agreement.kind is AgreementKind.joint_action_plan:
        yield _section_end(opening)
        yield from commitments_section(content, labels, landscape.text_width)
        yield _section_end(landscape)
        yield ending
        yield closing.sect_pr
    else:
        yield ending
        yield opening.sect_pr


def _signatures(content: VersionContent, labels: DocumentLabels) -> str:
    """The signature page; a paragraph in any case, since Word wants one before the last sectPr."""
    return signature_blocks(content, labels) or paragraph("", SECTION_END)


def _section_end(section: Section) -> str:
    """The paragraph that closes a section carries its properties (OOXML's way)."""
    return paragraph("", SECTION_END, section.sect_pr)


def _title_block(content: VersionContent, labels: DocumentLabels, version: str) -> str:
    agreement = content.agreement
    out = []
    for lang in agreement.languages:
        out.append(
            text_paragraph(labels_for(lang)[f"kind_{agreement.kind.value}"], styled(KIND, lang))
        )
        out.append(text_paragraph(pick(agreement.title, lang), styled(TITLE, lang)))
    out.append(text_paragraph(f"{labels.joined('version')} {version}", VERSION))
    return "".join(out)


def _parties(content: VersionContent, labels: DocumentLabels, width: int) -> str:
    """Every party with its role, so observers are visibly not signatories."""
    languages = content.agreement.languages
    rows = [
        [_party_line(content, index, party, lang) for lang in languages]
        for index, party in enumerate(content.agreement.parties, start=1)
    ]
    if not rows:
        return ""
    heading = text_paragraph(labels.joined("parties"), HEADING)
    spacer = text_paragraph("", styled(PARTY, languages[0]))
    return heading + "".join(side_by_side(rows, languages, width, header=False)) + spacer


def _party_line(content: VersionContent, index: int, party: PartySpec, language: str) -> str:
    role = labels_for(language)[f"role_{party.role.value}"]
    runs = run(f"{index}. {org_name(content, party.org, language)}") + run(
        f" — {role}", italic=True
    )
    return paragraph(runs, styled(PARTY, language))


def _clauses(content: VersionContent, labels: DocumentLabels, width: int) -> Iterator[str]:
    languages = content.agreement.languages
    # In a table, keep-with-next on a heading chains every row to the next one, and Word
    # and LibreOffice then push the whole clause table to a new page: switch it off there.
    keep = "" if len(languages) == 1 else _NO_KEEP
    rows = (
        [_clause(item, lang, keep) for lang in languages]
        for item in numbered(content.agreement.clauses)
    )
    return side_by_side(rows, languages, width, header=True)


def _clause(item: NumberedClause, language: str, heading_props: str) -> str:
    """ "1. Title" then the text; an untitled clause starts its first paragraph with its number."""
    clause = item.clause
    texts = paragraph_texts(pick(clause.text, language))
    text_style = styled(CLAUSE_TEXT, language)
    body = "".join(text_paragraph(text, text_style) for text in texts[1:])
    title = pick(clause.title, language).strip()
    if title:
        heading = styled(CLAUSE_HEADING if item.depth == 0 else SUBCLAUSE_HEADING, language)
        first = text_paragraph(texts[0], text_style) if texts else ""
        head = paragraph(run(f"{item.number}. {title}"), heading, heading_props)
        return head + first + body
    first_text = texts[0] if texts else ""
    return paragraph(run(f"{item.number}. ", bold=True) + run(first_text), text_style) + body


def signature_blocks(
    content: VersionContent, labels: DocumentLabels, signed: Mapping[str, Signer] | None = None
) -> str:
    """A block per signatory: its name in each language, then lines filled in from `signed`
    (organisation id → signature) or left to fill in by hand."""
    signatories = content.agreement.signatories()
    if not signatories:
        return ""
    signed = signed or {}
    out = [text_paragraph(labels.joined("signatures"), HEADING)]
    for org_id in signatories:
        names = [(lang, (org_name(content, org_id, lang),)) for lang in labels.languages]
        lines = _signature_lines(labels, signed.get(org_id))
        out.append(stacked(names, SIGNATURE_ORG, SIGNATURE_ORG_ALT) + lines)
    return "".join(out)


def _signature_lines(labels: DocumentLabels, signer: Signer | None) -> str:
    """Name, title, signature, date; the last line lets the next block start a new page."""
    values = _signature_values(labels, signer)
    last = len(SIGNATURE_LINES) - 1
    return "".join(
        paragraph(
            run(f"{labels.joined(key)}:") + (run(f" {value}") if value else TAB),
            SIGNATURE_LINE,
            _NO_KEEP if index == last else "",
        )
        for index, (key, value) in enumerate(zip(SIGNATURE_LINES, values, strict=True))
    )


def _signature_values(labels: DocumentLabels, signer: Signer | None) -> tuple[str, ...]:
    """What each signature line says: nothing (a line to sign on), or the electronic signature."""
    if signer is None:
        return ("",) * len(SIGNATURE_LINES)
    moment = format_moment(signer.signed_at)
    signature = " / ".join(dict.fromkeys(s.format(moment=moment) for s in labels.each("signed_on")))
    day = format_date(as_utc(signer.signed_at))
    return (signer.signer_name, signer.signer_title, signature, day)


def page_footer(package: Skeleton, section: Section, labels: DocumentLabels, stamp: str) -> bytes:
    """ "Page X of Y" as live PAGE / NUMPAGES fields, then `stamp` (version, hash) on the right."""
    pieces = _PAGE_PLACEHOLDERS.split(labels.primary["page_of"])
    runs = "".join(field(_FIELDS[p]) if p in _FIELDS else run(p) for p in pieces if p)
    xml = paragraph(runs + TAB + run(stamp), FOOTER, right_tab(section.text_width))
    return package.footer_xml(xml)


def _core(content: VersionContent, labels: DocumentLabels, edition: Edition) -> bytes:
    agreement = content.agreement
    primary = agreement.primary_language
    return core_properties_xml(
        title=pick(agreement.title, primary),
        subject=labels.primary[f"kind_{agreement.kind.value}"],
        keywords="; ".join((agreement.id, *edition.tags)),
        revision=edition.number,
        created=edition.created_at,
        identifier=edition.sha256,
        description="; ".join((f"sha256:{edition.sha256}", *edition.notes)),
        language=labels.primary["locale"],
    )
