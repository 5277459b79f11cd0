"""Redlines: clauses matched by id, word diffs that rejoin exactly, HTML and tracked-change DOCX."""

import re
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO
from itertools import pairwise
from xml.etree import ElementTree

from docx import Document
from docx.enum.section import WD_ORIENT
from docx2python import docx2python
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.documents.commitments_table import COLUMNS
from accord.documents.labels import labels_for
from accord.documents.redline import (
    ClauseDiff,
    ClauseStatus,
    Segment,
    diff_versions,
    diff_words,
    new_text,
    old_text,
    render_redline_docx,
    render_redline_html,
    summary_lines,
)
from accord.documents.redline_plan import diff_plan
from accord.source.spec import ClauseSpec, VersionContent, numbered
from tests.factories import ORG_NAMES, make_agreement, make_clause, make_content, make_plan

LANGS = ("ru", "kk")
CREATED = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SECRETARIAT = ORG_NAMES["kz-iac"][1]["ru"]
"""Changes in a redline are the secretariat's: it hands the redline out."""


def clause(clause_id: str, text: str, title: str | None = None) -> ClauseSpec:
    """Text and title tagged per language, so a test can tell which language was diffed."""
    titles = {lang: f"{title} ({lang})" for lang in LANGS} if title else None
    texts = {lang: f"{text} ({lang})" for lang in LANGS}
    return make_clause(clause_id, languages=LANGS, title=titles, text=texts)


def content(*clauses: ClauseSpec, title: str = "Referral") -> VersionContent:
    titles = {lang: f"{title} [{lang}]" for lang in LANGS}
    return make_content(make_agreement(languages=LANGS, clauses=clauses, title=titles))


A = clause("a", "Parties exchange information within ten days.", "Exchange")
B = clause("b", "Each party names a focal point.", "Focal points")
C = clause("c", "Disputes are settled by negotiation.")
D = clause("d", "This memorandum enters into force on signature.", "Entry into force")


def by_id(diffs: list[ClauseDiff]) -> dict[str, ClauseDiff]:
    return {d.clause_id: d for d in diffs}


def summary(diffs: list[ClauseDiff]) -> list[tuple[str, str, str]]:
    return [(d.clause_id, d.number, d.status.value) for d in diffs]


def changes(segments: tuple[Segment, ...]) -> list[tuple[str, str]]:
    return [(s.kind, s.text) for s in segments if s.kind != "equal"]


# --- matching clauses --------------------------------------------------------------------


def test_identical_versions_have_only_unchanged_clauses() -> None:
    diffs = diff_versions(content(A, B, C), content(A, B, C), "ru")

    assert summary(diffs) == [
        ("a", "1", "unchanged"),
        ("b", "2", "unchanged"),
        ("c", "3", "unchanged"),
    ]
    assert not any(d.changed or d.renumbered for d in diffs)


def test_reordering_is_a_move_not_a_text_change() -> None:
    diffs = diff_versions(content(A, B, C, D), content(A, D, B, C), "ru")

    assert summary(diffs) == [
        ("a", "1", "unchanged"),
        ("d", "2", "moved"),
        ("b", "3", "unchanged"),
        ("c", "4", "unchanged"),
    ]
    moved = by_id(diffs)["d"]
    assert (moved.old_number, moved.new_number, moved.moved) == ("4", "2", True)
    assert all(s.kind == "equal" for d in diffs for s in (*d.title, *d.text))


def test_renumbering_caused_by_an_insertion_is_not_a_move() -> None:
    diffs = diff_versions(content(A, B, C), content(D, A, B, C), "ru")

    assert summary(diffs) == [
        ("d", "1", "added"),
        ("a", "2", "unchanged"),
        ("b", "3", "unchanged"),
        ("c", "4", "unchanged"),
    ]
    assert by_id(diffs)["a"].renumbered and not by_id(diffs)["a"].changed


def test_a_subclause_under_another_parent_has_moved() -> None:
    sub = clause("sub", "Within three working days.")
    old = content(A.model_copy(update={"clauses": (sub,)}), B)
    new = content(A, B.model_copy(update={"clauses": (sub,)}))

    moved = by_id(diff_versions(old, new, "ru"))["sub"]
    assert (moved.status, moved.old_number, moved.new_number, moved.depth) == (
        ClauseStatus.moved,
        "1.2",  # 1.1 and 2.1 are the parents' own paragraphs
        "2.2",
        1,
    )


