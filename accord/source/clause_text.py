"""Clause texts are Jinja2 templates, rendered in a sandbox: a failure is a message, not a crash."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

from accord.source.field_readers import did_you_mean, one_of

MAX_REPEAT = 100_000
"""Longest string or list a template may build with `*` (mirrors the sandbox's range limit)."""
MAX_EXPONENT = 1_000
"""Largest power a template may compute with `**`."""
_UNDEFINED = re.compile(r"'([^']+)' is undefined")
_DETAIL_LENGTH = 200


@dataclass(frozen=True)
class TemplateFault:
    """Why a text could not be rendered: `problem` says what, `hint` what was expected."""

    problem: str
    hint: str

    def message(self, where: str) -> str:
        return f"{self.problem} in {where} ({self.hint})"


def render_template(template: str, context: Mapping[str, Any]) -> str | TemplateFault:
    """Render one text; undefined names, syntax errors and unsafe code come back as a fault."""
    filled = _filled_in(template, context)
    if filled is not None:
        return filled
    try:
        return _compiled(template).render(dict(context))
    except UndefinedError as error:
        return _undefined(str(error.message), context)
    except TemplateSyntaxError as error:
        return TemplateFault(
            "invalid template", f"{_short(error.message)} at line {error.lineno} of the text"
        )
    except SecurityError as error:
        return TemplateFault("unsafe template", _short(str(error)))
    except Exception as error:  # a template is the author's code: any failure is theirs to fix
        return TemplateFault("template error", f"{type(error).__name__}: {_short(str(error))}")


def _filled_in(template: str, context: Mapping[str, Any]) -> str | None:
    """The text as Jinja2 renders it, when it only puts defined variables in place.

    Most clause texts are that; compiling each (a millisecond) was most of the time checking a
    folder of thousands of agreements. None: anything else (a tag, a filter, an undefined
    name, a carriage return Jinja2 would normalise) goes to Jinja2.
    """
    if "\r" in template:
        return None
    names = _PLACEHOLDER.findall(template)
    rest = _PLACEHOLDER.sub("", template) if names else template
    if "{{" in rest or "{%" in rest or "{#" in rest:
        return None
    if any(name not in context or name in _LITERALS for name in names):
        return None
    filled = _PLACEHOLDER.sub(lambda match: str(context[match.group(1)]), template)
    return filled.removesuffix("\n")  # keep_trailing_newline=False drops one, as here


_PLACEHOLDER = re.compile(r"(?<!\{)\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_LITERALS = frozenset({"true", "false", "none", "True", "False", "None"})


def _undefined(message: str | None, context: Mapping[str, Any]) -> TemplateFault:
    match = _UNDEFINED.fullmatch(message or "")
    if match is None:
        return TemplateFault("undefined value", _short(message or "a value is undefined"))
    name = match.group(1)
    defined = sorted(context)
    known = f"defined: {one_of(defined)}" if defined else "no variables are defined"
    return TemplateFault(f"undefined variable '{name}'", known + did_you_mean(name, defined))


def _short(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= _DETAIL_LENGTH else text[:_DETAIL_LENGTH] + "…"


class _ClauseSandbox(SandboxedEnvironment):
    """The Jinja2 sandbox, also refusing `'x' * 10**9` and huge powers that exhaust the machine."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"exponent {right} is too large (at most {MAX_EXPONENT})")
        if operator == "*" and _repeat_length(left, right) > MAX_REPEAT:
            raise SecurityError(f"repeating a value builds more than {MAX_REPEAT} items")
        return super().call_binop(context, operator, left, right)


def _repeat_length(left: Any, right: Any) -> int:
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, str | list | tuple) and isinstance(count, int):
            return len(sequence) * count
    return 0


@lru_cache(maxsize=256)
def _compiled(template: str) -> Template:
    """Compiled once per distinct text: library clauses and aliases repeat the same texts."""
    return _environment().from_string(template)


@cache
def _environment() -> SandboxedEnvironment:
    """One sandbox for all clause texts; no escaping, since documents are not HTML."""
    environment = _ClauseSandbox(
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False
    )
    del environment.globals["lipsum"]  # lipsum(10**6) would write a million paragraphs
    return environment
