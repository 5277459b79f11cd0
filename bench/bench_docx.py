"""How fast an agreement version renders to DOCX, against docxtpl rendering the same document.

Run: python bench/bench_docx.py. Prints `name: value unit` lines:
docx_render_median_ms, docx_render_docxtpl_median_ms, docx_render_vs_docxtpl,
docx_render_growth_10x (10x clauses and commitments over 1x; linear is 10).
"""

import gc
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate

from accord.documents.agreement_docx import render_agreement
from accord.documents.blocks import pick
from accord.documents.closing import copies_phrase
from accord.documents.commitments_table import COLUMNS
from accord.documents.formatting import format_amount, format_due
from accord.documents.labels import labels_for
from accord.source.spec import (
    AgreementKind,
    AgreementSpec,
    BudgetSpec,
    ClauseSpec,
    CommitmentSpec,
    FinalProvisionsSpec,
    ObjectiveSpec,
    OrgKind,
    OrgSnapshot,
    PartyRole,
    PartySpec,
    SignerSnapshot,
    VersionContent,
    numbered,
    paragraph_numbers,
)

LANGUAGES = ("ru", "kk")
CLAUSES, COMMITMENTS, OBJECTIVES = 60, 200, 8
RUNS, TEMPLATE_RUNS, GROWTH_RUNS = 31, 5, 5
CREATED = datetime(2025, 11, 24, 9, 30, tzinfo=UTC)

RU = (
    "Стороны обеспечивают своевременное выявление жертв торговли людьми, их направление "
    "в специализированные организации и оказание помощи без дискриминации. "
)
KK = (
    "Тараптар адам саудасы құрбандарын уақтылы анықтауды, оларды мамандандырылған "
    "ұйымдарға жолдауды және кемсітусіз көмек көрсетуді қамтамасыз етеді. "
)
ORGS = {
    "kz-iac": (
        "Межведомственная комиссия по вопросам борьбы с торговлей людьми",
        "Адам саудасына қарсы күрес жөніндегі ведомствоаралық комиссия",
    ),
    "kz-mia": (
        "Министерство внутренних дел Республики Казахстан",
        "Қазақстан Республикасы Ішкі істер министрлігі",
    ),
    "kz-mlsp": (
        "Министерство труда и социальной защиты населения",
        "Еңбек және халықты әлеуметтік қорғау министрлігі",
    ),
    "ngo-safe-home": ("ОО «Безопасный дом»", "«Қауіпсіз үй» қоғамдық бірлестігі"),
    "iom-kz": ("Представительство МОМ в Казахстане", "ХКҰ-ның Қазақстандағы өкілдігі"),
}
ROLES = {
    "kz-mia": PartyRole.signatory,
    "kz-mlsp": PartyRole.signatory,
    "ngo-safe-home": PartyRole.signatory,
    "iom-kz": PartyRole.observer,
}


def both(ru: str, kk: str) -> dict[str, str]:
    return {"ru": ru, "kk": kk}


def make_clause(n: int) -> ClauseSpec:
    text = both(
        "\n".join(f"{n}.{p} {RU * 2}" for p in (1, 2, 3)),
        "\n".join(f"{n}.{p} {KK * 2}" for p in (1, 2, 3)),
    )
    return ClauseSpec(
        id=f"clause-{n}",
        title=both(f"Статья о сотрудничестве {n}", f"Ынтымақтастық туралы бап {n}"),
        text=text,
    )


def make_commitment(n: int) -> CommitmentSpec:
    quarter = n % 3 == 0
    return CommitmentSpec(
        id=f"c-{n:04d}",
        objective=f"o-{n % OBJECTIVES}" if n % 17 else None,
        activity=both(
            f"Провести обучение сотрудников полиции № {n} по выявлению жертв",
            f"Полиция қызметкерлерін құрбандарды анықтауға оқыту № {n}",
        ),
        responsible="kz-mia",
        partners=("ngo-safe-home", "iom-kz"),
        due=date(2027, 6, 30),
        due_label="2027-Q2" if quarter else "2027-06-30",
        indicator=both("Количество обученных сотрудников", "Оқытылған қызметкерлер саны"),
        baseline="0",
        target=str(n * 10),
        budget=BudgetSpec(amount=Decimal(1500000 + n), currency="KZT"),
        funding=both("Республиканский бюджет", "Республикалық бюджет"),
    )


