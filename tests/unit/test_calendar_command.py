"""`accord calendar COUNTRY YEAR`: the year's days off with their source, and clear errors."""

import pytest

from tests.cli_runner import run_cli


def test_a_tajik_year_shows_law_package_and_decree_days(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "calendar", "tj", "2026")

    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].startswith("TJ 2026: ")
    by_date = {line[:10]: line for line in lines[1:-1]}
    assert by_date["2026-03-24"].startswith("2026-03-24 Tue  off      International Nowruz Day")
    assert "[holidays package 0.109]" in by_date["2026-03-24"]
    assert (
        "(moved from Sat 2026-03-21)  [law: Labour Code of the Republic of Tajikistan"
        in (by_date["2026-03-25"])
    )
    assert by_date["2026-03-14"].startswith("2026-03-14 Sat  working  Saturday worked")
    assert (
        "[override: Resolution of the Government of the Republic of Tajikistan"
        in (by_date["2026-03-27"])
    )
    assert "calendars/TJ.yaml:" in by_date["2026-03-27"]
    assert lines[-1] == "365 days: 249 working, 116 non-working (104 Saturdays and Sundays)"


def test_a_year_without_decrees_yet(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "calendar", "KZ", "2027")

    assert result.code == 0, result.err
    assert "2027-03-15 Mon  off      Constitution Day  [holidays package 0.109]" in result.out
    assert "override" not in result.out


def test_an_unknown_country(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "calendar", "Kazakhstan", "2027")

    assert result.code == 1
    assert result.err.strip() == (
        "accord: no public-holiday calendar for country 'Kazakhstan' (expected an ISO 3166-1 "
        "alpha-2 code known to the holidays package, such as KZ, KG, TJ, UZ, TM)"
    )


@pytest.mark.parametrize("year", ["20027", "1900"])
def test_a_year_out_of_range(capsys: pytest.CaptureFixture[str], year: str) -> None:
    result = run_cli(capsys, "calendar", "KZ", year)

    assert result.code == 1
    assert result.err.strip() == (
        f"accord: year {year} is out of range (expected a year from 1992 to 2100)"
    )


def test_a_year_that_is_not_a_number(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "calendar", "KZ", "next")

    assert result.code == 2
    assert "Invalid value for 'YEAR'" in result.err
