"""Both document languages side by side: the plan's activities in aligned columns too, so a
reviewer checks one language against the other activity by activity, as in the DOCX."""

import html
import re

from starlette.testclient import TestClient

from tests.portal.conftest import SAFE_HOME, open_page

COLUMN = re.compile(r'<div class="column( other)?" lang="(\w+)">')


def _activity(page: str, key: str) -> str:
    plan = html.unescape(page).split('<section class="plan"', 1)[1]
    return plan.split(f'id="activity-{key}"', 1)[1].split("</article>", 1)[0]


def test_each_activity_shows_both_languages_in_aligned_columns(
    client: TestClient, links: dict[str, str]
) -> None:
    page = open_page(client, links[SAFE_HOME], "?lang=ru&both=1").html
    first = _activity(page, "c-01")
    assert COLUMN.findall(first) == [("", "ru"), (" other", "kk")]  # the reader's language first
    russian, kazakh = first.split('<div class="column other" lang="kk">', 1)
    assert '<span class="num">1.</span> Организовать обучение сотрудников' in russian
    assert '<span class="num">1.</span> Ішкі істер органдарының қызметкерлерін' in kazakh
    assert "II кв. 2027" in russian and "Организовать" not in kazakh
    assert first.count('<p class="clause-action">') == 1  # one comment link per activity
    assert 'activity=c-01#comment"' in first
    last = _activity(page, "c-05")
    assert COLUMN.findall(last) == [("", "ru"), (" other", "kk")]
    assert last.count('<span class="num">5.</span>') == 2


def test_one_language_shows_the_plan_without_columns(
    client: TestClient, links: dict[str, str]
) -> None:
    first = _activity(open_page(client, links[SAFE_HOME], "?lang=kk").html, "c-01")
    assert not COLUMN.findall(first)
    assert "Ішкі істер органдарының қызметкерлерін" in first
