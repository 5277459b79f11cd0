"""The .docx package: a skeleton built once with python-docx, then a zip per render.

Everything that is the same in every agreement document (styles, fonts, settings,
theme, content types, relationships, page geometry of the three sections) comes
from python-docx once and is kept compressed. A render only adds the parts that
change: the body, the headers, the footers and the core properties.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from io import BytesIO
from typing import IO, Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Length, Mm

from accord.documents.docx_styles import apply_styles
from accord.documents.wordml import esc

DOCUMENT = "word/document.xml"
CORE = "docProps/core.xml"
CONTENT_TYPES = "[Content_Types].xml"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""Fixed entry times: equal content gives equal bytes."""
RENDER_LEVEL = 1
"""zlib level for per-render parts: most of the size gain, a fraction of the time."""
STATIC_LEVEL = 9
WRITE_BATCH = 1 << 16
"""Characters of XML collected before encoding and compressing them in one go."""
DROPPED_RELS = frozenset(
    {
        "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
        RT.CUSTOM_XML,
        RT.NUMBERING,
        RT.THUMBNAIL,
    }
)
"""Parts of python-docx's template that an agreement never uses (the thumbnail would lie)."""
Part = tuple[str, bytes | Iterable[str]]
"""A zip entry name and its content: bytes, or UTF-8 text as a stream of pieces."""
DOCUMENT_RELS = "word/_rels/document.xml.rels"
IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
PNG_DEFAULT = '<Default Extension="png" ContentType="image/png"/>'
_FOOTER_ROOT = re.compile(r"<w:ftr\b[^>]*>")
_HEADER_ROOT = re.compile(r"<w:hdr\b[^>]*>")
_SECT_PR = re.compile(r"<w:sectPr\b.*?</w:sectPr>", re.DOTALL)


@dataclass(frozen=True)
class PageSetup:
    """Paper and margins of a section, in millimetres (A4, wide binding margin on the left)."""

    width: int
    height: int
    top: int
    bottom: int
    left: int
    right: int
    landscape: bool = False


PORTRAIT = PageSetup(210, 297, top=20, bottom=20, left=30, right=15)
LANDSCAPE = PageSetup(297, 210, top=20, bottom=20, left=20, right=20, landscape=True)
LAYOUT = (PORTRAIT, LANDSCAPE, PORTRAIT)
"""Opening text, commitments table, signatures."""


@dataclass(frozen=True)
class Section:
    """What a render needs to know about one skeleton section."""

    sect_pr: str
    footer: str
    """Zip name of the section's own footer part."""
    header: str
    """Zip name of the section's own header part (the draft mark)."""
    text_width: int
    """Twips between the margins."""


@dataclass(frozen=True)
class Skeleton:
    static_zip: bytes
    """Every unchanging part, the sections' headers empty."""
    static_zip_headless: bytes
    """The same without the header parts, for a render that writes its own (`header_xml`)."""
    document_open: str
    footer_open: str
    header_open: str
    sections: tuple[Section, Section, Section]

    def document_xml(self, body: Iterable[str]) -> Iterator[str]:
        """The main part around `body` (which must end with its final w:sectPr)."""
        yield self.document_open
        yield from body
        yield "</w:body></w:document>"

    def footer_xml(self, paragraphs: str) -> bytes:
        return f"{self.footer_open}{paragraphs}</w:ftr>".encode()

    def header_xml(self, paragraphs: str) -> bytes:
        """A header part; its root declares the VML namespaces a watermark uses."""
        return f"{self.header_open}{paragraphs}</w:hdr>".encode()


@cache
def skeleton() -> Skeleton:
    """The package skeleton, built by python-docx on first use."""
    return _skeleton_of(_build_document())


def image_rel_id(number: int) -> str:
    """Relationship id of the `number`-th image (1-based) of `static_zip_with_images`."""
    return f"rIdAccordImage{number}"


def image_part(number: int) -> str:
    """Zip name of the `number`-th image (1-based): the PNG a render must add under that name."""
    return f"word/media/image{number}.png"


@cache
def static_zip_with_images(count: int) -> bytes:
    """The skeleton's static parts, related to `count` PNG images that each render supplies.

    Built once per count, so a render still only appends its own parts (body, footers,
    core properties and the images' bytes under `image_part(n)`).
    """
    with ZipFile(BytesIO(skeleton().static_zip)) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    rels = "".join(
        f'<Relationship Id="{image_rel_id(n)}" Type="{IMAGE_REL}" '
        f'Target="{image_part(n).removeprefix("word/")}"/>'
        for n in range(1, count + 1)
    )
    parts[DOCUMENT_RELS] = parts[DOCUMENT_RELS].replace(
        b"</Relationships>", f"{rels}</Relationships>".encode()
    )
    types = parts[CONTENT_TYPES].decode()
    if 'Extension="png"' not in types:
        types = types.replace("<Override ", f"{PNG_DEFAULT}<Override ", 1)
    parts[CONTENT_TYPES] = types.encode()
    return _static_zip(parts)


