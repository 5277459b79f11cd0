"""An agreement version as a .docx: title, parties, clauses, commitments, signatures.

Pure: content in, bytes out. The package skeleton comes from python-docx once
(`docx_package.skeleton`); each render writes only the body, the footers and the
core properties, as XML strings.
"""

import re
from collections.abc import Iterator
from datetime import datetime

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
from accord.documents.formatting import format_date
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


def render_agreement(
    content: VersionContent, *, number: int, sha256: str, created_at: datetime
) -> bytes:
    """The .docx of version `number` (hash `sha256`) of an agreement."""
    package = skeleton()
    labels = DocumentLabels(content.agreement.languages)
    version = f"{number} · {sha256[:12]} · {format_date(created_at)}"
    stamp = f"v{number} · {sha256[:12]}"
    body = _body(content, package, labels, version)
    parts: list[Part] = [(DOCUMENT, package.document_xml(body))]
    parts += [(s.footer, page_footer(package, s, labels, stamp)) for s in package.sections]
    parts.append((CORE, _core(content, labels, number, sha256, created_at)))
    return write_package(package.static_zip, parts)


def _body(
    content: VersionContent, package: Skeleton, labels: DocumentLabels, version: str
) -> Iterator[str]:
    """Portrait text; then, for plans, the landscape commitments table; then signatures."""
    opening, landscape, closing = package.sections
    yield _title_block(content, labels, version)
    yield _parties(content, labels, opening.text_width)
    yield from _clauses(content, labels, opening.text_width)
    agreement = content.agreement
    if agreement.commitments or agreement.kind is AgreementKind.joint_action_plan:
        yield _section_end(opening)
        yield from commitments_section(content, labels, landscape.text_width)
        yield _section_end(landscape)
        yield _signatures(content, labels)
        yield closing.sect_pr
    else:
        yield _signatures(content, labels)
        yield opening.sect_pr


def _signatures(content: VersionContent, labels: DocumentLabels) -> str:
    """The signature page; a paragraph in any case, since Word wants one before the last sectPr."""
    return _signature_blocks(content, labels) or paragraph("", SECTION_END)


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


def _signature_blocks(content: VersionContent, labels: DocumentLabels) -> str:
    """A block per signatory: its name in each language, then lines to fill in by hand."""
    signatories = content.agreement.signatories()
    if not signatories:
        return ""
    block = _signature_lines(labels)
    out = [text_paragraph(labels.joined("signatures"), HEADING)]
    for org_id in signatories:
        names = [(lang, (org_name(content, org_id, lang),)) for lang in labels.languages]
        out.append(stacked(names, SIGNATURE_ORG, SIGNATURE_ORG_ALT) + block)
    return "".join(out)


def _signature_lines(labels: DocumentLabels) -> str:
    """Name, title, signature, date; the last line lets the next block start a new page."""
    last = len(SIGNATURE_LINES) - 1
    return "".join(
        paragraph(
            run(f"{labels.joined(key)}:") + TAB, SIGNATURE_LINE, _NO_KEEP if index == last else ""
        )
        for index, key in enumerate(SIGNATURE_LINES)
    )


def page_footer(package: Skeleton, section: Section, labels: DocumentLabels, stamp: str) -> bytes:
    """ "Page X of Y" as live PAGE / NUMPAGES fields, then `stamp` (version, hash) on the right."""
    pieces = _PAGE_PLACEHOLDERS.split(labels.primary["page_of"])
    runs = "".join(field(_FIELDS[p]) if p in _FIELDS else run(p) for p in pieces if p)
    xml = paragraph(runs + TAB + run(stamp), FOOTER, right_tab(section.text_width))
    return package.footer_xml(xml)


def _core(
    content: VersionContent,
    labels: DocumentLabels,
    number: int,
    sha256: str,
    created_at: datetime,
) -> bytes:
    agreement = content.agreement
    primary = agreement.primary_language
    return core_properties_xml(
        title=pick(agreement.title, primary),
        subject=labels.primary[f"kind_{agreement.kind.value}"],
        keywords=agreement.id,
        revision=number,
        created=created_at,
        identifier=sha256,
        description=f"sha256:{sha256}",
        language=labels.primary["locale"],
    )
