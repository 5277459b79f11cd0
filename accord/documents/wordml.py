"""WordprocessingML fragments as strings: runs, paragraphs, tables, fields.

Built by joining strings because this is the hot path of document rendering
(an lxml tree per paragraph costs ten times more). Every piece of user text goes
through `esc`, so nothing a source file contains can break the XML.
"""

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Literal

from accord.i18n.invisible import INVISIBLE

_NEEDS_WORK = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff&<>]|" + INVISIBLE.pattern)
"""Anything `esc` changes: XML's illegal characters, markup, and invisible ones (bidi overrides)."""
_AS_SPACE = re.compile("[\t\n\r]")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""Not allowed in XML 1.0 (C0 controls, lone surrogates, non-characters), or C1 controls."""

_BORDER = '<w:{side} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
_SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")
_BORDERS = (
    "<w:tblBorders>" + "".join(_BORDER.format(side=side) for side in _SIDES) + "</w:tblBorders>"
)
_PLAIN_RUN = '<w:r><w:t xml:space="preserve">'
_RUN_END = "</w:t></w:r>"
TAB = "<w:r><w:tab/></w:r>"
SOFT_HYPHEN = "\u00ad"
_OPTIONAL_HYPHEN = '</w:t><w:softHyphen/><w:t xml:space="preserve">'


def esc(text: str) -> str:
    """Text made safe for element content: illegal characters dropped, line breaks as spaces."""
    if _NEEDS_WORK.search(text) is None:
        return text
    text = INVISIBLE.sub("", _ILLEGAL.sub("", _AS_SPACE.sub(" ", text)))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _run_text(text: str) -> str:
    """A run's text, a soft hyphen (U+00AD) written as Word's optional hyphen, which Word
    and LibreOffice both break at."""
    escaped = esc(text)
    if SOFT_HYPHEN in escaped:
        return escaped.replace(SOFT_HYPHEN, _OPTIONAL_HYPHEN)
    return escaped


def clean(text: str) -> str:
    """Text without the characters XML 1.0 forbids (and C1 controls) or invisible ones that
    reorder the text around them, line breaks kept."""
    return INVISIBLE.sub("", _ILLEGAL.sub("", text))


def run(text: str, *, bold: bool = False, italic: bool = False) -> str:
    """One run of text; bold / italic on top of the paragraph style."""
    if not (bold or italic):
        return f"{_PLAIN_RUN}{_run_text(text)}{_RUN_END}"
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{_run_text(text)}{_RUN_END}'


def tracked_run(
    kind: Literal["ins", "del"],
    text: str,
    *,
    change_id: int,
    author: str,
    date: str,
    bold: bool = False,
) -> str:
    """A run Word shows as a tracked insertion or deletion (`date` in W3CDTF, UTC)."""
    tag = "w:delText" if kind == "del" else "w:t"
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return (
        f"{_change_open(kind, change_id, author, date)}>"
        f'<w:r>{props}<{tag} xml:space="preserve">{esc(text)}</{tag}></w:r></w:{kind}>'
    )


def tracked_mark(kind: Literal["ins", "del"], *, change_id: int, author: str, date: str) -> str:
    """pPr child marking the paragraph mark itself inserted or deleted (paragraphs split/join)."""
    return f"<w:rPr>{_change_open(kind, change_id, author, date)}/></w:rPr>"


def tracked_row(kind: Literal["ins", "del"], *, change_id: int, author: str, date: str) -> str:
    """trPr child marking a whole table row inserted or deleted."""
    return f"{_change_open(kind, change_id, author, date)}/>"


def _change_open(kind: str, change_id: int, author: str, date: str) -> str:
    who = esc(author).replace('"', "&quot;")
    return f'<w:{kind} w:id="{change_id}" w:author="{who}" w:date="{esc(date)}"'


def paragraph(runs: str, style: str, props: str = "") -> str:
    """A paragraph of ready-made runs; `props` are extra pPr children after the style."""
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{props}</w:pPr>{runs}</w:p>'


def text_paragraph(text: str, style: str) -> str:
    """A paragraph holding one plain run."""
    runs = f"{_PLAIN_RUN}{_run_text(text)}{_RUN_END}"
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{runs}</w:p>'


def right_tab(position: int) -> str:
    """pPr tabs with one right-aligned stop at `position` twips."""
    return f'<w:tabs><w:tab w:val="right" w:pos="{position}"/></w:tabs>'


def field(instruction: str, placeholder: str = "1") -> str:
    """A complex field (PAGE, NUMPAGES …) that Word and LibreOffice compute when laying out."""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r><w:t>{placeholder}</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def cell(content: str, width: int, *, span: int = 1, fill: str | None = None) -> str:
    """A table cell; `content` must hold at least one paragraph."""
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if fill:
        props += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{content}</w:tc>"


def row(
    cells: Iterable[str], *, header: bool = False, whole: bool = False, change: str = ""
) -> str:
    """A table row; a header row repeats at the top of every page and never splits, nor
    does a `whole` one. `change` marks the row itself a tracked insertion or deletion
    (`tracked_row`)."""
    if header:
        props = f"<w:trPr><w:cantSplit/><w:tblHeader/>{change}</w:trPr>"
    elif whole:
        props = f"<w:trPr><w:cantSplit/>{change}</w:trPr>"
    else:
        props = f"<w:trPr>{change}</w:trPr>" if change else ""
    return f"<w:tr>{props}{''.join(cells)}</w:tr>"


WATERMARK_GREY = "#D9D9D9"


def watermark(text: str) -> str:
    """A header run that lays `text` diagonally across the page in light grey, behind the
    text (the VML text path Word itself writes for watermarks, which LibreOffice reads)."""
    return (
        '<w:r><w:pict><v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" '
        'adj="10800" path="m@7,l@8,m@5,21600l@6,21600e"><v:path textpathok="t" '
        'o:connecttype="custom"/><v:textpath on="t" fitshape="t"/></v:shapetype>'
        '<v:shape id="AccordDraftMark" o:spid="_x0000_s2049" type="#_x0000_t136" '
        'style="position:absolute;margin-left:0;margin-top:0;width:440pt;height:110pt;'
        "rotation:315;z-index:-251657216;mso-position-horizontal:center;"
        "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
        f'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="{WATERMARK_GREY}" '
        'stroked="f"><v:fill opacity=".5"/><v:textpath style="font-family:&quot;Times New '
        f'Roman&quot;;font-size:1pt" string="{esc(text)}"/></v:shape></w:pict></w:r>'
    )


def table(
    rows: Iterable[str], widths: Sequence[int], *, borders: bool, padding: int | None = None
) -> Iterator[str]:
    """A fixed-layout table, streamed row by row; column widths hold even for very long words.

    `padding` sets the cells' left and right margins in twips (Word's default is 108).
    """
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    margins = (
        f'<w:tblCellMar><w:left w:w="{padding}" w:type="dxa"/>'
        f'<w:right w:w="{padding}" w:type="dxa"/></w:tblCellMar>'
        if padding is not None
        else ""
    )
    yield (
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        f'{_BORDERS if borders else ""}<w:tblLayout w:type="fixed"/>{margins}</w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>"
    )
    yield from rows
    yield "</w:tbl>"
