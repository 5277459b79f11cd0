"""Calendar override files: they win over the holidays package, live where
ACCORD_CALENDARS_DIR says, and every mistake is reported as file:line:column."""

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from accord.calendars.book import CalendarBook, supported
from accord.calendars.days import Source
from accord.calendars.overrides import OverridesFolderMissing, load_overrides
from accord.errors import AccordError
from accord.services import working_days
from accord.settings import PROJECT_ROOT, get_settings
from accord.source.problems import SourceInvalid
from tests.cli_runner import run_cli

DECREE = "decree: {title: Постановление о переносе выходных дней, number: '12', date: 2026-12-01}"


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def book(folder: Path) -> CalendarBook:
    return CalendarBook(load_overrides(folder, known_country=supported))


def problems(folder: Path) -> list[str]:
    with pytest.raises(SourceInvalid) as error:
        load_overrides(folder, known_country=supported)
    return [str(problem) for problem in error.value.problems]


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths in problems are shown relative to the working directory, as users see them."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def calendars_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """ACCORD_CALENDARS_DIR pointing at an empty folder; the project's files come back after."""
    folder = tmp_path / "calendars"
    folder.mkdir()
    monkeypatch.setenv("ACCORD_CALENDARS_DIR", str(folder))
    get_settings.cache_clear()
    working_days.calendar_book.cache_clear()
    yield folder
    monkeypatch.delenv("ACCORD_CALENDARS_DIR")
    get_settings.cache_clear()
    working_days.calendar_book.cache_clear()


# --- overrides win -------------------------------------------------------------------------

KZ_2027 = f"""country: KZ
days_off:
  - date: 2027-03-26
    name: Day off moved from Saturday 3 April
    {DECREE}
working_days:
  - date: 2027-04-03
    {DECREE}
  - date: 2027-03-22
    name: Nauryz worked this year
    {DECREE}
"""


def test_an_override_wins_over_the_package(tmp_path: Path) -> None:
    write(tmp_path, "KZ.yaml", KZ_2027)
    kz = book(tmp_path).country("KZ")
    package = CalendarBook({}).country("KZ")

    assert package.is_working_day(date(2027, 3, 26)) and not package.is_working_day(
        date(2027, 3, 22)
    )
    assert not kz.is_working_day(date(2027, 3, 26))  # a Friday made a day off
    assert kz.is_working_day(date(2027, 4, 3))  # a Saturday made working
    assert kz.is_working_day(date(2027, 3, 22))  # a package holiday made working
    moved = kz.special_day(date(2027, 3, 26))
    assert moved is not None and moved.source == Source.DECREE
    assert moved.name == "Day off moved from Saturday 3 April"
    assert moved.basis.endswith("No. 12 of 2026-12-01 (KZ.yaml:3)")


def test_the_working_day_functions_read_acccord_calendars_dir(calendars_dir: Path) -> None:
    write(calendars_dir, "KZ.yaml", KZ_2027)

    assert not working_days.is_working_day(date(2027, 3, 26), "KZ")
    assert working_days.holiday_name(date(2027, 3, 26), "KZ") == (
        "Day off moved from Saturday 3 April"
    )
    assert working_days.next_working_day(date(2027, 3, 26), "KZ") == date(2027, 3, 29)
    assert working_days.add_working_days(date(2027, 4, 2), 1, "KZ") == date(2027, 4, 3)
    with pytest.raises(working_days.DeadlineInvalid, match=r"day off in KZ \(Day off moved"):
        working_days.check_deadline(date(2027, 3, 26), today=date(2027, 3, 1), country="KZ")
    # The project's own files are not read: Tajikistan's 2026 decree is unknown here.
    assert working_days.is_working_day(date(2026, 1, 10), "TJ") is False


def test_the_default_folder_is_the_projects_calendars() -> None:
    assert get_settings().calendars_dir == PROJECT_ROOT / "calendars"
    assert sorted(load_overrides(PROJECT_ROOT / "calendars", known_country=supported)) == [
        "KG",
        "KZ",
        "TJ",
        "TM",
        "UZ",
    ]


def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OverridesFolderMissing, match="set ACCORD_CALENDARS_DIR") as error:
        load_overrides(tmp_path / "nowhere", known_country=supported)
    assert isinstance(error.value, AccordError)


def test_an_empty_file_section_and_anchors_are_fine(tmp_path: Path) -> None:
    write(
        tmp_path,
        "TJ.yaml",
        "country: TJ\ndays_off:\n  - date: 2027-01-04\n    decree: &d {title: Resolution}\n"
        "working_days:\n  - date: 2027-01-09\n    decree: *d\n",
    )
    write(tmp_path, "UZ.yaml", "country: UZ\ndays_off: []\nworking_days:\n")
    loaded = load_overrides(tmp_path, known_country=supported)

    assert [d.day for d in loaded["TJ"].days] == [date(2027, 1, 4), date(2027, 1, 9)]
    assert loaded["TJ"].days[1].decree.cited() == "Resolution"
    assert loaded["UZ"].days == ()


