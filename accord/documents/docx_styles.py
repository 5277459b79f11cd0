"""The agreement's paragraph styles as data, applied once to the package skeleton.

Body XML refers to these ids only, so the look of every document is set here.
Each text style also gets one variant per known language (`ClauseText-kk`) that
carries the spelling language, so Word checks Kazakh as Kazakh and not as Russian.
"""

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from accord.documents.labels import known_languages, labels_for

# Times New Roman: the face official documents in the region are set in, present on
# every Windows/Word install, and it has the Cyrillic Supplement (ә ғ қ ң ө ұ ү һ і,
# ҷ ҳ ӣ ӯ) and Latin Extended (ň ž ý ş ä ö ü ç, ʻ) letters our languages need.
# LibreOffice swaps it for the metric-compatible Liberation Serif, which has the same
# letters, so pages break at the same places in both (checked: LibreOffice 7.4 embeds
# LiberationSerif and pdftotext gives back every letter).
FONT = "Times New Roman"
MONO_FONT = "Courier New"
"""For hashes; LibreOffice swaps it for the metric-compatible Liberation Mono."""

KIND = "AccKind"
TITLE = "AccTitle"
VERSION = "AccVersion"
HEADING = "AccHeading"
CLAUSE_HEADING = "AccClauseHeading"
SUBCLAUSE_HEADING = "AccSubclauseHeading"
CLAUSE_TEXT = "AccClauseText"
CLAUSE_TEXT_NARROW = "AccClauseTextNarrow"
APPROVAL = "AccApproval"
HEADER = "AccHeader"
ANNEX = "AccAnnex"
LANG_HEADER = "AccLangHeader"
PARTY = "AccParty"
CELL = "AccCell"
CELL_ALT = "AccCellAlt"
CELL_HEAD = "AccCellHead"
CELL_HEAD_ALT = "AccCellHeadAlt"
SMALL_CELL = "AccSmallCell"
SMALL_CELL_ALT = "AccSmallCellAlt"
SMALL_CELL_HEAD = "AccSmallCellHead"
SMALL_CELL_HEAD_ALT = "AccSmallCellHeadAlt"
OBJECTIVE = "AccObjective"
OBJECTIVE_ALT = "AccObjectiveAlt"
SIGNATURE_ORG = "AccSignatureOrg"
SIGNATURE_ORG_ALT = "AccSignatureOrgAlt"
SIGNATURE_LINE = "AccSignatureLine"
FOOTER = "AccFooter"
SECTION_END = "AccSectionEnd"
MONO = "AccMono"

ALT_GREY = RGBColor(0x40, 0x40, 0x40)


@dataclass(frozen=True)
class ParagraphStyle:
    style_id: str
    name: str
    size: float
    bold: bool = False
    italic: bool = False
    caps: bool = False
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.LEFT
    before: float = 0
    after: float = 0
    keep_next: bool = False
    outline: int | None = None
    grey: bool = False
    per_language: bool = True
    font: str | None = None


