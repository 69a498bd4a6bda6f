"""Servant vs Scorekeeper by the real dispatcher, grammar, tick and store on a moving clock:
the lead starts a debate on a KPI; the bot pairs who questioned it with who backed it (or
volunteers), asks both privately, asks the next one when someone passes (never telling),
gives each the other side's case to prepare, sets it at the next check-in slot, asks for a
line from each and the team's decision after it, and that decision reaches the quarter's
review."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import AppConfig
from rituals.core.messages import Message
from storage.models import Debate, DebateSeat, Member, Role, SeatAnswer
from tests.scheduling import LONG_AGO, Someone, outbox, planner, seed_team, text
from tests.support import (
    Chat,
    MovingClock,
    at,
    buttons_of,
    channel_posts,
    chat_at,
    dms_to,
    text_of,
)

CHANNEL = "C0GROWTH"
ON = ["checkin", "one_on_one", "kudos", "review", "debate"]
GROWTH = (
    Someone("lea", role=Role.LEAD),
    Someone("ana"),
    Someone("ben"),
    Someone("cid"),
    Someone("dan"),
)


async def _growth(sessions: async_sessionmaker[AsyncSession], enabled: list[str] = ON) -> None:
    async with sessions() as session, session.begin():
        team = await seed_team(session, GROWTH, settings={"enabled": enabled})
        team.channel_id = CHANNEL
        await seed_team(session, [Someone("zed", role=Role.LEAD)], team="Other", workspace="T2")
        await session.execute(update(Member).values(welcomed_at=LONG_AGO))


async def _voted_kpi(chat: Chat) -> int:
    """Ana's KPI, put to the team's vote: Ben questions it, Cid then Dan back it."""
    said = await chat.text(
        "ana",
        'propose "Qualified leads" target 10 leads per week growth "run discovery calls alone" '
        'why "every lead is a conversation I learn from"',
    )
    kpi = int(said.split("Proposed #")[1].split(":")[0])
    await chat.text("ben", f'vote {kpi} question "does it push us to chase bad leads?"')
    await chat.text("cid", f"vote {kpi} back")
    await chat.text("dan", f"vote {kpi} back")
    assert "Active" in await chat.text("lea", f"activate {kpi}")
    return kpi


def _debate_of(replies: list[Message], user: str) -> int:
    (asked,) = dms_to(replies, user)
    (number,) = {int(b.command.split()[-1]) for b in buttons_of([asked])}
    return number


async def test_a_debate_pairs_critic_and_advocate_and_its_decision_reaches_the_review(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    await _growth(sessions)
    clock = MovingClock(at("2026-11-23 09:30"))
    chat = chat_at(sessions, config, clock)
    tick = planner(sessions, config)
    kpi = await _voted_kpi(chat)

    assert "Only the lead of Growth" in await chat.text("ana", f"debate start {kpi}")
    replies = await chat.say("lea", f'debate start {kpi} "Should we keep Qualified leads?"')
    said = text_of(replies)
    assert "sharpest critic and its most empathetic advocate, privately" in said
    assert "Ben" not in said.split("\n")[0]  # who was asked stays private
    to_ben, to_dan = dms_to(replies, "ben"), dms_to(replies, "dan")
    assert "argue as its critic" in to_ben[0].text
    assert "argue as its advocate" in to_dan[0].text  # the newest backer first
    assert dms_to(replies, "cid") == []
    debate = _debate_of(replies, "ben")
    assert [b.command for b in buttons_of(to_ben)] == [
        f"debate yes {debate}",
        f"debate no {debate}",
    ]
    again = await chat.text("lea", f"debate start {kpi}")
    assert "already has a debate on Qualified leads under way" in again

    # Dan passes: Cid is asked instead, and nobody is told Dan passed.
    replies = await chat.say("dan", f"debate no {debate}")
    assert "Nobody is told you passed" in text_of(replies)
    (to_cid,) = dms_to(replies, "cid")
    assert "argue as its advocate" in to_cid.text
    assert dms_to(replies, "lea") == []
    assert "Dan" not in text_of(replies).split("\n", 1)[1]
    assert "someone else was asked in your place" in await chat.text("dan", f"debate yes {debate}")
    assert "keeps to the first answer" in await chat.text("dan", f"debate no {debate}")
    assert "were not asked" in await chat.text("ana", f"debate yes {debate}")

    # Both agree: each gets the other side's case to prepare; the team hears at once.
    said = await chat.text("ben", f"debate yes {debate}")
    assert "the strongest case for keeping Qualified leads as it is" in said
    assert "as its best advocate would make it" in said
    replies = await chat.say("cid", f"debate yes {debate}")
    assert "the strongest case against Qualified leads" in text_of(replies)
    assert "as its sharpest critic would make it" in text_of(replies)
    assert "advocate would make it" not in text_of(replies)
    (post,) = channel_posts(replies)
    # Both who argue hear privately when it is and what to prepare.
    (to_ben,) = dms_to(replies, "ben")
    assert "you argue as its critic at the team meeting Monday 30 November" in to_ben.text
    assert "strongest case for keeping Qualified leads" in to_ben.text
    assert "you argue as its advocate at the team meeting Monday 30 November" in text_of(
        [r for r in replies if r not in channel_posts(replies)]
    )
    assert post.channel_id == CHANNEL
    assert "@Ben argues as its critic, @Cid as its advocate" in post.text
    assert "Monday 30 November 2026 at 10:00 (UTC)" in post.text
    assert "Dan" not in post.text

    # Not before the meeting.
    assert "has not been held yet" in await chat.text(
        "ben", f'debate line {debate} "too early to say"'
    )
    assert "has not been held" in await chat.text("lea", f"debate decide {debate} keep")

    # The next working day: one line from each, the decision from the lead, each asked once,
    # as their day starts (not at the meeting's end, when someone's night may have begun).
    clock.move_to(at("2026-11-30 10:01"))
    await tick.tick(clock.now())
    assert [r for r in await outbox(sessions) if r.ritual == "debate"] == []
    clock.move_to(at("2026-12-01 09:00"))
    await tick.tick(clock.now())
    await tick.tick(clock.now())
    after = [r for r in await outbox(sessions) if r.ritual == "debate"]
    assert sorted(r.target for r in after) == ["ben", "cid", "lea"]
    (to_lea,) = [r for r in after if r.target == "lea"]
    assert "keep, adjust or kill" in text(to_lea)
    said = await chat.text(
        "ben", f'debate line {debate} "a lead count hides how good the leads are"'
    )
    assert "Kept as your line" in said
    await chat.text("cid", f'debate line {debate} "without it we would not see the dry weeks"')
    said = await chat.text("lea", f"debate decide {debate} adjust")
    assert "say why" in said
    replies = await chat.say(
        "lea", f'debate decide {debate} adjust "count only leads that booked a second call"'
    )
    (post,) = channel_posts(replies)
    assert "It goes to the 2027-Q1 KPI review." in text_of(replies)
    assert "This goes to the 2027-Q1 KPI review of Qualified leads" in post.text
    assert "The team decided: adjust." in post.text
    assert "Ben (critic): a lead count hides how good the leads are" in post.text
    assert "Cid (advocate): without it we would not see the dry weeks" in post.text
    assert "decided: adjust" in await chat.text("ana", "debates")

    # The quarter turns: the owner's review prompt carries the decision beside the KPI, and
    # the team's summary a week later says what the debate decided.
    clock.move_to(at("2027-01-04 10:00"))
    await tick.tick(clock.now())
    (prompt,) = [r for r in await outbox(sessions) if r.ritual == "review" and r.target == "ana"]
    assert (
        "Servant vs Scorekeeper on Qualified leads: the team decided adjust (count only leads "
        "that booked a second call)." in text(prompt)
    )
    clock.move_to(at("2027-01-11 10:00"))
    await tick.tick(clock.now())
    (summary,) = [r for r in await outbox(sessions) if r.ritual == "review" and r.target == CHANNEL]
    assert "Servant vs Scorekeeper on Qualified leads: the team decided adjust" in text(summary)
    async with sessions() as session:
        row = await session.scalar(select(Debate))
        assert row is not None
        assert row.quarter == "2026-Q4"
        answers = {s.answer for s in (await session.scalars(select(DebateSeat))).all()}
        assert answers == {SeatAnswer.YES, SeatAnswer.NO}


async def test_with_no_one_to_pair_the_lead_hears_how_to_find_volunteers(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    await _growth(sessions)
    clock = MovingClock(at("2026-11-23 09:30"))
    chat = chat_at(sessions, config, clock)
    said = await chat.text(
        "ana", 'propose "Demos booked" target 8 demos per week growth "lead demos alone"'
    )
    kpi = int(said.split("Proposed #")[1].split(":")[0])
    await chat.text("lea", f"activate {kpi}")
    said = await chat.text("lea", f"debate start {kpi}")
    assert "Nobody on Growth has questioned Demos booked" in said
    assert f"debate volunteer {kpi} critic" in said
    assert "Volunteers are asked first" in await chat.text("ben", f"debate volunteer {kpi} critic")
    said = await chat.text("lea", f"debate start {kpi}")
    assert "Nobody on Growth has backed Demos booked" in said
    await chat.text("dan", f"debate volunteer {kpi} advocate")
    replies = await chat.say("lea", f"debate start {kpi}")
    debate = _debate_of(replies, "ben")
    assert _debate_of(replies, "dan") == debate
    # Dan passes and nobody else backs it: the lead is not told then (that would give the
    # pass away), but a week after the start hears the side is missing, not who passed.
    await chat.text("ben", f"debate yes {debate}")
    replies = await chat.say("dan", f"debate no {debate}")
    assert dms_to(replies, "lea") == []
    tick = planner(sessions, config)
    clock.move_to(at("2026-11-29 12:00"))
    await tick.tick(clock.now())
    assert [r for r in await outbox(sessions) if r.ritual == "debate"] == []
    clock.move_to(at("2026-11-30 10:00"))
    await tick.tick(clock.now())
    await tick.tick(clock.now())
    (to_lea,) = [r for r in await outbox(sessions) if r.ritual == "debate"]
    assert to_lea.target == "lea"
    assert "could not find both sides in a week: it still needs its advocate" in text(to_lea)
    assert f"debate volunteer {kpi} advocate" in text(to_lea)
    assert "Dan" not in text(to_lea)
    # Someone offers: asked at once.
    replies = await chat.say("cid", f"debate volunteer {kpi} advocate")
    assert "argue as its advocate" in dms_to(replies, "cid")[0].text
    # Held and decided: the decision on this KPI (never put to a vote, so not shared) still
    # reaches the summary of the review that comes next; the debate was the team's.
    await chat.text("cid", f"debate yes {debate}")
    clock.move_to(at("2026-12-08 09:00"))
    said = await chat.text("lea", f'debate decide {debate} kill "demos are booked by marketing"')
    assert "It goes to the 2027-Q1 KPI review" in said
    clock.move_to(at("2027-01-04 10:00"))
    await tick.tick(clock.now())
    clock.move_to(at("2027-01-11 10:00"))
    await tick.tick(clock.now())
    (summary,) = [r for r in await outbox(sessions) if r.ritual == "review" and r.target == CHANNEL]
    assert "2027-Q1 KPI review" in text(summary)
    assert "Servant vs Scorekeeper on Demos booked: the team decided kill" in text(summary)


async def test_bad_input_is_answered_in_plain_words(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    await _growth(sessions)
    clock = MovingClock(at("2026-11-23 09:30"))
    chat = chat_at(sessions, config, clock)
    kpi = await _voted_kpi(chat)
    assert "There is no debate #99 here" in await chat.text("ben", "debate yes 99")
    # "debate" alone, or with a word that is no command, lists what it starts.
    said = await chat.text("ben", "help debate")
    assert "debate start" in said
    assert "debate volunteer" in said
    for typed in ("debate", "debate banana"):
        said = await chat.text("ben", typed)
        assert "I don't know the command" not in said
        assert "debate start, debate volunteer, debate yes, debate no" in said
        assert "help debate" in said
    assert "There is no KPI #99 here" in await chat.text("lea", "debate start 99")
    said = await chat.text("ben", f"debate volunteer {kpi} judge")
    assert "critic" in said
    assert "advocate" in said
    said = await chat.text("lea", f'debate start {kpi} "why?"')
    assert "at least 8" in said
    said = await chat.text("lea", "debate decide 1 maybe")
    assert 'must be one of: keep, adjust, kill (got "maybe")' in said
    # Switched off: the lead hears who can switch it on.
    await chat.text("lea", "settings set rituals checkin,kudos")
    said = await chat.text("lea", "debates")
    assert "Growth has switched off Servant vs Scorekeeper" in said
