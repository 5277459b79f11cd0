"""organizations.yaml edited from the workspace, keeping its comments and layout.

The file stays the only source of truth for organisations and contacts: a workspace edit
changes one organisation or one contact in a ruamel.yaml round trip (every other byte as it
was), the loader checks the whole new text before it is written, and the write goes through
`sources.save_source` (the sha256-base rule: a file changed since the form was opened is
never overwritten). Drafting then brings the tables in step, as `accord draft` does.
"""

import io
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from sqlmodel import Session

from accord.errors import Refusal
from accord.services.drafting.organizations import sync_organizations
from accord.source.clause_library import ClauseLibrary
from accord.source.loader import ORGANIZATIONS_FILE, load_organizations, load_sources
from accord.source.problems import Problem, SourceInvalid

Edit = Callable[[str], str]
"""The file's text in, the edited text out."""
Locate = Callable[[CommentedMap], Any]
"""The node a form edits, found in the file's document."""


@dataclass(frozen=True)
class OrganisationChange:
    kind: str
    country: str
    names: Mapping[str, str]
    """Language → name; an empty name drops that language."""


@dataclass(frozen=True)
class ContactChange:
    name: str
    email: str
    language: str
    roles: tuple[str, ...]
    titles: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FieldProblem:
    """A loader problem, and the form field at its line (None: elsewhere in the file)."""

    problem: Problem
    field: str | None


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # long titles stay on their line
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def organisations_path(agreements_dir: Path) -> Path:
    path = agreements_dir / ORGANIZATIONS_FILE
    if not path.is_file():
        raise Refusal(
            "drafting.organisations_missing",
            "The agreements folder has no organizations.yaml.",
        )
    return path


def _load(text: str) -> CommentedMap:
    try:
        document = _yaml().load(text)
    except YAMLError as error:
        raise Refusal(
            "drafting.organisations_unreadable",
            "organizations.yaml cannot be read as YAML: %(error)s",
            error=str(error).splitlines()[0][:200],
        ) from None
    if not isinstance(document, CommentedMap) or not isinstance(
        document.get("organizations"), CommentedSeq
    ):
        raise Refusal(
            "drafting.organisations_unreadable",
            "organizations.yaml cannot be read as YAML: %(error)s",
            error="no organizations: list",
        )
    return document


def _dump(document: CommentedMap) -> str:
    out = io.StringIO()
    _yaml().dump(document, out)
    return out.getvalue()


def _entry(document: CommentedMap, org: str) -> CommentedMap:
    for entry in document["organizations"]:
        if isinstance(entry, CommentedMap) and entry.get("id") == org:
            return entry
    raise Refusal(
        "drafting.organisation_not_in_file",
        "organizations.yaml has no organisation %(organisation)s.",
        organisation=org,
    )


def _contact(entry: CommentedMap, email: str) -> CommentedMap | None:
    for contact in entry.get("contacts") or ():
        if isinstance(contact, CommentedMap) and str(contact.get("email", "")).lower() == (
            email.lower()
        ):
            return contact
    return None


def contact_titles(text: str, org: str) -> dict[str, dict[str, str]]:
    """E-mail (lower case) → the contact's title per language, as the file gives it."""
    entry = _entry(_load(text), org)
    return {
        str(c.get("email", "")).lower(): {str(k): str(v) for k, v in (c.get("title") or {}).items()}
        for c in entry.get("contacts") or ()
        if isinstance(c, CommentedMap)
    }


def _set_texts(node: CommentedMap, key: str, texts: Mapping[str, str]) -> None:
    """Update a per-language map in place (order and comments kept); empty drops a language."""
    current = node.get(key)
    if not isinstance(current, CommentedMap):
        current = CommentedMap()
    for lang, value in texts.items():
        if value:
            current[lang] = value
        elif lang in current:
            del current[lang]
    if current:
        node[key] = current
    elif key in node:
        del node[key]


def edit_organisation(text: str, org: str, change: OrganisationChange) -> str:
    document = _load(text)
    entry = _entry(document, org)
    entry["kind"] = change.kind
    entry["country"] = change.country
    _set_texts(entry, "name", change.names)
    return _dump(document)