STYLES = (
    ParagraphStyle(
        KIND,
        "Accord Kind",
        12,
        bold=True,
        caps=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        before=6,
        keep_next=True,
    ),
    ParagraphStyle(
        TITLE,
        "Accord Title",
        14,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=6,
        keep_next=True,
    ),
    ParagraphStyle(
        VERSION, "Accord Version", 9, align=WD_ALIGN_PARAGRAPH.CENTER, after=12, grey=True
    ),
    ParagraphStyle(
        HEADING, "Accord Heading", 12, bold=True, before=12, after=6, keep_next=True, outline=0
    ),
    ParagraphStyle(
        CLAUSE_HEADING,
        "Accord Clause Heading",
        11,
        bold=True,
        before=8,
        after=4,
        keep_next=True,
        outline=1,
    ),
    ParagraphStyle(
        SUBCLAUSE_HEADING,
        "Accord Subclause Heading",
        11,
        bold=True,
        italic=True,
        before=4,
        after=2,
        keep_next=True,
        outline=2,
    ),
    ParagraphStyle(
        CLAUSE_TEXT, "Accord Clause Text", 11, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=4
    ),
    ParagraphStyle(CLAUSE_TEXT_NARROW, "Accord Clause Text Narrow", 11, after=4),
    ParagraphStyle(APPROVAL, "Accord Approval", 11, align=WD_ALIGN_PARAGRAPH.RIGHT, after=2),
    ParagraphStyle(
        ANNEX, "Accord Annex", 10, align=WD_ALIGN_PARAGRAPH.RIGHT, after=6, keep_next=True
    ),
    ParagraphStyle(
        HEADER,
        "Accord Header",
        10,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
        grey=True,
        caps=True,
        per_language=False,
    ),
    ParagraphStyle(
        LANG_HEADER,
        "Accord Language Header",
        10,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=4,
    ),
    ParagraphStyle(PARTY, "Accord Party", 11, after=3),
    ParagraphStyle(CELL, "Accord Cell", 9),
    ParagraphStyle(CELL_ALT, "Accord Cell Second Language", 9, italic=True, grey=True),
    ParagraphStyle(CELL_HEAD, "Accord Cell Head", 9, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER),
    ParagraphStyle(
        CELL_HEAD_ALT,
        "Accord Cell Head Second Language",
        9,
        bold=True,
        italic=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        grey=True,
    ),
    # Dense tables (the signature evidence): seven columns on a portrait page.
    ParagraphStyle(SMALL_CELL, "Accord Small Cell", 8),
    ParagraphStyle(SMALL_CELL_ALT, "Accord Small Cell Second Language", 8, italic=True, grey=True),
    ParagraphStyle(
        SMALL_CELL_HEAD, "Accord Small Cell Head", 8, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER
    ),
    ParagraphStyle(
        SMALL_CELL_HEAD_ALT,
        "Accord Small Cell Head Second Language",
        8,
        bold=True,
        italic=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        grey=True,
    ),
    ParagraphStyle(OBJECTIVE, "Accord Objective", 10, bold=True, keep_next=True),
    ParagraphStyle(
        OBJECTIVE_ALT,
        "Accord Objective Second Language",
        10,
        bold=True,
        italic=True,
        keep_next=True,
        grey=True,
    ),
    ParagraphStyle(
        SIGNATURE_ORG,
        "Accord Signature Organisation",
        11,
        bold=True,
        before=14,
        after=4,
        keep_next=True,
    ),
    ParagraphStyle(
        SIGNATURE_ORG_ALT,
        "Accord Signature Organisation Second Language",
        11,
        bold=True,
        after=4,
        keep_next=True,
    ),
    ParagraphStyle(SIGNATURE_LINE, "Accord Signature Line", 11, before=8, keep_next=True),
    ParagraphStyle(FOOTER, "Accord Footer", 8, grey=True, per_language=False),
    ParagraphStyle(SECTION_END, "Accord Section End", 1, per_language=False),
    ParagraphStyle(
        MONO,
        "Accord Monospace",
        10,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        before=6,
        after=6,
        per_language=False,
        font=MONO_FONT,
    ),
)
SIGNATURE_TAB = Mm(150)
"""Where the underscore leader of a signature line ends (portrait text is 165 mm wide)."""
KEEP_BUILTIN = frozenset({"Normal", "Default Paragraph Font", "Normal Table", "No List"})


@lru_cache(maxsize=512)
def styled(base: str, language: str) -> str:
    """The id of `base` in `language`: its language variant, if the skeleton has one."""
    return f"{base}-{language}" if language in known_languages() else base


def apply_styles(document: Any) -> None:
    """Replace the template's styles by ours: Normal in FONT, ours, their language variants."""
    locales = {lang: labels_for(lang)["locale"] for lang in known_languages()}
    styles = document.styles
    for style in list(styles):
        if style.name not in KEEP_BUILTIN:
            style.delete()
    _set_default_font(styles)
    for spec in STYLES:
        _add_style(styles, spec)
        if spec.per_language:
            for language, locale in locales.items():
                _add_variant(styles, spec, language, locale)


def _set_default_font(styles: Any) -> None:
    for rfonts in styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts"):
        for attribute in list(rfonts.attrib):
            del rfonts.attrib[attribute]
        for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            rfonts.set(qn(slot), FONT)
    normal = styles["Normal"]
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    # No page starts or ends with one orphaned line of a paragraph.
    normal.paragraph_format.widow_control = True


def _add_style(styles: Any, spec: ParagraphStyle) -> None:
    style = styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
    style.style_id = spec.style_id
    style.base_style = styles["Normal"]
    font = style.font
    font.size = Pt(spec.size)
    # None, not False: an explicit "off" in a style would fight bold/italic set on a run.
    font.bold, font.italic = spec.bold or None, spec.italic or None
    font.all_caps = spec.caps or None
    if spec.grey:
        font.color.rgb = ALT_GREY
    if spec.font:
        font.name = spec.font
    fmt = style.paragraph_format
    fmt.alignment, fmt.keep_with_next = spec.align, spec.keep_next
    fmt.space_before, fmt.space_after = Pt(spec.before), Pt(spec.after)
    if spec.style_id == SIGNATURE_LINE:
        fmt.tab_stops.add_tab_stop(SIGNATURE_TAB, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.LINES)
    if spec.outline is not None:
        _set_outline_level(style, spec.outline)


def _set_outline_level(style: Any, level: int) -> None:
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), str(level))
    style.element.get_or_add_pPr().insert_element_before(
        outline, "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange"
    )


def _add_variant(styles: Any, spec: ParagraphStyle, language: str, locale: str) -> None:
    variant = styles.add_style(f"{spec.name} ({language})", WD_STYLE_TYPE.PARAGRAPH)
    variant.style_id = f"{spec.style_id}-{language}"
    variant.base_style = styles[spec.name]
    variant.hidden = True
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), locale)
    variant.element.get_or_add_rPr().append(lang)
