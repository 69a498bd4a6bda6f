"""One database, one served dashboard and (for the browser tests) one chromium per module."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio

from bot.migrate import upgrade
from tests.databases import scratch_database
from tests.web.support import CHROMIUM_ARGS, Site, chromium_or_skip, running_site


@pytest.fixture(scope="module")
def web_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with scratch_database(tmp_path_factory.mktemp("web"), "web") as url:
        upgrade(url)
        yield url


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def site(web_database: str) -> AsyncIterator[Site]:
    async with running_site(web_database) as running:
        yield running


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser() -> AsyncIterator[object]:
    path = chromium_or_skip()
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            await launched.close()
