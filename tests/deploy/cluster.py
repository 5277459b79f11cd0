"""Accord's several-machine topology on one machine, for tests: Prefect's database on
PostgreSQL, a Redis of its own (messaging, event ordering, leases, background-service queue),
two API processes without services behind nginx, the background services in their own process,
and several process workers on the pool `accord`. Every process is started here and stopped
here, also when a test fails.

    with prefect_cluster(tmp_path, accord_env, postgres_url=url) as cluster:
        cluster.run("deployment", "run", "send-reminders/daily")   # through nginx
        cluster.kill_tree("worker-1")                              # kill -9, children too
"""

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy.engine import make_url

from accord.settings import PROJECT_ROOT
from tests.deploy.live_prefect import BIN, _create_database, _drop_database, free_port

API_PROCESSES = 2
WORKERS = 3
REDIS_MODULES = {
    "PREFECT_MESSAGING_BROKER": "prefect_redis.messaging",
    "PREFECT_MESSAGING_CACHE": "prefect_redis.messaging",
    "PREFECT_SERVER_EVENTS_CAUSAL_ORDERING": "prefect_redis.ordering",
    "PREFECT_SERVER_CONCURRENCY_LEASE_STORAGE": "prefect_redis.lease_storage",
    "PREFECT_SERVER_WORKER_CHANNEL_CLEANUP_QUEUE_STORAGE": "prefect_redis.cleanup_queue",
}
"""Every server-side store Prefect keeps in memory by default, moved to Redis."""


class ClusterUnavailable(Exception):
    """A part of the topology cannot run on this machine (the message says which and why)."""


def nginx_binary() -> str:
    """Debian's nginx; installed with apt when we are root, else ClusterUnavailable."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise ClusterUnavailable("nginx is not installed (apt-get install nginx-light, as root)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "nginx-light"],
    ):
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise ClusterUnavailable(f"could not install nginx: {done.stderr[-500:]}")
    return shutil.which("nginx") or "/usr/sbin/nginx"


def redis_binary() -> str:
    found = shutil.which("redis-server")
    if not found:
        raise ClusterUnavailable("redis-server is not installed (apt-get install redis-server)")
    return found


NGINX_CONF = """\
worker_processes 1;
pid {home}/nginx.pid;
error_log {home}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log {home}/nginx-access.log;
    client_body_temp_path {home}/nginx-body;
    proxy_temp_path {home}/nginx-proxy;
    fastcgi_temp_path {home}/nginx-fastcgi;
    uwsgi_temp_path {home}/nginx-uwsgi;
    scgi_temp_path {home}/nginx-scgi;
{site}}}
"""

SITE = """\
    # Prefect's API: two processes, the second takes over while the first is down.
    upstream prefect_api {{
{servers}
    }}
    map $http_upgrade $prefect_connection {{
        default upgrade;
        ""      close;
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 50m;
        location / {{
            proxy_pass http://prefect_api;
            proxy_http_version 1.1;
            # Events travel over WebSockets (/api/events/in, /api/events/out).
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $prefect_connection;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_read_timeout 3600s;
            proxy_next_upstream error timeout http_502 http_503;
            proxy_connect_timeout 2s;
        }}
    }}
"""


def nginx_site(listen_port: int, api_ports: list[int]) -> str:
    """The `server` and `upstream` blocks docs/deploy.md shows, for the given ports."""
    servers = "\n".join(
        f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in api_ports
    )
    return SITE.format(servers=servers, port=listen_port)


@dataclass
class Cluster:
    home: Path
    client_env: dict[str, str]
    server_env: dict[str, str]
    api_url: str
    api_ports: list[int]
    redis_port: int
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    commands: dict[str, tuple[list[str], dict[str, str]]] = field(default_factory=dict)

    def run(self, *args: str, timeout: float = 180) -> str:
        """A `prefect` command as an operator runs it: through nginx; fails with its output."""
        done = subprocess.run(
            [str(BIN / "prefect"), *args],
            cwd=PROJECT_ROOT,
            env=self.client_env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise AssertionError(f"prefect {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        """Start (or start again) a named process; its output goes to <home>/<name>.log."""
        self.commands[name] = (argv, env)
        log = (self.home / f"{name}.log").open("ab")
        process = subprocess.Popen(
            argv,
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.processes[name] = process
        return process

    def restart(self, name: str) -> subprocess.Popen[bytes]:
        argv, env = self.commands[name]
        return self.start(name, argv, env)

    def kill_tree(self, name: str) -> list[int]:
        """kill -9 a process and every process below it (a lost machine); the pids killed."""
        process = self.processes[name]
        pids = [process.pid, *descendants(process.pid)]
        _kill(pids)
        process.wait(timeout=10)
        return pids

    def stop(self, name: str) -> None:
        _stop(self.processes[name])

    def log(self, name: str, tail: int = 4000) -> str:
        path = self.home / f"{name}.log"
        return path.read_text(errors="replace")[-tail:] if path.exists() else ""

    def logs(self) -> str:
        """The end of every process's log, for a failure message."""
        return "\n".join(f"--- {name}\n{self.log(name, 1500)}" for name in self.processes)


