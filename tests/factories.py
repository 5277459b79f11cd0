"""Plain factory functions for source values: sensible defaults, override what a test is about."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from accord.documents.progress_types import TrackedItem
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

ORG_NAMES: dict[str, tuple[OrgKind, LangText]] = {
    "kz-iac": (
        OrgKind.commission,
        {
            "ru": "Межведомственная комиссия по вопросам борьбы с торговлей людьми",
            "kk": "Адам саудасына қарсы күрес жөніндегі ведомствоаралық комиссия",
            "en": "Interagency Commission on Combating Trafficking in Persons",
        },
    ),
    "kz-mia": (
        OrgKind.ministry,
        {
            "ru": "Министерство внутренних дел Республики Казахстан",
            "kk": "Қазақстан Республикасы Ішкі істер министрлігі",
            "en": "Ministry of Internal Affairs of the Republic of Kazakhstan",
        },
    ),
    "kz-mlsp": (
        OrgKind.ministry,
        {
            "ru": "Министерство труда и социальной защиты населения",
            "kk": "Еңбек және халықты әлеуметтік қорғау министрлігі",
            "en": "Ministry of Labour and Social Protection of the Population",
        },
    ),
    "ngo-safe-home": (
        OrgKind.ngo,
        {
            "ru": "ОО «Безопасный дом»",
            "kk": "«Қауіпсіз үй» ҚБ",
            "en": "NGO Safe Home",
        },
    ),
    "iom-kz": (
        OrgKind.international,
        {
            "ru": "Представительство МОМ в Казахстане",
            "kk": "ХКҰ-ның Қазақстандағы өкілдігі",
            "en": "IOM Kazakhstan",
        },
    ),
}
DEFAULT_PARTIES = (
    ("kz-mia", PartyRole.signatory),
    ("ngo-safe-home", PartyRole.signatory),
    ("iom-kz", PartyRole.observer),
)


def make_org(
    org_id: str, *, name: LangText | None = None, kind: OrgKind | None = None, country: str = "KZ"
) -> OrgSnapshot:
    """A snapshot of one of the known organisations, or a new one named after its id."""
    known_kind, known_name = ORG_NAMES.get(org_id, (OrgKind.agency, {"ru": org_id}))
    return OrgSnapshot(id=org_id, kind=kind or known_kind, country=country, name=name or known_name)


def lang_text(languages: tuple[str, ...], text: str) -> LangText:
    """The same text tagged per language ("[kk] …"), so tests can tell columns apart."""
    return {lang: f"[{lang}] {text}" for lang in languages}


def make_clause(
    clause_id: str,
    *,
    languages: tuple[str, ...] = ("ru", "kk"),
    title: LangText | None = None,
    text: LangText | None = None,
    clauses: tuple[ClauseSpec, ...] = (),
) -> ClauseSpec:
    return ClauseSpec(
        id=clause_id,
        title=title,
        text=text or lang_text(languages, f"Text of clause {clause_id}."),
        clauses=clauses,
    )


def make_commitment(
    commitment_id: str, *, languages: tuple[str, ...] = ("ru", "kk"), **overrides: Any
) -> CommitmentSpec:
    values: dict[str, Any] = {
        "id": commitment_id,
        "activity": lang_text(languages, f"Activity {commitment_id}"),
        "responsible": "kz-mia",
        "partners": ("ngo-safe-home", "iom-kz"),
        "due": date(2027, 6, 30),
        "due_label": "2027-06-30",
        "indicator": lang_text(languages, f"Indicator {commitment_id}"),
        "baseline": "0",
        "target": "3",
        "budget": BudgetSpec(amount=Decimal("1500000"), currency="KZT"),
        "funding": lang_text(languages, "Republican budget"),
    }
    return CommitmentSpec(**(values | overrides))


def make_agreement(
    *,
    languages: tuple[str, ...] = ("ru", "kk"),
    kind: AgreementKind = AgreementKind.mou,
    **overrides: Any,
) -> AgreementSpec:
    values: dict[str, Any] = {
        "id": "kz-referral-mou",
        "kind": kind,
        "languages": languages,
        "country": "KZ",
        "secretariat": "kz-iac",
        "title": lang_text(languages, "Referral of victims of trafficking"),
        "parties": tuple(PartySpec(org=org, role=role) for org, role in DEFAULT_PARTIES),
        "clauses": (
            make_clause(
                "purpose",
                languages=languages,
                title=lang_text(languages, "Purpose"),
                clauses=(make_clause("purpose-scope", languages=languages),),
            ),
            make_clause("confidentiality", languages=languages),
        ),
    }
    return AgreementSpec(**(values | overrides))


def make_content(
    agreement: AgreementSpec | None = None, organizations: dict[str, OrgSnapshot] | None = None
) -> VersionContent:
    """Version content with a snapshot of every organisation the agreement names."""
    agreement = agreement or make_agreement()
    if organizations is None:
        wanted = {agreement.secretariat, *(p.org for p in agreement.parties)}
        organizations = {org_id: make_org(org_id) for org_id in sorted(wanted)}
    return VersionContent(agreement=agreement, organizations=organizations)


def make_plan(
    *,
    languages: tuple[str, ...] = ("ru", "kk"),
    clauses: int = 6,
    commitments: int = 8,
    objectives: int = 2,
) -> VersionContent:
    """A joint action plan of the given size: titled clauses, objectives, commitments."""
    objective_specs = tuple(
        ObjectiveSpec(id=f"o-{n}", title=lang_text(languages, f"Objective {n}"))
        for n in range(1, objectives + 1)
    )
    commitment_specs = tuple(
        make_commitment(
            f"c-{n:03d}",
            languages=languages,
            objective=objective_specs[n % objectives].id if objectives else None,
        )
        for n in range(1, commitments + 1)
    )
    clause_specs = tuple(
        make_clause(f"clause-{n}", languages=languages, title=lang_text(languages, f"Clause {n}"))
        for n in range(1, clauses + 1)
    )
    agreement = make_agreement(
        languages=languages,
        kind=AgreementKind.joint_action_plan,
        id="kz-jap-2027",
        clauses=clause_specs,
        objectives=objective_specs,
        commitments=commitment_specs,
    )
    return make_content(agreement)


def plan_number(commitment_id: str) -> str:
    """The number a plan would print for an example key: "c-04" (or "c-04@2027-06-30") → "1.4"."""
    digits = commitment_id.partition("@")[0].rpartition("-")[2]
    return f"1.{int(digits)}" if digits.isdigit() else ""


def make_numbered_item(commitment_id: str = "c-01", **overrides: Any) -> TrackedItem:
    """`make_tracked_item` with the number its plan prints, as `tracked_items` gives it."""
    return make_tracked_item(commitment_id, **({"number": plan_number(commitment_id)} | overrides))


def make_tracked_item(commitment_id: str = "c-01", **overrides: Any) -> TrackedItem:
    """A tracked commitment of kz-mia with an indicator, a budget and one progress update."""
    values: dict[str, Any] = {
        "agreement_id": "kz-jap-2027",
        "commitment_id": commitment_id,
        "objective_id": "o-1",
        "objective_title": {"ru": "Выявление жертв", "en": "Identification of victims"},
        "activity": {"ru": f"Обучение полиции {commitment_id}", "en": f"Training {commitment_id}"},
        "responsible_org_id": "kz-mia",
        "responsible_name": ORG_NAMES["kz-mia"][1],
        "partners": (ORG_NAMES["ngo-safe-home"][1],),
        "due": date(2027, 6, 30),
        "status": "in_progress",
        "indicator": {"ru": "Число обученных сотрудников", "en": "Officers trained"},
        "baseline": "0",
        "target": "300",
        "latest_value": "120",
        "latest_percent": 40,
        "last_update_at": datetime(2027, 3, 1, 9, 30, tzinfo=UTC),
        "budget_amount": Decimal("1500000.50"),
        "budget_currency": "KZT",
        "funding": {"ru": "Республиканский бюджет", "en": "Republican budget"},
        "agreement_title": {"ru": "Совместный план 2027", "en": "Joint plan 2027"},
    }
    return TrackedItem(**(values | overrides))


def minimal_pdf() -> bytes:
    """A real one-page PDF (an empty A4 page), its cross-reference table computed."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def minimal_docx() -> bytes:
    """A real Word document with one paragraph, as python-docx writes it."""
    from io import BytesIO

    from docx import Document

    document = Document()
    document.add_paragraph("Протокол встречи")
    out = BytesIO()
    document.save(out)
    return out.getvalue()
