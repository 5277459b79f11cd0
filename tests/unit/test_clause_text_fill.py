"""Texts that only put variables in place are filled without Jinja2, exactly as Jinja2 would."""

from datetime import date
from typing import Any

import pytest

from accord.source import clause_text
from accord.source.clause_text import TemplateFault, render_template

CONTEXT: dict[str, Any] = {
    "city": "Астана",
    "places": 20,
    "rate": 1.5,
    "signed": date(2026, 3, 1),
    "nothing": None,
    "flag": True,
    "items": ["a", "b"],
    "range": "shadowed global",
}


def _jinja(text: str, context: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> object:
    with monkeypatch.context() as patch:
        patch.setattr(clause_text, "_filled_in", lambda template, context: None)
        return render_template(text, context)


@pytest.mark.parametrize(
    "text",
    [
        "в городе {{ city }} на {{places}} мест\n",
        "{{ rate }} {{ signed }} {{ nothing }} {{ flag }} {{ items }} {{ range }}",
        "no placeholders at all\n\n",
        "braces { alone } and }} and {single}",
        "{{{ city }}}",
        "{{ city }}}",
        "{{- city -}} trimmed",
        "{{ city | upper }}",
        "{% if flag %}yes{% endif %}",
        "{# a comment #}{{ city }}",
        "{{ true }} {{ none }}",
        "{{ unknown }}",
        "line one\r\nline two {{ city }}\r\n",
        "{{ city }",
    ],
)
def test_filled_in_as_jinja_renders_it(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert render_template(text, CONTEXT) == _jinja(text, CONTEXT, monkeypatch)


def test_only_plain_placeholders_skip_jinja() -> None:
    assert clause_text._filled_in("в {{ city }}\n", CONTEXT) == "в Астана"
    for text in ("{{ city | upper }}", "{{ unknown }}", "{{{ city }}}", "a\r\n", "{{ none }}"):
        assert clause_text._filled_in(text, CONTEXT) is None
    assert isinstance(render_template("{{ unknown }}", CONTEXT), TemplateFault)
