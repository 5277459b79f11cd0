"""The clause library in `templates/clauses/`: standard clauses an agreement takes with `use:`.

A library file, `<name>.yaml`::

    format: accord/v1
    clause: confidentiality        # equals the file name without .yaml
    parameters:                    # optional; one without a default must be given in `with:`
      retention_years: {default: 5}
      data_controller: {}          # (`description:` may say what a parameter is for)
    title: {ru: …, en: …}          # optional; same languages as `text`
    text: {ru: "… {{ retention_years }} …", en: …}   # its keys are the languages offered
    clauses:                       # optional sub-clauses: id, optional title, text; may nest
      - id: lawful-basis
        text: {ru: …, en: …}

A clause may also have variants per country, `<name>.<COUNTRY>.yaml` (`definitions.KZ.yaml`):
the same format plus `country: KZ`, written in that country's legal terms and citing its
laws. Which file an agreement takes is decided in `library_choice`.

Language keys are the registry's tags, as in agreements (`ru`, `uz-Latn`; `uz` is read as
`uz-Latn`).

Texts stay templates here; they are rendered for each agreement that uses them.
Each file is read once, on first use, and its problems carry its own path.
"""

import re
from collections.abc import Mapping as MappingOf
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accord.source import field_readers as fr
from accord.source.field_readers import Report
from accord.source.iso_codes import COUNTRY_CODES
from accord.source.organization_reader import COUNTRY_EXPECTED
from accord.source.problems import Problem
from accord.source.source_files import display_path
from accord.source.spec import FORMAT
from accord.source.yaml_nodes import Mapping, Node, read_yaml_file, to_python

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
"""Parameter and variable names: what a Jinja2 template can refer to."""
_VARIANT_STEM = re.compile(r"(?P<name>[^.]+)\.(?P<country>[A-Z]{2})")
"""`definitions.KZ`: the clause's name and the country of the variant."""

_TOP_KEYS = ("format", "clause", "parameters", "title", "text", "clauses")
_VARIANT_KEYS = (*_TOP_KEYS[:2], "country", *_TOP_KEYS[2:])
_SUB_KEYS = ("id", "title", "text", "clauses")
_PARAMETER_KEYS = ("default", "description")


@dataclass(frozen=True)
class LibraryParameter:
    name: str
    required: bool
    default: Any = None


@dataclass(frozen=True)
class LibrarySubClause:
    id: str
    title: dict[str, str] | None
    text: dict[str, str]
    clauses: tuple["LibrarySubClause", ...] = ()


@dataclass(frozen=True)
class LibraryClause:
    """One library file, checked; `title` and `text` are unrendered templates."""

    name: str
    path: str
    languages: tuple[str, ...]
    parameters: MappingOf[str, LibraryParameter]
    title: dict[str, str] | None
    text: dict[str, str]
    clauses: tuple[LibrarySubClause, ...] = ()
    country: str | None = None
    """The country of a variant file; None for the generic one."""

    @property
    def source(self) -> str:
        """The file's name without .yaml (`definitions.KZ`): what a version records."""
        return f"{self.name}.{self.country}" if self.country else self.name

    @property
    def label(self) -> str:
        """How messages name it: 'definitions', or 'definitions' (variant KZ)."""
        return f"'{self.name}'" + (f" (variant {self.country})" if self.country else "")


@dataclass(frozen=True)
class LibraryLookup:
    """A library clause by name: the clause if its file is valid, and the file's problems."""

    clause: LibraryClause | None
    problems: tuple[Problem, ...] = ()


