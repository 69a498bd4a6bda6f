"""`kpicoach outbox` for operators: counts, and the rows waiting, failed and sent, with reasons."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import update

from bot.cli import main
from storage.engine import make_engine, make_sessionmaker
from storage.models import Outbox, OutboxStatus
from tests.conftest import NOW, ROOT
from tests.scheduling import queue


async def _seed(url: str) -> None:
    engine = make_engine(url)
    try:
        sessions = make_sessionmaker(engine)
        await queue(sessions, ["U1", "U2", "U3"])
        async with sessions() as session, session.begin():
            await session.execute(
                update(Outbox)
                .where(Outbox.target == "U2")
                .values(
                    status=OutboxStatus.FAILED, attempts=1, last_error="the account was deactivated"
                )
            )
            await session.execute(
                update(Outbox)
                .where(Outbox.target == "U3")
                .values(status=OutboxStatus.SENT, attempts=1, sent_at=NOW + timedelta(minutes=1))
            )
    finally:
        await engine.dispose()


def test_outbox_lists_what_waits_what_failed_and_what_went_out(
    own_database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_seed(own_database))
    monkeypatch.setenv("DATABASE_URL", own_database)
    monkeypatch.setenv("APP_CONFIG", str(ROOT / "app.yaml"))
    assert main(["outbox", "--limit", "5"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Outbox: 1 pending, 0 sending, 1 sent, 1 failed.")
    assert "The longest-waiting message was due 2026-11-23 09:30 UTC." in out
    waiting, failed, sent = (part for part in out.split("\n\n")[1:])
    assert "U1" in waiting
    assert "checkin" in waiting
    assert "U2" in failed
    assert "the account was deactivated" in failed
    assert "U3" in sent
    assert "2026-11-23 09:31" in sent
