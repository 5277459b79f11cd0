"""Files the workspace hands out: named for the person's disk, never shown in the page."""

from urllib.parse import quote

from fastapi.responses import Response


def download(data: bytes, *, media_type: str, filename: str) -> Response:
    """An attachment with its name in any script (RFC 6266), its type not to be guessed."""
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "").replace("?", "_")
    encoded = quote(filename, safe="")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{encoded}"
    return Response(
        data,
        media_type=media_type,
        headers={
            "Content-Disposition": disposition,
            "X-Content-Type-Options": "nosniff",
        },
    )
