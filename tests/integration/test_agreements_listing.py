"""`accord agreements` a page at a time with filters, and `accord show`, on a register of
hundreds of agreements (SQLite and PostgreSQL)."""

import pytest

from accord.db import get_engine
from accord.settings import Settings
from models import AgreementStatus
from tests.cli_runner import run_cli
from tests.many_agreements import COUNTRIES, STATUSES, insert_agreements, sha_of, slug_of

COUNT = 700


@pytest.fixture
def register(settings_on: Settings) -> Settings:
    insert_agreements(get_engine(settings_on.database_url), COUNT)
    return settings_on


def _ids(out: str) -> list[str]:
    return [line.split()[0] for line in out.splitlines()[1:] if not line.startswith("page ")]


def test_pages_in_id_order_with_a_footer(
    register: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    everything = sorted(slug_of(n) for n in range(COUNT))
    first = run_cli(capsys, "agreements")
    assert first.code == 0, first.err
    assert first.out.splitlines()[0].split() == [
        "ID", "KIND", "COUNTRY", "STATUS", "VERSION", "SHA256"
    ]  # fmt: skip
    assert _ids(first.out) == everything[:50]
    assert first.out.splitlines()[-1] == "page 1 of 14 pages, 700 agreements; --page 2 for the next"

    third = run_cli(capsys, "agreements", "--page", "3", "--limit", "100")
    assert _ids(third.out) == everything[200:300]
    last = run_cli(capsys, "agreements", "--page", "7", "--limit", "100")
    assert _ids(last.out) == everything[600:]
    assert last.out.splitlines()[-1] == "page 7 of 7 pages, 700 agreements"
    past = run_cli(capsys, "agreements", "--page", "8", "--limit", "100")
    assert (
        past.code == 0 and past.out.strip() == "page 8 is past the last (7 pages, 700 agreements)"
    )
    assert run_cli(capsys, "agreements", "--limit", "0").code == 2


def test_latest_version_and_hash_of_each_row(
    register: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run_cli(capsys, "agreements", "--limit", "1000").out
    rows = {line.split()[0]: line.split() for line in out.splitlines()[1:]}
    assert len(rows) == COUNT
    for n in (0, 1, 3, 699):
        latest = 2 if n % 3 == 0 else 1
        assert rows[slug_of(n)][1:] == [
            "mou", COUNTRIES[n % 5], STATUSES[n % 7].value, str(latest), sha_of(n, latest)[:12]
        ]  # fmt: skip


def test_filters_combine(register: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    def matching(country: str | None, status: AgreementStatus | None, sec: str | None) -> list[str]:
        return sorted(
            slug_of(n)
            for n in range(COUNT)
            if (country is None or COUNTRIES[n % 5] == country)
            and (status is None or STATUSES[n % 7] is status)
            and (sec is None or f"secretariat-{COUNTRIES[n % 5].lower()}" == sec)
        )

    kg = run_cli(capsys, "agreements", "--country", "kg", "--limit", "1000")
    assert _ids(kg.out) == matching("KG", None, None) and len(_ids(kg.out)) == 140
    signing = run_cli(capsys, "agreements", "--status", "signing", "--limit", "1000")
    assert _ids(signing.out) == matching(None, AgreementStatus.signing, None)
    both = run_cli(capsys, "agreements", "--status", "in_force", "--secretariat", "secretariat-tj")
    assert _ids(both.out) == matching(None, AgreementStatus.in_force, "secretariat-tj")
    assert "page " not in both.out  # one page: no footer
    none = run_cli(capsys, "agreements", "--country", "KZ", "--secretariat", "secretariat-kg")
    assert none.code == 0 and none.out.strip() == "no agreements match"
    assert run_cli(capsys, "agreements", "--status", "lost").code == 2


def test_show_of_an_unknown_id_names_a_few_similar_ones_not_the_register(
    register: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli(capsys, "show", "tj-agreement-9")
    assert result.code == 1
    similar = ", ".join(f"tj-agreement-{n:05d}" for n in (2, 7, 12, 17, 22))
    assert result.err.strip() == f"accord: no agreement 'tj-agreement-9' (similar: {similar}, …)"
    other = run_cli(capsys, "show", "zz-nothing")
    assert other.err.strip() == (
        "accord: no agreement 'zz-nothing' (`accord agreements` lists them)"
    )


def test_show_among_many(register: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    from accord.db import transaction
    from accord.services.drafting.drafting import record_drafts
    from accord.source.clause_library import ClauseLibrary
    from accord.source.loader import load_sources
    from tests.conftest import CLAUSES, EXAMPLES

    sources = load_sources([EXAMPLES], clause_library=ClauseLibrary.from_directory(CLAUSES))
    with transaction(get_engine(register.database_url)) as session:
        record_drafts(sources, session=session, actor="test")
    shown = run_cli(capsys, "show", "kz-referral-mou")
    assert shown.code == 0, shown.err
    assert shown.out.startswith("kz-referral-mou  (mou, KZ, draft)")
    assert "   * 1  " in shown.out and "clauses of version 1:" in shown.out
