"""Agreement sources edited from the workspace: read, checked, written in place.

The files in the agreements folder stay the only source of truth, so `accord check` and
`accord draft` keep working on them. A save is refused unless the file still has the
content the person started from (`rules.require_unchanged`); the new text replaces the file
atomically (a temporary file, then `os.replace`) under a lock on the folder, so a file edit
and a workspace save, or two saves, can never silently overwrite each other.
"""

import fcntl
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, select

from accord.errors import Refusal
from accord.services import audit
from accord.services.drafting import organizations_source as orgs
from accord.services.drafting.rules import require_unchanged, text_sha256
from accord.services.env import ServiceEnv
from accord.source.clause_library import ClauseLibrary
from accord.source.loader import ORGANIZATIONS_FILE, load_sources
from accord.source.problems import Problem, SourceInvalid, SourceWarning
from accord.source.source_files import display_path
from accord.source.spec import AgreementSpec
from models import Agreement, AuditEvent


@dataclass(frozen=True)
class SourceText:
    path: Path
    text: str
    sha256: str
    """Of the text as read: what a save must find again to go ahead."""


@dataclass(frozen=True)
class Checked:
    """What the loader says of a text: its problems (none: it loads) and warnings."""

    problems: tuple[Problem, ...]
    warnings: tuple[SourceWarning, ...] = ()
    agreement: AgreementSpec | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def agreement_file(agreements_dir: Path, slug: str, source_path: str | None) -> Path:
    """The file an agreement was drafted from, looked for in the agreements folder only."""
    folder = agreements_dir.resolve()
    names = [Path(source_path).name] if source_path else []
    for name in [*names, f"{slug}.yaml"]:
        candidate = folder / name
        if candidate.is_file() and candidate.resolve().parent == folder:
            return candidate
    raise Refusal(
        "drafting.source_missing",
        "The agreements folder has no source file of %(agreement)s.",
        agreement=slug,
    )


def read_source(path: Path) -> SourceText:
    text = path.read_bytes().decode("utf-8")
    return SourceText(path, text, text_sha256(text))


def check_source_text(
    text: str, *, name: str, agreements_dir: Path, library: ClauseLibrary
) -> Checked:
    """The loader's verdict on `text` as if it were the file `name` of the agreements folder
    (beside its organisations file), without writing that folder."""
    organizations = agreements_dir / ORGANIZATIONS_FILE
    with tempfile.TemporaryDirectory(prefix="accord-check-") as folder:
        file = Path(folder) / name
        file.write_text(text, encoding="utf-8")
        paths = [file, organizations] if organizations.is_file() else [file]
        shown = display_path(file)
        try:
            loaded = load_sources(paths, clause_library=library)
        except SourceInvalid as invalid:
            return Checked(tuple(_named(p, shown, name) for p in invalid.problems))
    agreements = [spec for _path, spec in loaded.agreements]
    warnings = tuple(
        SourceWarning(name if w.path == shown else w.path, w.line, w.column, w.message)
        for w in loaded.warnings
    )
    if not agreements:
        problem = Problem(name, 1, 1, "not an agreement (expected id: and the agreement's fields)")
        return Checked((problem,), warnings)
    return Checked((), warnings, agreements[0])


def _named(problem: Problem, shown: str, name: str) -> Problem:
    if problem.path != shown:
        return problem
    return Problem(name, problem.line, problem.column, problem.message.replace(shown, name))


@contextmanager
def _folder_locked(folder: Path) -> Iterator[None]:
    """One writer at a time in the agreements folder, across processes."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        os.close(descriptor)


def _write_beside(path: Path, text: str) -> Path:
    """The text in a temporary file of the same folder, flushed to disk."""
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    with os.fdopen(handle, "wb") as out:
        out.write(text.encode("utf-8"))
        out.flush()
        os.fsync(out.fileno())
    return Path(name)


def save_source(path: Path, text: str, *, base: str, started_from: str) -> str:
    """Replace the file with `text` if it still has the content hashed `base`; its new hash.

    Refused with what changed (`SourceChanged`) otherwise; the file is then untouched.
    """
    with _folder_locked(path.parent):
        current = read_source(path)
        require_unchanged(path.name, base=base, current=current.text, started_from=started_from)
        _replace(path, text)
    return text_sha256(text)


def _replace(path: Path, text: str) -> None:
    """The file becomes `text` at once (its mode kept): a reader sees the old or the new."""
    temporary = _write_beside(path, text)
    try:
        os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


@dataclass(frozen=True)
class Saved:
    """The file's hashes before and after a save, for the audit trail."""

    before: str
    after: str


