"""The review prompt names what it asks about in its words, not only on its buttons: where the
buttons are not shown (a notification, the console showing someone else's nudge) a lead's
prompt read as the bare questions, no KPI named."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import AppConfig
from bot.payload import decode
from rituals.core.messages import Actions, Button, Message
from rituals.reviews.commands import Reviewable
from rituals.reviews.prompt import prompt_blocks
from storage.models import Member, Outbox, Role
from tests.scheduling import LONG_AGO, Someone, outbox, planner, seed_team, text
from tests.support import MovingClock, active_kpi, at, chat_at


def _words_and_buttons(row: Outbox) -> tuple[str, list[Button]]:
    """What a prompt says without its buttons, and its buttons."""
    message = decode(row.payload)
    actions = [b for b in message.blocks if isinstance(b, Actions)]
    words = replace(message, blocks=tuple(b for b in message.blocks if b not in actions))
    return words.text, [button for a in actions for button in a.buttons]


async def test_a_leads_review_prompt_names_each_kpi_of_her_teams_with_its_button(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    async with sessions() as session, session.begin():
        await seed_team(session, [Someone("lea", role=Role.LEAD), Someone("ana")])
        await seed_team(session, [Someone("lea", role=Role.LEAD), Someone("ben")], team="Ops")
        await session.execute(update(Member).values(welcomed_at=LONG_AGO))
    clock = MovingClock(at("2026-12-14 11:00"))
    chat = chat_at(sessions, config, clock)
    leads = await active_kpi(chat, "Qualified leads", "10 leads", "ana")
    uptime = await active_kpi(chat, "Uptime", "99 %", "ben")

    # Monday 4 January 2027: the first check-in day of the quarter.
    clock.move_to(at("2027-01-04 10:00"))
    await planner(sessions, config).tick(clock.now())
    rows = {r.target: r for r in await outbox(sessions) if "Quarterly KPI review" in text(r)}
    # Lea's budget merges her prompts of the day into one message: a review per team she leads.
    words, buttons = _words_and_buttons(rows["lea"])
    growth = words.split("Quarterly KPI review: Growth")[1].split("Quarterly KPI review:")[0]
    assert f"#{leads} Qualified leads (Ana): 10 leads per week" in growth
    assert "Uptime" not in growth
    ops = words.split("Quarterly KPI review: Ops")[1].split("Quarterly KPI review:")[0]
    assert f"#{uptime} Uptime (Ben): 99% per week" in ops
    assert "Qualified leads" not in ops
    assert {f"review {leads}", f"review {uptime}"} <= {b.command for b in buttons}
    # The owner's own prompt names it too, as hers.
    words, buttons = _words_and_buttons(rows["ana"])
    assert f"Your KPIs:\n- #{leads} Qualified leads: 10 leads per week" in words
    assert buttons[0].label == f"Review #{leads} Qualified leads"


def test_one_kpi_past_what_a_prompt_lists_is_spoken_of_as_one() -> None:
    mine = [Reviewable(n, f"KPI {n}", "Ana", "10 leads per week") for n in range(1, 12)]
    said = Message(tuple(prompt_blocks("Growth", mine, []))).text
    assert "And 1 more: `review <number>` for it." in said
    theirs = [Reviewable(n, f"KPI {n}", "Ben", "5 deals per month") for n in range(1, 24)]
    said = Message(tuple(prompt_blocks("Growth", [], theirs))).text
    assert "And 3 more: `review <number>` for each." in said
