"""Small, valid `accord/v1` sources and helpers to write them, shared by the source loader tests."""

from collections.abc import Mapping
from pathlib import Path

from accord.source.clause_library import ClauseLibrary
from accord.source.loader import load_sources
from accord.source.problems import SourceInvalid
from accord.source.spec import LoadedSources

ORGANIZATIONS = """\
format: accord/v1
organizations:
  - id: kz-iac
    kind: commission
    country: KZ
    name:
      ru: Межведомственная комиссия
      en: Interagency Commission
    contacts:
      - name: Aigerim Example
        email: secretariat@example.kz
        language: ru
        roles: [secretariat, reviewer]
  - id: kz-mia
    kind: ministry
    country: KZ
    name: {ru: МВД}
  - id: ngo-safe-home
    kind: ngo
    country: KZ
    name: {ru: Безопасный дом}
  - id: iom-kz
    kind: international
    country: NO
    name: {en: IOM}
"""

AGREEMENT = """\
format: accord/v1
id: kz-referral-mou
kind: mou
languages: [ru, kk]
country: KZ
secretariat: kz-iac
title:
  ru: Меморандум
  kk: Меморандумы
parties:
  - org: kz-mia
    role: signatory
  - org: ngo-safe-home
    role: signatory
  - org: iom-kz
    role: observer
variables:
  city: Astana
clauses:
  - id: purpose
    title: {ru: Цель, kk: Мақсаты}
    text:
      ru: |
        Стороны сотрудничают в городе {{ city }}.


        Второй абзац.
      kk: >
        Тараптар
        ынтымақтасады.
    clauses:
      - id: purpose-scope
        text: {ru: Охват, kk: Қамту}
  - id: conf
    use: confidentiality
    with: {retention_years: 7}
objectives:
  - id: o-identification
    title: {ru: Выявление, kk: Анықтау}
commitments:
  - id: c-01
    objective: o-identification
    activity: {ru: Обучение, kk: Оқыту}
    responsible: kz-mia
    partners: [ngo-safe-home, iom-kz]
    due: 2027-06-30
    indicator: {ru: Число, kk: Саны}
    baseline: 0
    target: "3"
    budget: {amount: 1500000.50, currency: KZT}
    funding: {ru: Бюджет, kk: Бюджет}
  - id: c-02
    activity: {ru: Отчёт, kk: Есеп}
    responsible: ngo-safe-home
    due: 2027-Q2
  - id: c-03
    activity: {ru: Обзор, kk: Шолу}
    responsible: kz-mia
    due: "2028-01-15"
term:
  years: 3
reporting:
  every_months: 6
  day: 20
review:
  working_days: 10
  remind_before: [1, 3]
"""

CONFIDENTIALITY = """\
format: accord/v1
clause: confidentiality
parameters:
  retention_years: {default: 5}
title: {ru: Конфиденциальность, en: Confidentiality, kk: Құпиялылық}
text:
  ru: Данные хранятся {{ retention_years }} лет.
  en: Data are kept for {{ retention_years }} years.
  kk: Деректер {{ retention_years }} жыл сақталады.
clauses:
  - id: lawful-basis
    text:
      ru: Законно в городе {{ city }}.
      en: Lawful.
      kk: Заңды.
"""


def write(root: Path, files: Mapping[str, str | bytes]) -> None:
    """Write `files` (relative path → content) below `root`."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def library(root: Path, clauses: dict[str, str] | None = None) -> ClauseLibrary:
    """A clause library in `root/clauses` (by default just `confidentiality`)."""
    clauses = {"confidentiality": CONFIDENTIALITY} if clauses is None else clauses
    write(root, {f"clauses/{name}.yaml": text for name, text in clauses.items()})
    (root / "clauses").mkdir(exist_ok=True)
    return ClauseLibrary.from_directory(root / "clauses")


def load(root: Path, *paths: str, clauses: dict[str, str] | None = None) -> LoadedSources:
    """Load `paths` (relative to `root`, the working directory in these tests)."""
    return load_sources([root / p for p in paths], clause_library=library(root, clauses))


def problems(root: Path, *paths: str, clauses: dict[str, str] | None = None) -> list[str]:
    """Every problem as `path:line:column: message`; fails the test if the sources load."""
    try:
        load(root, *paths, clauses=clauses)
    except SourceInvalid as error:
        return [str(problem) for problem in error.problems]
    raise AssertionError("the sources loaded, but problems were expected")


def at(text: str, needle: str, offset: int = 0) -> str:
    """`line:column` (1-based) of the single occurrence of `needle` in `text`, plus `offset`."""
    assert text.count(needle) == 1, f"{needle!r} occurs {text.count(needle)} times"
    index = text.index(needle) + offset
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"{line}:{column}"


def changed(text: str, old: str, new: str) -> str:
    """`text` with its single `old` replaced by `new` (so a test's edit cannot miss)."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)
