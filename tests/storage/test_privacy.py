"""Export and forget for someone who used every ritual: the file parses and holds their rows,
and after forgetting, no column of any table (JSON ones included: the outbox's messages) holds
their name, their id or their words."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.dispatch import Identity
from rituals.core.context import FixedClock
from rituals.core.messages import File, Message
from storage.models import Member, Outbox, OutboxStatus, Platform
from tests.support import Chat, every_text, text_of, who

NAME, USER = "Zelda Quixote", "uzq1"
OBSTACLE = "the staging database keeps timing out under quixotic load"


def _who() -> Identity:
    return replace(who(USER), display_name=NAME)


async def _zelda_everywhere(chat: Chat, sessions: async_sessionmaker[AsyncSession]) -> None:
    """Zelda joins Growth and uses the rituals: a KPI with a value, leave, an obstacle the
    lead commits to, a kudos; and the lead's digest naming her sits in the outbox, sent."""
    say = chat.dispatcher.handle_text
    await say(_who(), "help")
    await chat.say("lea", f"team add <@{USER}> to Growth")
    await say(_who(), f'propose "Pipeline" target 5 per week growth "{NAME} leads a team"')
    await say(_who(), 'why "Pipeline" "every deal starts with a conversation I enjoy"')
    await chat.say("ben", 'vote "Pipeline" back')  # put to Growth's vote by her answer
    assert "Active" in text_of(await chat.say("lea", 'activate "Pipeline"'))
    await say(_who(), 'log "Pipeline" 4 "two demos moved to January"')
    await say(_who(), "away until 2027-01-20")
    await say(_who(), "back")
    raised = text_of(await say(_who(), f'obstacle "{OBSTACLE}"'))
    assert "Saved as obstacle" in raised, raised
    await say(_who(), 'propose "Demos" target 2 per week growth "run demos alone"')
    async with sessions() as session, session.begin():
        zelda = await session.scalar(select(Member).where(Member.platform_user_id == USER))
        assert zelda is not None
        lea = await session.scalar(select(Member).where(Member.platform_user_id == "lea"))
        assert lea is not None
        now = chat.dispatcher.clock.now()
        session.add(
            Outbox(
                workspace_id=zelda.workspace_id,
                platform=Platform.SLACK,
                member_id=lea.id,
                target="lea",
                ritual="digest",
                dedupe_key="digest:test:lea",
                payload={
                    "blocks": [
                        {
                            "paragraph": [
                                {"mention": USER, "name": NAME},
                                f": {OBSTACLE}",
                            ]
                        }
                    ]
                },
                status=OutboxStatus.SENT,
                next_attempt_at=now,
                sent_at=now + timedelta(minutes=1),
                created_at=now,
            )
        )


async def test_the_export_of_someone_who_used_every_ritual_parses_and_holds_their_rows(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await _zelda_everywhere(chat, sessions)
    (message,) = await chat.dispatcher.handle_text(_who(), "me export")
    assert isinstance(message, Message), message
    (file,) = [b for b in message.blocks if isinstance(b, File)]
    tables = json.loads(file.data)["tables"]
    assert {k["name"] for k in tables["kpi"]} == {"Pipeline", "Demos"}
    assert [v["note"] for v in tables["kpi_value"]] == ["two demos moved to January"]
    assert [o["text"] for o in tables["obstacle"]] == [OBSTACLE]
    # Dates (a period's first day, a leave's end) come out as ISO text.
    assert all(isinstance(v["period_start"], str) for v in tables["kpi_value"]), tables
    assert tables["member"][0]["display_name"] == NAME


async def test_forgetting_leaves_no_name_id_or_words_in_any_column_the_outbox_included(
    chat: Chat, sessions: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    await _zelda_everywhere(chat, sessions)
    before = await every_text(sessions)
    assert OBSTACLE in before  # the search would find them
    assert NAME in before
    done = await chat.dispatcher.handle_text(_who(), "me forget confirm")
    assert "you are forgotten" in text_of(done)
    everything = await every_text(sessions)
    assert NAME not in everything
    assert "Zelda" not in everything
    assert "quixotic" not in everything
    assert f'"{USER}"' not in everything
    assert USER not in everything.split()
