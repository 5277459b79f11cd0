"""What the reviewer page template is given: the service's page, put in the reader's words.

Versions never change, so what depends only on a version (its clause markup, the redline
between two versions) is built once per process and reused for every reader.
"""

import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from markupsafe import Markup, escape

from accord.documents.blocks import pick
from accord.documents.redline import diff_versions, render_redline_html
from accord.portal.document import plan_changes, render_plan_changes
from accord.portal.frame import LanguageChoice, language_bar, org_name, page_query
from accord.portal.render_cache import RenderCache
from accord.portal.review.forms import ACTIVITY
from accord.services.review.page import CommentEntry, ReviewerPage, Who
from accord.source.spec import NumberedActivity, NumberedClause, VersionContent, numbered_plan

OPENING = 90
"""Characters of an activity's text that name it in lists."""


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
    activity: str | None = None
    """"2.3. Activity …" of the plan's activity commented on."""
    proposed: str | None = None
    """The new wording proposed for it."""


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
    parallel: bool
    """The text in every document language side by side."""
    ui_languages: list[LanguageChoice]
    clauses_html: Markup
    clause_options: list[tuple[str, str]]
    activity_options: list[tuple[str, str]]
    """(`activity:<id>`, "2.3. Activity …") for the comment form's list."""
    redline: Redline
    comments: list[CommentRow]
    others: list[tuple[str, CommentRow]]
    """The other parties' comments (organisation, comment) when the agreement shares them."""
    decisions: list[DecisionRow]
    colleagues: list[tuple[str, str]]
    """(e-mail, name) of the reviewer's active colleagues at the same organisation."""
    keys: dict[str, str] = field(default_factory=dict)
    csrf_token: str = ""
    flash: str | None = None
    error: str | None = None
    error_field: str | None = None
    """The form field the refusal names: its message is shown beside it."""
    late: str | None = None
    """Set once the deadline has passed: the page says so and offers no form."""
    form: Mapping[str, str] = field(default_factory=dict)

    @property
    def current(self) -> DecisionRow | None:
        return self.decisions[-1] if self.decisions else None

    def query(self, **extra: str) -> str:
        return page_query(self.doc_lang, self.ui_override, **extra)


def clause_label(item: NumberedClause, lang: str) -> str:
    """ "3.1. Title"; an untitled clause by its opening words, so a list says which it is."""
    title = pick(item.clause.title, lang)
    return f"{item.number}. {title or _opening(pick(item.clause.text, lang))}".rstrip()


def _opening(text: str) -> str:
    words = " ".join(text.split())
    return words if len(words) <= OPENING else words[:OPENING].rsplit(" ", 1)[0] + " …"


def activity_label(item: NumberedActivity, lang: str) -> str:
    """ "2.3. " and the activity's opening words: enough to know which one is meant."""
    return f"{item.number}. {_opening(pick(item.commitment.activity, lang))}"


def build_view(
    page: ReviewerPage,
    *,
    token: str,
    ui_lang: str,
    ui_override: str | None,
    doc_lang: str,
    both: bool,
    cache: RenderCache,
    render_clauses: Callable[[], str],
    say_count: Callable[[int], str],
) -> ReviewView:
    """Everything the template needs, already in the chosen languages."""
    scope, content = page.scope, page.content
    labels = {item.clause.id: clause_label(item, doc_lang) for item in page.clauses}
    agreement = content.agreement
    activities = {
        item.commitment.id: activity_label(item, doc_lang)
        for group in numbered_plan(agreement.objectives, agreement.commitments)
        for item in group.activities
    }

    def row(c: CommentEntry) -> CommentRow:
        return CommentRow(
            c.at,
            c.who,
            labels.get(c.clause_id, c.clause_id) if c.clause_id else None,
            c.body,
            activities.get(c.activity_id, c.activity_id) if c.activity_id else None,
            c.proposed,
        )

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
        parallel=both,
        ui_languages=[],
        clauses_html=with_counts(
            cache.get(
                ("clauses", page.sha256, doc_lang, ui_lang, ui_override, both), render_clauses
            ),
            page.comments,
            say_count,
        ),
        clause_options=list(labels.items()),
        activity_options=[(f"{ACTIVITY}{key}", label) for key, label in activities.items()],
        redline=redline(page, lang=doc_lang, cache=cache),
        comments=[row(c) for c in page.comments],
        others=[(org_name(name, ui_lang), row(c)) for name, c in page.others],
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


COUNT_MARK = re.compile(r"<!--count:((?:clause|activity)-[^ >]+?)-->")
"""Where the clause markup (the same for every reader) takes a party's comment count."""


def anchor(form: str, target: str) -> str:
    """Where the reader returns after posting `form`: the clause or activity they commented
    on, the comments of the whole text, the decision or the delegation form."""
    if form == "comment":
        chosen = target.strip()
        if chosen.startswith(ACTIVITY):
            return f"activity-{chosen.removeprefix(ACTIVITY)}"
        return f"clause-{chosen}" if chosen else "comment"
    return {"decision": "decide", "delegate": "delegate"}.get(form, "text")


def with_counts(html: str, comments: list[CommentEntry], say: Callable[[int], str]) -> Markup:
    """The clause markup with, after each "Comment on …" link, how many comments that clause or
    activity has; the counting is per reader, the markup is shared."""
    counts = Counter(
        f"activity-{c.activity_id}" if c.activity_id else f"clause-{c.clause_id}"
        for c in comments
        if c.activity_id or c.clause_id
    )

    def fill(match: re.Match[str]) -> str:
        number = counts.get(match.group(1), 0)
        return f' <span class="count">{escape(say(number))}</span>' if number else ""

    return Markup(COUNT_MARK.sub(fill, html))


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
    """The changed clauses, then the plan's changed activities."""
    diffs = [d for d in diff_versions(old, new, lang) if d.changed]
    clauses = render_redline_html(diffs) if diffs else ""
    plan = plan_changes(old, new, lang)
    return clauses + (render_plan_changes(plan) if plan else "")
