"""Whether a scan is the PDF or image its name says, read from its bytes (in memory, no I/O).

A renamed file passes a check of its first bytes; these walk the file's structure instead:
a PDF must parse down to its pages, a PNG must be a chain of chunks with good checksums
from its header to its end, a JPEG a chain of segments from its start to its image data.
"""

import struct
import zlib
from io import BytesIO

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_CHUNK_LIMIT = 100_000
JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8)}
"""JPEG markers without a length: TEM and the restart markers."""


def matches(suffix: str, data: bytes) -> bool:
    """True when `data` is a file of type `suffix` (.pdf, .png, .jpg) a viewer could open."""
    if suffix == ".pdf":
        return data.startswith(b"%PDF-") and _pdf(data)
    if suffix == ".png":
        return _png(data)
    if suffix == ".jpg":
        return _jpeg(data)
    return False


def _pdf(data: bytes) -> bool:
    from pyhanko.pdf_utils.reader import PdfFileReader  # heavy: imported where used

    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        pages = reader.root["/Pages"]
        return int(pages["/Count"]) > 0
    except Exception:  # a parser meeting a hostile file may raise anything
        return False


def _png(data: bytes) -> bool:
    if not data.startswith(PNG_SIGNATURE):
        return False
    at, first = len(PNG_SIGNATURE), True
    for _ in range(PNG_CHUNK_LIMIT):
        if at + 12 > len(data):
            return False
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        end = at + 12 + length
        if end > len(data) or (first and kind != b"IHDR"):
            return False
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(data[at + 4 : end - 4]) != crc:
            return False
        if kind == b"IEND":
            return True
        at, first = end, False
    return False


def _jpeg(data: bytes) -> bool:
    if not data.startswith(b"\xff\xd8\xff"):
        return False
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return False
        marker = data[at + 1]
        if marker == 0xFF:  # fill bytes before a marker
            at += 1
            continue
        if marker in JPEG_STANDALONE:
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if length < 2 or at + 2 + length > len(data):
            return False
        if marker == 0xDA:  # start of scan: the image data follows, up to the end marker
            return data.rstrip(b"\x00").endswith(b"\xff\xd9")
        at += 2 + length
    return False
