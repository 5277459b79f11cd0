"""What every Accord flow shares: a service environment in one transaction, and mail delivery."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from accord.adapters.delivery import DeliveryReport, deliver_as_configured
from accord.adapters.file_store import FileDocumentStore
from accord.adapters.pdf_maker import pdf_maker
from accord.db import get_engine, transaction, upgrade_schema
from accord.services.bootstrap import service_env as build_env
from accord.services.env import ServiceEnv
from accord.settings import get_settings


@contextmanager
def service_env(actor: str, now: datetime) -> Iterator[ServiceEnv]:
    """One transaction with the store and links the services need; schema brought up first."""
    settings = get_settings()
    upgrade_schema(settings.database_url)
    with transaction(get_engine(settings.database_url)) as session:
        yield build_env(
            session=session,
            store=FileDocumentStore(settings.output_dir, pdfs=pdf_maker(settings)),
            base_url=settings.public_base_url,
            actor=actor,
            now=now,
        )


@task(name="deliver-mail", cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[5, 30, 120])
def deliver_mail() -> DeliveryReport:
    """Send what the outbox holds; a re-run skips what was already accepted."""
    settings = get_settings()
    report = deliver_as_configured(settings, engine=get_engine(settings.database_url))
    for error in report.errors:
        get_run_logger().warning("not delivered: %s", error)
    return report
