"""YAML read into nodes that remember where they were written, so every problem can point there.

PyYAML's `yaml.compose` (with the safe loader's tag resolution) gives the node
graph; this module turns it into small immutable nodes with 1-based positions,
reports duplicate keys, unsupported tags, aliases that contain themselves and
documents that are too deep or expand to too many nodes, and never raises for
bad input: every failure becomes a `Problem`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from accord.source.problems import Problem

MAX_FILE_BYTES = 5 * 1024 * 1024
"""Sources are hand-written; anything bigger is a mistake or an attack."""
MAX_NODES = 200_000
"""Nodes after expanding aliases: stops "billion laughs" alias bombs."""
MAX_DEPTH = 64
"""Nesting levels: real sources need about a dozen; PyYAML's composer recurses per level."""

ScalarValue = str | int | float | bool | None | dt.date | dt.datetime

_TAG = "tag:yaml.org,2002:"
_TEXT_TAGS = frozenset({_TAG + "str", _TAG + "value"})
_TYPED_TAGS = frozenset({_TAG + n for n in ("null", "bool", "int", "float", "timestamp")})
_SAFE = SafeConstructor()


@dataclass(frozen=True, slots=True)
class Scalar:
    """A single value; `source` is its text as written, `value` what YAML makes of it."""

    value: ScalarValue
    source: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Sequence:
    items: tuple[Node, ...]
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Entry:
    """One `key: value` pair; its position is the key's."""

    key: str
    value: Node
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Mapping:
    entries: tuple[Entry, ...]
    line: int
    column: int

    def get(self, key: str) -> Entry | None:
        return next((entry for entry in self.entries if entry.key == key), None)

    def keys(self) -> tuple[str, ...]:
        return tuple(entry.key for entry in self.entries)


Node = Scalar | Sequence | Mapping


@dataclass(frozen=True, slots=True)
class ParsedYaml:
    """The document's root (None if nothing usable was read) and what was wrong with it."""

    root: Node | None
    problems: tuple[Problem, ...]


def read_yaml_file(file: Path, *, display: str) -> ParsedYaml:
    """Read, decode and parse one file, refusing oversized ones before reading them whole."""
    try:
        with file.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        return _failed(display, 1, 1, f"cannot read file: {reason} (expected a readable file)")
    if len(data) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        return _failed(display, 1, 1, f"file is too large (expected at most {limit} MB)")
    return parse_yaml_bytes(data, path=display)


def parse_yaml_bytes(data: bytes, *, path: str) -> ParsedYaml:
    """Decode UTF-8 (a BOM is allowed) and parse; a bad byte is reported where it is."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, column = _offset_position(data, error.start)
        byte = data[error.start]
        return _failed(path, line, column, f"invalid UTF-8 byte 0x{byte:02x} (expected UTF-8 text)")
    return parse_yaml(text, path=path)


def parse_yaml(text: str, *, path: str) -> ParsedYaml:
    """Parse one YAML document into positioned nodes."""
    try:
        raw = _fast_compose(text)
        if raw is None:
            raw = yaml.compose(text, Loader=_DepthLimitedLoader)
    except _TooDeep as error:
        message = f"nesting is too deep (expected at most {MAX_DEPTH} levels)"
        return _failed(path, error.line, error.column, message)
    except yaml.MarkedYAMLError as error:
        return _failed(path, *_syntax_problem(error))
    except yaml.reader.ReaderError as error:
        line, column = _offset_position(text, error.position)
        message = f"invalid character #x{error.character:04x} (expected printable text)"
        return _failed(path, line, column, message)
    except yaml.YAMLError as error:
        return _failed(path, 1, 1, f"invalid YAML: {error} (expected YAML syntax)")
    if raw is None:
        return _failed(path, 1, 1, "file is empty (expected a mapping with format: accord/v1)")
    builder = _Builder(path)
    try:
        root = builder.node(raw, depth=0)
    except _TooManyNodes as error:
        message = f"too many values after expanding aliases (expected at most {MAX_NODES})"
        builder.problems.append(Problem(path, error.line, error.column, message))
        return ParsedYaml(None, tuple(builder.problems))
    return ParsedYaml(root, tuple(builder.problems))


def _fast_compose(text: str) -> yaml.Node | None:
    """libyaml's nodes (ten times faster) for a document it reads without complaint.

    None sends the document to PyYAML's own parser, whose nodes carry the same tags, values
    and start positions (all the builder reads), and whose errors are the ones we report:
    any libyaml error, a character PyYAML refuses, or nesting near the limit (libyaml's
    composer recurses in C, so depth is counted on its events first).
    """
    if not yaml.__with_libyaml__ or _NON_PRINTABLE.search(text) is not None:
        return None
    try:
        depth = deepest = 0
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                deepest = max(deepest, depth)
                if deepest >= MAX_DEPTH:
                    return None
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        return yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return None


_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE


def to_python(node: Node) -> Any:
    """Plain Python data (for agreement `variables` and clause parameters)."""
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Sequence):
        return [to_python(item) for item in node.items]
    return {entry.key: to_python(entry.value) for entry in node.entries}


class _TooDeep(yaml.YAMLError):
    def __init__(self, line: int, column: int) -> None:
        super().__init__()
        self.line, self.column = line, column


class _TooManyNodes(Exception):
    def __init__(self, line: int, column: int) -> None:
        super().__init__()
        self.line, self.column = line, column


class _DepthLimitedLoader(yaml.SafeLoader):
    """The safe loader, refusing to nest deeper than MAX_DEPTH before Python's stack runs out."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise _TooDeep(mark.line + 1, mark.column + 1)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