def write_package(static_zip: bytes, parts: list[Part]) -> bytes:
    """The skeleton's zip with `parts` appended: static parts are never recompressed.

    A part given as text pieces is encoded and compressed as it is produced, so a
    long document never exists as one giant string (this keeps time linear in size).
    """
    buffer = BytesIO(static_zip)
    with ZipFile(buffer, "a", compression=ZIP_DEFLATED, compresslevel=RENDER_LEVEL) as package:
        for name, data in parts:
            # Opening by name stamps the entry 1980-01-01: equal content, equal bytes.
            with package.open(name, "w") as stream:
                if isinstance(data, bytes):
                    stream.write(data)
                else:
                    _write_text(stream, data)
    return buffer.getvalue()


def _write_text(stream: IO[bytes], pieces: Iterable[str]) -> None:
    batch: list[str] = []
    size = 0
    for piece in pieces:
        batch.append(piece)
        size += len(piece)
        if size >= WRITE_BATCH:
            stream.write("".join(batch).encode())
            batch.clear()
            size = 0
    stream.write("".join(batch).encode())


def core_properties_xml(
    *,
    title: str,
    subject: str,
    keywords: str,
    revision: int,
    created: datetime,
    identifier: str,
    description: str,
    language: str,
    creator: str = "Accord",
) -> bytes:
    """docProps/core.xml: what file managers and Word's Properties dialog show; the creator is
    the organisation a document comes from where it has one (a redline: the secretariat)."""
    stamp = w3cdtf(created)
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms='
        '"http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{esc(title)}</dc:title><dc:subject>{esc(subject)}</dc:subject>"
        f"<dc:creator>{esc(creator)}</dc:creator><cp:keywords>{esc(keywords)}</cp:keywords>"
        f"<dc:description>{esc(description)}</dc:description>"
        f"<dc:identifier>{esc(identifier)}</dc:identifier><dc:language>{esc(language)}"
        f"</dc:language><cp:lastModifiedBy>{esc(creator)}</cp:lastModifiedBy>"
        f"<cp:revision>{revision}</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()


def w3cdtf(moment: datetime) -> str:
    """UTC timestamp; a naive datetime is taken to be UTC already."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _build_document() -> Any:
    document = Document()
    _drop_unused_parts(document)
    apply_styles(document)
    for _ in LAYOUT[1:]:
        document.add_section(WD_SECTION.NEW_PAGE)
    for section, setup in zip(document.sections, LAYOUT, strict=True):
        _set_up_page(section, setup)
        section.footer.is_linked_to_previous = False
        section.footer.paragraphs[0].style = document.styles["Accord Footer"]
        section.header.is_linked_to_previous = False
    document.core_properties.author = "Accord"
    return document


def _drop_unused_parts(document: Any) -> None:
    part = document.part
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype in DROPPED_RELS:
            part.drop_rel(rel_id)
    package_rels = part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype in DROPPED_RELS:
            del package_rels[rel_id]


def _set_up_page(section: Any, setup: PageSetup) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if setup.landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(setup.width), Mm(setup.height)
    section.top_margin, section.bottom_margin = Mm(setup.top), Mm(setup.bottom)
    section.left_margin, section.right_margin = Mm(setup.left), Mm(setup.right)
    section.header_distance = section.footer_distance = Mm(10)


def _skeleton_of(document: Any) -> Skeleton:
    buffer = BytesIO()
    document.save(buffer)
    with ZipFile(buffer) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    document_xml = parts.pop(DOCUMENT).decode()
    sections = _sections_of(document, document_xml)
    footer_xml = parts[sections[0].footer].decode()
    header_xml = parts[sections[0].header].decode()
    for name in {CORE, *(s.footer for s in sections)}:
        parts.pop(name)
    headers = {s.header: parts.pop(s.header) for s in sections}
    footer_root = _FOOTER_ROOT.search(footer_xml)
    assert footer_root is not None, "python-docx footer part without w:ftr"
    header_root = _HEADER_ROOT.search(header_xml)
    assert header_root is not None, "python-docx header part without w:hdr"
    body_start = document_xml.index("<w:body>") + len("<w:body>")
    return Skeleton(
        static_zip=_static_zip(parts | headers),
        static_zip_headless=_static_zip(parts),
        document_open=document_xml[:body_start],
        footer_open=footer_xml[: footer_root.end()],
        header_open=header_xml[: header_root.end()],
        sections=(sections[0], sections[1], sections[2]),
    )


def _sections_of(document: Any, document_xml: str) -> list[Section]:
    """Each section's w:sectPr as python-docx wrote it (namespaces come from the root)."""
    sect_prs = _SECT_PR.findall(document_xml)
    return [
        Section(
            sect_pr=sect_pr,
            footer=section.footer.part.partname.lstrip("/"),
            header=section.header.part.partname.lstrip("/"),
            text_width=_text_width(section),
        )
        for section, sect_pr in zip(document.sections, sect_prs, strict=True)
    ]


def _text_width(section: Any) -> int:
    return int(Length(section.page_width - section.left_margin - section.right_margin).twips)


def _static_zip(parts: dict[str, bytes]) -> bytes:
    """The unchanging parts, content types first (as Word writes them)."""
    buffer = BytesIO()
    names = sorted(parts, key=lambda name: name != CONTENT_TYPES)
    with ZipFile(buffer, "w") as package:
        for name in names:
            package.writestr(ZipInfo(name, ZIP_TIME), parts[name], ZIP_DEFLATED, STATIC_LEVEL)
    return buffer.getvalue()
