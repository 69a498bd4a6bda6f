"""KPI Raw, the weekly newsletter, by the real dispatcher, grammar, tick and store on a moving
clock: what goes in (numbers the team may see, with their notes; a fall with its wild idea;
kudos; commitments kept; experiments), what never does (numbers the team may not see, and
those of someone who keeps theirs out), once a week on the team's day, and a quiet week as
one line."""

from __future__ import annotations

import io
from datetime import date

import PIL.Image
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import AppConfig
from bot.payload import decode
from rituals.core.messages import Audience, Image, Message
from rituals.skills.store import add_skill
from storage.models import Mentorship, SprintStatus, Team
from tests.rituals.raw.support import CHANNEL, growth, history, kept_commitment, share
from tests.scheduling import outbox, planner
from tests.support import (
    MovingClock,
    active_kpi,
    assert_valid_png,
    at,
    chat_at,
    member,
    text_of,
)


async def _team(session: AsyncSession) -> Team:
    return (await session.scalars(select(Team).where(Team.name == "Growth"))).one()


async def _issues(
    sessions: async_sessionmaker[AsyncSession], channel: str = CHANNEL
) -> list[Message]:
    """KPI Raw's posts to one team's channel, oldest first."""
    found = [decode(r.payload) for r in await outbox(sessions) if r.ritual == "raw"]
    return [m for m in found if m.channel_id == channel]


def _verdict_colours(png: bytes) -> list[tuple[int, int, int]]:
    """The picture's colours that read as red or green: a verdict the newsletter never gives."""
    image = PIL.Image.open(io.BytesIO(png)).convert("RGB")
    found = {c for _, c in image.getcolors(maxcolors=4096) or []}
    return [
        (r, g, b) for r, g, b in found if (g > r + 60 and g > b + 60) or (r > g + 60 and r > b + 60)
    ]


