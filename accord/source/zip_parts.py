"""What a zip file (an OOXML document) declares it unpacks to, read from its directory only."""

import zipfile
from io import BytesIO
from typing import NamedTuple


class ZipSize(NamedTuple):
    parts: int
    unpacked: int
    """Bytes, as the directory declares; reading a part never yields more than its size."""


def zip_size(data: bytes) -> ZipSize:
    """The zip's parts and unpacked bytes; raises zipfile.BadZipFile when it is not a zip."""
    with zipfile.ZipFile(BytesIO(data)) as package:
        members = package.infolist()
        return ZipSize(len(members), sum(member.file_size for member in members))