def put_contact(text: str, org: str, email: str, change: ContactChange) -> str:
    """Change the contact `email` (empty: add a new one at the end of the organisation's)."""
    document = _load(text)
    entry = _entry(document, org)
    contact = _contact(entry, email) if email else None
    if email and contact is None:
        raise Refusal(
            "drafting.no_contact",
            "%(organisation)s has no contact %(email)s.",
            organisation=org,
            email=email[:254],
        )
    if contact is None:
        if change.email and _contact(entry, change.email) is not None:
            raise Refusal(
                "drafting.contact_exists",
                "%(organisation)s already has a contact %(email)s.",
                field="email",
                organisation=org,
                email=change.email,
            )
        contact = CommentedMap()
        contacts = entry.get("contacts")
        if not isinstance(contacts, CommentedSeq):
            contacts = CommentedSeq()
            entry["contacts"] = contacts
        contacts.append(contact)
    contact["name"] = change.name
    contact["email"] = change.email
    contact["language"] = change.language
    roles = CommentedSeq(change.roles)
    roles.fa.set_flow_style()
    contact["roles"] = roles
    _set_texts(contact, "title", change.titles)
    return _dump(document)


def drop_contact(text: str, org: str, email: str) -> str:
    """The file without the contact: drafting then deactivates them (the format has no
    `active` field; a contact is active while the file lists them)."""
    document = _load(text)
    entry = _entry(document, org)
    contact = _contact(entry, email)
    if contact is not None:
        entry["contacts"].remove(contact)
    return _dump(document)


def check_organisations(
    text: str, *, agreements_dir: Path, library: ClauseLibrary
) -> tuple[Problem, ...]:
    """The loader's problems with `text` as organizations.yaml beside every agreement of the
    folder (so an agreement that names a dropped organisation is caught too)."""
    with tempfile.TemporaryDirectory(prefix="accord-orgs-") as folder:
        target = Path(folder)
        for source in sorted(agreements_dir.glob("*.yaml")):
            if source.name != ORGANIZATIONS_FILE:
                shutil.copyfile(source, target / source.name)
        (target / ORGANIZATIONS_FILE).write_text(text, encoding="utf-8")
        try:
            load_sources(sorted(target.glob("*.yaml")), clause_library=library)
        except SourceInvalid as invalid:
            return tuple(
                Problem(
                    Path(p.path).name, p.line, p.column, p.message.replace(str(target) + "/", "")
                )
                for p in invalid.problems
            )
    return ()


def dry_run(text: str, *, session: Session, actor: str) -> None:
    """What drafting the new file would refuse (a contact dropped who holds open links),
    found by syncing in `session`, which the caller rolls back, as the CLI's dry runs do."""
    with tempfile.TemporaryDirectory(prefix="accord-orgs-") as folder:
        path = Path(folder) / ORGANIZATIONS_FILE
        path.write_text(text, encoding="utf-8")
        specs = load_organizations([path])
    sync_organizations(specs.values(), session=session, actor=actor)


def require_loads(problems: tuple[Problem, ...]) -> None:
    """A change with no form field to show problems at (a deactivation) is refused whole."""
    if problems:
        raise Refusal(
            "drafting.organisations_invalid",
            "organizations.yaml would not load after this change: %(problem)s",
            problem=str(problems[0]),
        )


def field_problems(
    text: str, problems: tuple[Problem, ...], locate: Locate
) -> tuple[FieldProblem, ...]:
    """Each problem with the form field at its line: `locate` picks the node the form edits
    (an organisation or a contact) from the new text's document."""
    try:
        node = locate(_load(text))
    except Refusal:
        node = None
    lines = _field_lines(node) if isinstance(node, CommentedMap) else {}
    return tuple(
        FieldProblem(p, lines.get(p.line) if p.path == ORGANIZATIONS_FILE else None)
        for p in problems
    )


def _field_lines(node: CommentedMap) -> dict[int, str]:
    """1-based line → form field name, for the node's keys and its per-language maps."""
    found: dict[int, str] = {}
    for key in node:
        value = node[key]
        if isinstance(value, CommentedMap):
            for lang in value:
                found[value.lc.key(lang)[0] + 1] = f"{key}_{lang}"
        else:
            found[node.lc.key(key)[0] + 1] = str(key)
    return found


def locate_organisation(org: str) -> Locate:
    return lambda document: _entry(document, org)


def locate_contact(org: str, email: str) -> Locate:
    return lambda document: _contact(_entry(document, org), email)
