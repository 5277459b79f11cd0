"""Turn a kind of e-mail and its facts into subject, plain text and HTML in the reader's language.

Templates live in `templates/email/` as `<kind>.<language>.txt.j2` and `.html.j2`. The text
template's first line is `Subject: ...`; the HTML template receives that subject as `subject`.
A language without its own templates falls back to Russian, then English.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from babel import Locale
from babel.dates import format_date
from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    pass_context,
    select_autoescape,
)
from jinja2.runtime import Context

from accord.settings import PROJECT_ROOT

TEMPLATES_DIR = PROJECT_ROOT / "templates" / "email"
FALLBACK = ("ru", "en")
"""Russian is read by every reviewer in the region; English is the last resort."""
SUBJECT_PREFIX = "Subject:"
LANGUAGE_VARIABLE = "mail_language"
"""Set by `render_mail` for templates and filters: the language actually rendered."""
KIND = re.compile(r"[a-z][a-z0-9_]*")


class RenderedMail(NamedTuple):
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class _Environments:
    text: Environment
    html: Environment


def render_mail(
    kind: str, language: str, context: Mapping[str, Any], *, templates_dir: Path = TEMPLATES_DIR
) -> RenderedMail:
    """Render both bodies from one context so the text and HTML versions always agree."""
    used = template_language(kind, language, templates_dir=templates_dir)
    envs = _environments(templates_dir)
    values = {**context, LANGUAGE_VARIABLE: used}
    name = f"{kind}.{used}.txt.j2"
    subject, text = _split_subject(envs.text.get_template(name).render(values), name)
    html = envs.html.get_template(f"{kind}.{used}.html.j2").render({**values, "subject": subject})
    return RenderedMail(subject=subject, text=text, html=html)


def template_language(kind: str, language: str, *, templates_dir: Path = TEMPLATES_DIR) -> str:
    """The language `render_mail` will write in: the requested one if translated, else ru, en."""
    if not KIND.fullmatch(kind):
        raise ValueError(f"e-mail kind {kind!r} must be lower-case letters, digits and _")
    wanted = language.replace("_", "-").split("-")[0].lower()
    for candidate in (wanted, *FALLBACK):
        if all(
            (templates_dir / f"{kind}.{candidate}.{suffix}").is_file()
            for suffix in ("txt.j2", "html.j2")
        ):
            return candidate
    raise LookupError(f"no e-mail templates for {kind!r} in {language!r}, ru or en")


def _split_subject(rendered: str, name: str) -> tuple[str, str]:
    first, _, body = rendered.lstrip().partition("\n")
    if not first.startswith(SUBJECT_PREFIX):
        raise ValueError(f"{name}: the first line must be '{SUBJECT_PREFIX} ...'")
    subject = " ".join(first.removeprefix(SUBJECT_PREFIX).split())
    return subject, body.strip("\n") + "\n"


@cache
def _environments(templates_dir: Path) -> _Environments:
    loader = FileSystemLoader(templates_dir, encoding="utf-8")
    common: dict[str, Any] = {
        "loader": loader,
        "undefined": StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
    }
    text = Environment(autoescape=False, keep_trailing_newline=True, **common)
    html = Environment(
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default=True),
        **common,
    )
    for env in (text, html):
        env.filters["long_date"] = long_date
        env.filters["plural"] = plural
    return _Environments(text=text, html=html)


@pass_context
def long_date(context: Context, value: date) -> str:
    """A date as a reader of the mail's language writes it ("4 марта 2025 г.")."""
    return format_date(value, format="long", locale=_locale(context))


@pass_context
def plural(context: Context, count: int, **forms: str) -> str:
    """The word form that goes with `count` by the language's plural rules (one, few, many...)."""
    category = _locale(context).plural_form(count)
    return forms.get(category, forms["other"])


def _locale(context: Context) -> Locale:
    return Locale.parse(str(context[LANGUAGE_VARIABLE]))
