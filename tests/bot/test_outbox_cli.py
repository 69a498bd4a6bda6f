"""`kpicoach outbox` for operators: counts, and the rows waiting, failed and sent, with reasons."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select, update

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
    assert out.startswith("Outbox: 1 pending, 0 sending, 1 sent, 1 failed, 0 in doubt.")
    assert "The longest-waiting message was due 2026-11-23 09:30 UTC." in out
    waiting, doubt, failed, sent = (part for part in out.split("\n\n")[1:])
    assert doubt.startswith("In doubt")
    assert doubt.endswith(": none")
    assert "U1" in waiting
    assert "checkin" in waiting
    assert "U2" in failed
    assert "the account was deactivated" in failed
    assert "U3" in sent
    assert "2026-11-23 09:31" in sent


def test_a_row_in_doubt_is_shown_to_the_operator_and_resent_on_their_word(
    own_database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_seed(own_database))
    reason = "in doubt, not sent again: could not read the DM's history: internal_error"

    async def doubt() -> int:
        engine = make_engine(own_database)
        try:
            async with make_sessionmaker(engine)() as session, session.begin():
                row = await session.scalar(select(Outbox).where(Outbox.target == "U1"))
                assert row is not None
                row.status, row.attempts, row.last_error = OutboxStatus.IN_DOUBT, 8, reason
                return row.id
        finally:
            await engine.dispose()

    row_id = asyncio.run(doubt())
    monkeypatch.setenv("DATABASE_URL", own_database)
    monkeypatch.setenv("APP_CONFIG", str(ROOT / "app.yaml"))
    assert main(["outbox"]) == 0
    out = capsys.readouterr().out
    assert "1 in doubt." in out.splitlines()[0]
    doubt_section = next(p for p in out.split("\n\n") if p.startswith("In doubt"))
    assert "--resend ID" in doubt_section
    assert "U1" in doubt_section
    assert "in doubt, not sent again" in doubt_section
    assert main(["outbox", "--resend", str(row_id)]) == 0
    assert "will be sent at the worker's next round" in capsys.readouterr().out
    assert main(["outbox", "--resend", str(row_id)]) == 0  # pending now: nothing to resend
    assert "nothing changed" in capsys.readouterr().out
    assert main(["outbox"]) == 0
    assert capsys.readouterr().out.startswith(
        "Outbox: 1 pending, 0 sending, 1 sent, 1 failed, 0 in doubt."
    )
