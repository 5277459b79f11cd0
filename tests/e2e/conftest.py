"""The browser harness: Debian's Chromium, and the portal served by uvicorn on loopback."""

import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from accord.db import get_engine
from accord.portal.app import create_app
from accord.settings import PROJECT_ROOT, Settings, get_settings
from tests.deploy.live_prefect import free_port
from tests.portal.conftest import NOW
from tests.review_world import World, make_world

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require_browser() -> None:
    """Skip with the reason where Chromium is missing; fail instead where CI requires it."""
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing (apt-get install chromium)"
    if os.environ.get("ACCORD_REQUIRE_BROWSER") == "1":
        pytest.fail(f"a browser is required here (ACCORD_REQUIRE_BROWSER=1): {reason}")
    pytest.skip(reason)


@pytest.fixture
def live_portal(
    settings: Settings, sqlite_template: Path, tmp_path: Path
) -> Iterator[tuple[str, World]]:
    """(base URL, world) of a portal running in this process on a free port."""
    database = tmp_path / "e2e.db"
    shutil.copy(sqlite_template, database)
    base_url = f"http://127.0.0.1:{(port := free_port())}"
    configured = settings.model_copy(
        update={"database_url": f"sqlite:///{database}", "public_base_url": base_url}
    )
    world = make_world(tmp_path, get_engine(configured.database_url))
    with serving(create_app(configured, clock=lambda: NOW), port):
        yield base_url, world


@contextmanager
def serving(app: Any, port: int) -> Iterator[None]:
    """`app` served by uvicorn on loopback in a thread, until the block ends."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the web application did not start"
        time.sleep(0.05)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def live_workspace(
    settings: Settings,
    sqlite_template: Path,
    tmp_path: Path,
    prefect_harness: None,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[str, World]]:
    """(base URL, world) of the whole web application, workspace included, on a free port:
    the examples drafted from a private copy the workspace edits, staff of two secretariats,
    long work run as Prefect flow runs against the test harness's server."""
    from prefect.settings import PREFECT_API_URL

    from accord.workspace.app import create_app as create_web_app
    from accord.workspace.runs import Launcher
    from tests.workspace_world import staff_world

    database = tmp_path / "e2e.db"
    shutil.copy(sqlite_template, database)
    base_url = f"http://127.0.0.1:{(port := free_port())}"
    # The flows read the process's settings: the same database, links and sources.
    monkeypatch.setenv("ACCORD_DATABASE_URL", f"sqlite:///{database}")
    monkeypatch.setenv("ACCORD_PUBLIC_BASE_URL", base_url)
    monkeypatch.setenv("ACCORD_AGREEMENTS_DIR", str(tmp_path / "agreements"))
    get_settings.cache_clear()
    configured = get_settings()
    engine = get_engine(configured.database_url)
    world = make_world(tmp_path, engine)
    staff_world(world)
    api = str(PREFECT_API_URL.value())
    launcher = Launcher(engine, api_url=lambda: api)
    try:
        with serving(create_web_app(configured, launcher=launcher), port):
            yield base_url, world
    finally:
        launcher.join(timeout=60)
