"""Turn a kind of e-mail and its facts into subject, plain text and HTML in the reader's language.

Each kind has one pair of templates in `templates/email/`, `<kind>.txt.j2` and `<kind>.html.j2`,
written once for every language: each sentence goes through the `mail` catalogs (gettext,
`{{ _("… %(name)s …", name=…) }}`), plural forms through `ngettext`, dates through Babel. The
text template's first line is `Subject: ...`; the HTML template receives that subject as
`subject`. A reader whose language is not complete reads the first complete language of its
fallback chain (Russian for the languages of the region, then English).
"""

import re
from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Undefined, select_autoescape
from markupsafe import Markup, escape

from accord.i18n import catalogs, formats, languages
from accord.i18n.invisible import shown
from accord.settings import PROJECT_ROOT

TEMPLATES_DIR = PROJECT_ROOT / "templates" / "email"
SUBJECT_PREFIX = "Subject:"
LANGUAGE_VARIABLE = "mail_language"
"""Set by `render_mail` for templates: the language actually written (``<html lang>``)."""
KIND = re.compile(r"[a-z][a-z0-9_]*")
T = TypeVar("T")


class RenderedMail(NamedTuple):
    subject: str
    text: str
    html: str


def render_mail(
    kind: str, language: str, context: Mapping[str, Any], *, templates_dir: Path = TEMPLATES_DIR
) -> RenderedMail:
    """Render both bodies from one context so the text and HTML versions always agree."""
    _check_kind(kind, templates_dir)
    used = mail_language(language)
    values = {**_written_in(context, used), LANGUAGE_VARIABLE: used}
    name = f"{kind}.txt.j2"
    rendered = _environment(templates_dir, used, html=False).get_template(name).render(values)
    subject, text = _split_subject(rendered, name)
    page = _environment(templates_dir, used, html=True).get_template(f"{kind}.html.j2")
    return RenderedMail(subject=subject, text=text, html=page.render(values, subject=subject))


def mail_language(language: str) -> str:
    """The language `render_mail` writes in: the reader's, if complete, else along its chain."""
    return languages.reader_language(language)


def _written_in(value: Any, language: str) -> Any:
    """Text maps (language tag → text, as sources give names and titles) in the e-mail's
    language, along its fallback chain; everything else as given."""
    if isinstance(value, Mapping) and value and all(_is_text(k, v) for k, v in value.items()):
        return languages.pick(value, language)
    if isinstance(value, Mapping):
        return {key: _written_in(item, language) for key, item in value.items()}
    if isinstance(value, list):
        return [_written_in(item, language) for item in value]
    return value


def _is_text(key: object, value: object) -> bool:
    return isinstance(key, str) and isinstance(value, str) and languages.parse_tag(key) is not None


def _check_kind(kind: str, templates_dir: Path) -> None:
    if not KIND.fullmatch(kind):
        raise ValueError(f"e-mail kind {kind!r} must be lower-case letters, digits and _")
    for suffix in ("txt.j2", "html.j2"):
        if not (templates_dir / f"{kind}.{suffix}").is_file():
            raise LookupError(f"no e-mail template {kind}.{suffix} in {templates_dir}")


def _split_subject(rendered: str, name: str) -> tuple[str, str]:
    first, _, body = rendered.lstrip().partition("\n")
    if not first.startswith(SUBJECT_PREFIX):
        raise ValueError(f"{name}: the first line must be '{SUBJECT_PREFIX} ...'")
    subject = " ".join(first.removeprefix(SUBJECT_PREFIX).split())
    return subject, body.strip("\n") + "\n"


@cache
def _environment(templates_dir: Path, language: str, *, html: bool) -> Environment:
    """One environment per language and format, so concurrent sends never share translations."""
    env = Environment(
        loader=FileSystemLoader(templates_dir, encoding="utf-8"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=not html,
        extensions=["jinja2.ext.i18n"],
        finalize=shown,
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default=True)
        if html
        else False,
    )
    words = catalogs.translations("mail", language)
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=words.gettext,
        ngettext=lambda one, many, n: words.ngettext(one, many, _given(n, int)),
        pgettext=words.pgettext,
        npgettext=lambda ctx, one, many, n: words.npgettext(ctx, one, many, _given(n, int)),
        newstyle=True,
    )
    env.filters["long_date"] = lambda value: formats.long_date(_given(value, date), language)
    env.filters["utc_time"] = lambda value: formats.utc_time(_given(value, datetime))
    if html:
        env.filters["strong"] = strong
    return env


def _given(value: object, kind: type[T]) -> T:
    """The value, or the error that names the variable a caller forgot (not a Babel error)."""
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    if not isinstance(value, kind):
        raise TypeError(f"expected a {kind.__name__}, got {value!r}")
    return value


def strong(value: object) -> Markup:
    """A fact to stand out in a sentence of the HTML e-mail (the sentence stays in the catalog)."""
    return Markup("<strong>%s</strong>") % escape(value)