def test_one_changed_word_is_exactly_one_delete_insert_pair() -> None:
    edited = A.model_copy(
        update={"text": {"ru": "Parties exchange information within five days. (ru)", "kk": "x"}}
    )
    diff = diff_versions(content(A, B), content(edited, B), "ru")[0]

    assert diff.status is ClauseStatus.changed
    assert diff.text == (
        Segment("equal", "Parties exchange information within "),
        Segment("delete", "ten"),
        Segment("insert", "five"),
        Segment("equal", " days. (ru)"),
    )
    assert all(s.kind == "equal" for s in diff.title)


def test_the_diff_is_in_the_language_asked_for() -> None:
    edited = A.model_copy(update={"text": {**A.text, "kk": "Басқа мәтін (kk)"}})

    assert diff_versions(content(A), content(edited), "ru")[0].status is ClauseStatus.unchanged
    assert diff_versions(content(A), content(edited), "kk")[0].status is ClauseStatus.changed


def test_a_changed_title_changes_the_clause() -> None:
    renamed = B.model_copy(update={"title": {lang: f"Contact points ({lang})" for lang in LANGS}})
    diff = diff_versions(content(A, B), content(A, renamed), "kk")[1]

    assert diff.status is ClauseStatus.changed
    assert changes(diff.title) == [("delete", "Focal"), ("insert", "Contact")]


def test_a_moved_and_edited_clause_is_changed_and_flagged_moved() -> None:
    edited = C.model_copy(update={"text": {lang: "Disputes go to arbitration." for lang in LANGS}})
    diff = by_id(diff_versions(content(A, B, C), content(edited, A, B), "ru"))["c"]

    assert (diff.status, diff.moved, diff.number) == (ClauseStatus.changed, True, "1")


def test_added_and_removed_clauses() -> None:
    diffs = diff_versions(content(A, B, C), content(A, C, D), "ru")

    assert summary(diffs) == [
        ("a", "1", "unchanged"),
        ("b", "2", "removed"),
        ("c", "2", "unchanged"),
        ("d", "3", "added"),
    ]
    removed, added = by_id(diffs)["b"], by_id(diffs)["d"]
    assert (removed.old_number, removed.new_number) == ("2", None)
    assert removed.text == (Segment("delete", B.text["ru"]),)
    assert removed.title == (Segment("delete", "Focal points (ru)"),)
    assert (added.old_number, added.new_number) == (None, "3")
    assert added.text == (Segment("insert", D.text["ru"]),)


def test_a_removed_first_clause_and_its_subclauses_stay_in_order() -> None:
    sub = clause("a-sub", "Sub text.")
    diffs = diff_versions(content(A.model_copy(update={"clauses": (sub,)}), B), content(B), "ru")

    assert summary(diffs) == [
        ("a", "1", "removed"),
        ("a-sub", "1.2", "removed"),
        ("b", "1", "unchanged"),
    ]


def test_segments_rejoin_to_every_clause_text_exactly() -> None:
    old = make_plan(clauses=12)
    clauses = list(old.agreement.clauses)
    clauses[2] = clauses[2].model_copy(update={"text": {"ru": "  new\n\ntext\t here ", "kk": "k"}})
    clauses.insert(5, clauses.pop(8))
    new = make_content(old.agreement.model_copy(update={"clauses": tuple(clauses)}))

    before, after = texts_by_id(old), texts_by_id(new)
    diffs = diff_versions(old, new, "ru")

    assert {d.clause_id for d in diffs} == before.keys() | after.keys()
    for diff in diffs:
        assert old_text(diff.text) == before.get(diff.clause_id, "")
        assert new_text(diff.text) == after.get(diff.clause_id, "")


def texts_by_id(version: VersionContent) -> dict[str, str]:
    return {item.clause.id: item.clause.text["ru"] for item in numbered(version.agreement.clauses)}


