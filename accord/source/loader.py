"""Read agreement and organisation sources, check them all, and refuse the set with every problem.

`load_sources` never stops at the first problem and never raises anything but
`SourceInvalid` for bad input: a secretariat fixes a whole batch of mistakes in
one pass, and nothing is written from a set that has any. Warnings do not refuse
anything; they come back with the loaded sources.
"""

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from accord.source import field_readers as fr
from accord.source.agreement_reader import AgreementRefs, read_agreement
from accord.source.clause_library import ClauseLibrary
from accord.source.field_readers import Report
from accord.source.organization_reader import ReadOrganization, read_organizations
from accord.source.problems import SourceInvalid
from accord.source.source_files import display_path, source_files
from accord.source.spec import AgreementSpec, LoadedSources, OrganizationSpec
from accord.source.yaml_nodes import Mapping, Scalar, read_yaml_file

ORGANIZATIONS_FILE = "organizations.yaml"
"""Looked for beside the agreements when no organisations file is given."""


@dataclass(frozen=True)
class _Source:
    """One parsed file: its root mapping (if it is one) and what kind of source it is."""

    file: Path
    report: Report
    top: Mapping | None
    kind: str | None

    @property
    def path(self) -> str:
        return self.report.path


def load_sources(paths: Sequence[Path], *, clause_library: ClauseLibrary) -> LoadedSources:
    """All organisations and agreements in `paths` (files or directories), or SourceInvalid.

    Sources loaded before in this process from files unchanged since are not parsed again:
    `accord draft` checks its sources before its flow runs, and the flow reads them too
    (thousands of files, most of a draft's time).
    """
    key = _fingerprint(paths, clause_library)
    loaded = _loaded.get(key) if key is not None else None
    if loaded is None:
        loaded = _load_sources(paths, clause_library=clause_library)
        if key is not None:
            _loaded.clear()  # the last set only: a command reads one set, maybe twice
            _loaded[key] = loaded
    return loaded


_loaded: dict[tuple[object, ...], LoadedSources] = {}
"""LoadedSources are immutable values: sharing them between readers is safe."""


def _fingerprint(paths: Sequence[Path], library: ClauseLibrary) -> tuple[object, ...] | None:
    """Everything a load reads, by path and content (hashing is cheap next to parsing); None
    when a file cannot be read, which the load itself reports."""
    files, problems = source_files(paths)
    if problems:
        return None
    beside = {f.parent / ORGANIZATIONS_FILE for f in files}
    library_files = [*library.files.values()]
    library_files += [f for variants in library.variant_files.values() for f in variants.values()]
    try:
        digests = tuple(
            (str(f), hashlib.blake2b(f.read_bytes(), digest_size=16).digest())
            for f in [*files, *sorted(b for b in beside if b.is_file()), *library_files]
        )
    except OSError:
        return None
    return (os.getcwd(), tuple(str(p) for p in paths), digests)


def _load_sources(paths: Sequence[Path], *, clause_library: ClauseLibrary) -> LoadedSources:
    files, problems = source_files(paths)
    sources = [_parse(file) for file in files]
    org_sources = [s for s in sources if s.kind == "organizations"]
    agreement_sources = [s for s in sources if s.kind == "agreement"]
    if agreement_sources and not org_sources:
        org_sources = _beside_agreements(agreement_sources, sources)
    organizations, known = _organizations(org_sources)
    refs = AgreementRefs(known, clause_library, set())
    agreements = _agreements(agreement_sources, refs)
    all_sources = sources + [s for s in org_sources if s not in sources]
    problems += [p for source in all_sources for p in source.report.problems]
    problems += refs.library_problems
    if problems:
        raise SourceInvalid(sorted(set(problems)))
    warnings = sorted({w for source in all_sources for w in source.report.warnings})
    return LoadedSources(
        organizations=organizations, agreements=tuple(agreements), warnings=tuple(warnings)
    )