def make_content(scale: int) -> VersionContent:
    """The bilingual ru/kk plan: 60 clauses and 200 commitments, times `scale`."""
    agreement = AgreementSpec(
        id="kz-jap-2027",
        kind=AgreementKind.joint_action_plan,
        languages=LANGUAGES,
        country="KZ",
        secretariat="kz-iac",
        title=both(
            "Совместный план действий по противодействию торговле людьми",
            "Адам саудасына қарсы іс-қимылдың бірлескен жоспары",
        ),
        parties=tuple(PartySpec(org=o, role=r) for o, r in ROLES.items()),
        clauses=tuple(make_clause(n) for n in range(1, CLAUSES * scale + 1)),
        objectives=tuple(
            ObjectiveSpec(id=f"o-{n}", title=both(f"Задача {n}: выявление", f"{n}-міндет: анықтау"))
            for n in range(OBJECTIVES)
        ),
        commitments=tuple(make_commitment(n) for n in range(1, COMMITMENTS * scale + 1)),
        final=FinalProvisionsSpec(place=both("г. Астана", "Астана қ.")),
    )
    orgs = {
        k: OrgSnapshot(
            id=k,
            kind=OrgKind.ministry,
            country="KZ",
            name=both(*v),
            signer=SignerSnapshot(name=f"Подписант {k}", title=both("Министр", "Министр")),
        )
        for k, v in ORGS.items()
    }
    return VersionContent(agreement=agreement, organizations=orgs)


def render_ours(content: VersionContent) -> Callable[[], bytes]:
    sha = content.sha256()
    return lambda: render_agreement(content, number=3, sha256=sha, created_at=CREATED)


# --- docxtpl: the same document as a Jinja template inside a .docx ---------------------


def add_field(paragraph: Any, instruction: str) -> None:
    run = paragraph.add_run()
    for tag, kind in (("w:fldChar", "begin"), ("w:instrText", None), ("w:fldChar", "separate")):
        element = OxmlElement(tag)
        if kind:
            element.set(qn("w:fldCharType"), kind)
        else:
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
        run._r.append(element)
    paragraph.add_run("1")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def header_row(row: Any) -> None:
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def loop_row(table: Any, tag: str) -> None:
    cells = table.add_row().cells
    cells[0].merge(cells[-1]).text = tag