def test_sixty_clauses_moved_and_edited_each_get_their_diff() -> None:
    """Its speed is measured by bench/bench_redline.py."""
    old = make_plan(clauses=60)
    clauses = [
        c.model_copy(update={"text": {"ru": c.text["ru"] + " Extra words here.", "kk": "k"}})
        if n % 3 == 0
        else c
        for n, c in enumerate(old.agreement.clauses)
    ]
    new = make_content(old.agreement.model_copy(update={"clauses": tuple(reversed(clauses))}))

    diffs = diff_versions(old, new, "ru")

    assert len(diffs) == 60
    assert sum(d.status is ClauseStatus.changed for d in diffs) == 20


# --- word diff ---------------------------------------------------------------------------


def test_changes_a_space_apart_are_one_change() -> None:
    assert diff_words("the quick brown fox", "the slow red fox") == (
        Segment("equal", "the "),
        Segment("delete", "quick brown"),
        Segment("insert", "slow red"),
        Segment("equal", " fox"),
    )


def test_a_line_break_between_changes_keeps_them_apart() -> None:
    segments = diff_words("one\ntwo", "uno\ndos")

    assert segments == (
        Segment("delete", "one"),
        Segment("insert", "uno"),
        Segment("equal", "\n"),
        Segment("delete", "two"),
        Segment("insert", "dos"),
    )


def test_empty_texts() -> None:
    assert diff_words("", "") == ()
    assert diff_words("", "new") == (Segment("insert", "new"),)
    assert diff_words("old", "") == (Segment("delete", "old"),)


words = st.lists(st.sampled_from(["a", "b", "c", "dd", "Қазақ", "ә,", "<x>", "&"]), max_size=25)
spaces = st.sampled_from([" ", "  ", "\n", "\t", " \n"])


@st.composite
def texts(draw: st.DrawFn) -> str:
    parts = draw(words)
    glue = [draw(spaces) for _ in parts]
    edge = draw(st.sampled_from(["", " ", "\n"]))
    return edge + "".join(w + g for w, g in zip(parts, glue, strict=True))


@settings(max_examples=400, deadline=None)
@given(old=texts(), new=texts())
def test_segments_rejoin_to_both_texts(old: str, new: str) -> None:
    segments = diff_words(old, new)

    assert old_text(segments) == old
    assert new_text(segments) == new
    assert all(s.text for s in segments)
    assert all(a.kind != b.kind for a, b in pairwise(segments))
    if old == new:
        assert all(s.kind == "equal" for s in segments)


# --- HTML --------------------------------------------------------------------------------

EVIL = "<script>alert('x')</script> & \"q\""


def evil_diffs() -> list[ClauseDiff]:
    evil = make_clause(
        "evil-<id>",
        languages=LANGS,
        title={lang: EVIL for lang in LANGS},
        text={lang: f"Plain {EVIL}\nsecond line" for lang in LANGS},
    )
    return diff_versions(content(A), content(A, evil), "ru")


def test_html_escapes_every_piece_of_text() -> None:
    html = render_redline_html(evil_diffs())

    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;q&quot;" in html
    assert 'data-clause="evil-&lt;id&gt;"' in html
    assert "<br>" in html


def test_html_marks_insertions_and_deletions() -> None:
    edited = A.model_copy(
        update={"text": {lang: "Parties exchange data within ten days." for lang in LANGS}}
    )
    html = render_redline_html(diff_versions(content(A, B), content(edited, C), "ru"))

    assert "<del>information</del><ins>data</ins>" in html
    assert 'class="clause clause-removed"' in html and "<del>Focal points (ru)</del>" in html
    assert 'class="clause clause-added"' in html and f"<ins>{C.text['ru']}</ins>" in html


def test_html_can_leave_out_unchanged_clauses() -> None:
    diffs = diff_versions(content(A, B), content(A, B, C), "ru")

    assert 'data-clause="a"' in render_redline_html(diffs)
    assert 'data-clause="a"' not in render_redline_html(diffs, changed_only=True)
    assert 'data-clause="c"' in render_redline_html(diffs, changed_only=True)


# --- DOCX --------------------------------------------------------------------------------


def redline_docx(old: VersionContent, new: VersionContent, language: str = "ru") -> bytes:
    return render_redline_docx(
        old,
        new,
        diff_versions(old, new, language),
        language=language,
        old_number=2,
        new_number=3,
        old_sha256="a" * 64,
        new_sha256="b" * 64,
        created_at=CREATED,
    )


