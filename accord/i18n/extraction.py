"""Where each domain's messages come from, and how the catalogs are kept in step with them.

`python -m accord.i18n.extraction` (`./run catalogs`) extracts every domain with Babel
(`babel.cfg` says how each kind of file is read), updates each language's catalog, creates
the catalogs of a language newly added to the registry, and prints what each language still
lacks. The catalog check (tests/unit/test_catalogs.py) uses the same extraction and `check`.
Catalogs are compiled in memory when read (`catalogs.py`), so nothing needs compiling.
"""

import ast
import sys
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import IO, Any

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import (
    DEFAULT_KEYWORDS,
    check_and_call_extract_file,
    extract_from_dir,
)
from babel.messages.extract import extract_python as babel_python
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import write_po

from accord.i18n.catalogs import DOMAINS, catalog_path, complete_for, read_catalog
from accord.i18n.check import Gaps, gaps
from accord.i18n.languages import LANGUAGES

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MAPPING_FILE = PROJECT_ROOT / "babel.cfg"


@dataclass(frozen=True)
class Sources:
    paths: tuple[str, ...]
    """Folders or files, relative to the project root, as `pybabel extract` takes them."""
    keywords: Mapping[str, Any]
    """Keywords beyond Babel's defaults (`_`, `N_`, `gettext`, `ngettext`, `pgettext`…)."""
    skip: tuple[str, ...] = ()
    """Folders under `paths` whose messages belong to another domain."""


SOURCES = {
    "pages": Sources(("accord", "templates/portal"), {"say": None}, skip=("accord/workspace",)),
    "mail": Sources(("templates/email",), {}),
    "documents": Sources(("accord/documents/words.py",), {"label": ((1, "c"), 2)}),
    "workspace": Sources(("accord/workspace", "templates/workspace"), {"say": None}),
}


def python_and_refusals(
    fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str], options: Any
) -> Iterator[tuple[Any, ...]]:
    """Babel's Python extraction, plus the sentence of every ``Refusal(code, "…")``.

    Refusals are found in the syntax tree, not by tokens, so only a string literal in the
    second place counts (a token keyword `Refusal:2` would also take strings out of a dict).
    """
    source = fileobj.read()
    yield from babel_python(BytesIO(source), keywords, comment_tags, options)
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _called(node.func) == "Refusal" and len(node.args) > 1:
            text = node.args[1]
            if isinstance(text, ast.Constant) and isinstance(text.value, str):
                yield node.lineno, None, text.value, []  # no keyword: taken as it is


def _called(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def messages(domain: str, root: Path = PROJECT_ROOT) -> Catalog:
    """Every message the sources of `domain` use, as a template catalog (a `.pot`)."""
    with MAPPING_FILE.open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(  # type: ignore[no-untyped-call]
            handle, filename=str(MAPPING_FILE)
        )
    sources = SOURCES[domain]
    keywords = {**DEFAULT_KEYWORDS, **sources.keywords}
    template = Catalog(project="Accord", domain=domain, fuzzy=False)
    for path in sources.paths:
        where = root / path
        found = (
            check_and_call_extract_file(
                str(where),
                method_map,
                options_map,
                callback=None,
                keywords=keywords,
                comment_tags=(),
                strip_comment_tags=False,
                dirpath=str(root),
            )
            if where.is_file()
            else (
                (f"{path}/{name}", line, message, comments, context)
                for name, line, message, comments, context in extract_from_dir(
                    where,
                    method_map,
                    options_map,
                    keywords=keywords,
                    directory_filter=_skipping(root, sources.skip),
                )
            )
        )
        for name, line, message, comments, context in found:
            template.add(message, None, [(name, line)], auto_comments=comments, context=context)
    return template


def _skipping(root: Path, skip: tuple[str, ...]) -> Callable[[str], bool]:
    """Babel's directory filter: hidden folders, `__pycache__`, and the folders of `skip`."""
    skipped = {(root / folder).resolve() for folder in skip}

    def keep(dirpath: str) -> bool:
        name = Path(dirpath).name
        if name.startswith((".", "_")):
            return False
        return Path(dirpath).resolve() not in skipped

    return keep


def update(domain: str) -> Catalog:
    """Bring every language's catalog of `domain` in step with the sources; create new ones."""
    template = messages(domain)
    for entry in LANGUAGES:
        path = catalog_path(domain, entry.tag)
        catalog = read_catalog(domain, entry.tag) or _new_catalog(domain, entry.locale)
        created = catalog.creation_date
        catalog.update(template)
        catalog.creation_date = created  # the header changes only when a translation does
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, ignore_obsolete=True, width=100, include_lineno=False)
    return template


def _new_catalog(domain: str, locale: str) -> Catalog:
    """An empty catalog for a language just added to the registry (`pybabel init`)."""
    return Catalog(
        locale=locale,
        domain=domain,
        project="Accord",
        version="0.1",
        copyright_holder="Accord contributors",
        msgid_bugs_address="accord@example.org",
        last_translator="Accord contributors",
        language_team=f"{Locale.parse(locale).english_name} <accord@example.org>",
        fuzzy=False,
    )


def main(domains: list[str]) -> int:
    """Update the domains named (all by default), then say what each language lacks.

    Fails when a language the registry calls complete lacks anything, as the check would.
    """
    unknown = sorted(set(domains) - set(DOMAINS))
    if unknown:
        print(f"unknown domain {', '.join(unknown)} (expected: {', '.join(DOMAINS)})")
        return 2
    failed = False
    for domain in domains or DOMAINS:
        read_catalog.cache_clear()
        template = update(domain)
        read_catalog.cache_clear()
        for entry in LANGUAGES:
            found = gaps(template, read_catalog(domain, entry.tag), entry.tag)
            complete = entry.tag in complete_for(domain)
            failed |= complete and bool(found)
            print(_summary(domain, entry.tag, complete, len(template), found))
    return 1 if failed else 0


def _summary(domain: str, tag: str, complete: bool, count: int, found: Gaps) -> str:
    state = "complete" if complete else "in progress"
    plural = f"; {found.plural_forms}" if found.plural_forms else ""
    return (
        f"{domain:<10} {tag:<8} {state:<11} {count:>4} messages: {len(found.missing):>4} "
        f"untranslated, {len(found.placeholders)} with other placeholders{plural}"
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
