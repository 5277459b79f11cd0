"""Drafting: sources → checked → versions and audit in one transaction → documents."""

from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from accord.adapters.events import announce
from accord.adapters.file_store import FileDocumentStore
from accord.adapters.pdf_maker import pdf_maker
from accord.db import get_engine, transaction, upgrade_schema
from accord.services.drafting.drafting import DraftResult, record_drafts
from accord.services.drafting.rendering import RenderedDocument, render_drafts, store_documents
from accord.settings import get_settings
from accord.source.clause_library import ClauseLibrary
from accord.source.loader import load_sources
from accord.source.spec import LoadedSources


@task(name="check-sources", cache_policy=NO_CACHE)
def check_sources(paths: list[str]) -> LoadedSources:
    """Refuse the whole set if any file breaks the format."""
    library = ClauseLibrary.from_directory(get_settings().clauses_dir)
    return load_sources([Path(p) for p in paths], clause_library=library)


@task(name="record-versions", cache_policy=NO_CACHE)
def record_versions(
    sources: LoadedSources, actor: str, revoke_open_access: bool = False
) -> tuple[list[DraftResult], list[RenderedDocument]]:
    """Organisations, versions, audit and rendering commit together or not at all."""
    url = get_settings().database_url
    upgrade_schema(url)
    with transaction(get_engine(url)) as session:
        results = record_drafts(
            sources, session=session, actor=actor, revoke_open_access=revoke_open_access
        )
        documents = render_drafts(results)
    return results, documents


@task(name="store-documents", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[1, 5])
def write_documents(documents: list[RenderedDocument]) -> list[str]:
    """Written after the commit; re-running the flow writes any document still missing."""
    settings = get_settings()
    store = FileDocumentStore(settings.output_dir, pdfs=pdf_maker(settings))
    return store_documents(documents, store=store)


def _run_name() -> str:
    paths = flow_run.parameters.get("paths") or []
    return "draft-" + "-".join(Path(p).stem for p in paths)[:80]


@flow(name="draft-agreements", flow_run_name=_run_name)
def draft_agreements(
    paths: list[str], actor: str = "system", revoke_open_access: bool = False
) -> list[dict[str, Any]]:
    """Ingest agreement sources: a new version only where the content changed."""
    logger = get_run_logger()
    sources = check_sources(paths)
    results, documents = record_versions(sources, actor, revoke_open_access)
    locations = write_documents(documents)
    summary = []
    for result in results:
        if result.created:
            announce(
                "agreement.drafted", result.agreement, version=result.number, sha256=result.sha256
            )
    for result, location in zip(results, locations, strict=True):
        state = "created" if result.created else "unchanged"
        logger.info(
            "%s: version %d %s (%s)", result.agreement, result.number, state, result.sha256[:12]
        )
        summary.append(
            {
                "agreement": result.agreement,
                "version": result.number,
                "sha256": result.sha256,
                "created": result.created,
                "languages": list(result.content.agreement.languages),
                "document": location,
            }
        )
    return summary