def fill(cell: Any, lines: list[str]) -> None:
    cell.text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def docxtpl_template() -> bytes:
    """Draft mark, title, place and date, parties, a two-column clause table, the closing
    formula, signature blocks, then the landscape annex with the commitments table."""
    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "{{ draft }}"
    for p in (
        "{{ title_ru }}",
        "{{ title_kk }}",
        "{{ place_ru }}\t{{ date_ru }}",
        "{{ place_kk }}\t{{ date_kk }}",
        "Стороны / Тараптар",
    ):
        doc.add_paragraph(p)
    parties = doc.add_table(rows=0, cols=2)
    loop_row(parties, "{%tr for p in parties %}")
    fill(parties.add_row().cells[0], ["{{ p.ru }}"])
    parties.rows[-1].cells[1].text = "{{ p.kk }}"
    loop_row(parties, "{%tr endfor %}")
    doc.add_paragraph()
    clauses = doc.add_table(rows=1, cols=2)
    clauses.rows[0].cells[0].text, clauses.rows[0].cells[1].text = "Русский", "Қазақ тілі"
    header_row(clauses.rows[0])
    loop_row(clauses, "{%tr for c in clauses %}")
    cells = clauses.add_row().cells
    for cell, lang in zip(cells, LANGUAGES, strict=True):
        fill(
            cell,
            [
                f"{{{{ c.heading_{lang} }}}}",
                f"{{%p for t in c.{lang} %}}",
                "{{ t }}",
                "{%p endfor %}",
            ],
        )
    loop_row(clauses, "{%tr endfor %}")
    for p in (
        "{%p for t in closing %}",
        "{{ t }}",
        "{%p endfor %}",
        "Подписи сторон / Тараптардың қолдары",
        "{%p for s in signatories %}",
        "{{ s.ru }}",
        "{{ s.kk }}",
        "ФИО / Аты-жөні: {{ s.name }}",
        "Должность / Лауазымы: {{ s.title }}",
        "Подпись / Қолы: ______",
        "Дата / Күні: ______",
        "М.П. / М.О.",
        "{%p endfor %}",
    ):
        doc.add_paragraph(p)
    _commitments_template(doc)
    footer = doc.sections[0].footer.paragraphs[0]
    footer.add_run("Страница ")
    add_field(footer, "PAGE")
    footer.add_run(" из ")
    add_field(footer, "NUMPAGES")
    footer.add_run(" / ")
    add_field(footer, "NUMPAGES")
    footer.add_run(" беттің ")
    add_field(footer, "PAGE")
    footer.add_run("-беті\t{{ stamp }}")
    props = doc.core_properties
    props.title, props.keywords = "{{ title_ru }}", "{{ agreement_id }}"
    props.comments = "{{ sha }}"
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _commitments_template(doc: Any) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    doc.add_paragraph("{{ annex_ru }}")
    doc.add_paragraph("{{ annex_kk }}")
    doc.add_paragraph("План мероприятий / Іс-шаралар жоспары")
    table = doc.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, key in zip(table.rows[0].cells, COLUMNS, strict=True):
        fill(cell, [labels_for("ru")[key], labels_for("kk")[key]])
    header_row(table.rows[0])
    loop_row(table, "{%tr for g in groups %}")
    fill(table.add_row().cells[0], ["{{ g.ru }}", "{{ g.kk }}"])
    row = table.rows[-1]
    row.cells[0].merge(row.cells[-1])
    loop_row(table, "{%tr for r in g.rows %}")
    cells = table.add_row().cells
    for cell, key in zip(
        cells,
        ("number", "activity", "responsible", "partners", "due", "indicator", "budget"),
        strict=True,
    ):
        fill(cell, [f"{{%p for t in r.{key} %}}", "{{ t }}", "{%p endfor %}"])
    table.rows[-1]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    loop_row(table, "{%tr endfor %}")
    loop_row(table, "{%tr endfor %}")


