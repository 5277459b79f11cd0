"""An agreement's clauses: its own texts and library clauses, rendered into final `ClauseSpec`s.

A clause has either `text` (with optional sub-`clauses`) or `use` (with optional
`with` and `variant`). Both kinds are rendered with Jinja2 here, so a version stores final
text; ids are checked unique across the whole agreement, library sub-clauses
included (they become `<clause id>-<sub-clause id>`).
"""

from collections.abc import Mapping as MappingOf
from dataclasses import dataclass, field
from typing import Any

from accord.source import field_readers as fr
from accord.source.clause_library import ClauseLibrary, LibraryClause, LibrarySubClause
from accord.source.clause_text import render_template
from accord.source.field_readers import Located, Report
from accord.source.library_choice import Chooser, UseSite
from accord.source.problems import Problem
from accord.source.spec import ClauseSpec, LangText
from accord.source.yaml_nodes import Entry, Mapping, Node, to_python

_KEYS = ("id", "title", "text", "clauses", "use", "with", "variant")
_ONLY_WITH_TEXT = ("title", "clauses")
_ONLY_WITH_USE = {"with": "parameters", "variant": "variants"}


@dataclass
class ClauseContext:
    """What reading one agreement's clauses needs, and the clause ids seen so far."""

    report: Report
    languages: tuple[str, ...] | None
    variables: MappingOf[str, Any]
    library: ClauseLibrary
    library_problems: set[Problem]
    country: str | None = None
    """The agreement's country: it chooses a library clause's variant."""
    ids: dict[str, int] = field(default_factory=dict)

    def claim(self, clause_id: str, at: Located, origin: str = "") -> None:
        """Record a clause id, reporting it if an earlier clause has it."""
        if clause_id in self.ids:
            first = self.ids[clause_id]
            self.report.add(
                at, f"duplicate clause id '{clause_id}'{origin} (first at line {first})"
            )
        else:
            self.ids[clause_id] = at.line


def read_clauses(
    node: Node, ctx: ClauseContext, *, top_level: bool = True
) -> tuple[ClauseSpec, ...]:
    """The valid clauses of a `clauses:` list (invalid ones are reported and left out)."""
    items = fr.list_of(node, ctx.report, "clauses", non_empty=top_level)
    if items is None:
        return ()
    clauses = (_clause(item, ctx) for item in items.items)
    return tuple(clause for clause in clauses if clause is not None)


def _clause(node: Node, ctx: ClauseContext) -> ClauseSpec | None:
    clause = fr.mapping_of(node, ctx.report, "clause")
    if clause is None:
        return None
    fr.check_keys(clause, ctx.report, allowed=_KEYS, required=("id",), context="clause")
    clause_id = fr.optional(clause, "id", fr.slug_of, ctx.report, "clause id")
    if clause_id is not None:
        ctx.claim(clause_id, fr.value_of(clause, "id") or clause)
    label = clause_id or "?"
    has_text, use = clause.get("text") is not None, clause.get("use")
    if has_text and use is not None:
        ctx.report.add(use, f"clause '{label}' has both text and use (expected one of them)")
    elif use is not None:
        return _library_clause(clause, use.value, ctx, clause_id=clause_id)
    elif not has_text:
        ctx.report.add(clause, f"clause '{label}' has neither text nor use (expected one of them)")
    return _own_clause(clause, ctx, clause_id=clause_id)


def _own_clause(clause: Mapping, ctx: ClauseContext, *, clause_id: str | None) -> ClauseSpec | None:
    label = f"clause '{clause_id or '?'}'"
    for key, what in _ONLY_WITH_USE.items():
        if (entry := clause.get(key)) is not None:
            needs = f"needs use ({what} are for library clauses)"
            ctx.report.add(entry, f"key '{key}' in {label} {needs}")
    title_node, text_node = fr.value_of(clause, "title"), fr.value_of(clause, "text")
    title = _rendered(title_node, ctx, f"{label} title") if title_node is not None else None
    text = _rendered(text_node, ctx, f"{label} text") if text_node is not None else None
    sub_node = fr.value_of(clause, "clauses")
    children = read_clauses(sub_node, ctx, top_level=False) if sub_node is not None else ()
    if clause_id is None or text is None:
        return None
    return ClauseSpec(id=clause_id, title=title, text=text, clauses=children)


def _rendered(node: Node, ctx: ClauseContext, what: str) -> LangText | None:
    """A text map of templates in the agreement's languages, rendered with its variables."""
    scalars = fr.text_map(node, ctx.report, what, ctx.languages)
    if scalars is None:
        return None
    templates = {lang: scalar.source for lang, scalar in scalars.items()}
    return _render_all(templates, scalars, ctx, what, ctx.variables)


def _render_all(
    templates: MappingOf[str, str],
    at: MappingOf[str, Located],
    ctx: ClauseContext,
    what: str,
    variables: MappingOf[str, Any],
) -> LangText | None:
    """Every language rendered and normalised, or None after reporting each failure."""
    texts: dict[str, str] = {}
    for lang, template in templates.items():
        result = render_template(template, variables)
        if isinstance(result, str):
            texts[lang] = fr.normalise_text(result)
        else:
            ctx.report.add(at[lang], result.message(f"{what} '{lang}'"))
    if len(texts) < len(templates) or not fr.all_present(texts, at, ctx.report, what):
        return None
    return texts