@dataclass
class ClauseLibrary:
    """The library's files by clause name (and country, for variants), each parsed at most
    once, when first looked up."""

    files: MappingOf[str, Path]
    """Generic files by clause name."""
    directory: str
    variant_files: MappingOf[str, MappingOf[str, Path]] = field(default_factory=dict)
    """Variant files by clause name, then country."""
    _cache: dict[Path, LibraryLookup] = field(default_factory=dict, repr=False)

    @classmethod
    def from_directory(cls, directory: Path) -> "ClauseLibrary":
        """Index `directory/*.yaml` without reading them; no directory means an empty library."""
        try:
            found = sorted(directory.glob("*.yaml")) if directory.is_dir() else []
        except OSError:
            found = []
        files: dict[str, Path] = {}
        variants: dict[str, dict[str, Path]] = {}
        for path in found:
            variant = _VARIANT_STEM.fullmatch(path.stem)
            if variant is not None and variant["country"] in COUNTRY_CODES:
                variants.setdefault(variant["name"], {})[variant["country"]] = path
            else:
                files[path.stem] = path
        return cls(files=files, directory=display_path(directory), variant_files=variants)

    def names(self) -> tuple[str, ...]:
        return tuple(sorted({*self.files, *self.variant_files}))

    def countries(self, name: str) -> tuple[str, ...]:
        """The countries that have a variant of clause `name`."""
        return tuple(sorted(self.variant_files.get(name, {})))

    def lookup(self, name: str) -> LibraryLookup | None:
        """The generic clause called `name`, or None if the library has no such file."""
        if name not in self.files:
            return None
        return self._read(self.files[name], name=name, country=None)

    def lookup_variant(self, name: str, country: str) -> LibraryLookup | None:
        """Clause `name`'s variant for `country`, or None if the library has no such file."""
        path = self.variant_files.get(name, {}).get(country)
        return self._read(path, name=name, country=country) if path is not None else None

    def _read(self, path: Path, *, name: str, country: str | None) -> LibraryLookup:
        if path not in self._cache:
            self._cache[path] = _read_library_file(path, name=name, country=country)
        return self._cache[path]


def _read_library_file(file: Path, *, name: str, country: str | None) -> LibraryLookup:
    path = display_path(file)
    parsed = read_yaml_file(file, display=path)
    report = Report(path, list(parsed.problems))
    clause = None
    if parsed.root is not None:
        clause = _library_clause(parsed.root, report, name=name, country=country)
    return LibraryLookup(clause if not report.problems else None, tuple(report.problems))


def _library_clause(
    root: Node, report: Report, *, name: str, country: str | None
) -> LibraryClause | None:
    top = fr.mapping_of(root, report, "library file content")
    if top is None:
        return None
    before = len(report.problems)
    allowed: tuple[str, ...] = _TOP_KEYS
    required: tuple[str, ...] = ("format", "clause", "text")
    if country is not None:
        allowed, required = _VARIANT_KEYS, ("format", "clause", "country", "text")
    fr.check_keys(top, report, allowed=allowed, required=required, context="library clause")
    fr.check_format(top, report, FORMAT)
    _check_name(top, report, name=name, variant=country is not None)
    if country is not None:
        _check_country(top, report, country=country)
    parameters = _parameters(top, report)
    text_node = fr.value_of(top, "text")
    texts = fr.text_map(text_node, report, "text", None) if text_node is not None else None
    if texts is None:
        return None
    languages = tuple(texts)
    title = _templates(top, "title", report, "title", languages)
    subclauses = _sub_clauses(fr.value_of(top, "clauses"), report, languages, seen={})
    if len(report.problems) > before:
        return None
    return LibraryClause(
        name=name,
        path=report.path,
        languages=languages,
        parameters=parameters,
        title=title,
        text={lang: scalar.source for lang, scalar in texts.items()},
        clauses=subclauses,
        country=country,
    )


def _check_name(top: Mapping, report: Report, *, name: str, variant: bool) -> None:
    node = fr.value_of(top, "clause")
    clause = fr.slug_of(node, report, "clause name") if node is not None else None
    if node is not None and clause is not None and clause != name:
        without = "the country and .yaml" if variant else ".yaml"
        report.invalid(node, "clause name", f"expected '{name}', the file name without {without}")


