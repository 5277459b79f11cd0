"""The address a request came from, as kept in a signature's evidence."""

import ipaddress

from fastapi import Request

UNKNOWN = "unknown"


def client_ip(request: Request, *, trust_proxy_headers: bool) -> str:
    """The peer's address; behind a trusted proxy, the last X-Forwarded-For hop instead.

    The last hop is the address the proxy itself saw (it appends it); hops before it are
    whatever the client claimed and are never evidence. Without `trust_proxy_headers` the
    header is ignored, since anyone can send it.
    """
    if trust_proxy_headers:
        hops = [hop.strip() for hop in request.headers.get("x-forwarded-for", "").split(",")]
        if hops and _is_address(hops[-1]):
            return hops[-1]
    return request.client.host if request.client else UNKNOWN


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
