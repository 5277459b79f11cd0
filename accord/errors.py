"""Domain errors: each carries a message a secretariat officer can act on."""

from collections.abc import Callable, Mapping
from datetime import date, datetime

from accord.i18n.languages import pick


class AccordError(Exception):
    """Base of every error the CLI and portal turn into a plain message (never a traceback)."""


class NotFound(AccordError):
    pass


class Refusal(AccordError):
    """A rule said no, as a value: a stable code, an English sentence, and its parameters.

    The rule is written once, where it is checked; whoever shows the refusal (a page, the
    CLI, an e-mail) translates `text` in its reader's language and fills in `params`
    formatted for that reader. `text` is the catalog key: `pybabel extract` collects the
    second argument of every ``Refusal(...)``. `field` names the form field at fault, if any.
    """

    def __init__(
        self, code: str, text: str, /, *, field: str | None = None, **params: object
    ) -> None:
        self.code = code
        self.text = text
        self.field = field
        self.params: Mapping[str, object] = params
        super().__init__(self.said())

    def said(
        self,
        translate: Callable[[str], str] = lambda text: text,
        show: Callable[[object], str] | None = None,
    ) -> str:
        """The sentence in the reader's words: `translate` the text, `show` each value.

        Without `show`, values are written plainly, as the CLI prints them (`plain`).
        """
        shown = show or plain
        return translate(self.text) % {name: shown(v) for name, v in self.params.items()}


def plain(value: object) -> str:
    """A value as an English sentence states it: ISO dates, UTC times, a text map's English."""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M} UTC"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return pick(value, "en")
    if isinstance(value, tuple | list):
        return "; ".join(plain(item) for item in value)
    return str(value)
