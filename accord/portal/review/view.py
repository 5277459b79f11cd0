"""What the reviewer page template is given: the service's page, put in the reader's words.

Versions never change, so what depends only on a version (its clause markup, the redline
between two versions) is built once per process and reused for every reader.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from markupsafe import Markup

from accord.documents.blocks import pick
from accord.documents.redline import diff_versions, render_redline_html
from accord.portal.frame import LanguageChoice, language_bar, org_name, page_query
from accord.portal.render_cache import RenderCache
from accord.services.review.page import ReviewerPage, Who
from accord.source.spec import NumberedClause, VersionContent


@dataclass(frozen=True)
class DecisionRow:
    at: datetime
    who: Who
    decision: str
    reason: str | None
    recorded_by: str | None


@dataclass(frozen=True)
class CommentRow:
    at: datetime
    who: Who
    clause: str | None
    """"3.1. Title" of the clause, or None for a general comment."""
    body: str


@dataclass(frozen=True)
class Redline:
    state: str
    """"first" (no earlier round for this party), "same" (no changes) or "changed"."""
    previous_number: int | None = None
    html: Markup = field(default_factory=Markup)


@dataclass
class ReviewView:
    token: str
    ui_lang: str
    ui_override: str | None
    doc_lang: str
    title: str
    round_number: int
    version_number: int
    short_hash: str
    deadline: date
    organization: str
    person: str
    doc_languages: list[LanguageChoice]
    ui_languages: list[LanguageChoice]
    clauses_html: Markup
    clause_options: list[tuple[str, str]]
    redline: Redline
    comments: list[CommentRow]
    decisions: list[DecisionRow]
    colleagues: list[tuple[str, str]]
    """(e-mail, name) of the reviewer's active colleagues at the same organisation."""
    keys: dict[str, str] = field(default_factory=dict)
    csrf_token: str = ""
    flash: str | None = None
    error: str | None = None
    late: str | None = None
    """Set once the deadline has passed: the page says so and offers no form."""
    form: Mapping[str, str] = field(default_factory=dict)

    @property
    def current(self) -> DecisionRow | None:
        return self.decisions[-1] if self.decisions else None

    def query(self, **extra: str) -> str:
        return page_query(self.doc_lang, self.ui_override, **extra)


def clause_label(item: NumberedClause, lang: str) -> str:
    title = pick(item.clause.title, lang)
    return f"{item.number}. {title}" if title else f"{item.number}."


def build_view(
    page: ReviewerPage,
    *,
    token: str,
    ui_lang: str,
    ui_override: str | None,
    doc_lang: str,
    cache: RenderCache,
    render_clauses: Callable[[], str],
) -> ReviewView:
    """Everything the template needs, already in the chosen languages."""
    scope, content = page.scope, page.content
    labels = {item.clause.id: clause_label(item, doc_lang) for item in page.clauses}
    view = ReviewView(
        token=token,
        ui_lang=ui_lang,
        ui_override=ui_override,
        doc_lang=doc_lang,
        title=pick(content.agreement.title, doc_lang),
        round_number=scope.round.number,
        version_number=page.version_number,
        short_hash=page.sha256[:12],
        deadline=scope.stage.deadline,
        organization=org_name(scope.organization.name, ui_lang),
        person=scope.contact.name,
        doc_languages=[],
        ui_languages=[],
        clauses_html=Markup(
            cache.get(("clauses", page.sha256, doc_lang, ui_lang, ui_override), render_clauses)
        ),
        clause_options=list(labels.items()),
        redline=redline(page, lang=doc_lang, cache=cache),
        comments=[
            CommentRow(
                c.at,
                c.who,
                labels.get(c.clause_id, c.clause_id) if c.clause_id else None,
                c.body,
            )
            for c in page.comments
        ],
        decisions=[
            DecisionRow(d.at, d.who, d.decision, d.reason, d.recorded_by) for d in page.decisions
        ],
        colleagues=[(c.email, c.name) for c in page.colleagues],
    )
    view.doc_languages = language_bar(
        doc_lang, lambda code: view.query(lang=code), content.agreement.languages
    )
    view.ui_languages = language_bar(ui_lang, lambda code: view.query(ui=code))
    return view


def redline(page: ReviewerPage, *, lang: str, cache: RenderCache) -> Redline:
    """Only the clauses that changed since the version this party last reviewed."""
    old, new = page.previous, page.content
    if old is None:
        return Redline(state="first")
    html = cache.get(
        ("redline", page.sha256, page.previous_number, lang), lambda: _redline(old, new, lang)
    )
    if not html:
        return Redline(state="same", previous_number=page.previous_number)
    return Redline(state="changed", previous_number=page.previous_number, html=Markup(html))


def _redline(old: VersionContent, new: VersionContent, lang: str) -> str:
    diffs = [d for d in diff_versions(old, new, lang) if d.changed]
    return render_redline_html(diffs) if diffs else ""
