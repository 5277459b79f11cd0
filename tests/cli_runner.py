"""Run the `accord` command in-process, as a user would type it, and capture what they see."""

import sys
from dataclasses import dataclass

import pytest

from accord import cli


@dataclass(frozen=True)
class CliResult:
    code: int
    out: str
    err: str


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> CliResult:
    capsys.readouterr()
    old_argv = sys.argv
    sys.argv = ["accord", *args]
    try:
        cli.main()
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    finally:
        sys.argv = old_argv
    captured = capsys.readouterr()
    return CliResult(code=code, out=captured.out, err=captured.err)
