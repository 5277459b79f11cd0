"""How an agreement opens and closes on paper: approval block, place and date, final
provisions, signature blocks.

The values come from the source's `final` and `approval` fields and the signatories'
contacts; the words from `words.py`, in every document language.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Protocol

from accord.documents.blocks import org_name, pick, stacked
from accord.documents.docx_styles import (
    APPROVAL,
    CLAUSE_TEXT,
    HEADING,
    PARTY,
    SIGNATURE_LINE,
    SIGNATURE_ORG,
    SIGNATURE_ORG_ALT,
    styled,
)
from accord.documents.formatting import as_utc, format_date, format_moment
from accord.documents.labels import DocumentLabels, Labels, labels_for
from accord.documents.wordml import TAB, paragraph, right_tab, run, text_paragraph
from accord.i18n import languages
from accord.i18n.formats import babel_locale
from accord.source.spec import AgreementSpec, OrgSnapshot, VersionContent

SIGNATURE_LINES = ("sig_name", "sig_title", "sig_signature", "sig_date")
SEAL_COUNTRIES = frozenset({"KZ", "KG", "TJ", "UZ", "TM"})
"""Where ministries and agencies put their seal next to the signature ("М.П.")."""
_NO_KEEP = '<w:keepNext w:val="0"/>'
_BLANK = "________________"


class Signer(Protocol):
    """What a filled-in signature block prints of a signature."""

    @property
    def signer_name(self) -> str: ...

    @property
    def signer_title(self) -> str: ...

    @property
    def signed_at(self) -> datetime: ...


def approval_block(content: VersionContent, labels: DocumentLabels) -> str:
    """ "APPROVED by decision … of … No. …" at the top right, in each language."""
    approval = content.agreement.approval
    if approval is None:
        return ""
    out: list[str] = []
    for lang in labels.languages:
        words = labels_for(lang)
        line = words["approved_by"].format(
            by=pick(approval.by, lang), date=format_date(approval.date), number=approval.number
        )
        out.append(paragraph(run(words["approved"], bold=True), styled(APPROVAL, lang)))
        out.append(text_paragraph(line, styled(APPROVAL, lang)))
    return "".join(out)


def place_and_date(content: VersionContent, labels: DocumentLabels, width: int) -> str:
    """ "г. Астана            «__» ________ 20__" under the title, once per distinct wording."""
    lines: dict[tuple[str, str], str] = {}
    for lang in labels.languages:
        place, day = _place(content.agreement, lang), _day(content.agreement, labels_for(lang))
        if (place, day) not in lines:
            runs = run(place) + TAB + run(day)
            lines[place, day] = paragraph(runs, styled(PARTY, lang), right_tab(width))
    return "".join(lines.values())


def final_provisions(content: VersionContent, labels: DocumentLabels) -> str:
    """Where, when, in how many originals, in which authentic languages, which prevails; for
    an approved plan, that it takes effect on its approval."""
    agreement = content.agreement
    per_language = [
        (lang, tuple(filter(None, _closing_sentences(agreement, labels_for(lang)))))
        for lang in labels.languages
    ]
    return stacked(per_language, CLAUSE_TEXT, CLAUSE_TEXT)


def _closing_sentences(agreement: AgreementSpec, words: Labels) -> tuple[str, ...]:
    language = words.language
    approval = agreement.approval
    if approval is not None:
        opening = words["in_force_approved"].format(date=format_date(approval.date))
    else:
        opening = words["done_at"].format(
            place=_place(agreement, language) or _BLANK,
            date=_day(agreement, words),
            copies=copies_phrase(agreement.original_copies(), words),
        )
    authentic = agreement.authentic_languages()
    names = _language_names(words)
    texts = _listed([names.get(tag, tag) for tag in authentic], names.get("and", "and"))
    prevailing = agreement.prevailing_language()
    return (
        opening,
        words["authentic_texts"].format(languages=texts) if len(authentic) > 1 else "",
        words["prevails"].format(language=names.get(prevailing, prevailing)) if prevailing else "",
    )


def copies_phrase(count: int, words: Labels) -> str:
    """ "two original copies", "одном подлинном экземпляре": the count in words up to ten
    (contracts write it so), the noun in the form the language's plural rule gives the count."""
    numerals = [word.strip() for word in words["copies_numerals"].split(";")]
    number = numerals[count - 1] if 0 < count <= len(numerals) else str(count)
    forms = dict(
        (category.strip(), phrase.strip())
        for category, _, phrase in (
            item.partition("=") for item in words["copies_forms"].split(";")
        )
    )
    known = languages.parse_tag(words.language) is not None
    category = babel_locale(words.language).plural_form(count) if known else "other"
    return forms.get(category, forms["other"]).format(n=number)