def _check_country(top: Mapping, report: Report, *, country: str) -> None:
    """A variant says its country, and it is the one in its file name."""
    node = fr.value_of(top, "country")
    if node is None:
        return  # reported as a missing key
    code = fr.code_of(node, report, "country", COUNTRY_CODES, COUNTRY_EXPECTED)
    if code is not None and code != country:
        report.invalid(node, "country", f"expected '{country}', the country in the file name")


def _parameters(top: Mapping, report: Report) -> dict[str, LibraryParameter]:
    node = fr.value_of(top, "parameters")
    mapping = fr.mapping_of(node, report, "parameters") if node is not None else None
    parameters: dict[str, LibraryParameter] = {}
    for entry in mapping.entries if mapping is not None else ():
        if IDENTIFIER.fullmatch(entry.key):
            parameters[entry.key] = _parameter(entry.key, entry.value, report)
        else:
            expected = "expected letters, digits and underscores, like retention_years"
            report.add(entry, f"invalid parameter name '{entry.key}' ({expected})")
    return parameters


def _parameter(name: str, node: Node, report: Report) -> LibraryParameter:
    """`{}` or nothing: required; `{default: …}`: optional."""
    if fr.is_null(node):
        return LibraryParameter(name=name, required=True)
    spec = fr.mapping_of(node, report, f"parameter '{name}'")
    if spec is None:
        return LibraryParameter(name=name, required=True)
    fr.check_keys(spec, report, allowed=_PARAMETER_KEYS, required=(), context=f"parameter '{name}'")
    default = fr.value_of(spec, "default")
    if default is None:
        return LibraryParameter(name=name, required=True)
    return LibraryParameter(name=name, required=False, default=to_python(default))


def _templates(
    mapping: Mapping, key: str, report: Report, what: str, languages: tuple[str, ...]
) -> dict[str, str] | None:
    """A text map in the offered languages, as templates; None if absent or invalid."""
    node = fr.value_of(mapping, key)
    if node is None:
        return None
    texts = fr.text_map(node, report, what, languages, languages_from="text")
    return {lang: scalar.source for lang, scalar in texts.items()} if texts is not None else None


def _sub_clauses(
    node: Node | None, report: Report, languages: tuple[str, ...], *, seen: dict[str, int]
) -> tuple[LibrarySubClause, ...]:
    """Sub-clauses (and theirs) that are valid; their ids are unique in the file."""
    items = fr.list_of(node, report, "clauses") if node is not None else None
    if items is None:
        return ()
    clauses = (_sub_clause(item, report, languages, seen=seen) for item in items.items)
    return tuple(clause for clause in clauses if clause is not None)


def _sub_clause(
    node: Node, report: Report, languages: tuple[str, ...], *, seen: dict[str, int]
) -> LibrarySubClause | None:
    mapping = fr.mapping_of(node, report, "sub-clause")
    if mapping is None:
        return None
    required = ("id", "text")
    fr.check_keys(mapping, report, allowed=_SUB_KEYS, required=required, context="sub-clause")
    id_node = fr.value_of(mapping, "id")
    clause_id = fr.slug_of(id_node, report, "sub-clause id") if id_node is not None else None
    if clause_id is not None and id_node is not None:
        _check_unique(clause_id, id_node, report, seen)
    label = f"sub-clause '{clause_id or '?'}'"
    title = _templates(mapping, "title", report, f"{label} title", languages)
    text = _templates(mapping, "text", report, f"{label} text", languages)
    children = _sub_clauses(fr.value_of(mapping, "clauses"), report, languages, seen=seen)
    if clause_id is None or text is None:
        return None
    return LibrarySubClause(id=clause_id, title=title, text=text, clauses=children)


def _check_unique(clause_id: str, node: Node, report: Report, seen: dict[str, int]) -> None:
    if clause_id in seen:
        report.add(node, f"duplicate sub-clause id '{clause_id}' (first at line {seen[clause_id]})")
    else:
        seen[clause_id] = node.line
