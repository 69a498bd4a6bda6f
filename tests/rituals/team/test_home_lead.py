"""A lead's home shows what waits on them: KPIs ready to activate, obstacles with no
commitment yet, votes and quarterly reviews; each with the button that does it, and gone once
done."""

from __future__ import annotations

import re

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import AppConfig
from tests.support import (
    Chat,
    MovingClock,
    active_kpi,
    at,
    buttons_of,
    chat_at,
    proposed_kpi,
    text_of,
)


async def test_a_leads_home_lists_what_waits_on_her_and_forgets_it_once_done(chat: Chat) -> None:
    kpi = await proposed_kpi(chat)
    assert "ready to activate" not in await chat.text("lea", "home")  # not exciting anyone yet
    await chat.say("ana", f'why {kpi} "every lead is a conversation I learn from"')
    # Put to the team's vote (in DMs: Growth has no channel), it waits for the team first.
    assert "ready to activate" not in await chat.text("lea", "home")
    await chat.say("ben", f"vote {kpi} back")
    home = await chat.say("lea", "home")
    assert f"#{kpi} Qualified leads is ready to activate." in text_of(home)
    assert f"activate {kpi}" in [b.command for b in buttons_of(home)]
    assert "put to Growth's vote" not in text_of(home)  # carried: one thing left, her Activate
    assert "ready to activate" not in await chat.text("ana", "home")  # only the lead's

    raised = await chat.text("ana", 'obstacle "The CRM export breaks every morning"')
    found = re.search(r"obstacle #(\d+)", raised)
    assert found, raised
    obstacle = found.group(1)
    home = await chat.say("lea", "home")
    assert "Ana's obstacle on Growth waits for a commitment." in text_of(home)
    assert f"commit {obstacle}" in [b.command for b in buttons_of(home)]

    assert "Active" in await chat.text("lea", f"activate {kpi}")
    await chat.say(
        "lea", f'commit {obstacle} "Ask IT to fix the nightly CRM export" owner @lea due fri'
    )
    after = await chat.text("lea", "home")
    assert "ready to activate" not in after
    assert "waits for a commitment" not in after


async def test_a_vote_waiting_on_someone_asks_for_their_say_and_tells_the_lead_how_it_stands(
    chat: Chat,
) -> None:
    kpi = await proposed_kpi(chat)
    await chat.say("ana", f'why {kpi} "every lead is a conversation I learn from"')  # to the vote
    home = await chat.say("lea", "home")
    assert f"#{kpi} Qualified leads is put to Growth's vote." in text_of(home)
    assert {f"vote {kpi} back", f"vote {kpi}"} <= {b.command for b in buttons_of(home)}
    assert "put to Growth's vote" in await chat.text("ben", "home")
    assert "put to Growth's vote" not in await chat.text("ana", "home")  # her own proposal

    await chat.say("ben", f'vote {kpi} question "how do we count a qualified lead?"')
    assert "put to Growth's vote" not in await chat.text("ben", "home")  # he has had his say
    home = await chat.say("lea", f"vote {kpi} back")
    home = await chat.say("lea", "home")
    said = text_of(home)
    assert "put to Growth's vote" not in said
    assert f"#{kpi} Qualified leads waits on Growth's vote (1 back it, 1 question it)." in said
    assert f"vote {kpi}" in [b.command for b in buttons_of(home)]
    assert "waits on Growth's vote" not in await chat.text("ben", "home")  # the lead's alone

    await chat.say("ben", f"vote {kpi} back")
    said = await chat.text("lea", "home")
    assert "waits on Growth's vote" not in said
    assert "ready to activate" in said


async def test_a_quarterly_review_is_due_in_the_home_while_it_gathers_answers(
    chat: Chat, sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    clock = MovingClock(at("2026-12-14 11:00"))
    later = chat_at(sessions, config, clock)
    kpi = await active_kpi(later)
    assert "quarterly review" not in await later.text("lea", "home")  # none is open

    clock.move_to(at("2027-01-04 10:30"))  # Growth's first check-in of the quarter: it opens
    home = await later.say("lea", "home")
    assert f"Ana's #{kpi} Qualified leads is due your quarterly review." in text_of(home)
    assert f"review {kpi}" in [b.command for b in buttons_of(home)]
    assert f"Your #{kpi} Qualified leads is due its quarterly review." in await later.text(
        "ana", "home"
    )
    assert "quarterly review" not in await later.text("ben", "home")  # nothing of his

    said = await later.text("lea", f"review {kpi} keep relevant yes motivating yes")
    assert "quarterly review" not in await later.text("lea", "home"), said
    assert "is due its quarterly review" in await later.text("ana", "home")  # hers still waits

    clock.move_to(at("2027-01-11 10:30"))  # the answers are gathered: nothing is due now
    assert "quarterly review" not in await later.text("ana", "home")
