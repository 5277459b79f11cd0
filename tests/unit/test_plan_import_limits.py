"""A plan too large to be one is refused clearly before it takes the machine's memory."""

import zipfile
from io import BytesIO

from accord.source.plan_import import FILE_LIMIT, ROW_LIMIT, UNPACKED_LIMIT
from tests.unit.test_plan_import import GOOD_ROWS, problems_of, run_import, xlsx


def test_a_plan_of_real_size_still_imports() -> None:
    assert "kz-jap-2027" in run_import(xlsx(GOOD_ROWS))


def test_more_rows_than_any_plan_has_are_refused() -> None:
    rows = [GOOD_ROWS[1]] * (ROW_LIMIT + 1)
    problems = problems_of(xlsx(rows))
    assert problems == [
        f"Plan.xlsx: sheet 'План' has more than {ROW_LIMIT} rows with content "
        f"(expected one row per activity, at most {ROW_LIMIT})"
    ]


def test_a_zip_bomb_is_refused_by_what_it_declares() -> None:
    out = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(xlsx(GOOD_ROWS))) as good,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for item in good.infolist():
            bomb.writestr(item, good.read(item))
        bomb.writestr("xl/media/zeros.bin", bytes(UNPACKED_LIMIT + 1))
    assert len(out.getvalue()) < FILE_LIMIT
    (problem,) = problems_of(out.getvalue())
    assert problem.startswith("Plan.xlsx: unpacks to ") and "too large for a plan" in problem


def test_a_file_over_the_limit_is_refused_unopened() -> None:
    (problem,) = problems_of(b"PK\x03\x04" + bytes(FILE_LIMIT))
    assert problem == "Plan.xlsx: 20.0 MB is too large for a plan (expected at most 20 MB)"
