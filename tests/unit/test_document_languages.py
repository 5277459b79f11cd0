"""Every document language prints its own labels: a bilingual memorandum and a plan in each
language tag, with Russian (English beside Russian), read back word by word.

Everything the source supplies (titles, clause texts, names, activities) is written in digits
and signs only, so every word of letters the document holds is one of its fixed labels. Each
must be a word of the catalog of a document language, in the script of that language; a word
that only another language's catalog has (the Russian "подписант" above Uzbek text) fails.
"""

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from io import BytesIO

import pytest
from docx import Document
from docx2python import docx2python

from accord.documents.agreement_docx import render_agreement
from accord.i18n import catalogs, languages
from accord.source.spec import (
    AgreementKind,
    AgreementSpec,
    BudgetSpec,
    ClauseSpec,
    CommitmentSpec,
    LangText,
    ObjectiveSpec,
    OrgKind,
    OrgSnapshot,
    PartyRole,
    PartySpec,
    VersionContent,
)

SHA = "0123456789" * 6 + "0123"
WORD = re.compile(r"[^\W\d_]+")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
SOURCE_WORDS = {"KZT"}
"""The one source value made of letters: a currency code, the same in every language."""
NEUTRAL = re.compile(r"\bv\d+\b|\b[IVX]+\b")
"""Written the same in every language: the footer's version stamp ("v3 · 012345678901", an
identifier like the hash beside it) and Roman numerals (quarters: "II кв.", "II тоқсан")."""
PAIRS = [(tag, "en" if tag == "ru" else "ru") for tag in languages.tags()]


def numbers(langs: tuple[str, ...], text: str) -> LangText:
    return {lang: f"{text}" for lang in langs}


def content(langs: tuple[str, ...], kind: AgreementKind) -> VersionContent:
    """An agreement whose every source text is written without letters."""
    orgs = {
        org: OrgSnapshot(id=org, kind=OrgKind.agency, country="KZ", name=numbers(langs, name))
        for org, name in (("a", "№ 101"), ("b", "№ 202"), ("c", "№ 303"), ("s", "№ 404"))
    }
    plan = kind is AgreementKind.joint_action_plan
    objective = ObjectiveSpec(id="o-1", title=numbers(langs, "1.0"))
    commitments = tuple(
        CommitmentSpec(
            id=f"c-{n}",
            objective="o-1" if n == 1 else None,
            activity=numbers(langs, f"{n}.{n}"),
            responsible="a",
            partners=("b", "c"),
            due=due,
            due_label=label,
            indicator=numbers(langs, f"{n}/{n}"),
            baseline="0",
            target="3",
            budget=BudgetSpec(amount=Decimal("1500000.50"), currency="KZT"),
            funding=numbers(langs, "(1)"),
        )
        for n, (due, label) in enumerate(
            [(date(2027, 6, 30), "2027-Q2"), (date(2027, 6, 30), "2027-06-30")], start=1
        )
    )
    agreement = AgreementSpec(
        id="x-1",
        kind=kind,
        languages=langs,
        country="KZ",
        secretariat="s",
        title=numbers(langs, "2026—2028"),
        parties=(
            PartySpec(org="a", role=PartyRole.signatory),
            PartySpec(org="b", role=PartyRole.signatory),
            PartySpec(org="c", role=PartyRole.observer),
        ),
        clauses=(
            ClauseSpec(
                id="one",
                title=numbers(langs, "§ 1"),
                text=numbers(langs, "1 + 1 = 2"),
                clauses=(ClauseSpec(id="one-a", text=numbers(langs, "2 + 2 = 4")),),
            ),
            ClauseSpec(id="two", text=numbers(langs, "3 × 3 = 9")),
        ),
        objectives=(objective,) if plan else (),
        commitments=commitments if plan else (),
    )
    return VersionContent(agreement=agreement, organizations=orgs)


def render(langs: tuple[str, ...], kind: AgreementKind) -> bytes:
    created = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)
    return render_agreement(content(langs, kind), number=3, sha256=SHA, created_at=created)


@cache
def own_words(tag: str) -> frozenset[str]:
    """The words of a language's own document catalog and of its name: nothing borrowed
    from the fallback chain."""
    catalog = catalogs.read_catalog("documents", tag)
    assert catalog is not None, tag
    texts = [str(m.string) for m in catalog if m.context and m.string]
    texts.append(languages.language(tag).column_name)
    return frozenset(w.casefold() for text in texts for w in WORD.findall(text))


def words(text: str) -> Iterator[str]:
    yield from (w for w in WORD.findall(NEUTRAL.sub(" ", text)) if w not in SOURCE_WORDS)


def in_script(word: str, tag: str) -> bool:
    return bool(CYRILLIC.search(word)) == (languages.language(tag).script == "Cyrl")


def stray(text: str, langs: tuple[str, ...]) -> set[str]:
    """Words of `text` that no language of `langs` has in its own catalog and script."""
    return {
        w
        for w in words(text)
        if not any(w.casefold() in own_words(t) and in_script(w, t) for t in langs)
    }


@pytest.fixture(scope="module", params=PAIRS, ids=lambda pair: "+".join(pair))
def pair(request: pytest.FixtureRequest) -> tuple[str, str]:
    return tuple(request.param)  # type: ignore[return-value]


@pytest.mark.parametrize("kind", list(AgreementKind), ids=lambda kind: kind.value)
def test_every_label_is_a_word_of_a_document_language(
    pair: tuple[str, str], kind: AgreementKind
) -> None:
    data = render(pair, kind)
    with docx2python(BytesIO(data)) as read:
        text = str(read.text)
    assert not stray(text, pair), f"{pair}: words of no document language: {stray(text, pair)}"
    first = languages.language(pair[0]).column_name
    assert first in text  # the columns are headed by the languages' names


@pytest.mark.parametrize("kind", list(AgreementKind), ids=lambda kind: kind.value)
def test_each_column_speaks_only_its_own_language(
    pair: tuple[str, str], kind: AgreementKind
) -> None:
    """Side by side, the column of a language holds only that language's labels."""
    document = Document(BytesIO(render(pair, kind)))
    columns = [t for t in document.tables if len(t.columns) == len(pair)]
    assert columns, "the parties and the clauses stand side by side"
    for table in columns:
        for row in table.rows:
            for tag, cell in zip(pair, row.cells, strict=True):
                assert not stray(cell.text, (tag,)), f"{tag} column: {cell.text!r}"


def test_a_label_borrowed_from_russian_is_caught() -> None:
    """The check itself: the Russian word for "signatory" is no Uzbek word."""
    russian = catalogs.by_context("documents", "ru")["role_signatory"]
    assert stray(f"1. № 101 — {russian}", ("uz-Latn",)) == set(WORD.findall(russian))
    assert stray(f"1. № 101 — {russian}", ("uz-Cyrl",)) == set(WORD.findall(russian))
