"""How fast an agreement's DOCX becomes PDF/A through the long-lived converter, against a
fresh `soffice --convert-to pdf` process per document.

Run: python bench/bench_pdf.py. The document is bench_docx.py's (60 clauses, 200 commitment
rows, ru/kk). The benchmark starts a converter of its own on free ports and stops it at the
end. Prints `name: value unit` lines:
pdf_converter_start_ms (a cold start, paid once), pdf_render_median_ms,
pdf_render_fresh_soffice_median_ms, pdf_render_vs_fresh_soffice (goal: at least 3 x), and
the same ratio for a short document (5 clauses, 10 rows), where starting LibreOffice is most
of the work: pdf_render_short_vs_fresh_soffice. The `_cpu_` figures count the CPU time of
every process involved, which other work on a busy machine does not inflate.
Without LibreOffice it says why on stderr and prints no figures.
"""

import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench_docx import make_content, render_ours

from accord.adapters import pdf_converter
from accord.settings import Settings
from accord.source.spec import VersionContent

RUNS, FRESH_RUNS = 7, 5
# The same PDF/A-2b export the converter asks for, in soffice's command-line syntax.
FRESH_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def median_ms(
    convert: Callable[[], bytes], cpu_seconds: Callable[[], float], runs: int
) -> tuple[float, float]:
    """Median wall and CPU milliseconds per document (CPU: what a busy machine cannot skew)."""
    convert()  # warm-up: the converter's first document, soffice's profile
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), cpu_seconds() + time.process_time()
        pdf = convert()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((cpu_seconds() + time.process_time() - start_cpu) * 1000)
        assert pdf.startswith(b"%PDF-")
    return statistics.median(wall), statistics.median(cpu)


def converter_cpu(settings: Settings) -> Callable[[], float]:
    """CPU seconds of the converter's processes (its session: unoserver and LibreOffice)."""
    session = pdf_converter.running_pid(settings)
    tick = os.sysconf("SC_CLK_TCK")

    def seconds() -> float:
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == session:  # the session the converter began with setsid
                total += int(fields[11]) + int(fields[12])
        return total / tick

    return seconds


def children_cpu() -> float:
    """CPU seconds of finished child processes: every fresh soffice and what it started."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def fresh_soffice(program: str, docx: Path, workdir: Path) -> Callable[[], bytes]:
    """One process per document, as `soffice --convert-to` is used (its profile kept warm)."""
    profile = (workdir / "fresh-profile").as_uri()

    def convert() -> bytes:
        subprocess.run(
            [
                program,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                FRESH_FILTER,
                "--outdir",
                str(workdir),
                str(docx),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        return (workdir / f"{docx.stem}.pdf").read_bytes()

    return convert


def short(content: VersionContent) -> VersionContent:
    agreement = content.agreement.model_copy(
        update={
            "clauses": content.agreement.clauses[:5],
            "commitments": content.agreement.commitments[:10],
        }
    )
    return content.model_copy(update={"agreement": agreement})


def compare(
    settings: Settings, program: str, docx: bytes, workdir: Path
) -> tuple[tuple[float, float], tuple[float, float]]:
    """(wall, CPU) median milliseconds through the converter, then by a fresh process."""
    source = workdir / "document.docx"
    source.write_bytes(docx)
    warm = median_ms(lambda: pdf_converter.convert(settings, docx), converter_cpu(settings), RUNS)
    fresh = median_ms(fresh_soffice(program, source, workdir), children_cpu, FRESH_RUNS)
    return warm, fresh


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as folder:
        workdir = Path(folder)
        port, uno_port = free_ports(2)
        settings = Settings(
            data_dir=workdir / "data",
            pdf_documents=True,
            converter_port=port,
            converter_uno_port=uno_port,
        )
        try:
            office = pdf_converter.find_office(settings)
        except pdf_converter.ConverterUnavailable as why:
            print(f"bench_pdf: skipped: {why}", file=sys.stderr)
            return
        content = make_content(1)
        try:
            start = time.perf_counter()
            pdf_converter.ensure_running(settings)
            started_ms = (time.perf_counter() - start) * 1000
            warm, fresh = compare(settings, office.program, render_ours(content)(), workdir)
            short_warm, short_fresh = compare(
                settings, office.program, render_ours(short(content))(), workdir
            )
        finally:
            pdf_converter.stop(settings)
    print(f"pdf_converter_start_ms: {started_ms:.0f} ms")
    print(f"pdf_render_median_ms: {warm[0]:.0f} ms")
    print(f"pdf_render_fresh_soffice_median_ms: {fresh[0]:.0f} ms")
    print(f"pdf_render_vs_fresh_soffice: {fresh[0] / warm[0]:.1f} x")
    print(f"pdf_render_cpu_median_ms: {warm[1]:.0f} ms")
    print(f"pdf_render_fresh_soffice_cpu_median_ms: {fresh[1]:.0f} ms")
    print(f"pdf_render_cpu_vs_fresh_soffice: {fresh[1] / warm[1]:.1f} x")
    print(f"pdf_render_short_median_ms: {short_warm[0]:.0f} ms")
    print(f"pdf_render_short_vs_fresh_soffice: {short_fresh[0] / short_warm[0]:.1f} x")
    print(f"pdf_render_short_cpu_vs_fresh_soffice: {short_fresh[1] / short_warm[1]:.1f} x")


if __name__ == "__main__":
    main()
