"""Which file of a library clause an agreement's `use:` takes: a country's variant or the
generic text.

Without `variant:`, an agreement takes the variant for its own `country` when the library has
one that offers every language of the agreement, and the generic file otherwise. `variant: KG`
takes Kyrgyzstan's variant (a cross-border agreement may want it); `variant: generic` takes the
generic file. Whenever the generic text is used although the agreement's country has its own,
the agreement gets a warning: the country's legal terms exist and a reviewer should know why
they are not used.
"""

from dataclasses import dataclass

from accord.source import field_readers as fr
from accord.source.clause_library import ClauseLibrary, LibraryClause, LibraryLookup
from accord.source.field_readers import Report
from accord.source.iso_codes import COUNTRY_CODES
from accord.source.problems import Problem
from accord.source.yaml_nodes import Node, Scalar

GENERIC = "generic"
"""What `variant:` says to take the generic file."""


@dataclass(frozen=True)
class UseSite:
    """One `use:` in an agreement: the clause asked for, where, and the `variant:` if any."""

    name: str
    clause_id: str
    at: Node
    variant: Node | None


@dataclass(frozen=True)
class Chooser:
    """What choosing needs from the agreement being read."""

    library: ClauseLibrary
    report: Report
    library_problems: set[Problem]
    country: str | None
    languages: tuple[str, ...] | None

    def choose(self, site: UseSite) -> LibraryClause | None:
        """The library clause for `site`, or None after reporting why there is none."""
        if site.name not in self.library.names():
            known = fr.did_you_mean(site.name, self.library.names())
            hint = f"expected a clause file in {self.library.directory}/{known}"
            self.report.add(site.at, f"unknown library clause '{site.name}' ({hint})")
            return None
        if site.variant is not None:
            return self._asked(site, site.variant)
        return self._for_country(site)

    def _for_country(self, site: UseSite) -> LibraryClause | None:
        """The agreement's country's variant if it can be used, else the generic text."""
        if self.country is None or self.country not in self.library.countries(site.name):
            return self._generic(site, site.at)
        variant = self._valid(self.library.lookup_variant(site.name, self.country), site)
        if variant is None:
            return None
        missing = self._missing(variant)
        if not missing or site.name not in self.library.files:
            return variant  # a missing translation is then reported where the clause is used
        generic = self._generic(site, site.at)
        if generic is not None:
            lacks = f"it lacks {fr.one_of(missing)}; add them there, or write variant: generic"
            self._warn_generic(site, variant, lacks)
        return generic

    def _asked(self, site: UseSite, node: Node) -> LibraryClause | None:
        """The file `variant:` names: generic, or the country of an existing variant."""
        value = node.source.strip() if isinstance(node, Scalar) else None
        options = [*self.library.countries(site.name), GENERIC]
        if value == GENERIC:
            generic = self._generic(site, node)
            if generic is not None and self.country in self.library.countries(site.name):
                variant = self.library.lookup_variant(site.name, self.country)
                if variant is not None and variant.clause is not None:
                    self._warn_generic(site, variant.clause, f"{GENERIC} was asked for")
            return generic
        if value is None or value not in COUNTRY_CODES:
            hint = _hint(value, options)
            expected = f"expected {GENERIC} or the country of a variant: {fr.one_of(options)}"
            self.report.invalid(node, "variant", expected + hint)
            return None
        if value not in self.library.countries(site.name):
            what = f"unknown variant '{value}' of library clause '{site.name}'"
            self.report.add(node, f"{what} (expected one of: {fr.one_of(options)})")
            return None
        return self._valid(self.library.lookup_variant(site.name, value), site)

    def _generic(self, site: UseSite, at: Node) -> LibraryClause | None:
        lookup = self.library.lookup(site.name)
        if lookup is None:
            countries = fr.one_of(self.library.countries(site.name))
            hint = f"it has variants for {countries}; expected variant: one of them"
            self.report.add(at, f"library clause '{site.name}' has no generic text ({hint})")
            return None
        return self._valid(lookup, site)

    def _valid(self, lookup: LibraryLookup | None, site: UseSite) -> LibraryClause | None:
        """The file's clause; its problems are reported once, with its own path."""
        if lookup is None:
            return None
        self.library_problems.update(lookup.problems)
        if lookup.clause is None:
            where = lookup.problems[0].path if lookup.problems else self.library.directory
            self.report.add(
                site.at, f"library clause '{site.name}' is invalid (see the problems in {where})"
            )
        return lookup.clause

    def _missing(self, clause: LibraryClause) -> list[str]:
        return [lang for lang in self.languages or () if lang not in clause.languages]

    def _warn_generic(self, site: UseSite, variant: LibraryClause, why: str) -> None:
        message = (
            f"clause '{site.clause_id}' uses the generic library clause '{site.name}' although "
            f"{variant.path} is written for {variant.country} ({why})"
        )
        self.report.warn(site.at, message)


def _hint(value: str | None, options: list[str]) -> str:
    """'; did you mean …?' for a misspelt variant (`kz` is `KZ`), or nothing."""
    if value and value.upper() in options:
        return f"; did you mean '{value.upper()}'?"
    return fr.did_you_mean(value, options) if value else ""
