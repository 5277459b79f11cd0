"""Sources read twice in one process (`accord draft`: the check, then the flow) are parsed once,
and any change to a file they come from is seen."""

import shutil
from pathlib import Path

from accord.source.clause_library import ClauseLibrary
from accord.source.loader import load_sources
from tests.conftest import CLAUSES, EXAMPLES


def test_unchanged_sources_are_not_parsed_again_and_a_same_size_edit_is_seen(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "agreements"
    shutil.copytree(EXAMPLES, folder)
    library = ClauseLibrary.from_directory(CLAUSES)
    first = load_sources([folder], clause_library=library)
    assert load_sources([folder], clause_library=ClauseLibrary.from_directory(CLAUSES)) is first

    source = folder / "kz-referral-mou.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("city: Астана", "city: Алматы", 1), encoding="utf-8")
    assert len(text.encode()) == len(source.read_text(encoding="utf-8").encode())
    edited = load_sources([folder], clause_library=library)
    assert edited is not first
    mou = next(spec for _, spec in edited.agreements if spec.id == "kz-referral-mou")
    assert mou.id == "kz-referral-mou" and "Алматы" in str(mou.model_dump())

    organizations = folder / "organizations.yaml"
    organizations.write_text(organizations.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert load_sources([folder], clause_library=library) is not edited
