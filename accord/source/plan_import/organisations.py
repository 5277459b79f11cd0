"""Organisations as coordinators type them, matched to the ids of the organisations file."""

import difflib
from collections.abc import Mapping
from dataclasses import dataclass

from accord.source.plan_import.cells import org_key
from accord.source.spec import OrganizationSpec


def known_names(
    orgs: Mapping[str, OrganizationSpec], *, country: str, names: Mapping[str, str]
) -> dict[str, set[str]]:
    """Organisation id → what a plan may call it: its names, its short names, and what
    `names` (a names file: short name → id) gives it. A names file wins over the organisations
    file's short names; a short name several countries' bodies share means the plan's country's.
    """
    known = {org.id: set(org.name.values()) for org in orgs.values()}
    short = {org.id: set((org.short_name or {}).values()) for org in orgs.values()}
    at_home = {org_key(s) for org in orgs.values() if org.country == country for s in short[org.id]}
    for org in orgs.values():
        if org.country != country:
            short[org.id] = {s for s in short[org.id] if org_key(s) not in at_home}
    overridden = {org_key(name) for name in names}
    for org_id, shorts in short.items():
        known[org_id] |= {s for s in shorts if org_key(s) not in overridden}
    for name, org_id in names.items():
        known[org_id].add(name)
    return known


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
