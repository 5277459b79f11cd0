"""Domain errors: each carries a message a secretariat officer can act on."""

from collections.abc import Callable, Mapping


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
        show: Callable[[object], str] = str,
    ) -> str:
        """The sentence in the reader's words: `translate` the text, `show` each value."""
        return translate(self.text) % {name: show(v) for name, v in self.params.items()}
