"""Whether a request, or an address a request names, is this machine's.

Teams without an app id (the Emulator, the Agents Playground) and /healthz's details are
served to this machine only. The rule lives here once, so both refuse the same things: a
request that passed a proxy (any header a proxy adds), and a reply address that two URL
parsers could read as different hosts.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from aiohttp import web
from yarl import URL

# Headers a proxy adds: a request carrying one came from elsewhere, whatever its address.
PROXY_HEADERS = (
    "Forwarded",
    "X-Forwarded-For",
    "X-Forwarded-Host",
    "X-Forwarded-Proto",
    "X-Real-IP",
    "True-Client-IP",
    "CF-Connecting-IP",
)


def loopback_host(host: str | None) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


def from_this_machine(request: web.Request) -> bool:
    """Sent from this machine, straight: no proxy stood between."""
    if any(header in request.headers for header in PROXY_HEADERS):
        return False
    return loopback_host(request.remote)


def local_service_url(url: str) -> bool:
    """An http(s) address on this machine that no parser can read as another host: no user
    part (`evil.example\\@127.0.0.1` is read as 127.0.0.1 by one parser and evil.example by
    another), no backslash, no space, and both parsers agree on a loopback host."""
    if any(c in url for c in "@\\") or any(c.isspace() or ord(c) < 32 for c in url):
        return False
    try:
        split, parsed = urlsplit(url), URL(url)
    except ValueError:
        return False
    if split.scheme not in ("http", "https") or parsed.scheme != split.scheme:
        return False
    return loopback_host(split.hostname) and split.hostname == parsed.host
