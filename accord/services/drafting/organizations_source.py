"""organizations.yaml edited from the workspace, keeping its comments and layout.

The file stays the only source of truth for organisations and contacts: a workspace edit
changes one organisation or one contact in a ruamel.yaml round trip (every other byte as it
was), the loader checks the whole new text before it is written, and the write goes through
`sources.save_organisations`. The file holds every organisation of the national install, so
a form carries only its own organisation's entry (`entry_text`): the conflict rule is per
entry (`require_entry_unchanged`), and an edit is applied to the file as it is when saved,
so another organisation's change made meanwhile is kept. Drafting then brings the tables in
step, as `accord draft` does.
"""

import io
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from sqlmodel import Session, select

from accord.errors import Refusal
from accord.services.drafting.organizations import sync_organizations
from accord.services.drafting.rules import SourceChanged, changes_since
from accord.source.clause_library import ClauseLibrary
from accord.source.loader import ORGANIZATIONS_FILE, load_organizations, load_sources
from accord.source.problems import Problem, SourceInvalid
from models import Organization

Edit = Callable[[str], str]
"""The file's text in, the edited text out."""
Locate = Callable[[CommentedMap], dict[int, str]]
"""The fields of a form by the 1-based line the file's document writes each at."""


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
class NewOrganisation:
    id: str
    kind: str
    country: str
    names: Mapping[str, str]
    """Language → name, in the order the entry writes them; empty names are left out."""
    contact: ContactChange
    """The first contact: the format wants someone to write to from the start."""


@dataclass(frozen=True)
class FieldProblem:
    """A loader problem, and the form field at its line (None: elsewhere in the file)."""

    problem: Problem
    field: str | None
    inside: bool = True
    """Whether it is in the edited organisation's entry: only then may the page say what it
    is (another organisation's, or another agreement's, lines are not the person's to see)."""


class OrganisationsInvalid(Exception):
    """The loader refuses the edited file: nothing is written; `problems` are of `text`."""

    def __init__(self, text: str, problems: tuple[Problem, ...]) -> None:
        super().__init__(str(problems[0]) if problems else "")
        self.text = text
        self.problems = problems


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


def _index(document: CommentedMap, org: str) -> int:
    for index, entry in enumerate(document["organizations"]):
        if isinstance(entry, CommentedMap) and entry.get("id") == org:
            return index
    raise Refusal(
        "drafting.organisation_not_in_file",
        "organizations.yaml has no organisation %(organisation)s.",
        organisation=org,
    )


def _entry(document: CommentedMap, org: str) -> CommentedMap:
    entry: CommentedMap = document["organizations"][_index(document, org)]
    return entry


def _entry_span(text: str, document: CommentedMap, index: int) -> tuple[int, int]:
    """0-based lines [start, end) of entry `index` of a block list: from its `- id:` line to
    its last line of content (the blank lines and comments leading to the next entry, such
    as a country's heading, are not its own)."""
    lines = text.splitlines()
    start = int(document["organizations"].lc.item(index)[0])
    return start, max(start + 1, _entry_end(lines, _next_line(document, index)))


def entry_text(text: str, org: str) -> str:
    """The organisation's entry as the file writes it: what its forms show and carry back,
    and never a byte of another organisation's."""
    document = _load(text)
    index = _index(document, org)
    entries = document["organizations"]
    if entries.fa.flow_style():
        return _entry_text(entries[index])
    start, end = _entry_span(text, document, index)
    return "".join(text.splitlines(keepends=True)[start:end])


def require_entry_unchanged(current: str, org: str, *, started_from: str) -> None:
    """A form's change goes ahead only onto its organisation's entry as the form showed it;
    what changed meanwhile in other organisations is no conflict (the change is applied to
    the current file). Refused with what changed in that entry only."""
    now = entry_text(current, org)
    if now.replace("\r\n", "\n") == started_from.replace("\r\n", "\n"):
        return
    refusal = Refusal(
        "drafting.organisation_changed",
        "%(organisation)s was changed in %(file)s by someone else after you opened it. "
        "Nothing was saved: what you entered is kept below, with what changed in its entry.",
        organisation=org,
        file=ORGANIZATIONS_FILE,
    )
    raise SourceChanged(refusal, changes_since(started_from, now, f"{ORGANIZATIONS_FILE}: {org}"))


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


def name_languages(text: str, org: str) -> list[str]:
    """The languages of the organisation's name, in the order the file writes them (the
    tables' JSON may not keep it)."""
    names = _entry(_load(text), org).get("name")
    return [str(lang) for lang in names] if isinstance(names, CommentedMap) else []


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
    _fill_contact(contact, change)
    return _dump(document)


def _fill_contact(contact: CommentedMap, change: ContactChange) -> None:
    contact["name"] = change.name
    contact["email"] = change.email
    contact["language"] = change.language
    roles = CommentedSeq(change.roles)
    roles.fa.set_flow_style()
    contact["roles"] = roles
    _set_texts(contact, "title", change.titles)


