"""YAML nodes: every key and value knows its 1-based position, scalars resolve as YAML says,
and nothing that YAML can hold makes the parser raise."""

import datetime as dt

from accord.source.problems import Problem
from accord.source.yaml_nodes import (
    Mapping,
    Scalar,
    Sequence,
    parse_yaml,
    parse_yaml_bytes,
    to_python,
)


def root(text: str) -> Mapping:
    parsed = parse_yaml(text, path="f.yaml")
    assert parsed.problems == ()
    assert isinstance(parsed.root, Mapping)
    return parsed.root


def scalar(text: str, key: str = "a") -> Scalar:
    entry = root(text).get(key)
    assert entry is not None and isinstance(entry.value, Scalar)
    return entry.value


def test_keys_and_values_carry_one_based_positions() -> None:
    top = root("first: 1\nblock:\n  inner: [x, {deep: y}]\n")
    block = top.get("block")
    assert block is not None and (block.line, block.column) == (2, 1)
    assert isinstance(block.value, Mapping)
    inner = block.value.get("inner")
    assert inner is not None and (inner.line, inner.column) == (3, 3)
    assert isinstance(inner.value, Sequence)
    assert (inner.value.line, inner.value.column) == (3, 10)
    x, deep = inner.value.items
    assert (x.line, x.column) == (3, 11)
    assert isinstance(deep, Mapping) and deep.entries[0].value.column == 21


def test_scalars_resolve_by_tag_and_keep_their_source() -> None:
    assert scalar("a: 12").value == 12
    assert scalar("a: 1_000").value == 1000 and scalar("a: 1_000").source == "1_000"
    assert scalar("a: 2.50").value == 2.5 and scalar("a: 2.50").source == "2.50"
    assert scalar("a: yes").value is True and scalar("a: NO").source == "NO"
    assert scalar("a: ~").value is None and scalar("a:").value is None
    assert scalar("a: '12'").value == "12"
    assert scalar("a: !!str 12").value == "12"


def test_dates_unquoted_are_dates_quoted_are_text() -> None:
    assert scalar("a: 2027-06-30").value == dt.date(2027, 6, 30)
    assert scalar("a: 2027-06-30").source == "2027-06-30"
    assert scalar('a: "2027-06-30"').value == "2027-06-30"
    assert scalar("a: 2027-06-30 10:00:00").value == dt.datetime(2027, 6, 30, 10, 0)
    assert scalar("a: 2027-13-45").value == "2027-13-45"  # not a date: left as text


def test_block_scalars() -> None:
    assert scalar("a: |\n  one\n\n  two\n").value == "one\n\ntwo\n"
    assert scalar("a: >\n  one\n  two\n").value == "one two\n"


def test_duplicate_keys_keep_the_first_and_are_reported() -> None:
    parsed = parse_yaml("a: 1\nb: 2\na: 3\n", path="f.yaml")
    assert parsed.problems == (Problem("f.yaml", 3, 1, "duplicate key 'a' (first at line 1)"),)
    assert isinstance(parsed.root, Mapping)
    assert to_python(parsed.root) == {"a": 1, "b": 2}


def test_merge_keys_follow_yaml() -> None:
    text = "base: &b {x: 1, y: 2}\nmore: &m {y: 3, z: 4}\nc:\n  <<: [*b, *m]\n  x: 9\n"
    assert to_python(root(text))["c"] == {"x": 9, "y": 2, "z": 4}
    merged = root(text).get("c")
    assert merged is not None and isinstance(merged.value, Mapping)
    y = merged.value.get("y")
    assert y is not None and (y.line, y.column) == (1, 17)  # where it was written


def test_keys_that_are_not_plain_values_are_reported() -> None:
    parsed = parse_yaml("? [a, b]\n: 1\nc: 2\n", path="f.yaml")
    assert parsed.problems == (
        Problem("f.yaml", 1, 3, "a key is a list or mapping (expected a plain name)"),
    )
    assert isinstance(parsed.root, Mapping) and parsed.root.keys() == ("c",)


def test_bytes_are_decoded_with_an_optional_bom() -> None:
    parsed = parse_yaml_bytes("\ufeffa: ü\n".encode(), path="f.yaml")
    assert parsed.problems == () and parsed.root is not None
    assert to_python(parsed.root) == {"a": "ü"}
    utf16 = parse_yaml_bytes("a: 1".encode("utf-16"), path="f.yaml")
    assert utf16.problems == (
        Problem("f.yaml", 1, 1, "invalid UTF-8 byte 0xff (expected UTF-8 text)"),
    )


def test_aliases_are_expanded_and_counted() -> None:
    text = "a: &x [1, 2]\nb: *x\n"
    assert to_python(root(text)) == {"a": [1, 2], "b": [1, 2]}
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 7)]
    parsed = parse_yaml("\n".join(lines), path="f.yaml")
    assert parsed.root is None
    assert parsed.problems[0].message == (
        "too many values after expanding aliases (expected at most 200000)"
    )