def save_organisations(
    path: Path,
    edit: orgs.Edit,
    *,
    org: str,
    started_from: str | None,
    library: ClauseLibrary,
    also: Callable[[str], None] | None = None,
) -> Saved:
    """The one way a workspace form changes organizations.yaml.

    Under the folder's lock: the file as it is now; the entry of `org` as the form showed it
    (`started_from`; None for an organisation being added, which had none), else
    `SourceChanged` with that entry's diff; `edit` applied to the current text, so what
    another organisation gained meanwhile is kept byte for byte; the loader's check of the
    whole folder with it (`OrganisationsInvalid`), `also` (a dry run of drafting it), then
    the atomic replace. Refused, the file is untouched.
    """
    with _folder_locked(path.parent):
        current = read_source(path)
        if started_from is not None:
            orgs.require_entry_unchanged(current.text, org, started_from=started_from)
        text = edit(current.text)
        problems = orgs.check_organisations(text, agreements_dir=path.parent, library=library)
        if problems:
            raise orgs.OrganisationsInvalid(text, problems)
        if also is not None:
            also(text)
        _replace(path, text)
    return Saved(current.sha256, text_sha256(text))


def create_source(path: Path, text: str) -> None:
    """Write a new agreement's file; refused if the name is taken, never overwriting it."""
    with _folder_locked(path.parent):
        temporary = _write_beside(path, text)
        try:
            os.chmod(temporary, 0o644)
            os.link(temporary, path)
        except FileExistsError:
            raise Refusal(
                "drafting.new_file_exists",
                "The agreements folder already has %(file)s.",
                field="slug",
                file=path.name,
            ) from None
        finally:
            temporary.unlink(missing_ok=True)


def require_free_slug(slug: str, path: Path, *, session: Session) -> None:
    """A new agreement's identifier names no agreement yet, recorded or only written."""
    taken = session.exec(select(Agreement.id).where(Agreement.slug == slug)).first()
    if taken is not None or path.exists():
        raise Refusal(
            "drafting.new_slug_taken",
            "An agreement with the identifier %(slug)s already exists.",
            field="slug",
            slug=slug,
        )


def record_source_saved(
    slug: str, file: str, *, before: str | None, after: str, env: ServiceEnv
) -> None:
    """The audit trail keeps who changed which file from what to what (by hash)."""
    audit.record(
        session=env.session,
        actor=env.actor,
        action="source.saved" if before else "source.created",
        subject=f"agreement:{slug}",
        data={"file": file, "before": before, "after": after},
    )


def record_organisations_saved(file: str, *, before: str, after: str, env: ServiceEnv) -> None:
    """The organisations file's changes are audited like an agreement's source."""
    audit.record(
        session=env.session,
        actor=env.actor,
        action="source.saved",
        subject="organisations",
        data={"file": file, "before": before, "after": after},
    )


ORGANISATION_ADDED = "organization.added"


def record_organisation_added(
    org: str, file: str, *, secretariat: str, before: str, after: str, env: ServiceEnv
) -> None:
    """An organisation added from the workspace is audited with the secretariat that added
    it: until it is a party of one of its agreements, that is what makes it theirs to see."""
    audit.record(
        session=env.session,
        actor=env.actor,
        action=ORGANISATION_ADDED,
        subject=f"org:{org}",
        data={"secretariat": secretariat, "file": file, "before": before, "after": after},
    )


def organisations_added_by(secretariat: str, *, session: Session) -> list[str]:
    """The ids of the organisations the secretariat added from the workspace."""
    rows = session.exec(
        select(AuditEvent.subject, AuditEvent.data).where(AuditEvent.action == ORGANISATION_ADDED)
    ).all()
    return [
        subject.removeprefix("org:")
        for subject, data in rows
        if data.get("secretariat") == secretariat
    ]
