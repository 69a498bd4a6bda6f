"""What the README promises: in the console, `dashboard` prints a link that opens the page,
served by the console itself on this machine."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import sys
from pathlib import Path

from aiohttp import ClientSession, CookieJar

from tests.support import ROOT


async def _line_matching(stream: asyncio.StreamReader, pattern: str) -> re.Match[str]:
    seen = []
    while True:
        line = (await stream.readline()).decode()
        if not line:
            raise AssertionError("the console ended without a link:\n" + "".join(seen))
        seen.append(line)
        found = re.search(pattern, line)
        if found:
            return found


async def test_dashboard_in_the_console_prints_a_link_that_opens_the_page(tmp_path: Path) -> None:
    shutil.copy(ROOT / "app.yaml", tmp_path / "app.yaml")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "Microsoft"))}
    env.update(
        PYTHONPATH=str(ROOT),
        DATABASE_URL=f"sqlite:///{tmp_path / 'kpicoach.db'}",
        WEB_SECRET_FILE=str(tmp_path / "web-secret"),
        PORT="3000",  # taken or not, the console finds a free port and says which
    )
    env.pop("WEB_SECRET", None)
    migrate = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "migrate", cwd=tmp_path, env=env
    )
    assert await asyncio.wait_for(migrate.wait(), 60) == 0
    console = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "console",
        cwd=tmp_path,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    assert console.stdin is not None
    assert console.stdout is not None
    try:
        console.stdin.write(b"dashboard\n")
        await console.stdin.drain()
        found = await asyncio.wait_for(
            _line_matching(console.stdout, r"(http://127\.0\.0\.1:\d+)/dashboard/sign-in/(\S+)"),
            60,
        )
        base, link = found.group(1), found.group(2)
        async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as browser:
            async with browser.get(found.group(0)) as page:
                signing_in = await page.text()
            token = signing_in.split('name="_csrf" value="', 1)[1].split('"', 1)[0]
            data = {"link": link, "_csrf": token}
            async with browser.post(f"{base}/dashboard/sign-in", data=data) as page:
                assert page.status == 200
                assert "<h1>Ana's dashboard</h1>" in await page.text()
        assert (tmp_path / "web-secret").stat().st_mode & 0o077 == 0
    finally:
        console.stdin.close()
        await asyncio.wait_for(console.wait(), 60)
