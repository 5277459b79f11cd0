"""`accord portal`: serve the reviewer portal with uvicorn on the configured address."""

import errno
import socket

import uvicorn
from fastapi import FastAPI

from accord.errors import AccordError
from accord.portal.app import create_app
from accord.settings import Settings


def check_port_free(host: str, port: int) -> None:
    """Bind once and let go: a clear message now beats uvicorn's exit after startup."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise AccordError(f"port {port} on {host} is already in use") from error
            raise AccordError(f"cannot listen on {host}:{port}: {error.strerror}") from error


def serve(settings: Settings, app: FastAPI | None = None) -> None:
    """Run `app` (the portal alone by default) until interrupted; one process, as a laptop
    install needs."""
    host, port = settings.portal_host, settings.portal_port
    check_port_free(host, port)
    uvicorn.run(
        app or create_app(settings),
        host=host,
        port=port,
        proxy_headers=False,
        server_header=False,
        access_log=False,  # request lines carry reviewers' tokens: they stay out of logs
        log_level="info",
    )
