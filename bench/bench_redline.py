"""The redline's clause-by-clause diff of a 60-clause bilingual agreement.

The portal shows this diff to a reviewer who reads a new version, so its cost is part of a
page; a third of the clauses changed and the order reversed is the heavy case (every clause
moved, many edited).
"""

import gc
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from accord.documents.redline import diff_versions
from tests.factories import make_content, make_plan

RUNS = 31


def main() -> None:
    old = make_plan(clauses=60)
    clauses = [
        c.model_copy(update={"text": {"ru": c.text["ru"] + " Дополнительные слова.", "kk": "k"}})
        if n % 3 == 0
        else c
        for n, c in enumerate(old.agreement.clauses)
    ]
    new = make_content(old.agreement.model_copy(update={"clauses": tuple(reversed(clauses))}))
    assert len(diff_versions(old, new, "ru")) == 60  # warm-up, and the work is the whole text
    samples = []
    for _ in range(RUNS):
        gc.collect()
        started = time.perf_counter()
        diff_versions(old, new, "ru")
        samples.append((time.perf_counter() - started) * 1000)
    print(f"redline_diff_60_clauses_median_ms: {statistics.median(samples):.2f} ms")


if __name__ == "__main__":
    main()
