"""Whatever bytes a source file holds, the loader returns sources or raises SourceInvalid with
positioned problems; it never raises anything else."""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.source.clause_library import ClauseLibrary
from accord.source.loader import load_sources
from accord.source.problems import SourceInvalid
from accord.source.spec import LoadedSources
from tests.unit.source_examples import AGREEMENT, CONFIDENTIALITY, ORGANIZATIONS, write

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
KEYS = [
    "format", "id", "kind", "languages", "country", "secretariat", "title", "parties", "org",
    "role", "variables", "clauses", "text", "use", "with", "objectives", "objective",
    "commitments", "activity", "responsible", "partners", "due", "budget", "amount", "currency",
    "term", "years", "until", "reporting", "every_months", "day", "review", "working_days",
    "remind_before", "ru", "kk", "en", "organizations", "contacts", "email", "roles", "<<",
    "clause", "parameters", "default",
]  # fmt: skip
WORDS = [
    "accord/v1", "kz-mia", "kz-iac", "iom-kz", "ru", "kk", "KZ", "KZT", "mou", "signatory",
    "2027-Q2", "2027-Q9", "2027-02-30", "{{ city }}", "{{", "{% for %}", "{{ x.__class__ }}",
    "confidentiality", "purpose", "c-01", "o-identification", "", " ", "\n\n",
]  # fmt: skip
LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.dates(min_value=dt.date(1, 1, 1))
    | st.text(max_size=12)
    | st.sampled_from(WORDS)
)
VALUES = st.recursive(
    LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
ORIGINALS = {
    "a/mou.yaml": AGREEMENT,
    # quoted, so that a round trip through Python keeps Norway (unquoted NO is false in YAML)
    "a/organizations.yaml": ORGANIZATIONS.replace("country: NO", "country: 'NO'"),
    "lib/confidentiality.yaml": CONFIDENTIALITY,
}


@pytest.fixture
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def check(folder: Path, files: dict[str, str | bytes]) -> None:
    """Load the agreement in `files`; only LoadedSources or SourceInvalid may come out."""
    write(folder, {**ORIGINALS, **files})
    library = ClauseLibrary.from_directory(folder / "lib")
    try:
        loaded = load_sources([folder / "a" / "mou.yaml"], clause_library=library)
    except SourceInvalid as error:
        assert error.problems, "refused without a problem"
        for problem in error.problems:
            assert problem.line >= 1 and problem.column >= 1 and problem.message
    else:
        assert isinstance(loaded, LoadedSources)


def mutated(data: st.DataObject, document: Any, steps: int) -> Any:
    """The document after `steps` random deletions, replacements, renames and re-typings."""
    for _ in range(steps):
        places = list(_places(document))
        if not places:
            break
        container, key = data.draw(st.sampled_from(places))
        action = data.draw(st.sampled_from(["delete", "replace", "rename", "wrap", "nest"]))
        if action == "delete":
            del container[key]
        elif action == "replace":
            container[key] = data.draw(VALUES)
        elif action == "rename" and isinstance(container, dict):
            container[data.draw(st.sampled_from(KEYS) | st.text(max_size=8))] = container.pop(key)
        elif action == "wrap":
            container[key] = [container[key]]
        else:
            container[key] = {data.draw(st.sampled_from(KEYS)): container[key]}
    return document


def _places(node: Any) -> Any:
    """(container, key) for every value in the document."""
    pairs = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else []
    )
    for key, value in list(pairs):
        yield node, key
        yield from _places(value)


@FUZZ
@given(content=st.binary(max_size=400))
def test_random_bytes(folder: Path, content: bytes) -> None:
    check(folder, {"a/mou.yaml": content})


@FUZZ
@given(
    content=st.text(
        alphabet=st.sampled_from(list(":-[]{}&*!|>'\"#%@`,?\n\t ab1é\x00\x85\u2028"))
        | st.characters(exclude_categories=["Cs"]),
        max_size=200,
    )
)
def test_random_yamlish_text(folder: Path, content: str) -> None:
    check(folder, {"a/mou.yaml": content})


@FUZZ
@given(data=st.data(), target=st.sampled_from(sorted(ORIGINALS)))
def test_mutated_sources(folder: Path, data: st.DataObject, target: str) -> None:
    original = ORIGINALS[target]
    steps = data.draw(st.integers(min_value=1, max_value=4))
    document = mutated(data, yaml.safe_load(original), steps)
    check(folder, {target: yaml.safe_dump(document, allow_unicode=True, sort_keys=False)})


@FUZZ
@given(data=st.data())
def test_text_edits_of_the_valid_agreement(folder: Path, data: st.DataObject) -> None:
    text = AGREEMENT
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        start = data.draw(st.integers(min_value=0, max_value=len(text)))
        end = data.draw(st.integers(min_value=start, max_value=min(len(text), start + 20)))
        text = text[:start] + data.draw(st.text(max_size=6) | st.sampled_from(WORDS)) + text[end:]
    check(folder, {"a/mou.yaml": text})


def test_the_valid_example_survives_a_yaml_round_trip(folder: Path) -> None:
    """The mutation tests start from sources that load, so what they find is the mutation's."""
    dumped = {
        name: yaml.safe_dump(yaml.safe_load(text), allow_unicode=True, sort_keys=False)
        for name, text in ORIGINALS.items()
    }
    write(folder, dumped)
    library = ClauseLibrary.from_directory(folder / "lib")
    loaded = load_sources([folder / "a" / "mou.yaml"], clause_library=library)
    assert loaded.agreements[0][1].commitments[1].due_label == "2027-Q2"