def document_xml(data: bytes) -> str:
    with zipfile.ZipFile(BytesIO(data)) as package:
        return package.read("word/document.xml").decode()


def side(data: bytes, which: str) -> str:
    """The text as Word shows it after accepting ("new") or rejecting ("old") every change."""
    hidden = W + ("ins" if which == "old" else "del")
    root = ElementTree.fromstring(document_xml(data))
    return "\n".join("".join(_visible(para, hidden)) for para in root.iter(W + "p"))


def _visible(element: ElementTree.Element, hidden: str) -> Iterator[str]:
    if element.tag == hidden:
        return
    if element.tag in (W + "t", W + "delText"):
        yield element.text or ""
    for child in element:
        yield from _visible(child, hidden)


EDITED_A = A.model_copy(
    update={
        "text": {lang: f"Parties share information within ten days. ({lang})" for lang in LANGS}
    }
)


def test_docx_opens_with_python_docx_and_docx2python() -> None:
    data = redline_docx(content(A, B, C), content(EDITED_A, C, D, title="Referral v3"))

    document = Document(BytesIO(data))
    assert document.paragraphs[0].text == "Меморандум о взаимопонимании"
    assert document.core_properties.revision == 3
    assert document.core_properties.identifier == "b" * 64
    with docx2python(BytesIO(data)) as read:
        text = read.text
    assert "Изменения: версия 3 по сравнению с версией 2" in text
    assert "v2 · aaaaaaaaaaaa → v3 · bbbbbbbbbbbb · 24.11.2026" in text


def test_docx_tracks_the_changed_words() -> None:
    xml = document_xml(redline_docx(content(A, B), content(EDITED_A, B)))

    deleted = re.findall(
        r"<w:del [^>]*><w:r>(?:<w:rPr>.*?</w:rPr>)?<w:delText[^>]*>(.*?)</w:delText>", xml
    )
    inserted = re.findall(r"<w:ins [^>]*><w:r>(?:<w:rPr>.*?</w:rPr>)?<w:t [^>]*>(.*?)</w:t>", xml)
    assert deleted == ["exchange"]
    assert inserted == ["share"]
    assert f'w:author="{SECRETARIAT}" w:date="2026-11-24T09:30:00Z"' in xml


def test_docx_accepting_gives_the_new_text_and_rejecting_the_old() -> None:
    old, new = content(A, B, C), content(EDITED_A, C, D, title="Referral v3")
    data = redline_docx(old, new)
    accepted, rejected = side(data, "new"), side(data, "old")

    assert "Referral v3 [ru]" in accepted and "Referral [ru]" in rejected
    assert EDITED_A.text["ru"] in accepted and A.text["ru"] in rejected
    assert B.text["ru"] not in accepted and B.text["ru"] in rejected
    assert D.text["ru"] in accepted and D.text["ru"] not in rejected
    assert "2. Focal points (ru)" in rejected
    assert "3. Entry into force (ru)" in accepted


def test_docx_removed_clause_is_deleted_with_its_paragraph_marks() -> None:
    xml = document_xml(redline_docx(content(A, B), content(A)))
    paragraphs = re.findall(r"<w:p>.*?</w:p>", xml)
    heading = next(p for p in paragraphs if "Focal points (ru)</w:delText>" in p)
    text = next(p for p in paragraphs if B.text["ru"] in p)

    for para in (heading, text):
        assert re.search(rf'<w:pPr>.*<w:rPr><w:del w:id="\d+" w:author="{SECRETARIAT}"', para)
        assert "<w:t " not in para
    assert f'<w:delText xml:space="preserve">{B.text["ru"]}</w:delText>' in text
    assert '<w:delText xml:space="preserve">2. </w:delText>' in heading


def test_docx_added_clause_is_inserted_with_its_paragraph_marks() -> None:
    xml = document_xml(redline_docx(content(A), content(A, D)))

    assert '<w:rPr><w:ins w:id="' in xml
    assert f'<w:t xml:space="preserve">{D.text["ru"]}</w:t></w:r></w:ins>' in xml
    assert "<w:del " not in xml


def test_docx_renumbering_is_tracked_on_the_number() -> None:
    with docx2python(BytesIO(redline_docx(content(A, B), content(D, A, B)))) as read:
        text = read.text

    assert "1. Entry into force (ru)" in text
    assert "2. Exchange (ru)" in text  # docx2python shows the accepted numbers