async def test_the_weekly_issue_tells_real_numbers_and_stories_once_on_the_teams_day(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    await growth(sessions)
    clock = MovingClock(at("2026-11-23 09:30"))
    chat = chat_at(sessions, config, clock)
    tick = planner(sessions, config)
    leads = await active_kpi(chat, "Qualified leads", "10 leads", owner="ana")
    demos = await active_kpi(chat, "Demos booked", "8 demos", owner="ben")
    private = await active_kpi(chat, "Discovery notes", "5 notes", owner="cid")
    kept_out = await active_kpi(chat, "Renewals", "4 renewals", owner="lea")
    for kpi in (leads, demos, kept_out):
        await share(sessions, kpi)
    await history(sessions, leads, "ana", [10, 11, 10, 12], date(2026, 11, 16), clock.now())
    await history(sessions, demos, "ben", [6, 7, 8], date(2026, 11, 16), clock.now())

    assert "kept out of KPI Raw" in await chat.text("lea", "raw out")
    await chat.text("ana", f'log {leads} 5 "two big accounts paused buying"')
    await chat.text("ana", f'experiment {leads} "call every paused account within a day"')
    await chat.text("ben", f'log {demos} 9 "webinar follow-ups"')
    await chat.text("cid", f'log {private} 4 "my private note"')
    await chat.text("lea", f'log {kept_out} 1 "a slow renewal month"')
    said = await chat.text(
        "ben",
        f'kudos <@ana> kpi {demos} how "she rehearsed my demo with me twice before the call"',
    )
    assert "Kudos" in said or "kudos" in said
    await kept_commitment(sessions, "ben", "Get the demo sandbox reset nightly", clock.now())

    # The lead's preview is what the team would read now, and only they see it.
    preview = text_of(await chat.say("ana", "raw preview"))
    assert "Preview of KPI Raw for Growth (only you see this)" in preview
    assert "Qualified leads (Ana): 5 leads for 2026-W48" in preview, preview

    # Thursday: not yet. Friday 16:00: once, to the channel, whatever the ticks.
    clock.move_to(at("2026-11-26 16:00"))
    await tick.tick(clock.now())
    assert await _issues(sessions) == []
    clock.move_to(at("2026-11-27 16:00"))
    await tick.tick(clock.now())
    await tick.tick(clock.now())
    (issue,) = await _issues(sessions)
    assert issue.audience is Audience.CHANNEL
    assert issue.channel_id == CHANNEL
    text = issue.text
    assert "KPI Raw: Growth, week 2026-W48" in text
    # Numbers by name (Demos before Qualified), with notes; a fall with its wild idea.
    assert text.index("Demos booked (Ben): 9 demos") < text.index("Qualified leads (Ana)")
    assert '"webinar follow-ups"' in text
    assert "Qualified leads (Ana): 5 leads for 2026-W48" in text
    assert "It fell 58% against last week." in text
    assert "Wild idea being tested: call every paused account within a day (Ana)" in text
    # Stories.
    assert "Ben to Ana (Demos booked): she rehearsed my demo with me twice" in text
    assert "Ben: Get the demo sandbox reset nightly" in text
    # Never: a KPI the team may not see, nor the numbers of someone who kept theirs out.
    assert "Discovery notes" not in text
    assert "my private note" not in text
    assert "Renewals" not in text
    assert "a slow renewal month" not in text
    # No ranking, no verdict colours: the picture is there, readable, with a text sketch.
    (picture,) = [b for b in issue.blocks if isinstance(b, Image)]
    assert_valid_png(picture.data)
    assert "Demos booked (Ben):" in picture.sketch
    assert not _verdict_colours(picture.data)

    # The next week nothing happened: one line.
    clock.move_to(at("2026-12-04 16:05"))
    await tick.tick(clock.now())
    quiet = (await _issues(sessions))[-1]
    assert quiet.text == "KPI Raw, Growth, week 2026-W49: a quiet week."
    # The other workspace's team had two quiet weeks, and heard nothing of Growth.
    other = [m.text for m in await _issues(sessions, "C0OTHER")]
    assert other == [
        "KPI Raw, Other, week 2026-W48: a quiet week.",
        "KPI Raw, Other, week 2026-W49: a quiet week.",
    ]


async def test_raw_commands_answer_bad_input_in_plain_words(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    await growth(sessions)
    clock = MovingClock(at("2026-11-23 09:30"))
    chat = chat_at(sessions, config, clock)
    assert "Only the lead of Growth" in await chat.text("ana", "raw when mon 09:00")
    said = await chat.text("lea", "raw when fri 25:00")
    assert "Nothing was changed" in said
    assert "raw when fri 16:00" in said
    said = await chat.text("lea", "raw when someday 10:00")
    assert "someday" in said
    said = await chat.text("lea", "raw when mon 09:30")
    assert "Monday 30 November 2026 at 09:30 (UTC)" in said
    said = await chat.text("ben", "raw")
    assert "Monday 30 November 2026 at 09:30" in said
    # Ben never kept his numbers out: nothing is "again".
    assert "Your numbers may appear in KPI Raw: only" in said
    assert "again" not in said
    # Sent Monday morning, the issue is named for the week it covers, not the one starting.
    clock.move_to(at("2026-11-30 09:35"))
    await planner(sessions, config).tick(clock.now())
    (issue,) = await _issues(sessions)
    assert issue.text == "KPI Raw, Growth, week 2026-W48: a quiet week."
    assert "quiet week" in await chat.text("ben", "raw preview")
    said = await chat.text("zed", "raw preview in Growth", "T2")
    assert 'There is no team called "Growth"' in said  # another workspace: unknown
    # Switched off, every team command says who can switch it on.
    await chat.text("lea", "settings set rituals checkin,kudos")
    said = await chat.text("ben", "raw preview")
    assert "Growth has switched off KPI Raw" in said
    assert "settings set rituals" in said


async def test_someone_keeps_their_numbers_out_and_lets_them_back_in(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    await growth(sessions)
    clock = MovingClock(at("2026-11-23 09:30"))
    chat = chat_at(sessions, config, clock)
    leads = await active_kpi(chat, "Qualified leads", "10 leads", owner="ana")
    await share(sessions, leads)
    await chat.text("ana", f'log {leads} 12 "a webinar week"')
    assert "Qualified leads (Ana): 12 leads" in await chat.text("ben", "raw preview")
    assert "kept out" in await chat.text("ana", "raw out")
    assert "kept out" in await chat.text("ana", "raw out")  # twice is still once
    assert "Qualified leads" not in await chat.text("ben", "raw preview")
    assert "may appear in KPI Raw again" in await chat.text("ana", "raw in")
    assert "Qualified leads (Ana): 12 leads" in await chat.text("ben", "raw preview")


async def test_a_finished_mentorship_sprint_is_told_by_names_and_skill_not_the_pairs_words(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    await growth(sessions)
    clock = MovingClock(at("2026-11-23 09:30"))
    chat = chat_at(sessions, config, clock)
    async with sessions() as session, session.begin():
        ana, ben = await member(session, "ana"), await member(session, "ben")
        skill = await add_skill(session, await _team(session), "SQL", ana.id, clock.now())
        session.add(
            Mentorship(
                workspace_id=ana.workspace_id,
                team_id=skill.team_id,
                skill_id=skill.id,
                learner_id=ana.id,
                mentor_id=ben.id,
                goal="write the pipeline query alone",
                status=SprintStatus.DONE,
                asked_at=clock.now(),
                learner_lookback="I can explain the joins now",
                finished_at=clock.now(),
            )
        )
    said = await chat.text("cid", "raw preview")
    assert "Ana finished a two-week sprint on SQL, mentored by Ben." in said, said
    assert "pipeline query" not in said
    assert "joins" not in said
