"""The coordinating body: a party that coordinates the others without signing, read from the
source (`coordinating: true`), named so in the document's list of parties."""

from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document

from accord.documents.agreement_docx import render_agreement
from accord.source.clause_library import ClauseLibrary
from accord.source.loader import load_sources
from accord.source.spec import PartyRole, PartySpec, version_content
from tests.conftest import CLAUSES, EXAMPLES
from tests.factories import make_agreement, make_content, make_plan
from tests.unit.source_examples import AGREEMENT, ORGANIZATIONS, at, load, problems, write

CREATED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MOU = "agreements/mou.yaml"
ORGS = "agreements/organizations.yaml"
COORDINATOR = "  - org: kz-iac\n    role: reviewer\n    coordinating: true\n"
WITH_COORDINATOR = AGREEMENT.replace("parties:\n", "parties:\n" + COORDINATOR)


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Problem paths are shown relative to the working directory: work in tmp_path."""
    monkeypatch.chdir(tmp_path)


def found(tmp_path: Path, text: str) -> list[str]:
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: text})
    return problems(tmp_path, MOU)


def test_a_coordinating_party_loads_and_does_not_sign(tmp_path: Path) -> None:
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: WITH_COORDINATOR})
    [(_, mou)] = load(tmp_path, MOU).agreements

    assert mou.parties[0] == PartySpec(org="kz-iac", role=PartyRole.reviewer, coordinating=True)
    assert mou.coordinating_body() == "kz-iac"
    assert mou.signatories() == ("kz-mia", "ngo-safe-home")
    assert mou.original_copies() == 3  # the signatories' and the secretariat's


def test_an_old_source_has_no_coordinating_body_and_keeps_its_hash(tmp_path: Path) -> None:
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: AGREEMENT})
    sources = load(tmp_path, MOU)
    [(_, mou)] = sources.agreements

    assert mou.coordinating_body() is None
    assert '"coordinating"' not in version_content(mou, sources.organizations).canonical_json()


def test_a_coordinating_party_is_in_the_hash(tmp_path: Path) -> None:
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: WITH_COORDINATOR})
    sources = load(tmp_path, MOU)
    [(_, mou)] = sources.agreements

    assert '"coordinating":true' in version_content(mou, sources.organizations).canonical_json()


def test_the_coordinating_body_does_not_sign(tmp_path: Path) -> None:
    text = WITH_COORDINATOR.replace(
        "role: reviewer\n    coordinating", "role: signatory\n    coordinating"
    )

    assert found(tmp_path, text) == [
        f"{MOU}:{at(text, 'coordinating: true', 14)}: the coordinating body 'kz-iac' cannot be a "
        "signatory (expected role: reviewer or observer, or no coordinating)"
    ]


def test_coordinating_is_true_or_false(tmp_path: Path) -> None:
    text = WITH_COORDINATOR.replace("coordinating: true", "coordinating: yes please")

    assert found(tmp_path, text) == [
        f"{MOU}:{at(text, 'yes please')}: invalid party coordinating: 'yes please' "
        "(expected true or false)"
    ]


def test_one_coordinating_body_at_most(tmp_path: Path) -> None:
    second = "  - org: iom-kz\n    role: observer\n    coordinating: true\n"
    text = WITH_COORDINATOR.replace("  - org: iom-kz\n    role: observer\n", second)

    assert found(tmp_path, text) == [
        f"{MOU}:{at(text, 'org: iom-kz')}: a second coordinating body 'iom-kz' "
        f"(expected one; the first is 'kz-iac' at line {at(text, 'org: kz-iac').split(':')[0]})"
    ]


def test_the_parties_list_names_the_coordinating_body_so() -> None:
    parties = (PartySpec(org="kz-iac", role=PartyRole.reviewer, coordinating=True),)
    agreement = make_agreement()
    agreement = agreement.model_copy(update={"parties": parties + agreement.parties})
    data = render_agreement(make_content(agreement), number=1, sha256="0" * 64, created_at=CREATED)
    text = [p.text for p in Document(BytesIO(data)).paragraphs]
    cells = [c.text for t in Document(BytesIO(data)).tables for r in t.rows for c in r.cells]
    lines = "\n".join(text + cells)

    assert (
        "1. Межведомственная комиссия по вопросам борьбы с торговлей людьми (координирующий орган)"
        in lines
    )
    assert "(үйлестіруші орган)" in lines
    assert "координирующий орган) (по согласованию)" not in lines


def test_the_kazakh_example_has_the_commission_coordinate_rather_than_sign() -> None:
    loaded = load_sources(
        [EXAMPLES / "organizations.yaml", EXAMPLES / "kz-referral-mou.yaml"],
        clause_library=ClauseLibrary.from_directory(CLAUSES),
    )
    [(_, mou)] = loaded.agreements

    assert mou.coordinating_body() == "kz-iac"
    assert "kz-iac" not in mou.signatories()


def test_the_plan_names_the_coordinating_body_without_by_agreement() -> None:
    parties = (PartySpec(org="kz-iac", role=PartyRole.reviewer, coordinating=True),)
    plan = make_plan()
    agreement = plan.agreement
    [first, *rest] = agreement.commitments
    coordinated = first.model_copy(update={"partners": ("kz-iac",)})
    agreement = agreement.model_copy(
        update={"parties": parties + agreement.parties, "commitments": (coordinated, *rest)}
    )
    content = plan.model_copy(update={"agreement": agreement})
    data = render_agreement(content, number=1, sha256="0" * 64, created_at=CREATED)
    cells = [c.text for t in Document(BytesIO(data)).tables for r in t.rows for c in r.cells]

    commission = "Межведомственная комиссия по вопросам борьбы с торговлей людьми"
    assert [c for c in cells if c.startswith(commission)]
    assert not [c for c in cells if c.startswith(f"{commission} (по согласованию)")]
