"""An agreement version as a .docx, laid out as the region's official documents are.

Approval block (plans adopted by a decision), title once, place and date, parties as the
text names them, clauses with every paragraph numbered, final provisions, signature
blocks; then the plan as an annex on landscape pages. Unsigned versions say DRAFT in the
header and in a light watermark; the signed original does not.

Pure: content in, bytes out. The package skeleton comes from python-docx once
(`docx_package.skeleton`); each render writes only the body, the headers, the footers and
the core properties, as XML strings.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from accord.documents.blocks import numbered_paragraphs, org_name, pick, side_by_side
from accord.documents.closing import (
    approval_block,
    final_provisions,
    place_and_date,
    signature_blocks,
)
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
    CLAUSE_TEXT_NARROW,
    FOOTER,
    HEADER,
    HEADING,
    KIND,
    PARTY,
    SECTION_END,
    SUBCLAUSE_HEADING,
    TITLE,
    styled,
)
from accord.documents.labels import DocumentLabels, labels_for
from accord.documents.wordml import (
    TAB,
    field,
    paragraph,
    right_tab,
    run,
    text_paragraph,
    watermark,
)
from accord.source.spec import (
    AgreementKind,
    NumberedClause,
    PartySpec,
    VersionContent,
    numbered,
)

_PAGE_PLACEHOLDERS = re.compile(r"(\{page\}|\{pages\})")
_FIELDS = {"{page}": "PAGE", "{pages}": "NUMPAGES"}
_NO_KEEP = '<w:keepNext w:val="0"/>'
_KIND_STEM = 5
"""Letters of a word of the kind ("Memorandum", "План") that, found in the title, name it."""


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
    original: bool = False
    """The signed original: no draft mark in the header, no watermark."""

    @property
    def stamp(self) -> str:
        return " · ".join(filter(None, (f"v{self.number}", self.sha256[:12], self.mark)))


def render_agreement(
    content: VersionContent, *, number: int, sha256: str, created_at: datetime
) -> bytes:
    """The .docx of version `number` (hash `sha256`) of an agreement: a draft until signed."""
    labels = DocumentLabels(content.agreement.languages)
    edition = Edition(number=number, sha256=sha256, created_at=created_at)
    return agreement_package(content, labels, edition, signature_blocks(content, labels))


def agreement_package(
    content: VersionContent,
    labels: DocumentLabels,
    edition: Edition,
    signatures: str,
    appendix: str = "",
) -> bytes:
    """The agreement's .docx: `signatures` right after the final provisions, then the plan
    annex, then `appendix` (the certificate of a signed original) on a portrait page."""
    package = skeleton()
    body = _body(content, package, labels, signatures, appendix)
    parts: list[Part] = [(DOCUMENT, package.document_xml(body))]
    header = page_header(package, labels, edition)
    parts += [(s.header, header) for s in package.sections]
    parts += [(s.footer, page_footer(package, s, labels, edition.stamp)) for s in package.sections]
    parts.append((CORE, _core(content, labels, edition)))
    return write_package(package.static_zip_headless, parts)


def _body(
    content: VersionContent,
    package: Skeleton,
    labels: DocumentLabels,
    signatures: str,
    appendix: str,
) -> Iterator[str]:
    """Portrait text and signatures; the landscape annex (plans); a portrait `appendix`."""
    opening, landscape, closing = package.sections
    yield _title_block(content, labels, opening.text_width)
    yield _parties(content, labels, opening.text_width)
    yield from _clauses(content, labels, opening.text_width)
    yield final_provisions(content, labels)
    yield signatures
    agreement = content.agreement
    if not (agreement.commitments or agreement.kind is AgreementKind.joint_action_plan):
        yield appendix or paragraph("", SECTION_END)
        yield opening.sect_pr
        return
    yield _section_end(opening)
    yield from commitments_section(content, labels, landscape.text_width, annex=_annex(content))
    if appendix:
        yield _section_end(landscape)
        yield appendix
        yield closing.sect_pr
    else:
        yield paragraph("", SECTION_END)
        yield landscape.sect_pr


def _annex(content: VersionContent) -> bool:
    """The plan is an annex of a signed document; an approved plan is the plan itself."""
    return content.agreement.approval is None


def _section_end(section: Section) -> str:
    """The paragraph that closes a section carries its properties (OOXML's way)."""
    return paragraph("", SECTION_END, section.sect_pr)


def _title_block(content: VersionContent, labels: DocumentLabels, width: int) -> str:
    """Approval block, the kind unless the title names it, the title, place and date."""
    agreement = content.agreement
    out = [approval_block(content, labels)]
    for lang in agreement.languages:
        kind = labels_for(lang)[f"kind_{agreement.kind.value}"]
        title = pick(agreement.title, lang)
        if not names_kind(title, kind):
            out.append(text_paragraph(kind, styled(KIND, lang)))
        out.append(text_paragraph(title, styled(TITLE, lang)))
    if agreement.approval is None:
        out.append(place_and_date(content, labels, width))
    return "".join(out)


def names_kind(title: str, kind: str) -> bool:
    """Whether `title` already says what `kind` says ("Меморандум о …" under "Меморандум о
    взаимопонимании"): a word of the kind, by its first letters, appears in the title."""
    words = title.casefold().split()
    stems = [word[:_KIND_STEM] for word in kind.casefold().split() if len(word) >= _KIND_STEM]
    return any(word.startswith(stem) for stem in stems for word in words)


def _parties(content: VersionContent, labels: DocumentLabels, width: int) -> str:
    """The parties as the text names them; those that do not sign take part "by agreement",
    except the coordinating body, named so."""
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
    """ "2. Name", with the part it takes when it does not sign: the coordinating body, as the
    agreement calls it, or a party "by agreement"."""
    name = org_name(content, party.org, language)
    if party.coordinating:
        name = f"{name} ({labels_for(language)['coordinating_body']})"
    elif party.org not in content.agreement.signatories():
        name = f"{name} ({labels_for(language)['by_agreement']})"
    return text_paragraph(f"{index}. {name}", styled(PARTY, language))


def _clauses(content: VersionContent, labels: DocumentLabels, width: int) -> Iterator[str]:
    languages = content.agreement.languages
    # In a table, keep-with-next on a heading chains every row to the next one, and Word
    # and LibreOffice then push the whole clause table to a new page: switch it off there.
    keep = "" if len(languages) == 1 else _NO_KEEP
    # Justified text in a half-page column stretches spaces into rivers: left-aligned there.
    text_style = CLAUSE_TEXT if len(languages) == 1 else CLAUSE_TEXT_NARROW
    rows = (
        [_clause(item, lang, keep, text_style) for lang in languages]
        for item in numbered(content.agreement.clauses)
    )
    return side_by_side(rows, languages, width, header=True)


def _clause(item: NumberedClause, language: str, heading_props: str, text_base: str) -> str:
    """ "7. Title" then paragraphs 7.1, 7.2 …; an untitled clause opens with its number."""
    clause = item.clause
    text_style = styled(text_base, language)
    body = "".join(
        paragraph(run(f"{number}. ", bold=True) + run(text), text_style)
        for number, text in numbered_paragraphs(item, language)
    )
    title = pick(clause.title, language).strip()
    if not title:
        return body or paragraph(run(f"{item.number}.", bold=True), text_style)
    heading = styled(CLAUSE_HEADING if item.depth == 0 else SUBCLAUSE_HEADING, language)
    return paragraph(run(f"{item.number}. {title}"), heading, heading_props) + body


def page_header(package: Skeleton, labels: DocumentLabels, edition: Edition) -> bytes:
    """DRAFT in the document languages and as a light watermark; nothing on the original."""
    if edition.original:
        return package.header_xml(paragraph("", HEADER))
    mark = labels.joined("draft_mark")
    return package.header_xml(paragraph(run(mark, bold=True) + watermark(mark), HEADER))


def page_footer(package: Skeleton, section: Section, labels: DocumentLabels, stamp: str) -> bytes:
    """ "Page X of Y" in the document languages as live PAGE / NUMPAGES fields, then `stamp`
    (version, hash) in small print on the right."""
    runs = run(" / ").join(
        "".join(field(_FIELDS[p]) if p in _FIELDS else run(p) for p in pieces if p)
        for pieces in dict.fromkeys(
            tuple(_PAGE_PLACEHOLDERS.split(text)) for text in labels.each("page_of")
        )
    )
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
