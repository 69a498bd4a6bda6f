"""Replayed requests refused, a burst of requests written in one transaction: the same signature
twice is refused however close together the two arrive."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.slack.replays import Signatures
from bot.slack.store import first_signatures
from rituals.core.context import FixedClock
from storage.bounded import LIMIT
from storage.engine import make_engine
from tests.bot.slack.conftest import ANA, BEN, SlackClient


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(database_url)
    yield engine
    await engine.dispose()


def inserts_counted(engine: AsyncEngine) -> list[str]:
    """Every INSERT into the seen-requests table from now on."""
    seen: list[str] = []

    def count(*args: Any) -> None:
        statement = str(args[2])
        if statement.startswith("INSERT INTO slack_seen_request"):
            seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    return seen


async def test_a_burst_of_requests_is_written_in_one_statement_and_replays_are_refused(
    engine: AsyncEngine, clock: FixedClock
) -> None:
    signatures = Signatures(engine, clock)
    inserts = inserts_counted(engine)
    burst = [f"v0={uuid.uuid4().hex}" for _ in range(20)]
    twice = burst[0]
    firsts = await asyncio.gather(*(signatures.first(s) for s in [*burst, twice]))
    assert firsts == [True] * 20 + [False]  # the same signature in the same moment: refused
    assert len(inserts) == 1  # one transaction for the burst, not twenty
    assert await signatures.first(burst[5]) is False  # and later too
    assert await Signatures(engine, clock).first(burst[7]) is False  # on another replica too
    assert await signatures.first(f"v0={uuid.uuid4().hex}") is True


async def test_a_burst_over_one_statement_is_one_transaction_a_failure_undoes_it_all(
    engine: AsyncEngine, clock: FixedClock
) -> None:
    """Five hundred signatures a statement: a burst of more is still one transaction, so a
    later statement failing leaves none of the burst seen (each request was told it failed,
    and a retry of it must not then be refused as a replay)."""
    burst: list[str | None] = [f"v0={uuid.uuid4().hex}" for _ in range(LIMIT)]
    with pytest.raises(IntegrityError):  # the second statement's row has no signature
        await first_signatures(engine, [*burst, None], clock.now())  # type: ignore[list-item]
    assert await first_signatures(engine, burst[:2], clock.now()) == set(burst[:2])


async def test_a_request_and_its_replay_sent_together_run_once(slack: SlackClient) -> None:
    await slack.meet(ANA, BEN)
    stamp = int(time.time())
    body = slack.command_body("kpis")
    other = slack.command_body("kpis", BEN)
    sent = [(body, stamp), (body, stamp), (other, stamp)]
    responses = await asyncio.gather(
        *(slack.post(b, "application/x-www-form-urlencoded", timestamp=t) for b, t in sent)
    )
    assert sorted(r.status for r in responses) == [200, 200, 401]
    assert [r.status for r in responses][2] == 200