def load_organizations(paths: Sequence[Path]) -> dict[str, OrganizationSpec]:
    """Organisations only (files or directories of organisations files), or SourceInvalid."""
    files, problems = source_files(paths)
    sources = [_parse(file) for file in files]
    for source in sources:
        if source.kind == "agreement" and source.top is not None:
            expected = "expected an organisations file with organizations:"
            message = f"an agreement where organisations were asked for ({expected})"
            source.report.add(source.top, message)
    organizations, _ = _organizations([s for s in sources if s.kind == "organizations"])
    problems += [p for source in sources for p in source.report.problems]
    if problems:
        raise SourceInvalid(sorted(set(problems)))
    return organizations


def _parse(file: Path) -> _Source:
    """Read one file and tell an organisations file (`organizations:`) from an agreement (`id:`)."""
    parsed = read_yaml_file(file, display=display_path(file))
    report = Report(display_path(file), list(parsed.problems))
    if parsed.root is None:
        return _Source(file, report, None, None)
    top = fr.mapping_of(parsed.root, report, "file content")
    return _Source(file, report, top, _kind(top, report) if top is not None else None)


def _kind(top: Mapping, report: Report) -> str | None:
    keys = set(top.keys())
    if {"organizations", "id"} <= keys:
        expected = "expected either an organisations file or one agreement"
        report.add(top, f"file has both organizations and id ({expected})")
        return None
    if "organizations" in keys or any(fr.suggestion(key, ["organizations"]) for key in keys):
        return "organizations"
    if "id" in keys:
        return "agreement"
    expected = "expected organizations: for organisations, or id: for an agreement"
    report.add(top, f"not an accord/v1 source ({expected})")
    return None


def _beside_agreements(agreements: list[_Source], parsed: list[_Source]) -> list[_Source]:
    """The organisations file next to each agreement, as if it had been given."""
    seen = {os.path.realpath(source.file) for source in parsed}
    found: list[_Source] = []
    for agreement in agreements:
        candidate = agreement.file.parent / ORGANIZATIONS_FILE
        if os.path.realpath(candidate) in seen:
            continue
        if not candidate.is_file():
            where = display_path(candidate)
            expected = f"expected {where}, or an organisations file among the paths given"
            agreement.report.add_to_file(f"no organisations file found ({expected})")
            continue
        seen.add(os.path.realpath(candidate))
        source = _parse(candidate)
        if source.kind != "organizations" and source.top is not None:
            source.report.add(source.top, "not an organisations file (expected organizations:)")
        found.append(source)
    return found


def _organizations(sources: list[_Source]) -> tuple[dict[str, OrganizationSpec], set[str] | None]:
    """Valid organisations by id, and every id written.

    The ids are None when some organisations file could not be read as a list: references
    to organisations are then not checked, rather than all reported as unknown.
    """
    first: dict[str, tuple[str, ReadOrganization]] = {}
    valid: dict[str, OrganizationSpec] = {}
    complete = bool(sources)
    for source in sources:
        read = None
        if source.top is not None and source.kind == "organizations":
            read = read_organizations(source.top, source.report)
        complete = complete and read is not None
        for org in read or ():
            if org.id in first:
                where = _first(first[org.id], source)
                source.report.add(org.at, f"duplicate organisation id '{org.id}' ({where})")
                continue
            first[org.id] = (source.path, org)
            if org.spec is not None:
                valid[org.id] = org.spec
    return valid, set(first) if complete else None


def _first(where: tuple[str, ReadOrganization], source: _Source) -> str:
    path, org = where
    in_file = "" if path == source.path else f" in {path}"
    return f"first{in_file} at line {org.at.line}"


def _agreements(sources: list[_Source], refs: AgreementRefs) -> list[tuple[str, AgreementSpec]]:
    """Valid agreements with their paths; agreement ids must be unique across files."""
    agreements: list[tuple[str, AgreementSpec]] = []
    first: dict[str, str] = {}
    for source in sources:
        if source.top is None:
            continue
        spec = read_agreement(source.top, source.report, refs)
        id_node = fr.value_of(source.top, "id")
        if not isinstance(id_node, Scalar):
            continue
        agreement_id = id_node.source
        if agreement_id in first:
            message = f"duplicate agreement id '{agreement_id}' (first in {first[agreement_id]})"
            source.report.add(id_node, message)
            continue
        first[agreement_id] = f"{source.path} at line {id_node.line}"
        if spec is not None:
            agreements.append((source.path, spec))
    return agreements
