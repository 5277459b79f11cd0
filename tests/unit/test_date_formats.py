"""Long dates as the official documents of each language's country write them.

Sources of the patterns: the date lines of acts in each country's official legal database
(adilet.zan.kz "2024 жылғы 5 шілдедегі"; cbd.minjust.gov.kg "2021-жылдын 5-майы";
adliya.tj "26 июли соли 2014"; lex.uz "2020-yil 17-aprel" / "2020 йил 17 апрель";
minjust.gov.tm "2023-nji ýylyň 25-nji marty").
"""

from datetime import date

import pytest

from accord.i18n.formats import long_date, turkmen_ordinal


@pytest.mark.parametrize(
    ("tag", "day", "written"),
    [
        ("en", date(2026, 3, 4), "March 4, 2026"),
        ("ru", date(2026, 3, 4), "4 марта 2026\u202fг."),
        ("kk", date(2024, 7, 5), "2024 жылғы 5 шілде"),
        ("ky", date(2026, 3, 4), "2026-жылдын 4-марты"),
        ("ky", date(2021, 5, 5), "2021-жылдын 5-майы"),
        ("ky", date(2024, 6, 10), "2024-жылдын 10-июну"),
        ("tg", date(2014, 7, 26), "26 июли соли 2014"),
        ("tg", date(2026, 3, 19), "19 марти соли 2026"),
        ("uz-Latn", date(2020, 4, 17), "2020-yil 17-aprel"),
        ("uz", date(2026, 12, 21), "2026-yil 21-dekabr"),
        ("uz-Cyrl", date(2020, 4, 17), "2020 йил 17 апрель"),
        ("tk", date(2026, 3, 4), "2026-njy ýylyň 4-nji marty"),
        ("tk", date(2023, 3, 25), "2023-nji ýylyň 25-nji marty"),
        ("tk", date(2019, 6, 10), "2019-njy ýylyň 10-njy iýuny"),
    ],
)
def test_long_dates_read_as_the_countrys_acts_write_them(tag: str, day: date, written: str) -> None:
    assert long_date(day, tag) == written


@pytest.mark.parametrize(
    ("number", "written"),
    [(1, "1-nji"), (6, "6-njy"), (9, "9-njy"), (10, "10-njy"), (20, "20-nji"),
     (30, "30-njy"), (100, "100-nji"), (2000, "2000-nji"), (2026, "2026-njy")],
)  # fmt: skip
def test_turkmen_ordinals_follow_the_vowels_of_the_last_word_said(
    number: int, written: str
) -> None:
    assert turkmen_ordinal(number) == written
