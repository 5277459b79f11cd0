"""Typed readers over positioned YAML nodes, so each rule is one call that reports where it broke.

Every reader takes the node, the file's `Report` and a label naming the field
for people ("contact email", "clause 'purpose' text"); it returns the value or
None after recording a problem. Messages read `what is wrong (what was expected)`.
"""

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable
from collections.abc import Mapping as MappingOf
from collections.abc import Sequence as Seq
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import takewhile
from typing import Protocol, TypeVar

from accord.i18n import languages as registry
from accord.source.problems import Problem, SourceWarning
from accord.source.yaml_nodes import Mapping, Node, Scalar, Sequence

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_SHOWN_LENGTH = 60
T = TypeVar("T")


class Located(Protocol):
    @property
    def line(self) -> int: ...

    @property
    def column(self) -> int: ...


@dataclass
class Report:
    """The problems (and warnings) found in one file; readers add to it instead of raising."""

    path: str
    problems: list[Problem] = field(default_factory=list)
    warnings: list[SourceWarning] = field(default_factory=list)

    def add(self, at: Located, message: str) -> None:
        self.problems.append(Problem(self.path, at.line, at.column, message))

    def warn(self, at: Located, message: str) -> None:
        """Worth a reviewer's look, but the file still loads."""
        self.warnings.append(SourceWarning(self.path, at.line, at.column, message))

    def add_to_file(self, message: str) -> None:
        """A problem with the file as a whole, shown at its start."""
        self.problems.append(Problem(self.path, 1, 1, message))

    def invalid(self, node: Node, what: str, expected: str) -> None:
        self.add(node, f"invalid {what}: {shown(node)} ({expected})")


def shown(node: Node) -> str:
    """How a value is quoted back in a message: short, and never the whole of a long text."""
    if isinstance(node, Mapping):
        return "an empty mapping" if not node.entries else "a mapping"
    if isinstance(node, Sequence):
        return "an empty list" if not node.items else "a list"
    if node.value is None:
        return "nothing"
    text = node.source if len(node.source) <= _SHOWN_LENGTH else node.source[:_SHOWN_LENGTH] + "…"
    return repr(text)


def suggestion(word: str, options: Iterable[str]) -> str | None:
    """The closest of `options` to a misspelt `word`, if one is close enough.

    Equally close options are told apart by how long a start they share with `word`.
    """
    matches = difflib.get_close_matches(word, list(options), n=3)
    if not matches:
        return None
    ratio = difflib.SequenceMatcher(None, word, matches[0]).ratio()
    tied = [m for m in matches if difflib.SequenceMatcher(None, word, m).ratio() == ratio]
    return max(tied, key=lambda match: _shared_start(word, match))


def _shared_start(first: str, second: str) -> int:
    return sum(
        1 for _ in takewhile(lambda pair: pair[0] == pair[1], zip(first, second, strict=False))
    )


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """'; did you mean 'x'?' to append inside a message's parentheses, or nothing."""
    match = suggestion(word, options)
    return f"; did you mean '{match}'?" if match else ""


def one_of(options: Iterable[str]) -> str:
    return ", ".join(options)


def check_keys(
    mapping: Mapping,
    report: Report,
    *,
    allowed: Seq[str],
    required: Seq[str],
    context: str,
) -> bool:
    """Report unknown keys (with the likely intended one) and missing required keys."""
    ok = True
    for entry in mapping.entries:
        if entry.key not in allowed:
            match = suggestion(entry.key, allowed)
            hint = f"did you mean '{match}'?" if match else f"expected one of: {one_of(allowed)}"
            report.add(entry, f"unknown key '{entry.key}' ({hint})")
            ok = False
    present = set(mapping.keys())
    for key in required:
        if key not in present:
            report.add(mapping, f"missing key '{key}' in {context} (required: {one_of(required)})")
            ok = False
    return ok


def value_of(mapping: Mapping, key: str) -> Node | None:
    entry = mapping.get(key)
    return entry.value if entry is not None else None


def mapping_of(node: Node, report: Report, what: str) -> Mapping | None:
    if isinstance(node, Mapping):
        return node
    report.invalid(node, what, "expected a mapping of keys and values")
    return None


