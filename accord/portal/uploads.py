"""Multipart posts read under a ceiling: refused by their declared size, then while arriving.

Starlette keeps an uploaded file in memory up to 1 MB and on disk after that; the ceiling
stops a post at `max_body` bytes whatever it claims, and the file is read into memory only
once it is known to be within its limit.
"""

from fastapi import Request
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException
from starlette.types import Message

FIELD_LIMIT = 32 * 1024
"""Bytes per ordinary field: a 5,000-character note in any script fits."""
FORM_ALLOWANCE = 64 * 1024
"""What a post may carry beyond its file: the other fields and the multipart framing."""
MAX_FIELDS = 16


class TooLarge(Exception):
    """The post, or the file in it, is over its limit; nothing more of it is read."""


class Malformed(Exception):
    """Not a form this page sends (bad multipart, too many fields or files)."""


async def read_form(request: Request, *, file_limit: int) -> FormData:
    """The form of a post of at most `file_limit` bytes of file and `FORM_ALLOWANCE` besides."""
    limited = _bounded(request, file_limit + FORM_ALLOWANCE)
    try:
        return await limited.form(max_files=1, max_fields=MAX_FIELDS, max_part_size=FIELD_LIMIT)
    except (StarletteHTTPException, MultiPartException) as error:
        raise Malformed() from error


async def read_body(request: Request, *, limit: int) -> bytes:
    """The raw body of a post of at most `limit` bytes; a longer one is not read past it."""
    chunks: list[bytes] = []
    async for chunk in _bounded(request, limit).stream():
        chunks.append(chunk)
    return b"".join(chunks)


def _bounded(request: Request, ceiling: int) -> Request:
    """The request, refused by its declared length at once and by what arrives past `ceiling`."""
    declared = request.headers.get("content-length", "")
    if (
        declared.isascii()
        and declared.isdigit()
        and (len(declared) > 18 or int(declared) > ceiling)
    ):
        raise TooLarge()
    received = 0

    async def receive() -> Message:
        nonlocal received
        message = await request.receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > ceiling:
                raise TooLarge()
        return message

    return Request(request.scope, receive)


def chosen_file(form: FormData, name: str) -> UploadFile | None:
    """The file posted as `name`, or None when the person chose none (an empty file part)."""
    value = form.get(name)
    if isinstance(value, UploadFile) and value.filename:
        return value
    return None


async def file_bytes(upload: UploadFile, *, limit: int) -> bytes:
    """The file's content, refused before reading when it is over `limit` bytes."""
    if upload.size is not None and upload.size > limit:
        raise TooLarge()
    await upload.seek(0)
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise TooLarge()
    return data


def form_text(value: str) -> str:
    """A posted text without NUL characters: no keyboard types one, and PostgreSQL cannot
    store one in a text column (it would fail the whole post)."""
    return value.replace("\x00", "")


def text_field(form: FormData, name: str) -> str:
    value = form.get(name)
    return form_text(value) if isinstance(value, str) else ""
