"""How long the dashboard takes to answer: a signed-in person's page, and one trend chart.

The page asks the dispatcher what the chat would say (home's waiting part, commitments, the
one-on-one script, the schedule, purpose, pulse, Fail of the Month) and loads the KPI cards,
shared team KPIs, kudos and reports in a few queries; a chart is `trend` drawn by matplotlib.
It migrates a fresh SQLite file, seeds the test workspaces (Ana with two KPIs, two values
each), signs Ana in through a link, and prints the median and p95 of --runs requests of each,
over real HTTP on loopback. It asserts nothing.

    PYTHONPATH=. .venv/bin/python bench/dashboard.py [--runs 20]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from aiohttp import ClientSession, CookieJar

from bot.migrate import upgrade
from tests.support import add_kpi, member
from tests.web.support import Site, running_site


async def _timed(client: ClientSession, url: str, runs: int) -> list[float]:
    took = []
    for _ in range(runs):
        start = time.perf_counter()
        async with client.get(url) as response:
            await response.read()
            assert response.status == 200, response.status
        took.append((time.perf_counter() - start) * 1000)
    return took


def _line(name: str, took: list[float]) -> str:
    p95 = sorted(took)[max(0, round(len(took) * 0.95) - 1)]
    return f"{name}: median {statistics.median(took):.0f} ms, p95 {p95:.0f} ms ({len(took)} runs)"


async def _seed(site: Site) -> int:
    async with site.sessions() as session, session.begin():
        ana = await member(session, "ana")
        first = await add_kpi(session, ana, "Qualified leads", agreed_at=site.clock.now())
        second = await add_kpi(session, ana, "Demo calls", agreed_at=site.clock.now())
        ids = first.id, second.id
    for kpi in ids:
        await site.say("ana", f"log {kpi} 6 period last")
        await site.say("ana", f"log {kpi} 8")
    return ids[0]


async def measure(url: str, runs: int) -> None:
    async with running_site(url) as site:
        kpi = await _seed(site)
        link = await site.link("ana")
        async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as client:
            async with client.get(link) as page:
                token = (await page.text()).split('name="_csrf" value="', 1)[1].split('"')[0]
            data = {"link": link.rsplit("/", 1)[1], "_csrf": token}
            async with client.post(f"{site.url}/dashboard/sign-in", data=data):
                pass
            await _timed(client, f"{site.url}/dashboard/", 1)  # warm: fonts, caches
            print(_line("page", await _timed(client, f"{site.url}/dashboard/", runs)))
            chart = f"{site.url}/dashboard/charts/{kpi}.png"
            print(_line("chart", await _timed(client, chart, runs)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        upgrade(url)
        asyncio.run(measure(url, runs))


if __name__ == "__main__":
    main()
