"""What editing an agreement's source in the browser may do, decided without any I/O.

The YAML files stay the only source of truth: a save names the file's content it started
from (its sha256), and a file changed since is never overwritten. A new agreement is an
`accord/v1` source built from the choices on the page, checked by the loader like any file.
"""

import difflib
import hashlib
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import yaml

from accord.errors import Refusal
from accord.i18n.languages import STATE_LANGUAGE
from accord.source.spec import FORMAT, AgreementKind, PartyRole

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
LONGEST_SOURCE = 2_000_000
"""Characters a source sent from the browser may have (the largest example has 60,000)."""


def text_sha256(text: str) -> str:
    """The hash a form carries as its `base`: of the file's bytes as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class SourceChanged(Exception):
    """The file changed since the person loaded it: nothing is written; `diff` says how."""

    def __init__(self, refusal: Refusal, diff: str) -> None:
        super().__init__(str(refusal))
        self.refusal = refusal
        self.diff = diff


def changes_since(started_from: str, current: str, name: str) -> str:
    """The file's changes since the person opened it, as a unified diff."""
    return "".join(
        difflib.unified_diff(
            started_from.splitlines(keepends=True),
            current.splitlines(keepends=True),
            fromfile=f"{name} (as you opened it)",
            tofile=f"{name} (now)",
        )
    )


def require_unchanged(name: str, *, base: str, current: str, started_from: str) -> None:
    """A save goes ahead only onto the content it started from."""
    if text_sha256(current) != base:
        refusal = Refusal(
            "drafting.source_changed",
            "%(file)s was changed by someone else after you opened it. Nothing was saved: "
            "your text is kept below, with what changed in the file.",
            field="text",
            file=name,
        )
        raise SourceChanged(refusal, changes_since(started_from, current, name))


def require_text_size(text: str) -> None:
    if not text.strip():
        raise Refusal("drafting.source_empty", "The source is empty.", field="text")
    if len(text) > LONGEST_SOURCE:
        raise Refusal(
            "drafting.source_too_long",
            "The source is longer than %(limit)s characters.",
            field="text",
            limit=LONGEST_SOURCE,
        )


def require_same_agreement(
    *, slug: str, found_id: str, secretariat: str, found_secretariat: str
) -> None:
    """A source edited on an agreement's page stays that agreement, run by the same
    secretariat: renaming it or handing it over is done in the files, not in passing."""
    if found_id != slug:
        raise Refusal(
            "drafting.source_other_id",
            "The source must keep id: %(slug)s (it says %(found)s).",
            field="text",
            slug=slug,
            found=found_id,
        )
    if found_secretariat != secretariat:
        raise Refusal(
            "drafting.source_other_secretariat",
            "The source must keep secretariat: %(secretariat)s (it says %(found)s).",
            field="text",
            secretariat=secretariat,
            found=found_secretariat,
        )


def require_new_organisation(org: str, names: Mapping[str, str]) -> None:
    """What the loader would say of lines the person never wrote: a malformed id would be
    reported against YAML, a missing name as a missing key of the entry."""
    if not SLUG.fullmatch(org) or len(org) > 64:
        raise Refusal(
            "drafting.organisation_id",
            "The identifier uses lower-case Latin letters, digits and hyphens (at most 64), "
            "e.g. kz-mlsp.",
            field="id",
        )
    if not any(name.strip() for name in names.values()):
        first = next(iter(names), "en")
        raise Refusal(
            "drafting.organisation_name_missing",
            "Write the organisation's name in at least one language.",
            field=f"name_{first}",
        )


LIBRARY_ORDER = (
    "purpose",
    "definitions",
    "principles",
    "referral-procedure",
    "confidentiality",
    "coordination-monitoring",
    "duration-amendment-termination",
    "dispute-settlement",
    "final-provisions",
)
"""Where the library's clauses stand in the region's agreements; others follow by name."""


def clause_order(names: Collection[str]) -> tuple[str, ...]:
    """Library clauses in document order: the usual articles first, then any others."""
    usual = [name for name in LIBRARY_ORDER if name in names]
    return (*usual, *sorted(set(names) - set(usual)))


