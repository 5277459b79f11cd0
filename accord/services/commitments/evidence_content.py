"""Whether an evidence file is what its name says, read from its bytes (in memory, no I/O).

The first bytes only say "a zip" or "%PDF-": a zip bomb or a renamed archive passes that.
An OOXML file must be a readable zip holding its type's parts, within a bounded size when
unpacked; a PDF must parse down to its pages.
"""

import zipfile
from io import BytesIO

from accord.source.zip_parts import zip_size

OOXML_PARTS = {
    ".docx": ("[Content_Types].xml", "word/document.xml"),
    ".xlsx": ("[Content_Types].xml", "xl/workbook.xml"),
}
"""The parts Word and Excel need to open the file at all."""
UNPACKED_LIMIT = 100 * 1024 * 1024
"""Bytes an OOXML file may unpack to: ten times the upload limit, far above real documents."""
MEMBER_LIMIT = 10_000
"""Parts an OOXML file may hold."""


def content_matches(suffix: str, data: bytes) -> bool:
    """True when `data` is a file of type `suffix` that its program could open."""
    if suffix in OOXML_PARTS:
        return _ooxml(data, OOXML_PARTS[suffix])
    if suffix == ".pdf":
        return _pdf(data)
    return True


def _ooxml(data: bytes, parts: tuple[str, ...]) -> bool:
    try:
        size = zip_size(data)
        if size.parts > MEMBER_LIMIT or size.unpacked > UNPACKED_LIMIT:
            return False
        with zipfile.ZipFile(BytesIO(data)) as package:
            names = set(package.namelist())
            if not all(part in names for part in parts):
                return False
            for part in parts:  # read (bounded by the sizes summed above): not just listed
                with package.open(part) as stream:
                    stream.read(UNPACKED_LIMIT)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        return False
    except NotImplementedError:  # a compression method no Office program writes
        return False
    return True


def _pdf(data: bytes) -> bool:
    from pyhanko.pdf_utils.reader import PdfFileReader  # heavy: imported where used

    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        pages = reader.root["/Pages"]
        return int(pages["/Count"]) >= 0
    except Exception:  # a parser meeting a hostile file may raise anything
        return False