def docxtpl_context(content: VersionContent) -> dict[str, Any]:
    """The same content, flattened the way a docxtpl template wants it."""
    agreement, orgs = content.agreement, content.organizations
    ru, kk = labels_for("ru"), labels_for("kk")
    name = {k: (o.name["ru"], o.name["kk"]) for k, o in orgs.items()}
    clauses = [
        {
            "heading_ru": f"{n.number}. {pick(n.clause.title, 'ru')}",
            "heading_kk": f"{n.number}. {pick(n.clause.title, 'kk')}",
            **{
                lang: [
                    f"{number}. {text}"
                    for number, text in zip(paragraph_numbers(n, len(texts)), texts, strict=True)
                ]
                for lang in LANGUAGES
                for texts in [n.clause.text[lang].split("\n")]
            },
        }
        for n in numbered(agreement.clauses)
    ]
    titles = {o.id: (o.title["ru"], o.title["kk"]) for o in agreement.objectives}
    other = (ru["other_activities"], kk["other_activities"])
    grouped: dict[str, list[CommitmentSpec]] = {o.id: [] for o in agreement.objectives}
    for c in agreement.commitments:
        grouped.setdefault(c.objective if c.objective in titles else "", []).append(c)
    groups = [
        {
            "ru": f"{i}. {titles.get(key, other)[0]}",
            "kk": f"{i}. {titles.get(key, other)[1]}",
            "rows": [commitment_row(f"{i}.{j}", c, content) for j, c in enumerate(items, 1)],
        }
        for i, (key, items) in enumerate(grouped.items(), start=1)
    ]
    copies = agreement.original_copies()
    place = agreement.final.place if agreement.final and agreement.final.place else {}
    return {
        "draft": f"{ru['draft_mark']} / {kk['draft_mark']}",
        "title_ru": agreement.title["ru"],
        "title_kk": agreement.title["kk"],
        "place_ru": place.get("ru", ""),
        "place_kk": place.get("kk", ""),
        "date_ru": ru["date_blank"],
        "date_kk": kk["date_blank"],
        "closing": [
            ru["done_at"].format(
                place=place.get("ru"), date=ru["date_blank"], copies=copies_phrase(copies, ru)
            ),
            ru["authentic_texts"].format(languages="русском и казахском"),
            kk["done_at"].format(
                place=place.get("kk"), date=kk["date_blank"], copies=copies_phrase(copies, kk)
            ),
            kk["authentic_texts"].format(languages="орыс және қазақ"),
        ],
        "annex_ru": ru["annex_joint_action_plan"].format(number=1),
        "annex_kk": kk["annex_joint_action_plan"].format(number=1),
        "agreement_id": agreement.id,
        "sha": content.sha256(),
        "stamp": "v3",
        "clauses": clauses,
        "groups": groups,
        "parties": [{"ru": name[p.org][0], "kk": name[p.org][1]} for p in agreement.parties],
        "signatories": [
            {
                "ru": name[o][0],
                "kk": name[o][1],
                "name": signer.name,
                "title": " / ".join(dict.fromkeys((signer.title or {}).values())),
            }
            for o in agreement.signatories()
            if (signer := orgs[o].signer) is not None
        ],
    }


def commitment_row(number: str, c: CommitmentSpec, content: VersionContent) -> dict[str, list[str]]:
    """Each cell as its paragraphs: primary language, then Kazakh."""
    ru, kk = labels_for("ru"), labels_for("kk")
    signs = set(content.agreement.signatories())

    def partners(lang: str, by_agreement: str) -> list[str]:
        names = [content.org(p).display_name(lang) for p in c.partners]
        return [
            n if p in signs else f"{n} ({by_agreement})"
            for n, p in zip(names, c.partners, strict=True)
        ]

    budget = [format_amount(c.budget.amount, c.budget.currency, ru)] if c.budget else []
    return {
        "number": [number],
        "activity": [c.activity["ru"], c.activity["kk"]],
        "responsible": [content.org(c.responsible).display_name(lang) for lang in LANGUAGES],
        "partners": partners("ru", ru["by_agreement"]) + partners("kk", kk["by_agreement"]),
        "due": [format_due(c.due_label, c.due, ru), format_due(c.due_label, c.due, kk)],
        "indicator": [
            pick(c.indicator, "ru"),
            pick(c.indicator, "kk"),
            f"{c.baseline} → {c.target}",
        ],
        "budget": [*budget, pick(c.funding, "ru"), pick(c.funding, "kk")],
    }


def render_docxtpl(content: VersionContent) -> Callable[[], bytes]:
    template = DocxTemplate(BytesIO(docxtpl_template()))
    context = docxtpl_context(content)

    def render() -> bytes:
        template.render(context, autoescape=True)
        buffer = BytesIO()
        template.save(buffer)
        return buffer.getvalue()

    return render


# --- timing -----------------------------------------------------------------------------


def median_ms(render: Callable[[], bytes], runs: int) -> float:
    render()  # warm-up: skeleton build, caches, imports
    samples = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        render()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    content = make_content(1)
    ours = median_ms(render_ours(content), RUNS)
    templated = median_ms(render_docxtpl(content), TEMPLATE_RUNS)
    tenfold = median_ms(render_ours(make_content(10)), GROWTH_RUNS)
    print(f"docx_render_median_ms: {ours:.2f} ms")
    print(f"docx_render_docxtpl_median_ms: {templated:.2f} ms")
    print(f"docx_render_vs_docxtpl: {templated / ours:.1f} x")
    print(f"docx_render_growth_10x: {tenfold / ours:.2f} x")


if __name__ == "__main__":
    main()
