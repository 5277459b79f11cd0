"""Soft hyphens in long words, where a language's hyphenation dictionary allows a break.

The plan's columns are a few centimetres wide: a long word («Межведомственная») that does not
fit leaves a gap or runs over the border. A soft hyphen (U+00AD, written as Word's optional
hyphen) lets Word and LibreOffice break it there, and prints nothing where the word fits.
Dictionaries are pyphen's (LibreOffice's patterns); a language without one (today Kazakh,
Kyrgyz, Uzbek, Tajik, Turkmen) is left as written rather than broken by another language's
rules.
"""

import re
from functools import cache, lru_cache

import pyphen

from accord.documents.wordml import SOFT_HYPHEN

MIN_LENGTH = 10
"""Shorter words fit a column as they are."""
_WORD = re.compile(rf"[^\W\d_]{{{MIN_LENGTH},}}")
_TOKEN = re.compile(r"\S+")
_NOT_PROSE = ("@", "://", "www.")
"""What marks an e-mail address or a link, which must be copied as written."""


@lru_cache(maxsize=8192)
def hyphenated(text: str, language: str) -> str:
    """`text` with soft hyphens in its long words, if `language` has a dictionary. Plans
    repeat their texts (a body's name on every row): each is worked out once."""
    base = language.split("-")[0]
    if _dictionary(base) is None or not _WORD.search(text):
        return text
    if not any(mark in text for mark in _NOT_PROSE):
        return _WORD.sub(lambda word: _broken(word.group(), base), text)
    return _TOKEN.sub(lambda token: _token(token.group(), base), text)


def _token(token: str, language: str) -> str:
    if any(mark in token for mark in _NOT_PROSE):
        return token
    return _WORD.sub(lambda word: _broken(word.group(), language), token)


@cache
def _dictionary(language: str) -> pyphen.Pyphen | None:
    """Pyphen's dictionary for a language, or None if it has none (never a neighbour's)."""
    if language not in pyphen.LANGUAGES:
        return None
    return pyphen.Pyphen(lang=language, left=2, right=2)


@cache
def _broken(word: str, language: str) -> str:
    """A word with its breaks (plans repeat their words: each is worked out once)."""
    dictionary = _dictionary(language)
    return str(dictionary.inserted(word, hyphen=SOFT_HYPHEN)) if dictionary else word