def add_organisation(text: str, new: NewOrganisation) -> str:
    """The file with one more organisation, written after the last one of its country (a
    file grouped by country keeps its groups and their comments), else at the end; every
    other line stays as it was."""
    document = _load(text)
    entries = document["organizations"]
    if any(isinstance(e, CommentedMap) and e.get("id") == new.id for e in entries):
        raise Refusal(
            "drafting.organisation_exists",
            "organizations.yaml already has an organisation %(organisation)s.",
            field="id",
            organisation=new.id,
        )
    entry = _new_entry(new)
    if not entries or entries.fa.flow_style():
        entries.append(entry)
        return _dump(document)
    return _inserted(text, document, entry, after=_last_of_country(entries, new.country))


def _new_entry(new: NewOrganisation) -> CommentedMap:
    entry = CommentedMap()
    entry["id"] = new.id
    entry["kind"] = new.kind
    entry["country"] = new.country
    _set_texts(entry, "name", new.names)
    contact = CommentedMap()
    _fill_contact(contact, new.contact)
    entry["contacts"] = CommentedSeq([contact])
    return entry


def _last_of_country(entries: CommentedSeq, country: str) -> int:
    """Index of the last organisation of `country` (the last of all when it has none)."""
    found = [
        i
        for i, entry in enumerate(entries)
        if isinstance(entry, CommentedMap) and str(entry.get("country", "")).upper() == country
    ]
    return found[-1] if found else len(entries) - 1


def _inserted(text: str, document: CommentedMap, entry: CommentedMap, *, after: int) -> str:
    """`entry` written into the text after entry `after`: before the blank lines and
    comments that lead to the next one (a group's heading), indented and spaced as the
    file's entries are."""
    entries = document["organizations"]
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    end = _entry_end(lines, _next_line(document, after))
    shift = entries.lc.item(0)[1] - 4
    written = _entry_text(entry).splitlines(keepends=True)
    written = [(" " * shift + line) if shift > 0 else line[-shift:] for line in written]
    spaced = any(not lines[entries.lc.item(i)[0] - 1].strip() for i in range(1, len(entries)))
    return "".join(lines[:end] + (["\n"] if spaced else []) + written + lines[end:])


def _next_line(document: CommentedMap, index: int) -> int:
    """0-based line where what follows entry `index` starts: the next entry, the next
    top-level key, or the end of the file."""
    entries = document["organizations"]
    if index + 1 < len(entries):
        return int(entries.lc.item(index + 1)[0])
    keys = list(document)
    following = keys[keys.index("organizations") + 1 :]
    return int(document.lc.key(following[0])[0]) if following else 1 << 30


def _entry_end(lines: list[str], next_line: int) -> int:
    end = min(next_line, len(lines))
    while end > 0 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return end


def _entry_text(entry: CommentedMap) -> str:
    """The entry as a list item of `organizations:`, in the dumper's layout."""
    holder = CommentedMap()
    holder["organizations"] = CommentedSeq([entry])
    return _dump(holder).split("\n", 1)[1]


def require_unused_id(org: str, *, session: Session) -> None:
    """An id the tables still know (an organisation taken out of the file keeps its row and
    its agreements' history) is not given to another organisation."""
    if session.exec(select(Organization.id).where(Organization.slug == org)).first() is not None:
        raise Refusal(
            "drafting.organisation_exists",
            "organizations.yaml already has an organisation %(organisation)s.",
            field="id",
            organisation=org,
        )


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


def dry_run(text: str, org: str, *, session: Session, actor: str) -> None:
    """What drafting the organisation `org` of the new file would refuse (a contact dropped
    who holds open links), found by syncing in `session`, which the caller rolls back, as
    the CLI's dry runs do. That organisation only: what the change does is the person's to
    hear, not what the file holds of others."""
    with tempfile.TemporaryDirectory(prefix="accord-orgs-") as folder:
        path = Path(folder) / ORGANIZATIONS_FILE
        path.write_text(text, encoding="utf-8")
        specs = load_organizations([path])
    sync_organizations([specs[org]] if org in specs else [], session=session, actor=actor)


def field_problems(
    text: str, problems: tuple[Problem, ...], org: str, locate: Locate
) -> tuple[FieldProblem, ...]:
    """Each problem with the form field at its line and whether it lies in the entry of
    `org`: `locate` finds the fields of what the form edits (an organisation, a contact, or
    both) in the new text's document."""
    try:
        document = _load(text)
        lines = locate(document)
        index = _index(document, org)
        start, end = (
            (0, 0)
            if document["organizations"].fa.flow_style()
            else _entry_span(text, document, index)
        )
    except Refusal:
        lines, start, end = {}, 0, 0
    return tuple(
        FieldProblem(
            p,
            lines.get(p.line) if p.path == ORGANIZATIONS_FILE else None,
            p.path == ORGANIZATIONS_FILE and start < p.line <= end,
        )
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
    return lambda document: _field_lines(_entry(document, org))


def locate_contact(org: str, email: str) -> Locate:
    def lines(document: CommentedMap) -> dict[int, str]:
        contact = _contact(_entry(document, org), email)
        return _field_lines(contact) if contact is not None else {}

    return lines


def locate_new_organisation(org: str) -> Locate:
    """The organisation's fields and its first contact's (their names do not overlap:
    `name_ru` is the organisation's, `name` the person's)."""

    def lines(document: CommentedMap) -> dict[int, str]:
        entry = _entry(document, org)
        contacts = entry.get("contacts")
        first = contacts[0] if isinstance(contacts, CommentedSeq) and contacts else None
        found = _field_lines(first) if isinstance(first, CommentedMap) else {}
        return {**_field_lines(entry), **found}

    return lines
