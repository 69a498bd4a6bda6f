"""The dashboard on this machine, for the console: the same sub-application on 127.0.0.1."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from aiohttp import web

from web.app import PREFIX, Dashboard, dashboard_app


def local_socket(port: int) -> socket.socket:
    """A listening socket on loopback: `port` when it is free, else any free one."""
    for candidate in (port, 0):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.bind(("127.0.0.1", candidate))
        except OSError:
            sock.close()
            continue
        sock.listen(128)
        return sock
    raise OSError("no free port on 127.0.0.1 for the dashboard")


def address(sock: socket.socket) -> str:
    return f"http://127.0.0.1:{sock.getsockname()[1]}"


@asynccontextmanager
async def served(sock: socket.socket, make: Callable[[], Dashboard]) -> AsyncIterator[None]:
    """Serve the dashboard on `sock` while the block runs."""
    root = web.Application()
    root.add_subapp(PREFIX, dashboard_app(make))
    runner = web.AppRunner(root, access_log=None)
    await runner.setup()
    try:
        await web.SockSite(runner, sock).start()
        yield
    finally:
        await runner.cleanup()