def test_docx_change_ids_are_unique_and_output_deterministic() -> None:
    old, new = content(A, B, C), content(EDITED_A, C, D)
    data = redline_docx(old, new)
    ids = re.findall(r'<w:(?:ins|del) w:id="(\d+)"', document_xml(data))

    assert len(ids) == len(set(ids)) > 4
    assert data == redline_docx(old, new)


def test_docx_escapes_hostile_text() -> None:
    evil = make_clause(
        "evil", languages=LANGS, text={lang: f"{EVIL}\x00\x0b end" for lang in LANGS}
    )
    data = redline_docx(content(A), content(A, evil))

    with docx2python(BytesIO(data)) as read:
        assert "<script>alert('x')</script> & \"q\" end" in read.text
    assert "&lt;script&gt;" in document_xml(data)


def test_docx_in_another_language() -> None:
    with docx2python(BytesIO(redline_docx(content(A), content(EDITED_A), "kk"))) as read:
        text = read.text

    assert "Өзгерістер: 2-нұсқамен салыстырғанда 3-нұсқа" in text
    assert "Parties share information within ten days. (kk)" in text


# --- summary and plan --------------------------------------------------------------------


def plan_versions() -> tuple[VersionContent, VersionContent]:
    """A plan whose second version edits clause 2, removes c-002, adds c-009, and moves the
    deadline and budget of c-003."""
    old = make_plan(clauses=3, commitments=4)
    agreement = old.agreement
    clauses = list(agreement.clauses)
    clauses[1] = clauses[1].model_copy(update={"text": {"ru": "Новый текст", "kk": "Жаңа мәтін"}})
    first, _, third, fourth = agreement.commitments
    assert third.budget is not None
    budget = third.budget.model_copy(update={"amount": Decimal(2)})
    moved = third.model_copy(
        update={"due": date(2028, 6, 30), "due_label": "2028-06-30", "budget": budget}
    )
    hotline = {"ru": "Горячая линия", "kk": "Сенім телефоны"}
    added = fourth.model_copy(update={"id": "c-009", "activity": hotline})
    new_agreement = agreement.model_copy(
        update={"clauses": tuple(clauses), "commitments": (first, moved, fourth, added)}
    )
    return old, old.model_copy(update={"agreement": new_agreement})


def test_the_summary_names_changed_clauses_and_activities_first() -> None:
    old, new = plan_versions()
    labels = labels_for("ru")
    clauses, plan = summary_lines(
        diff_versions(old, new, "ru"), diff_plan(old, new, labels), labels
    )

    assert clauses == ["2. [ru] Clause 2 — изменено"]
    assert plan == [
        "c-002 — исключено",
        f"c-003 — изменено: {labels['col_deadline']}, {labels['col_budget']}",
        "c-009 — добавлено",
    ]
    with docx2python(BytesIO(redline_docx(old, new))) as read:
        text = read.text
    assert (
        text.index("Перечень изменений")
        < text.index("c-002 — исключено")
        < text.index("1. [ru] Clause 1")
    )


def test_the_plan_follows_the_clauses_with_its_changes_tracked() -> None:
    old, new = plan_versions()
    data = redline_docx(old, new)
    accepted, rejected = side(data, "new"), side(data, "old")

    assert "Горячая линия" in accepted and "Горячая линия" not in rejected
    assert "[ru] Activity c-002" in rejected and "[ru] Activity c-002" not in accepted
    assert "30.06.2028" in accepted and "30.06.2028" not in rejected
    assert accepted.index("План мероприятий") > accepted.index("3. [ru] Clause 3")


def plan_rows(data: bytes) -> list[ElementTree.Element]:
    """The rows of the redline's plan table (the one whose header starts with "№")."""
    root = ElementTree.fromstring(document_xml(data))
    for table in root.iter(W + "tbl"):
        rows = list(table.iter(W + "tr"))
        if rows and _cell_texts(rows[0])[:2] == ["№", "Мероприятие"]:
            return rows
    raise AssertionError("no plan table")


def _cell_texts(row: ElementTree.Element, which: str = "new") -> list[str]:
    hidden = W + ("ins" if which == "old" else "del")
    return [
        "\n".join("".join(_visible(p, hidden)) for p in tc.iter(W + "p"))
        for tc in row.iter(W + "tc")
    ]


