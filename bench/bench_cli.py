"""How long the `accord` commands a secretariat types take, as a person at a terminal sees them.

Run: python bench/bench_cli.py (a few minutes on two cores). Prints `name: value unit` lines:
  cli_check_s            `accord check` of one agreement (median of 5)
  cli_draft_unchanged_s  `accord draft` of the same, unchanged agreement, with Accord's background
                         Prefect server and command server already running (median of 5;
                         target <= 1.5)
  cli_draft_vs_check     the two above, same run (target <= 2)
  render_100_processes_s / render_100_threads_s   100 agreement DOCX, 2 workers of each kind
  draft_100_s, draft_1000_s   `accord draft` of a folder of 60-clause bilingual MOUs, from scratch
  draft_growth_10x       draft_1000_s over draft_100_s (target <= 11)
  cli_agreements_10k_s   `accord agreements` with 10,000 agreements in the database (median of 3;
                         target <= 1)
  cli_show_10k_s         `accord show` of one of them (median of 3)
  cpu_cores              the machine's cores, as the figures depend on them
Everything runs in a temporary folder with its own database and background server, stopped
at the end.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from accord.adapters.parallel import each_apart
from accord.cli.prefect_server import stop_server
from accord.db import get_engine, transaction, upgrade_schema
from accord.services.drafting.drafting import DraftResult, record_drafts
from accord.services.drafting.rendering import render_draft
from accord.settings import PROJECT_ROOT, Settings
from accord.source.clause_library import ClauseLibrary
from accord.source.loader import load_sources
from accord.source.spec import version_content
from tests.many_agreements import insert_agreements

ACCORD = str(Path(sys.executable).with_name("accord"))
EXAMPLE = PROJECT_ROOT / "agreements" / "kz-referral-mou.yaml"
ORGANIZATIONS = PROJECT_ROOT / "agreements" / "organizations.yaml"


def environment(root: Path, name: str) -> dict[str, str]:
    """A command environment of its own: data, output, database, no configured Prefect server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "ACCORD_"))}
    env.update(
        {
            "ACCORD_DATA_DIR": str(root / name / "data"),
            "ACCORD_OUTPUT_DIR": str(root / name / "output"),
            "ACCORD_PDF_DOCUMENTS": "false",
            "ACCORD_PREFECT_PORT": str(_free_port()),
        }
    )
    return env


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def accord(env: dict[str, str], *args: str) -> float:
    """Seconds one `accord` command takes; it must succeed."""
    started = time.perf_counter()
    done = subprocess.run([ACCORD, *args], env=env, capture_output=True, text=True, check=False)
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"accord {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return took


def median(times: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(times))


def mou_source(n: int, clauses: int = 60) -> str:
    """The example MOU under its own id, with `clauses` bilingual clauses of its own."""
    data: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["id"] = f"bench-mou-{n:04d}"
    data["clauses"] = [
        {
            "id": f"clause-{c:02d}",
            "title": {"ru": f"Статья {c} меморандума {n}", "kk": f"Меморандумның {c}-бабы {n}"},
            "text": {
                "ru": f"Стороны в пределах своей компетенции выполняют положение {c} в городе "
                "{{ city }}: обмениваются информацией, проводят совместные совещания и "
                "ежеквартально представляют координирующему органу сведения о ходе работы.",
                "kk": f"Тараптар өз құзыреті шегінде {c}-ережені {{{{ city }}}} қаласында "
                "орындайды: ақпарат алмасады, бірлескен кеңестер өткізеді және жұмыс "
                "барысы туралы мәліметтерді үйлестіруші органға тоқсан сайын ұсынады.",
            },
        }
        for c in range(1, clauses + 1)
    ]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def write_folder(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True)
    (folder / "organizations.yaml").write_bytes(ORGANIZATIONS.read_bytes())
    for n in range(count):
        (folder / f"bench-mou-{n:04d}.yaml").write_text(mou_source(n), encoding="utf-8")
    return folder


def one_agreement(root: Path) -> None:
    env = environment(root, "one")
    try:
        accord(env, "server", "start")
        accord(env, "draft", str(EXAMPLE))  # version 1 and its document exist from here on
        check = median(5, lambda: accord(env, "check", str(EXAMPLE)))
        draft = median(5, lambda: accord(env, "draft", str(EXAMPLE)))
    finally:
        stop_server(Settings(data_dir=Path(env["ACCORD_DATA_DIR"])))
    print(f"cli_check_s: {check:.2f} s")
    print(f"cli_draft_unchanged_s: {draft:.2f} s")
    print(f"cli_draft_vs_check: {draft / check:.2f} x")


def rendering(root: Path) -> None:
    """Processes against threads for the work drafting spreads (2 workers each)."""
    folder = write_folder(root / "render", 100)
    library = ClauseLibrary.from_directory(PROJECT_ROOT / "templates" / "clauses")
    sources = load_sources([folder], clause_library=library)
    drafts = [
        DraftResult(
            spec.id, 1, "0" * 64, True, path, _now(), version_content(spec, sources.organizations)
        )
        for path, spec in sources.agreements
    ]
    for kind in ("processes", "threads"):
        started = time.perf_counter()
        each_apart(render_draft, drafts, kind=kind, workers=2)  # type: ignore[arg-type]
        print(f"render_100_{kind}_s: {time.perf_counter() - started:.2f} s")


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime(2026, 11, 26, tzinfo=UTC)


def many_agreements(root: Path) -> None:
    seconds = {}
    for count in (100, 1000):
        env = environment(root, f"draft-{count}")
        folder = write_folder(root / f"sources-{count}", count)
        try:
            accord(env, "server", "start")
            seconds[count] = accord(env, "draft", str(folder))
        finally:
            stop_server(Settings(data_dir=Path(env["ACCORD_DATA_DIR"])))
        print(f"draft_{count}_s: {seconds[count]:.1f} s")
    print(f"draft_growth_10x: {seconds[1000] / seconds[100]:.2f} x")


def register(root: Path) -> None:
    env = environment(root, "register")
    url = f"sqlite:///{root / 'register' / 'data' / 'accord.db'}"
    upgrade_schema(url)
    insert_agreements(get_engine(url), 10_000)
    library = ClauseLibrary.from_directory(PROJECT_ROOT / "templates" / "clauses")
    with transaction(get_engine(url)) as session:  # one real text among them, to show
        record_drafts(
            load_sources([EXAMPLE.parent], clause_library=library), session=session, actor="bench"
        )
    listing = median(3, lambda: accord(env, "agreements"))
    filtered = median(3, lambda: accord(env, "agreements", "--country", "KG", "--page", "20"))
    show = median(3, lambda: accord(env, "show", "kz-referral-mou"))
    print(f"cli_agreements_10k_s: {listing:.2f} s")
    print(f"cli_agreements_10k_filtered_s: {filtered:.2f} s")
    print(f"cli_show_10k_s: {show:.2f} s")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="accord-bench-cli-") as tmp:
        root = Path(tmp)
        print(f"cpu_cores: {os.cpu_count()} cores")
        one_agreement(root)
        register(root)
        rendering(root)
        many_agreements(root)


if __name__ == "__main__":
    main()
