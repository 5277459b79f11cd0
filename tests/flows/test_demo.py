"""The README's main job, `accord demo`, on SQLite and PostgreSQL."""

import re

import pytest

from accord.settings import Settings
from tests.cli_runner import run_cli

STATE_LANGUAGE_EXAMPLES = {
    "kz-referral-mou": "kk, ru",
    "kg-referral-mou": "ky, ru",
    "tj-nrm-action-plan": "tg, ru",
    "uz-referral-mou": "uz-Latn, ru",
    "tm-referral-mou": "tk, ru",
}
"""The examples in the five state languages, each first, then Russian."""
pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_harness")]


def test_demo_takes_the_mou_from_draft_to_a_progress_report(
    settings_on: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli(capsys, "demo")
    assert result.code == 0, result.err
    for line in (
        "round 1: closed, outcome changes_requested",
        "round 2: closed, outcome approved",
        "the MOU is in force",
        "progress updates reported by focal points",
        "progress report:",
    ):
        assert line in result.out
    steps = [line for line in result.out.splitlines() if line[:2] in {f"{n}." for n in range(6)}]
    times = re.findall(r"^   done in \d+\.\d s$", result.out, flags=re.MULTILINE)
    assert len(steps) == len(times) == 6  # a line per step, and its time
    assert re.search(r"^The demo took \d+\.\d s\.$", result.out, flags=re.MULTILINE)
    mou = settings_on.output_dir / "kz-referral-mou"
    assert {p.name for p in mou.glob("*.docx")} >= {
        "kz-referral-mou-v1.docx",
        "kz-referral-mou-v2.docx",
        "kz-referral-mou-round-1-comments.docx",
        "kz-referral-mou-v2-signed.docx",
    }
    assert len(list(settings_on.outbox_dir.glob("*.eml"))) > 20
    for example, languages in STATE_LANGUAGE_EXAMPLES.items():  # with where each document is
        line = next(x for x in result.out.splitlines() if f" {example} [{languages}]: " in x)
        assert "new version 1" in line, line
        document = settings_on.output_dir / example / f"{example}-v1.docx"
        assert document.is_file() and str(document.name) in line
    again = run_cli(capsys, "demo")
    assert again.code == 0 and "already ran" in again.out
    assert run_cli(capsys, "audit").code == 0
