"""Strings built from immutable versions (clause markup, redlines), kept by content hash.

Versions never change, so one rendering serves every reader of every page for as long as
the process lives; a small LRU bounds the memory.
"""

from collections import OrderedDict
from collections.abc import Callable
from threading import Lock


class RenderCache:
    """A small LRU of strings built from immutable versions, keyed by their content hashes."""

    def __init__(self, maxsize: int = 512) -> None:
        self._items: OrderedDict[tuple[object, ...], str] = OrderedDict()
        self._maxsize = maxsize
        self._lock = Lock()

    def get(self, key: tuple[object, ...], build: Callable[[], str]) -> str:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = build()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._maxsize:
                self._items.popitem(last=False)
        return value