def _listed(items: list[str], conjunction: str) -> str:
    """ "a, b and c" in the language's words."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def _language_names(words: Labels) -> dict[str, str]:
    """Tag → the language's name as this language's closing sentences use it (and "and")."""
    pairs = (item.partition("=") for item in words["language_forms"].split(";"))
    return {tag.strip(): name.strip() for tag, _, name in pairs if name.strip()}


def _place(agreement: AgreementSpec, language: str) -> str:
    final = agreement.final
    return pick(final.place, language) if final and final.place else ""


def _day(agreement: AgreementSpec, words: Labels) -> str:
    final = agreement.final
    return format_date(final.date) if final and final.date else words["date_blank"]


def signature_blocks(
    content: VersionContent, labels: DocumentLabels, signed: Mapping[str, Signer] | None = None
) -> str:
    """A block per signatory: its name in each language, then the person who signs (from
    its contacts), lines filled in from `signed` (organisation id → signature) or left to
    fill in by hand, and the seal's place where the country uses seals. None for a plan
    approved by a decision."""
    signatories = content.agreement.signatories()
    if not signatories or content.agreement.approval is not None:
        return ""
    signed = signed or {}
    out = [text_paragraph(labels.joined("signatures"), HEADING)]
    for org_id in signatories:
        names = [(lang, (org_name(content, org_id, lang),)) for lang in labels.languages]
        org = content.organizations.get(org_id)
        lines = _signature_lines(labels, org, signed.get(org_id))
        out.append(stacked(names, SIGNATURE_ORG, SIGNATURE_ORG_ALT) + lines)
    return "".join(out)


def _signature_lines(labels: DocumentLabels, org: OrgSnapshot | None, signer: Signer | None) -> str:
    """Name, title, signature, date, seal; the last line lets the next block start a new page."""
    values = _signature_values(labels, org, signer)
    lines = [
        run(f"{labels.joined(key)}:") + (run(f" {value}") if value else TAB)
        for key, value in zip(SIGNATURE_LINES, values, strict=True)
    ]
    if org is not None and org.country in SEAL_COUNTRIES:
        lines.append(run(labels.joined("seal")))
    last = len(lines) - 1
    return "".join(
        paragraph(runs, SIGNATURE_LINE, _NO_KEEP if index == last else "")
        for index, runs in enumerate(lines)
    )


def _signature_values(
    labels: DocumentLabels, org: OrgSnapshot | None, signer: Signer | None
) -> tuple[str, ...]:
    """What each line says: the typed name and title of who is to sign and lines to sign and
    date by hand, or the electronic signature."""
    if signer is None:
        person = org.signer if org is not None else None
        if person is None:
            return ("",) * len(SIGNATURE_LINES)
        titles = [pick(person.title, lang) for lang in labels.languages] if person.title else []
        return (person.name, " / ".join(dict.fromkeys(filter(None, titles))), "", "")
    moment = format_moment(signer.signed_at)
    signature = " / ".join(dict.fromkeys(s.format(moment=moment) for s in labels.each("signed_on")))
    day = format_date(as_utc(signer.signed_at))
    return (signer.signer_name, signer.signer_title, signature, day)