def _row_change(row: ElementTree.Element) -> str | None:
    """ "ins" or "del" when the row itself is a tracked insertion or deletion."""
    props = row.find(W + "trPr")
    marks = [] if props is None else [c.tag.removeprefix(W) for c in props]
    return next((m for m in marks if m in ("ins", "del")), None)


def _row_of(rows: list[ElementTree.Element], text: str, which: str = "new") -> ElementTree.Element:
    return next(r for r in rows if any(text in t for t in _cell_texts(r, which)))


def test_the_redline_prints_the_plan_in_the_annex_table_not_as_paragraphs() -> None:
    old, new = plan_versions()
    data = redline_docx(old, new)
    rows = plan_rows(data)
    labels = labels_for("ru")

    assert _cell_texts(rows[0]) == [labels[key] for key in COLUMNS]
    assert [_cell_texts(r)[0] for r in rows[1:]] == [
        "1. [ru] Objective 1", "", "1.1", "1.2", "2. [ru] Objective 2", "2.1", "2.2",
    ]  # fmt: skip  # the removed 1.1 is struck out; c-004 is 1.1 now
    outside = [p.text for p in Document(BytesIO(data)).paragraphs]
    assert not [line for line in outside if "Activity c-00" in line or "Горячая" in line]
    assert outside.index("Перечень изменений") < outside.index("План мероприятий")


def test_an_added_activity_is_an_inserted_row_and_a_removed_one_a_deleted_row() -> None:
    old, new = plan_versions()
    rows = plan_rows(redline_docx(old, new))
    added, removed = _row_of(rows, "Горячая линия"), _row_of(rows, "Activity c-002", "old")

    assert _row_change(added) == "ins" and _row_change(removed) == "del"
    assert not list(added.iter(W + "delText"))
    assert all(t.text is None or not t.text.strip() for t in removed.iter(W + "t"))
    assert _cell_texts(removed, "old")[0] == "1.1"
    assert _cell_texts(removed)[1] == ""  # accepted: gone


def test_a_changed_activity_tracks_only_the_cells_that_changed() -> None:
    old, new = plan_versions()
    rows = plan_rows(redline_docx(old, new))
    changed = _row_of(rows, "[ru] Activity c-003")
    cells = list(changed.iter(W + "tc"))

    assert _row_change(changed) is None
    number, activity, responsible, partners, deadline, indicator, budget = cells
    for cell in (number, activity, responsible, partners, indicator):
        assert not list(cell.iter(W + "ins")) and not list(cell.iter(W + "del"))
    assert [t.text for t in deadline.iter(W + "delText")] == ["30.06.2027"]
    assert [t.text for t in deadline.iter(W + "ins") for t in t.iter(W + "t")] == ["30.06.2028"]
    assert list(budget.iter(W + "ins")) and list(budget.iter(W + "del"))


def test_a_renumbered_activity_tracks_its_number() -> None:
    old, new = plan_versions()
    rows = plan_rows(redline_docx(old, new))
    kept = _row_of(rows, "[ru] Activity c-004")  # 1.2 before, 1.1 now: c-002 was removed

    assert (_cell_texts(kept, "old")[0], _cell_texts(kept)[0]) == ("1.2", "1.1")


def test_the_plan_of_the_redline_is_on_a_landscape_page() -> None:
    old, new = plan_versions()
    sections = Document(BytesIO(redline_docx(old, new))).sections

    assert [s.orientation for s in sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE]


def test_the_secretariat_is_the_author_of_every_change_and_of_the_file() -> None:
    old, new = plan_versions()
    data = redline_docx(old, new)

    authors = set(re.findall(r'w:author="([^"]*)"', document_xml(data)))
    assert authors == {SECRETARIAT}
    assert Document(BytesIO(data)).core_properties.author == SECRETARIAT


def test_identical_plans_say_there_are_no_changes() -> None:
    old = make_plan(clauses=2, commitments=2)
    with docx2python(BytesIO(redline_docx(old, old))) as read:
        text = read.text

    assert text.count("Изменений нет.") == 2  # clauses, activities
    assert "<w:ins " not in document_xml(redline_docx(old, old))
