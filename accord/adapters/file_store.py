"""Documents on the local file system, written atomically."""

from pathlib import Path

from accord.files import write_atomically
from accord.services.ports import PdfMaker


class FileDocumentStore:
    def __init__(self, root: Path, *, pdfs: PdfMaker | None = None) -> None:
        self.root = root
        self.pdfs = pdfs  # keeps a PDF/A beside agreement documents when set

    def _path(self, name: str) -> Path:
        path = (self.root / name).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise ValueError(f"document name {name!r} leaves the output directory")
        return path

    def exists(self, name: str) -> bool:
        return self._path(name).is_file()

    def read(self, name: str) -> bytes:
        return self._path(name).read_bytes()

    def location(self, name: str) -> str:
        return str(self._path(name))

    def write(self, name: str, data: bytes) -> str:
        """Atomic: a reader never sees half a document."""
        path = self._path(name)
        write_atomically(path, data)
        return str(path)
