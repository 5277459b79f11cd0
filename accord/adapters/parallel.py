"""Work spread over the machine's cores, each item's outcome kept apart.

Threads are the default because they measured best for what drafting spreads (rendering
DOCX: bench/bench_cli.py prints both). A document renders in milliseconds, much of it in
zlib and lxml, which let other threads run; worker processes spend more on start-up and on
pickling each agreement's content to them and its document back than they save on two
cores. Processes stay available for heavier pure work; their workers come from a fork
server that imports the work's module once.
"""

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal, TypeVar

from accord.errors import AccordError

PARALLEL_FROM = 8
"""Fewer items are done here and now: starting workers costs more than it saves."""

Kind = Literal["processes", "threads"]
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Failed:
    """Why one item's work failed; the others go on."""

    reason: str


def each_apart(
    work: Callable[[T], R],
    items: Sequence[T],
    *,
    kind: Kind = "threads",
    workers: int | None = None,
) -> list[R | Failed]:
    """`work` of every item, in the items' order; an exception becomes that item's `Failed`."""
    workers = workers or os.cpu_count() or 1
    if len(items) < PARALLEL_FROM or workers < 2:
        return [_one(work, item) for item in items]
    with _executor(kind, workers, work) as pool:
        futures = [pool.submit(work, item) for item in items]
        outcomes: list[R | Failed] = []
        for future in futures:
            error = future.exception()
            outcomes.append(Failed(_reason(error)) if error else future.result())
        return outcomes


def _one(work: Callable[[T], R], item: T) -> R | Failed:
    try:
        return work(item)
    except Exception as error:
        return Failed(_reason(error))


def _reason(error: BaseException) -> str:
    return str(error) if isinstance(error, AccordError) else f"{type(error).__name__}: {error}"


def _executor(kind: Kind, workers: int, work: Callable[..., object]) -> Executor:
    if kind == "threads":
        return ThreadPoolExecutor(max_workers=workers)
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([work.__module__])
    return ProcessPoolExecutor(max_workers=workers, mp_context=context)
