"""The organisations file (`organizations:`): who can be a secretariat, a party or a contact."""

from dataclasses import dataclass

from accord.i18n import languages
from accord.source import field_readers as fr
from accord.source.field_readers import Report
from accord.source.iso_codes import COUNTRY_CODES
from accord.source.people import NotAnAddress, NotAName, check_address, check_name
from accord.source.spec import FORMAT, ContactRole, ContactSpec, OrganizationSpec, OrgKind
from accord.source.yaml_nodes import Mapping, Node

COUNTRY_EXPECTED = "expected an ISO 3166-1 alpha-2 code, like KZ"

_FILE_KEYS = ("format", "organizations")
_ORG_KEYS = ("id", "kind", "country", "name", "short_name", "contacts")
_ORG_REQUIRED = ("id", "kind", "country", "name")
_CONTACT_KEYS = ("name", "email", "language", "roles", "title")
_CONTACT_REQUIRED = ("name", "email", "language", "roles")


@dataclass(frozen=True)
class ReadOrganization:
    """One entry of the file: its id (where written) even if the rest is invalid."""

    id: str
    at: Node
    spec: OrganizationSpec | None
    short_name_at: Node | None = None


def read_organizations(top: Mapping, report: Report) -> list[ReadOrganization] | None:
    """Every organisation whose id could be read; None if there is no readable list at all."""
    fr.check_keys(
        top, report, allowed=_FILE_KEYS, required=_FILE_KEYS, context="organisations file"
    )
    fr.check_format(top, report, FORMAT)
    node = fr.value_of(top, "organizations")
    items = fr.list_of(node, report, "organizations") if node is not None else None
    if items is None:
        return None
    found = [org for org in (_organization(item, report) for item in items.items) if org]
    _check_short_names(found, report)
    return found


def _organization(node: Node, report: Report) -> ReadOrganization | None:
    org = fr.mapping_of(node, report, "organisation")
    if org is None:
        return None
    before = len(report.problems)
    fr.check_keys(org, report, allowed=_ORG_KEYS, required=_ORG_REQUIRED, context="organisation")
    org_id = fr.optional(org, "id", fr.slug_of, report, "organisation id")
    label = f"organisation '{org_id or '?'}'"
    kind = fr.optional(org, "kind", _kind, report, f"{label} kind")
    country = fr.optional(org, "country", _country, report, f"{label} country")
    name = fr.optional(org, "name", _names, report, f"{label} name")
    short_name = fr.optional(org, "short_name", _names, report, f"{label} short name")
    contacts_node = fr.value_of(org, "contacts")
    contacts = _contacts(contacts_node, report, label) if contacts_node is not None else ()
    id_node = fr.value_of(org, "id")
    if org_id is None or id_node is None:
        return None
    if len(report.problems) > before or kind is None or country is None or name is None:
        return ReadOrganization(org_id, id_node, None)
    spec = OrganizationSpec(
        id=org_id,
        kind=OrgKind(kind),
        country=country,
        name=name,
        contacts=contacts,
        short_name=short_name,
    )
    return ReadOrganization(org_id, id_node, spec, fr.value_of(org, "short_name"))


def _check_short_names(found: list[ReadOrganization], report: Report) -> None:
    """A short name says which body a plan means only if no other body of its country has it
    (bodies of different countries may: «МВД» in Astana and in Bishkek)."""
    first: dict[tuple[str, str, str], str] = {}
    for org in found:
        if org.spec is None or org.spec.short_name is None or org.short_name_at is None:
            continue
        for lang, short in org.spec.short_name.items():
            key = (org.spec.country, lang, " ".join(short.casefold().split()))
            other = first.setdefault(key, org.id)
            if other != org.id:
                expected = "expected a short name no other organisation of the country has"
                report.add(
                    _short_name_node(org.short_name_at, lang),
                    f"short name '{short}' ({lang}) of '{org.id}' is already the short name of "
                    f"'{other}' in {org.spec.country} ({expected})",
                )


def _short_name_node(node: Node, lang: str) -> Node:
    """Where the short name in `lang` is written (the map itself if it cannot be told)."""
    if isinstance(node, Mapping):
        for entry in node.entries:
            if languages.written_tag(entry.key) == lang:
                return entry.value
    return node


def _kind(node: Node, report: Report, what: str) -> str | None:
    return fr.choice_of(node, report, what, [kind.value for kind in OrgKind])


def _country(node: Node, report: Report, what: str) -> str | None:
    return fr.code_of(node, report, what, COUNTRY_CODES, COUNTRY_EXPECTED)


def _names(node: Node, report: Report, what: str) -> dict[str, str] | None:
    return fr.plain_text_map(node, report, what, None)


def _contacts(node: Node, report: Report, label: str) -> tuple[ContactSpec, ...]:
    items = fr.list_of(node, report, f"{label} contacts")
    contacts = (_contact(item, report, label) for item in (items.items if items else ()))
    return tuple(contact for contact in contacts if contact is not None)


def _contact(node: Node, report: Report, label: str) -> ContactSpec | None:
    contact = fr.mapping_of(node, report, f"{label} contact")
    if contact is None:
        return None
    fr.check_keys(
        contact,
        report,
        allowed=_CONTACT_KEYS,
        required=_CONTACT_REQUIRED,
        context=f"{label} contact",
    )
    name = fr.optional(contact, "name", _name, report, "contact name")
    email = fr.optional(contact, "email", _email, report, "contact email")
    language = fr.optional(contact, "language", fr.language_of, report, "contact language")
    roles = fr.optional(contact, "roles", _roles, report, "contact roles")
    title_node = fr.value_of(contact, "title")
    title = fr.plain_text_map(title_node, report, "contact title", None) if title_node else None
    if name is None or email is None or language is None or roles is None:
        return None
    if title_node is not None and title is None:
        return None
    return ContactSpec(name=name, email=email, language=language, roles=roles, title=title)


def _name(node: Node, report: Report, what: str) -> str | None:
    text = fr.text_of(node, report, what)
    if text is None:
        return None
    try:
        return check_name(text)
    except NotAName as error:
        report.invalid(node, what, str(error))
        return None


def _email(node: Node, report: Report, what: str) -> str | None:
    text = fr.text_of(node, report, what)
    if text is None:
        return None
    try:
        return check_address(text)
    except NotAnAddress as error:
        reason = str(error).rstrip(".")
        expected = f"expected one address like name@example.org; {reason[:1].lower()}{reason[1:]}"
        report.invalid(node, what, expected)
        return None


def _roles(node: Node, report: Report, what: str) -> tuple[ContactRole, ...] | None:
    items = fr.list_of(node, report, what, non_empty=True)
    if items is None:
        return None
    options = [role.value for role in ContactRole]
    roles: list[ContactRole] = []
    for item in items.items:
        role = fr.choice_of(item, report, "contact role", options)
        if role is not None and ContactRole(role) in roles:
            report.add(item, f"duplicate role '{role}' (each role once)")
        elif role is not None:
            roles.append(ContactRole(role))
    return tuple(roles) if len(roles) == len(items.items) else None