def list_of(node: Node, report: Report, what: str, *, non_empty: bool = False) -> Sequence | None:
    if isinstance(node, Sequence) and (node.items or not non_empty):
        return node
    report.invalid(node, what, "expected a non-empty list" if non_empty else "expected a list")
    return None


def text_of(node: Node, report: Report, what: str) -> str | None:
    """Any single value as written, stripped: `country: NO` or `target: 3` are text too."""
    if isinstance(node, Scalar) and node.value is not None and node.source.strip():
        return node.source.strip()
    report.invalid(node, what, "expected text")
    return None


def pattern_of(
    node: Node, report: Report, what: str, pattern: re.Pattern[str], expected: str
) -> str | None:
    """Text that must match `pattern` as a whole."""
    if isinstance(node, Scalar) and node.value is not None and pattern.fullmatch(node.source):
        return node.source
    report.invalid(node, what, expected)
    return None


def slug_of(node: Node, report: Report, what: str) -> str | None:
    expected = "expected lowercase letters, digits and single hyphens, like kz-iac"
    return pattern_of(node, report, what, SLUG, expected)


def language_of(node: Node, report: Report, what: str) -> str | None:
    """A language Accord knows, as its registry tag (``uz`` is read as ``uz-Latn``)."""
    tag = registry.written_tag(node.source) if isinstance(node, Scalar) else None
    if tag is None or not isinstance(node, Scalar) or node.value is None:
        report.invalid(
            node, what, expected_language(node.source if isinstance(node, Scalar) else "")
        )
        return None
    return tag


def expected_language(written: str) -> str:
    """What a language tag should have been, with the tag probably meant."""
    meant = registry.meant(written)
    hint = f"; did you mean '{meant.tag}'?" if meant else did_you_mean(written, registry.tags())
    return f"expected a language Accord knows: {one_of(registry.tags())}{hint}"


def choice_of(node: Node, report: Report, what: str, options: Seq[str]) -> str | None:
    """One of a fixed set of words, naming them all if the value is not one."""
    if isinstance(node, Scalar) and node.source in options:
        return node.source
    hint = did_you_mean(node.source, options) if isinstance(node, Scalar) else ""
    report.invalid(node, what, f"expected one of: {one_of(options)}{hint}")
    return None


def code_of(
    node: Node, report: Report, what: str, codes: frozenset[str], expected: str
) -> str | None:
    """An ISO code from `codes`; lowercase is pointed out rather than silently fixed."""
    if isinstance(node, Scalar) and node.source in codes:
        return node.source
    hint = ""
    if isinstance(node, Scalar) and node.source.upper() in codes:
        hint = f"; did you mean '{node.source.upper()}'?"
    report.invalid(node, what, f"{expected}{hint}")
    return None


def whole_number(
    node: Node, report: Report, what: str, *, low: int = 1, high: int | None = None
) -> int | None:
    """An integer within [low, high]; true/false and quoted numbers are refused."""
    value = node.value if isinstance(node, Scalar) else None
    in_range = isinstance(value, int) and value >= low and (high is None or value <= high)
    if in_range and isinstance(value, int) and not isinstance(value, bool):
        return value
    if high is None:
        expected = (
            "expected a positive whole number"
            if low == 1
            else f"expected a whole number from {low}"
        )
    else:
        expected = f"expected a whole number from {low} to {high}"
    report.invalid(node, what, expected)
    return None


def boolean_of(node: Node, report: Report, what: str) -> bool | None:
    """`true` or `false`; "yes", 1 or a quoted "true" are refused rather than guessed."""
    value = node.value if isinstance(node, Scalar) else None
    if isinstance(value, bool):
        return value
    report.invalid(node, what, "expected true or false")
    return None


def positive_amount(node: Node, report: Report, what: str) -> Decimal | None:
    """A positive finite number, kept exact as written (1500000.50 stays 1500000.50)."""
    value = node.value if isinstance(node, Scalar) else None
    amount: Decimal | None = None
    if isinstance(value, int | float) and not isinstance(value, bool) and isinstance(node, Scalar):
        amount = _decimal(node.source.replace("_", "")) or _decimal(str(value))
    if amount is not None and amount.is_finite() and amount > 0:
        return amount
    report.invalid(node, what, "expected a positive number")
    return None


