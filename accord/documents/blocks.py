"""Text in every document language: stacked in one cell, or side by side in columns."""

from collections.abc import Iterable, Iterator, Sequence
from itertools import chain

from accord.documents.docx_styles import LANG_HEADER, styled
from accord.documents.labels import labels_for
from accord.documents.wordml import cell, row, table, text_paragraph
from accord.i18n import languages
from accord.source.spec import (
    LangText,
    NumberedClause,
    VersionContent,
    paragraph_numbers,
    paragraphs,
)

LanguageTexts = Sequence[tuple[str, tuple[str, ...]]]
"""(language, paragraphs in that language), document languages in column order."""


def pick(text: LangText | None, language: str) -> str:
    """The text in `language`; a missing translation comes from the language's fallback chain
    (Russian, then English), else the first one given, never a gap."""
    return languages.pick(text, language)


def paragraph_texts(text: str) -> tuple[str, ...]:
    """Source text is one paragraph per line; blank lines separate nothing."""
    return paragraphs(text)


def numbered_paragraphs(item: NumberedClause, language: str) -> list[tuple[str, str]]:
    """A clause's paragraphs in `language` with the numbers the document prints before them,
    so that a page and the DOCX say "7.1" of the same paragraph."""
    texts = paragraphs(pick(item.clause.text, language))
    return list(zip(paragraph_numbers(item, len(texts)), texts, strict=True))


def org_name(content: VersionContent, org_id: str, language: str) -> str:
    """An organisation's printed name; its id if the snapshot lacks it."""
    org = content.organizations.get(org_id)
    return org.display_name(language) if org else org_id


def stacked(values: LanguageTexts, style: str, alt_style: str) -> str:
    """Primary language in `style`, the others below it in `alt_style`; repeats shown once."""
    out: list[str] = []
    seen: list[tuple[str, ...]] = []
    for position, (language, texts) in enumerate(values):
        if not texts or texts in seen:
            continue
        seen.append(texts)
        style_id = styled(alt_style if position else style, language)
        out.extend(text_paragraph(text, style_id) for text in texts)
    return "".join(out) or text_paragraph("", style)


def side_by_side(
    rows: Iterable[Sequence[str]], languages: Sequence[str], width: int, *, header: bool
) -> Iterator[str]:
    """One column per language in a borderless table; a single language needs no table."""
    if len(languages) == 1:
        yield from (blocks[0] for blocks in rows)
        return
    column = width // len(languages)
    body: Iterable[str] = (row(cell(xml, column) for xml in blocks) for blocks in rows)
    if header:
        body = chain([row((_language_cell(lang, column) for lang in languages), header=True)], body)
    yield from table(body, [column] * len(languages), borders=False)


def _language_cell(language: str, width: int) -> str:
    name = labels_for(language)["language_name"]
    return cell(text_paragraph(name, styled(LANG_HEADER, language)), width)