def document_order(
    chosen: Collection[str], country: str, registry: Sequence[str]
) -> tuple[str, ...]:
    """The country's state language first (the primary text), then the others in the
    registry's order, as the region's agreements are laid out."""
    state = STATE_LANGUAGE.get(country.upper(), "")
    ordered = [tag for tag in registry if tag in chosen]
    first = [tag for tag in ordered if state and tag.split("-")[0] == state]
    return (*first, *(tag for tag in ordered if tag not in first))


@dataclass(frozen=True)
class NewAgreement:
    """The starting point's choices, as the page sends them (parsed, not yet checked)."""

    slug: str
    kind: str
    country: str
    languages: tuple[str, ...]
    secretariat: str
    titles: dict[str, str]
    parties: tuple[tuple[str, str], ...]
    """(organisation id, role) in the order picked."""
    clauses: tuple[str, ...]
    """Names of library clauses, in the library's order."""
    variables: dict[str, object] = field(default_factory=dict)


def require_new_agreement(choice: NewAgreement, *, known_languages: Sequence[str]) -> None:
    """What the loader cannot say about the page's fields (it would name YAML lines the
    person never wrote): each is refused at its field."""
    if not SLUG.fullmatch(choice.slug) or len(choice.slug) > 64:
        raise Refusal(
            "drafting.new_slug",
            "The identifier uses lower-case Latin letters, digits and hyphens (at most 64).",
            field="slug",
        )
    if choice.kind not in {k.value for k in AgreementKind}:
        raise Refusal("drafting.new_kind", "Choose the kind of agreement.", field="kind")
    if not choice.languages:
        raise Refusal(
            "drafting.new_languages", "Choose at least one document language.", field="languages"
        )
    unknown = [lang for lang in choice.languages if lang not in known_languages]
    if unknown:
        raise Refusal(
            "drafting.new_language_unknown",
            "Unknown document language: %(languages)s.",
            field="languages",
            languages=", ".join(unknown),
        )
    missing = [lang for lang in choice.languages if not choice.titles.get(lang, "").strip()]
    if missing:
        raise Refusal(
            "drafting.new_title_missing",
            "Write the title in every document language (missing: %(languages)s).",
            field=f"title_{missing[0]}",
            languages=", ".join(missing),
        )
    if not choice.parties:
        raise Refusal("drafting.new_parties", "Choose at least one party.", field="parties")
    if not any(role == PartyRole.signatory.value for _org, role in choice.parties):
        raise Refusal(
            "drafting.new_signatory", "At least one party must be a signatory.", field="parties"
        )
    if not choice.clauses:
        raise Refusal(
            "drafting.new_clauses", "Choose at least one clause from the library.", field="clauses"
        )


def new_source_text(choice: NewAgreement, *, parameters: Mapping[str, Collection[str]]) -> str:
    """The `accord/v1` source of a new agreement, written the way people write them.

    `parameters` names each library clause's parameters: a plan's clauses say "plan" where
    they take the instrument, and the final provisions name the agreement's own languages.
    """
    plan = choice.kind == AgreementKind.joint_action_plan.value
    clauses: list[dict[str, object]] = []
    for name in choice.clauses:
        clause: dict[str, object] = {"id": name, "use": name}
        given: dict[str, object] = {}
        if plan and "instrument" in parameters.get(name, ()):
            given["instrument"] = "plan"
        if "text_languages" in parameters.get(name, ()):
            given["text_languages"] = list(choice.languages)
        if given:
            clause["with"] = given
        clauses.append(clause)
    source: dict[str, object] = {
        "format": FORMAT,
        "id": choice.slug,
        "kind": choice.kind,
        "languages": list(choice.languages),
        "country": choice.country,
        "secretariat": choice.secretariat,
        "title": {lang: choice.titles[lang].strip() for lang in choice.languages},
        "parties": [{"org": org, "role": role} for org, role in choice.parties],
    }
    if choice.variables:
        source["variables"] = dict(choice.variables)
    source["clauses"] = clauses
    head = "# Started in the workspace from the clause library; edit it like any source.\n"
    return head + yaml.dump(
        source, Dumper=_SourceDumper, allow_unicode=True, sort_keys=False, width=4096
    )


class _SourceDumper(yaml.SafeDumper):
    """YAML as the examples are written: mappings in blocks, lists indented under their key,
    a list of plain values on one line (`languages: [kk, ru]`)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _list(dumper: yaml.SafeDumper, items: list[object]) -> yaml.Node:
    flat = all(not isinstance(item, dict | list) for item in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flat)


_SourceDumper.add_representer(list, _list)
