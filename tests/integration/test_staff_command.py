"""`accord staff`: the first administrator from a terminal, with a one-time link."""

import re
from pathlib import Path

import pytest
from sqlmodel import Session, select

from accord.db import get_engine
from accord.settings import Settings
from models import StaffAccount, StaffRole
from tests.cli_runner import run_cli
from tests.review_world import make_world

LINK = re.compile(r"http://127\.0\.0\.1:8000/workspace/password/([A-Za-z0-9_-]{20,})")


def test_staff_add_prints_a_one_time_link_and_refuses_bad_input(
    settings_on: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_world(tmp_path, get_engine(settings_on.database_url))
    added = run_cli(
        capsys, "staff", "add", "Aigerim@Example.kz", "--secretariat", "kz-iac", "--role", "admin"
    )
    assert added.code == 0, added.err
    assert LINK.search(added.out), added.out
    with Session(get_engine(settings_on.database_url)) as session:
        account = session.exec(select(StaffAccount)).one()
    assert account.email == "aigerim@example.kz" and account.role is StaffRole.admin
    assert account.password_hash is None

    again = run_cli(capsys, "staff", "add", "aigerim@example.kz", "--secretariat", "kz-iac")
    assert again.code == 1 and "exists already" in again.err
    unknown = run_cli(capsys, "staff", "add", "x@example.kz", "--secretariat", "no-such-org")
    assert unknown.code == 1 and "There is no organisation no-such-org" in unknown.err
    bad = run_cli(capsys, "staff", "add", "not an address", "--secretariat", "kz-iac")
    assert bad.code == 1 and "is not an e-mail address" in bad.err

    listed = run_cli(capsys, "staff", "list")
    assert "aigerim@example.kz" in listed.out and "admin" in listed.out
    relinked = run_cli(capsys, "staff", "password-link", "aigerim@example.kz")
    assert relinked.code == 0 and LINK.search(relinked.out)