def _kill(pids: list[int]) -> None:
    for pid in pids:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def descendants(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found += [child, *descendants(child)]
    return found


def server_environment(
    base: dict[str, str], home: Path, database_url: str, redis_port: int, *, schedules: bool
) -> dict[str, str]:
    """What every Prefect server process (API or services) needs, and nothing of Accord's."""
    redis = f"redis://127.0.0.1:{redis_port}"
    return {
        **base,
        **REDIS_MODULES,
        "PREFECT_HOME": str(home / "prefect-home"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_API_DATABASE_CONNECTION_URL": database_url,
        "PREFECT_API_DATABASE_MIGRATE_ON_START": "false",
        "PREFECT_REDIS_MESSAGING_URL": f"{redis}/0",
        "PREFECT_REDIS_WORKER_CLEANUP_QUEUE_URL": f"{redis}/0",
        "PREFECT_SERVER_DOCKET_URL": f"{redis}/1",
        "PREFECT_SERVER_UI_ENABLED": "false",
        "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "5",
        "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED": str(schedules).lower(),
    }


@contextmanager
def prefect_cluster(
    home: Path,
    accord_env: dict[str, str],
    *,
    postgres_url: str,
    workers: int = WORKERS,
    schedules: bool = False,
) -> Iterator[Cluster]:
    """The whole topology, the pool `accord` and `prefect deploy --all` done through nginx.

    Cron schedules create no runs unless `schedules` is set, so a test sees only its own runs.
    """
    nginx = nginx_binary()
    redis_server = redis_binary()
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "ACCORD_"))}
    redis_port, proxy_port = free_port(), free_port()
    api_ports = [free_port() for _ in range(API_PROCESSES)]
    api_url = f"http://127.0.0.1:{proxy_port}/api"
    with ExitStack() as cleanup:
        database = _create_database(postgres_url, "prefect_cluster")
        cleanup.callback(_drop_database, postgres_url, database)
        url = make_url(postgres_url).set(drivername="postgresql+asyncpg", database=database)
        server_env = server_environment(
            base, home, url.render_as_string(hide_password=False), redis_port, schedules=schedules
        )
        client_env = {
            **base,
            **accord_env,
            "PREFECT_HOME": str(home / "prefect-home"),
            "PREFECT_API_URL": api_url,
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_WORKER_QUERY_SECONDS": "1",
            "PREFECT_WORKER_PREFETCH_SECONDS": "1",
            "ACCORD_HOME": str(PROJECT_ROOT),
        }
        cluster = Cluster(home, client_env, server_env, api_url, api_ports, redis_port)
        cleanup.callback(_stop_all, cluster)
        (home / "redis").mkdir()
        cluster.start(
            "redis",
            [
                redis_server,
                "--port", str(redis_port),
                "--bind", "127.0.0.1",
                "--dir", str(home / "redis"),
                "--appendonly", "yes",
                "--appendfsync", "everysec",
                "--save", "",
            ],
            base,
        )  # fmt: skip
        wait_redis(cluster)
        _prefect(server_env, "server", "database", "upgrade", "-y")
        for number, port in enumerate(api_ports, start=1):
            cluster.start(f"api-{number}", _api_command(port), server_env)
            if number == 1:
                # The first alone: API processes starting together race to register Prefect's
                # block types, and the loser exits (unique violation on block_type.slug).
                wait_healthy(cluster, f"http://127.0.0.1:{port}/api")
        cluster.start("services", [str(BIN / "prefect"), "server", "services", "start"], server_env)
        (home / "nginx.conf").write_text(
            NGINX_CONF.format(home=home, site=nginx_site(proxy_port, api_ports))
        )
        cluster.start(
            "nginx",
            [nginx, "-e", str(home / "nginx-error.log"), "-c", str(home / "nginx.conf"), "-g",
             "daemon off;"],
            base,
        )  # fmt: skip
        wait_healthy(cluster, api_url)
        cluster.run("work-pool", "create", "accord", "--type", "process")
        cluster.run("--no-prompt", "deploy", "--all")
        for number in range(1, workers + 1):
            worker = ["worker", "start", "--pool", "accord", "--name", f"worker-{number}"]
            cluster.start(f"worker-{number}", [str(BIN / "prefect"), *worker, "--limit", "2"],
                          client_env)  # fmt: skip
        for port in api_ports[1:]:
            wait_healthy(cluster, f"http://127.0.0.1:{port}/api")
        yield cluster


def _api_command(port: int) -> list[str]:
    """An API process without the background services (they run in their own process)."""
    return [
        str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port),
        "--no-services",
    ]  # fmt: skip


def _prefect(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [str(BIN / "prefect"), *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise AssertionError(f"prefect {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def wait_redis(cluster: Cluster, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", cluster.redis_port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"redis did not answer:\n{cluster.log('redis')}")


def wait_healthy(cluster: Cluster, api_url: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{api_url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"no healthy Prefect API at {api_url}:\n{cluster.logs()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGINT, then SIGKILL to the whole group: workers sometimes ignore the first."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=8)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass


def _stop_all(cluster: Cluster) -> None:
    """Workers first, then the servers, then what they use; every process, whatever failed."""
    order = sorted(
        cluster.processes, key=lambda n: (not n.startswith("worker"), n in {"redis", "nginx"})
    )
    for name in order:
        process = cluster.processes[name]
        left = descendants(process.pid) if process.poll() is None else []
        _stop(process)
        _kill(left)  # flow runs live in sessions of their own
