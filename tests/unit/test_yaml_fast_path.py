"""libyaml reads the sources (ten times faster) into exactly the nodes PyYAML's parser gives,
and everything libyaml would read differently goes to PyYAML's parser."""

from pathlib import Path

import pytest

from accord.settings import PROJECT_ROOT
from accord.source import yaml_nodes
from accord.source.yaml_nodes import MAX_DEPTH, parse_yaml

SOURCES = sorted(
    [*PROJECT_ROOT.glob("agreements/*.yaml"), *PROJECT_ROOT.glob("templates/clauses/*.yaml")]
)


def _slow(text: str, monkeypatch: pytest.MonkeyPatch) -> yaml_nodes.ParsedYaml:
    with monkeypatch.context() as patch:
        patch.setattr(yaml_nodes, "_fast_compose", lambda text: None)
        return parse_yaml(text, path="x.yaml")


@pytest.mark.parametrize("file", SOURCES, ids=lambda f: f.name)
def test_the_same_nodes_either_way(file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = file.read_text(encoding="utf-8-sig")
    assert yaml_nodes._fast_compose(text) is not None
    assert parse_yaml(text, path="x.yaml") == _slow(text, monkeypatch)


@pytest.mark.parametrize(
    "text",
    [
        "a: [1, 2\nb: 3\n",  # a syntax error: PyYAML's words and position
        "a: \x07bell\n",  # a character PyYAML refuses
        "a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n",  # too deep
        "x: &a [*a]\n",
        "a: &x {k: 1}\nb:\n  <<: *x\n  k: 2\n  k: 3\n",  # merge and a duplicate key
    ],
)
def test_what_libyaml_would_read_differently_is_reported_as_pyyaml_reads_it(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert parse_yaml(text, path="x.yaml") == _slow(text, monkeypatch)


def test_refused_and_deep_documents_never_reach_libyaml() -> None:
    assert yaml_nodes._fast_compose("a: \x07bell\n") is None
    assert yaml_nodes._fast_compose("a: [1, 2\nb: 3\n") is None
    deep = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert yaml_nodes._fast_compose(deep) is None
    assert yaml_nodes._fast_compose("[" * 3 + "]" * 3) is not None