# --- bad files -----------------------------------------------------------------------------


def test_unknown_countries(tmp_path: Path) -> None:
    write(tmp_path, "XX.yaml", "country: XX\n")
    write(tmp_path, "TJ.yaml", "country: tj\n")
    write(tmp_path, "KG.yaml", "country: KZ\n")

    expected = "expected an ISO 3166-1 alpha-2 code the holidays package has a calendar for"
    assert problems(tmp_path) == [
        "KG.yaml:1:10: country KZ in a file named KG (expected the file KZ.yaml)",
        f"TJ.yaml:1:10: unknown country 'tj' ({expected}, such as KZ, KG, TJ, UZ, TM; "
        "did you mean 'TJ'?)",
        f"XX.yaml:1:10: unknown country 'XX' ({expected}, such as KZ, KG, TJ, UZ, TM)",
    ]


def test_not_a_date(tmp_path: Path) -> None:
    write(
        tmp_path,
        "KZ.yaml",
        f"country: KZ\ndays_off:\n  - date: 2027-02-30\n    {DECREE}\n"
        f"  - date: next friday\n    {DECREE}\n",
    )

    assert problems(tmp_path) == [
        "KZ.yaml:3:11: invalid date: '2027-02-30' (expected a date YYYY-MM-DD)",
        "KZ.yaml:5:11: invalid date: 'next friday' (expected a date YYYY-MM-DD)",
    ]


def test_duplicate_dates_and_a_date_both_added_and_removed(tmp_path: Path) -> None:
    write(
        tmp_path,
        "KZ.yaml",
        f"country: KZ\ndays_off:\n  - date: 2027-03-26\n    {DECREE}\n"
        f"  - date: 2027-03-26\n    {DECREE}\n"
        f"working_days:\n  - date: 2027-03-26\n    {DECREE}\n",
    )

    assert problems(tmp_path) == [
        "KZ.yaml:5:11: duplicate date 2027-03-26 (first at line 3)",
        "KZ.yaml:8:11: 2027-03-26 is both a day off (line 3) and a working day "
        "(expected it in one list only)",
    ]


def test_a_missing_reference(tmp_path: Path) -> None:
    write(
        tmp_path,
        "KZ.yaml",
        "country: KZ\ndays_off:\n  - date: 2027-03-26\n  - date: 2027-03-29\n"
        "    decree: {number: '7'}\n  - date: 2027-03-30\n    decree: {title: Act, date: soon}\n",
    )

    assert problems(tmp_path) == [
        "KZ.yaml:3:5: missing decree reference (expected decree: with title, number, date and "
        "source of the act that moved this day)",
        "KZ.yaml:5:13: missing key 'title' in decree (required: title)",
        "KZ.yaml:7:32: invalid decree date: 'soon' (expected a date YYYY-MM-DD)",
    ]


def test_unknown_keys_and_yaml_errors(tmp_path: Path) -> None:
    write(tmp_path, "KZ.yaml", f"country: KZ\nholidays:\n  - date: 2027-03-26\n    {DECREE}\n")
    write(tmp_path, "TJ.yaml", "country: TJ\ndays_off: [\n")

    found = problems(tmp_path)
    assert found[0] == ("KZ.yaml:2:1: unknown key 'holidays' (did you mean 'working_days'?)")
    assert found[1].startswith("TJ.yaml:3:1: YAML syntax error")
    assert len(found) == 2


def test_every_file_is_checked_before_anything_is_used(calendars_dir: Path) -> None:
    write(calendars_dir, "KZ.yaml", KZ_2027)
    write(calendars_dir, "TJ.yaml", "country: TJ\nworking_days:\n  - date: 2026-03-14\n")

    with pytest.raises(SourceInvalid, match=r"TJ.yaml:3:5: missing decree reference"):
        working_days.is_working_day(date(2027, 3, 26), "KZ")


def test_accord_calendar_reports_bad_files_as_file_line_column(
    calendars_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(calendars_dir, "KZ.yaml", "country: KZ\ndays_off:\n  - date: 2027-13-01\n")

    result = run_cli(capsys, "calendar", "KZ", "2027")

    assert result.code == 1
    assert result.err.splitlines() == [
        "calendars/KZ.yaml:3:5: missing decree reference (expected decree: with title, number, "
        "date and source of the act that moved this day)",
        "calendars/KZ.yaml:3:11: invalid date: '2027-13-01' (expected a date YYYY-MM-DD)",
        "2 problem(s); nothing was written",
    ]
