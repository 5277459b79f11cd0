"""The plan as an `accord/v1` agreement source, keys in the order the format describes them."""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import yaml

from accord.i18n.catalogs import by_context
from accord.source.plan_import.headers import Sheet
from accord.source.plan_import.rows import Activity, Budget
from accord.source.spec import FORMAT, LangText


@dataclass(frozen=True)
class Source:
    """What the caller says about the agreement the sheet becomes."""

    agreement_id: str
    kind: str
    languages: tuple[str, ...]
    country: str
    secretariat: str
    title: dict[str, str]
    plan_end: date | None = None
    """Where recurring deadlines end: the plan's term."""


def source_text(
    source: Source, sheet_title: str, rows: list[Activity], table: Sheet, notes: tuple[str, ...]
) -> str:
    """The agreement in `accord/v1`, keys in the order the format describes them; the notes
    (columns left out) as comments above it."""
    objectives = _objective_ids(rows)
    document: dict[str, Any] = {
        "format": FORMAT,
        "id": source.agreement_id,
        "kind": source.kind,
        "languages": list(source.languages),
        "country": source.country,
        "secretariat": source.secretariat,
        "title": {lang: source.title[lang] for lang in source.languages},
        "parties": _parties(rows),
        "clauses": [_purpose(source, sheet_title)],
        "objectives": [{"id": oid, "title": title} for oid, title in objectives.values()],
        "commitments": [
            _commitment(n, row, objectives, len(rows)) for n, row in enumerate(rows, 1)
        ],
    }
    if not objectives:
        del document["objectives"]
    if source.plan_end and any(row.deadline.repeat or row.deadline.ongoing for row in rows):
        document["term"] = {"until": source.plan_end.isoformat()}
    note = f"# Imported from {table.file_name}, sheet '{table.sheet.title}'. Review before use.\n"
    note += "".join(f"# {line}\n" for line in notes)
    return note + yaml.dump(
        document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100
    )


def _parties(rows: list[Activity]) -> list[dict[str, str]]:
    """Every organisation named; those responsible for something sign, unless by agreement."""
    order: dict[str, None] = {}
    for row in rows:
        order.update(dict.fromkeys([row.responsible, *row.co_responsible, *row.partners]))
    responsible = {org for row in rows for org in (row.responsible, *row.co_responsible)}
    voluntary = {org for row in rows for org in row.voluntary}
    return [
        {"org": org, "role": "signatory" if org in responsible - voluntary else "reviewer"}
        for org in order
    ]


def _purpose(source: Source, sheet_title: str) -> dict[str, Any]:
    """The one clause a valid agreement needs: the sheet's title, else a standard line."""
    text: dict[str, str] = {}
    for position, language in enumerate(source.languages):
        words = by_context("documents", language)
        default = words["plan_purpose"].format(title=source.title[language])
        text[language] = _literal(sheet_title if sheet_title and position == 0 else default)
    title = {lang: by_context("documents", lang)["plan_purpose_title"] for lang in source.languages}
    return {"id": "purpose", "title": title, "text": text}


def _literal(text: str) -> str:
    """Clause texts are Jinja2 templates: braces from a spreadsheet must print as written."""
    return f"{{% raw %}}{text}{{% endraw %}}" if re.search(r"\{[{%#]", text) else text


def _objective_ids(rows: list[Activity]) -> dict[str, tuple[str, LangText]]:
    """Objectives by their text in the primary language, numbered in order of appearance."""
    found: dict[str, tuple[str, LangText]] = {}
    for row in rows:
        if row.objective is not None:
            key = next(iter(row.objective.values()))
            if key not in found:
                found[key] = (f"o-{len(found) + 1:02d}", row.objective)
    return found


def _commitment(
    number: int, row: Activity, objectives: dict[str, tuple[str, LangText]], count: int
) -> dict[str, Any]:
    width = max(2, len(str(count)))
    values: dict[str, Any] = {"id": f"c-{number:0{width}d}"}
    if row.objective is not None:
        values["objective"] = objectives[next(iter(row.objective.values()))][0]
    values |= {"activity": row.activity, "responsible": row.responsible}
    if row.partners:
        values["partners"] = list(row.partners)
    values["due"] = row.deadline.due
    optional = {
        "indicator": row.indicator,
        "baseline": row.baseline,
        "target": row.target,
        "budget": _budget(row.budget) if row.budget else None,
        "funding": row.funding,
        "co_responsible": list(row.co_responsible) or None,
        "completion": row.completion,
        "mechanism": row.mechanism,
        "repeat": row.deadline.repeat,
        "ongoing": True if row.deadline.ongoing else None,
    }
    return values | {key: value for key, value in optional.items() if value is not None}


def _budget(budget: Budget) -> dict[str, Any]:
    if not budget.years:
        return {"amount": budget.amount, "currency": budget.currency}
    values: dict[str, Any] = {"currency": budget.currency}
    if budget.scale:
        values["scale"] = budget.scale
    return values | {"years": {year: dict(sources) for year, sources in budget.years.items()}}


class _Dumper(yaml.SafeDumper):
    """Safe YAML, with amounts written exactly as numbers (never 1.5e6, never rounded)."""


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value, "f")
    tag = "tag:yaml.org,2002:int" if "." not in text else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _represent_decimal)
