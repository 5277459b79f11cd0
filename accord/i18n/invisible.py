"""Characters that change how text around them is shown without showing themselves.

A name, comment or signature can carry a right-to-left override (U+202E) that shows
`Approved by exe.doc` for `Approved by cod.exe`, or zero-width characters that make two
different names look alike. Wherever such text is shown (pages, e-mails, DOCX) these are
removed. Zero-width (non-)joiners stay: scripts and emoji need them.
"""

import re
from typing import Any

from markupsafe import Markup

INVISIBLE = re.compile(
    "["
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 and C1 controls, but tab and line breaks
    "\u061c\u200e\u200f"  # Arabic letter mark, left-to-right and right-to-left marks
    "\u202a-\u202e"  # bidirectional embeddings and overrides
    "\u2066-\u2069"  # bidirectional isolates
    "\u200b\u2060-\u2064\ufeff"  # zero-width space, word joiner, invisible operators, BOM
    "\u180e\ufff9-\ufffb"  # Mongolian vowel separator, interlinear annotation
    "\U000e0000-\U000e007f"  # tag characters
    "]"
)


def neutralise(text: str) -> str:
    """The text as it should be shown: without characters that hide or reorder others."""
    return INVISIBLE.sub("", text)


def shown(value: Any) -> Any:
    """Jinja's `finalize`: every `{{ value }}` of a page or e-mail, neutralised; markup a
    template marked safe stays safe."""
    if isinstance(value, Markup):
        return Markup(neutralise(str(value)))
    if isinstance(value, str):
        return neutralise(value)
    return value
