"""Organisations as coordinators type them, matched to the ids of the organisations file."""

import difflib
from collections.abc import Mapping
from dataclasses import dataclass

from accord.source.plan_import.cells import org_key


@dataclass(frozen=True)
class Organisations:
    """Known organisations by normalised id and name, for matching what coordinators type."""

    by_key: dict[str, frozenset[str]]
    shown: dict[str, str]
    """Normalised key → the id or name as the organisations file writes it."""

    @classmethod
    def of(cls, known: Mapping[str, set[str]]) -> "Organisations":
        by_key: dict[str, set[str]] = {}
        shown: dict[str, str] = {}
        for org_id, names in known.items():
            for written in (org_id, *names):
                key = org_key(written)
                by_key.setdefault(key, set()).add(org_id)
                shown.setdefault(key, written)
        return cls({k: frozenset(v) for k, v in by_key.items()}, shown)

    def find(self, text: str) -> frozenset[str]:
        return self.by_key.get(org_key(text), frozenset())

    def suggest(self, text: str) -> str:
        close = difflib.get_close_matches(org_key(text), list(self.by_key), n=3, cutoff=0.6)
        if not close:
            return "expected an organisation id or name from the organisations file"
        options = [f"'{self.shown[key]}' ({', '.join(sorted(self.by_key[key]))})" for key in close]
        return f"did you mean {' or '.join(options)}?"