def date_of(
    node: Node, report: Report, what: str, *, expected: str = "expected a date YYYY-MM-DD"
) -> dt.date | None:
    """A date, unquoted (YAML makes it one) or quoted; a date with a time is refused."""
    parsed = parse_date(node)
    if parsed is None:
        report.invalid(node, what, expected)
    return parsed


def parse_date(node: Node) -> dt.date | None:
    """The date a node holds, or None; does not report."""
    if not isinstance(node, Scalar):
        return None
    if isinstance(node.value, dt.date) and not isinstance(node.value, dt.datetime):
        return node.value
    match = _DATE.fullmatch(node.source) if isinstance(node.value, str) else None
    if match is None:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def text_map(
    node: Node,
    report: Report,
    what: str,
    languages: Seq[str] | None,
    *,
    languages_from: str = "languages",
) -> dict[str, Scalar] | None:
    """A language → text mapping with exactly `languages` (if None: any codes, at least one).

    `languages_from` names where the expected languages come from, for messages.
    """
    mapping = mapping_of(node, report, what)
    if mapping is None:
        return None
    if languages is None and not mapping.entries:
        report.invalid(mapping, what, "expected at least one language, like ru: …")
        return None
    found = dict(_translations(mapping, report, what, languages, languages_from))
    given = {registry.written_tag(entry.key) or entry.key for entry in mapping.entries}
    missing = [lang for lang in languages or () if lang not in given]
    for language in missing:
        expected = f"every language in {languages_from}: {one_of(languages or ())}"
        report.add(mapping, f"missing translation '{language}' in {what} ({expected})")
    if missing or len(found) != len(mapping.entries):
        return None
    return {lang: found[lang] for lang in languages} if languages is not None else found


def _translations(
    mapping: Mapping, report: Report, what: str, languages: Seq[str] | None, languages_from: str
) -> Iterable[tuple[str, Scalar]]:
    for entry in mapping.entries:
        tag = registry.written_tag(entry.key)
        if languages is None and tag is None:
            expected = expected_language(entry.key)
            report.add(entry, f"invalid language '{entry.key}' in {what} ({expected})")
        elif languages is not None and (tag or entry.key) not in languages:
            suggested = did_you_mean(entry.key, languages)
            hint = f"only languages in {languages_from}: {one_of(languages)}{suggested}"
            report.add(entry, f"extra translation '{entry.key}' in {what} ({hint})")
        elif not isinstance(entry.value, Scalar) or entry.value.value is None:
            report.invalid(entry.value, f"{what} '{entry.key}'", "expected text")
        else:
            yield tag or entry.key, entry.value


def plain_text_map(
    node: Node, report: Report, what: str, languages: Seq[str] | None
) -> dict[str, str] | None:
    """A text map whose texts are used as written (names, titles, activities), normalised."""
    scalars = text_map(node, report, what, languages)
    if scalars is None:
        return None
    texts = {lang: normalise_text(scalar.source) for lang, scalar in scalars.items()}
    return texts if all_present(texts, scalars, report, what) else None


def all_present(
    texts: MappingOf[str, str], at: MappingOf[str, Located], report: Report, what: str
) -> bool:
    """Report translations that are empty once whitespace is removed."""
    empty = [lang for lang, text in texts.items() if not text]
    for lang in empty:
        report.add(at[lang], f"empty translation '{lang}' in {what} (expected text)")
    return not empty


def normalise_text(text: str) -> str:
    """Strip, and join paragraphs with one newline: blank lines and edge spaces carry no meaning."""
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def is_null(node: Node) -> bool:
    """An empty value (`key:` with nothing after it, `~` or `null`)."""
    return isinstance(node, Scalar) and node.value is None


def check_format(top: Mapping, report: Report, expected: str) -> None:
    """The `format:` marker (a missing one is reported by the key check)."""
    node = value_of(top, "format")
    if node is not None and not (isinstance(node, Scalar) and node.source == expected):
        report.invalid(node, "format", f"expected {expected}")


def optional(
    mapping: Mapping,
    key: str,
    reader: Callable[[Node, Report, str], T | None],
    report: Report,
    what: str | None = None,
) -> T | None:
    """Read `key` with `reader` if it is there; None if absent (a required one is a key check)."""
    node = value_of(mapping, key)
    return reader(node, report, what or key) if node is not None else None