def _library_clause(
    clause: Mapping, use_node: Node, ctx: ClauseContext, *, clause_id: str | None
) -> ClauseSpec | None:
    """A `use:` clause: the library text with `with:` values, in the agreement's languages."""
    for key in _ONLY_WITH_TEXT:
        if (entry := clause.get(key)) is not None:
            expected = f"the library clause brings its own {key}"
            ctx.report.add(entry, f"key '{key}' cannot be combined with use ({expected})")
    name = fr.text_of(use_node, ctx.report, "use")
    site = UseSite(name or "", clause_id or "?", use_node, fr.value_of(clause, "variant"))
    library = _chooser(ctx).choose(site) if name is not None else None
    if library is None or clause_id is None:
        return None
    context = _library_context(library, clause, use_node, ctx, clause_id=clause_id)
    languages = _languages_offered(library, use_node, ctx, clause_id=clause_id)
    if context is None or languages is None:
        return None
    use = _Use(library, clause_id, use_node, context, languages)
    return _instantiate(library, use, ctx, clause_id=clause_id)


def _chooser(ctx: ClauseContext) -> Chooser:
    return Chooser(ctx.library, ctx.report, ctx.library_problems, ctx.country, ctx.languages)


def _library_context(
    library: LibraryClause, clause: Mapping, use_node: Node, ctx: ClauseContext, *, clause_id: str
) -> dict[str, Any] | None:
    """Agreement variables, overlaid by parameter defaults, overlaid by `with:` values."""
    before = len(ctx.report.problems)
    with_node = fr.value_of(clause, "with")
    with_map = fr.mapping_of(with_node, ctx.report, "with") if with_node is not None else None
    given = {
        entry.key: to_python(entry.value)
        for entry in (with_map.entries if with_map is not None else ())
        if _is_parameter(entry, library, ctx)
    }
    required = [p.name for p in library.parameters.values() if p.required]
    for name in required:
        if name not in given:
            what = f"missing parameter '{name}' for library clause {library.label}"
            expected = f"required in with: {fr.one_of(required)}"
            ctx.report.add(use_node, f"{what} in clause '{clause_id}' ({expected})")
    if len(ctx.report.problems) > before:
        return None
    defaults = {p.name: p.default for p in library.parameters.values() if not p.required}
    return {**ctx.variables, **defaults, **given}


def _is_parameter(entry: Entry, library: LibraryClause, ctx: ClauseContext) -> bool:
    """Whether a `with:` key is a declared parameter; reports it if not."""
    if entry.key in library.parameters:
        return True
    declared = tuple(library.parameters)
    match = fr.suggestion(entry.key, declared)
    if match:
        hint = f"did you mean '{match}'?"
    else:
        hint = f"expected one of: {fr.one_of(declared)}" if declared else "it has no parameters"
    ctx.report.add(
        entry, f"unknown parameter '{entry.key}' for library clause {library.label} ({hint})"
    )
    return False


def _languages_offered(
    library: LibraryClause, use_node: Node, ctx: ClauseContext, *, clause_id: str
) -> tuple[str, ...] | None:
    """The agreement's languages, if the library file has them all (it may have more)."""
    if ctx.languages is None:
        return library.languages
    missing = [lang for lang in ctx.languages if lang not in library.languages]
    for lang in missing:
        what = f"missing translation '{lang}' in library clause {library.label}"
        offered = f"{library.path} offers: {fr.one_of(library.languages)}"
        ctx.report.add(use_node, f"{what} used by clause '{clause_id}' ({offered})")
    return None if missing else ctx.languages


@dataclass(frozen=True)
class _Use:
    """One `use:` of a library clause, as it is being rendered."""

    library: LibraryClause
    clause_id: str
    at: Node
    context: dict[str, Any]
    languages: tuple[str, ...]


def _instantiate(
    part: LibraryClause | LibrarySubClause, use: _Use, ctx: ClauseContext, *, clause_id: str
) -> ClauseSpec | None:
    """A library clause or sub-clause rendered for this agreement."""
    where = f"clause '{clause_id}' (library {use.library.label})"
    title = _render_library(part.title, use, ctx, f"{where} title") if part.title else None
    text = _render_library(part.text, use, ctx, f"{where} text")
    children = []
    for sub in part.clauses:
        sub_id = f"{use.clause_id}-{sub.id}"
        ctx.claim(sub_id, use.at, f" from library clause {use.library.label}")
        children.append(_instantiate(sub, use, ctx, clause_id=sub_id))
    if text is None or (part.title and title is None) or None in children:
        return None
    return ClauseSpec(
        id=clause_id,
        title=title,
        text=text,
        clauses=tuple(child for child in children if child is not None),
        library=use.library.source,
    )


def _render_library(
    templates: MappingOf[str, str], use: _Use, ctx: ClauseContext, what: str
) -> LangText | None:
    chosen = {lang: templates[lang] for lang in use.languages}
    return _render_all(chosen, dict.fromkeys(chosen, use.at), ctx, what, use.context)
