"""Drafting: sources → checked → planned → rendered in parallel → each agreement's version and
audit in a transaction of its own → documents. One agreement failing stops no other."""

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar, cast

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.utilities.annotations import quote
from sqlmodel import Session

from accord.adapters.events import announce
from accord.adapters.file_store import FileDocumentStore
from accord.adapters.parallel import Failed, each_apart
from accord.adapters.pdf_maker import pdf_maker
from accord.db import get_engine, transaction, upgrade_schema
from accord.services.drafting.drafting import DraftResult, plan_drafts, record_draft
from accord.services.drafting.organizations import sync_organizations
from accord.services.drafting.rendering import (
    RenderedDocument,
    document_name,
    needs_rendering,
    render_draft,
    store_document,
)
from accord.settings import get_settings
from accord.source.clause_library import ClauseLibrary
from accord.source.loader import load_sources
from accord.source.spec import LoadedSources

T = TypeVar("T")


@dataclass(frozen=True)
class Plans:
    org_ids: dict[str, int]
    drafts: list[DraftResult]


@dataclass(frozen=True)
class Drafted:
    drafts: list[DraftResult]
    documents: list[RenderedDocument | Failed]
    recorded: list[DraftResult | Failed]


def _store() -> FileDocumentStore:
    settings = get_settings()
    return FileDocumentStore(settings.output_dir, pdfs=pdf_maker(settings))


@task(name="check-sources", cache_policy=NO_CACHE)
def check_sources(paths: list[str]) -> LoadedSources:
    """Refuse the whole set if any file breaks the format."""
    library = ClauseLibrary.from_directory(get_settings().clauses_dir)
    return load_sources([Path(p) for p in paths], clause_library=library)


@task(name="record-versions", cache_policy=NO_CACHE)
def record_versions(
    sources: LoadedSources, actor: str, revoke_open_access: bool = False
) -> Drafted:
    """Planned, rendered in parallel, then each agreement's version committed on its own.

    One task, not three: each task run costs events the command waits for at its end.
    """
    plans = _plan(sources, actor, revoke_open_access)
    documents = _render(plans.drafts)
    return Drafted(plans.drafts, documents, _record(plans, documents, actor))


def _plan(sources: LoadedSources, actor: str, revoke_open_access: bool) -> Plans:
    """Organisations first (every agreement names them), then what each agreement becomes.

    Deactivating a contact who holds a link of an open round needs `revoke_open_access`."""
    url = get_settings().database_url
    upgrade_schema(url)
    with transaction(get_engine(url)) as session:
        org_ids = sync_organizations(
            sources.organizations.values(),
            session=session,
            actor=actor,
            revoke_open_access=revoke_open_access,
        )
    with Session(get_engine(url)) as session:
        drafts = plan_drafts(sources, session=session, now=datetime.now(UTC))
    return Plans(org_ids, drafts)


def _render(drafts: list[DraftResult]) -> list[RenderedDocument | Failed]:
    """Rendered in parallel before anything is committed; kept documents are not redone."""
    store = _store()
    todo = [i for i, draft in enumerate(drafts) if needs_rendering(draft, store=store)]
    rendered = dict(zip(todo, each_apart(render_draft, [drafts[i] for i in todo]), strict=True))
    documents: list[RenderedDocument | Failed] = []
    for i, draft in enumerate(drafts):
        data = rendered.get(i)
        if isinstance(data, Failed):
            documents.append(Failed(f"cannot be printed, so no version was made: {data.reason}"))
        else:
            documents.append(RenderedDocument(document_name(draft), data))
    return documents


def _record(
    plans: Plans, documents: list[RenderedDocument | Failed], actor: str
) -> list[DraftResult | Failed]:
    """Each agreement's organisation links, version and audit commit together, or not at all."""
    engine = get_engine(get_settings().database_url)
    recorded: list[DraftResult | Failed] = []
    for draft, document in zip(plans.drafts, documents, strict=True):
        if isinstance(document, Failed):
            recorded.append(document)
            continue
        try:
            with transaction(engine) as session:
                recorded.append(
                    record_draft(draft, org_ids=plans.org_ids, session=session, actor=actor)
                )
        except Exception as error:
            recorded.append(Failed(f"not recorded: {type(error).__name__}: {error}"))
    return recorded


@task(name="store-documents", cache_policy=NO_CACHE)
def write_documents(documents: list[RenderedDocument | Failed]) -> list[str | Failed]:
    """Written after the commit; re-running the flow writes any document still missing."""
    store = _store()
    return [doc if isinstance(doc, Failed) else _stored(doc, store) for doc in documents]


def _stored(document: RenderedDocument, store: FileDocumentStore) -> str | Failed:
    try:
        return store_document(document, store=store)
    except OSError as error:
        return Failed(str(error))


def _as_is(value: T) -> T:
    """Passed to a task without Prefect walking every value inside it for upstream results:
    a folder holds thousands of agreements, and that walk cost more than drafting them."""
    return cast(T, quote(value))


def _run_name() -> str:
    paths = flow_run.parameters.get("paths") or []
    return "draft-" + "-".join(Path(p).stem for p in paths)[:80]


@flow(name="draft-agreements", flow_run_name=_run_name)
def draft_agreements(
    paths: list[str], actor: str = "system", revoke_open_access: bool = False
) -> list[dict[str, Any]]:
    """Ingest agreement sources: a new version only where the content changed.

    The summary keeps the sources' order; an agreement that failed has an `error` instead.
    """
    logger = get_run_logger()
    sources = check_sources(paths)
    drafted = record_versions(_as_is(sources), actor, revoke_open_access)
    kept = [
        doc if isinstance(result, DraftResult) else result
        for doc, result in zip(drafted.documents, drafted.recorded, strict=True)
    ]
    locations = write_documents(_as_is(kept))
    summary = []
    for draft, result, location in zip(drafted.drafts, drafted.recorded, locations, strict=True):
        summary.append(_summary(draft, result, location))
        if isinstance(result, DraftResult) and result.created:
            announce(
                "agreement.drafted", result.agreement, version=result.number, sha256=result.sha256
            )
    for item in summary:
        if "error" in item:
            logger.error("%s: %s", item["agreement"], item["error"])
        else:
            state = "created" if item["created"] else "unchanged"
            logger.info(
                "%s: version %d %s (%s)",
                item["agreement"],
                item["version"],
                state,
                item["sha256"][:12],
            )
    return summary


def _summary(
    draft: DraftResult, result: DraftResult | Failed, location: str | Failed
) -> dict[str, Any]:
    if isinstance(result, Failed):
        return {"agreement": draft.agreement, "error": result.reason}
    item: dict[str, Any] = {
        "agreement": result.agreement,
        "version": result.number,
        "sha256": result.sha256,
        "created": result.created,
        "languages": list(result.content.agreement.languages),
        "document": location if isinstance(location, str) else None,
    }
    if isinstance(location, Failed):
        item["error"] = (
            f"version {result.number} recorded, but its document was not written "
            f"({location.reason}); draft again to write it"
        )
    return item