@dataclass
class _Builder:
    """Converts PyYAML nodes, counting every node it makes, aliases included."""

    path: str
    problems: list[Problem] = field(default_factory=list)
    count: int = 0
    open_nodes: set[int] = field(default_factory=set)

    def problem(self, raw: yaml.Node, message: str) -> None:
        line, column = _position(raw)
        self.problems.append(Problem(self.path, line, column, message))

    def node(self, raw: yaml.Node, *, depth: int) -> Node:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooManyNodes(*_position(raw))
        if id(raw) in self.open_nodes:
            self.problem(raw, "alias refers to a value that contains it (expected no cycles)")
            return Scalar(None, "", *_position(raw))
        if depth > MAX_DEPTH:
            self.problem(raw, f"nesting is too deep (expected at most {MAX_DEPTH} levels)")
            return Scalar(None, "", *_position(raw))
        self.open_nodes.add(id(raw))
        try:
            return self._convert(raw, depth)
        finally:
            self.open_nodes.discard(id(raw))

    def _convert(self, raw: yaml.Node, depth: int) -> Node:
        if isinstance(raw, yaml.MappingNode):
            self._check_tag(raw, _TAG + "map")
            return Mapping(self._entries(raw, depth), *_position(raw))
        if isinstance(raw, yaml.SequenceNode):
            self._check_tag(raw, _TAG + "seq")
            items = tuple(self.node(item, depth=depth + 1) for item in raw.value)
            return Sequence(items, *_position(raw))
        if isinstance(raw, yaml.ScalarNode):
            return self._scalar(raw)
        self.problem(raw, "unreadable YAML node (expected a value, list or mapping)")
        return Scalar(None, "", *_position(raw))

    def _check_tag(self, raw: yaml.Node, expected: str) -> None:
        if raw.tag != expected:
            self.problem(raw, _unsupported_tag(raw.tag))

    def _scalar(self, raw: yaml.ScalarNode) -> Scalar:
        source = str(raw.value)
        if raw.tag in _TEXT_TAGS:
            return Scalar(source, source, *_position(raw))
        if raw.tag not in _TYPED_TAGS:
            self.problem(raw, _unsupported_tag(raw.tag))
            return Scalar(source, source, *_position(raw))
        return Scalar(_construct(raw), source, *_position(raw))

    def _entries(self, raw: yaml.MappingNode, depth: int) -> tuple[Entry, ...]:
        explicit: dict[str, Entry] = {}
        merged: list[Entry] = []
        for key_node, value_node in raw.value:
            if key_node.tag == _TAG + "merge":
                merged.extend(self._merged(value_node, depth))
                continue
            entry = self._entry(key_node, value_node, depth)
            if entry is None:
                continue
            if entry.key in explicit:
                first = explicit[entry.key]
                message = f"duplicate key '{entry.key}' (first at line {first.line})"
                self.problem(key_node, message)
                continue
            explicit[entry.key] = entry
        for entry in merged:
            explicit.setdefault(entry.key, entry)
        return tuple(explicit.values())

    def _entry(self, key_node: yaml.Node, value_node: yaml.Node, depth: int) -> Entry | None:
        if not isinstance(key_node, yaml.ScalarNode):
            self.problem(key_node, "a key is a list or mapping (expected a plain name)")
            return None
        value = self.node(value_node, depth=depth + 1)
        return Entry(str(key_node.value), value, *_position(key_node))

    def _merged(self, raw: yaml.Node, depth: int) -> list[Entry]:
        """Entries brought in by `<<: *anchor` (or a list of them); earlier ones win, as in YAML."""
        sources = raw.value if isinstance(raw, yaml.SequenceNode) else [raw]
        entries: list[Entry] = []
        for source in sources:
            converted = self.node(source, depth=depth + 1)
            if isinstance(converted, Mapping):
                entries.extend(converted.entries)
            else:
                self.problem(source, "'<<' merges something else (expected a mapping or aliases)")
        return entries


def _construct(raw: yaml.ScalarNode) -> ScalarValue:
    """The YAML value of a typed scalar; text that cannot be one (e.g. 2027-13-45) stays text."""
    constructors = {
        "null": _SAFE.construct_yaml_null,
        "bool": _SAFE.construct_yaml_bool,
        "int": _SAFE.construct_yaml_int,
        "float": _SAFE.construct_yaml_float,
        "timestamp": _SAFE.construct_yaml_timestamp,
    }
    try:
        value: ScalarValue = constructors[raw.tag.removeprefix(_TAG)](raw)
    except (ValueError, TypeError, OverflowError, AttributeError, KeyError, yaml.YAMLError):
        return str(raw.value)
    return value


def _unsupported_tag(tag: str) -> str:
    shown = "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag
    return f"unsupported tag '{shown}' (expected plain text, numbers, dates, lists and mappings)"


def _position(raw: yaml.Node) -> tuple[int, int]:
    mark = raw.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _syntax_problem(error: yaml.MarkedYAMLError) -> tuple[int, int, str]:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    what = error.problem or error.context or "invalid YAML"
    context = error.context if error.problem and error.context else None
    if context and error.context_mark is not None:
        context = f"{context} at line {error.context_mark.line + 1}"
    expected = context or "expected valid YAML: check indentation, colons and quotes"
    return line, column, f"YAML syntax error: {what} ({expected})"


def _offset_position(data: str | bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of a character (or byte) offset."""
    newline: Any = b"\n" if isinstance(data, bytes) else "\n"
    before = data[:offset]
    line_start = before.rfind(newline) + 1
    return before.count(newline) + 1, offset - line_start + 1


def _failed(path: str, line: int, column: int, message: str) -> ParsedYaml:
    return ParsedYaml(None, (Problem(path, line, column, message),))
