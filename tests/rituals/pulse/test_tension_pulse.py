"""The tension pulse, by the real dispatcher, grammar, tick and store on a moving clock.

"How does chasing this KPI feel right now?", 1 to 5 and a word. What must hold: only a lead
starts one; everyone on the team answers once, in a direct message, and nobody else at all;
the team sees an aggregate (how many gave each score, the mean, the words and a chart) once,
and only when at least the threshold answered; below it the answers stay sealed, for the
lead too; the schedule opens one pulse per team and period; and nothing stored or exported
ties an answer to the person who gave it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from typing import Any

import pytest
from sqlalchemy import inspect, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import AppConfig
from bot.payload import decode
from rituals.core.messages import (
    Audience,
    Bullets,
    File,
    Form,
    Image,
    Message,
    Outgoing,
    plain_text,
)
from rituals.pulse.store import PulseClosed, new_pulse, record_answer
from storage.models import Member, NudgeOutcome, Pulse, PulseRespondent, Role, Team
from tests.scheduling import (
    LONG_AGO,
    Someone,
    ledger,
    outbox,
    planner,
    seed_team,
    text,
)
from tests.support import (
    Chat,
    MovingClock,
    about,
    active_kpi,
    at,
    buttons_of,
    channel_posts,
    chat_at,
    dms_to,
    member,
    proposed_kpi,
    text_of,
)

CHANNEL = "C0GROWTH"
GROWTH = (
    Someone("lea", role=Role.LEAD),
    Someone("ana"),
    Someone("ben"),
    Someone("cid"),
    Someone("dan"),
)
PNG = b"\x89PNG\r\n\x1a\n"
# What a result line looks like ("4 good: 2"): no reply before the close may hold one.
RESULT_LINE = re.compile(r"\b[1-5] (crushing|heavy|okay|good|energising): \d")


# The team's rituals with the pulse switched on: a lead's pulse is refused where it is off.
PULSE_ON = ["checkin", "one_on_one", "kudos", "review", "pulse"]


async def _teams(
    sessions: async_sessionmaker[AsyncSession],
    people: tuple[Someone, ...] = GROWTH,
    settings: dict[str, object] | None = None,
) -> None:
    """Growth (with a channel) in workspace T1; Oli's Platform beside it in T1; and Zed's
    Other in workspace T2. Lea, seeded first, is T1's admin; Oli is not."""
    async with sessions() as session, session.begin():
        team = await seed_team(session, people, settings=settings or {"enabled": PULSE_ON})
        team.channel_id = CHANNEL
        await seed_team(session, [Someone("oli", role=Role.LEAD)], team="Platform")
        await seed_team(
            session, [Someone("zed", role=Role.LEAD), Someone("yan")], team="Other", workspace="T2"
        )
        # People who were here before: no welcome in the replies.
        await session.execute(update(Member).values(welcomed_at=LONG_AGO))


def _pulse_id(replies: list[Outgoing], user: str) -> int:
    """The pulse a person's DM asks about, from its score buttons."""
    (asked,) = dms_to(replies, user)
    ids = {int(b.command.split(" pulse ")[1]) for b in buttons_of([asked])}
    assert len(ids) == 1, ids
    return ids.pop()


async def _row(sessions: async_sessionmaker[AsyncSession], pulse_id: int) -> Pulse:
    async with sessions() as session:
        found = await session.get(Pulse, pulse_id)
        assert found is not None
        return found


async def _pulses(sessions: async_sessionmaker[AsyncSession]) -> list[Pulse]:
    async with sessions() as session:
        return list((await session.scalars(select(Pulse).order_by(Pulse.id))).all())


async def _respondents(sessions: async_sessionmaker[AsyncSession], pulse_id: int) -> set[str]:
    async with sessions() as session:
        query = (
            select(Member.platform_user_id)
            .join(PulseRespondent, PulseRespondent.member_id == Member.id)
            .where(PulseRespondent.pulse_id == pulse_id)
        )
        return set((await session.scalars(query)).all())


def _images(message: Message) -> list[Image]:
    return [b for b in message.blocks if isinstance(b, Image)]


async def test_a_lead_asks_the_whole_team_about_a_kpi_or_about_all_of_them(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """The question names the KPI when there is one; every active person on the team is
    asked by DM, the lead too, with buttons for the one pulse; only the lead (or an admin)
    starts one, and only one is open at a time."""
    await _teams(sessions)
    clock = MovingClock(at("2026-11-23 11:00"))
    chat = chat_at(sessions, config, clock)
    tick = planner(sessions, config)
    kpi = await active_kpi(chat, "Qualified leads", "10", owner="ana")

    refused = await chat.text("ana", f"pulse start {kpi}")
    assert "Only the lead of Growth or an admin can start its tension pulse" in refused
    refused = await chat.text("oli", "pulse start in Growth")  # a lead, but of Platform
    assert "Only the lead of Growth or an admin can start its tension pulse. Ask @Lea." in refused
    assert await _pulses(sessions) == []

    replies = await chat.say("lea", f"pulse start {kpi} until wed")
    said = text_of(replies)
    assert "Asked 5 people on Growth, you included" in said
    assert "How does chasing Qualified leads feel right now?" in said
    assert "Wednesday 25 November 2026 at 10:00 (UTC), if at least 3 answered" in said
    pulse = _pulse_id(replies, "lea")
    for user in ("ana", "ben", "cid", "dan"):
        assert _pulse_id(replies, user) == pulse
        (asked,) = dms_to(replies, user)
        assert "How does chasing Qualified leads feel right now?" in asked.text
        assert "Anonymous" in asked.text
        commands = [b.command for b in buttons_of([asked])]
        assert commands == [
            *(f"pulse answer {score} pulse {pulse}" for score in range(1, 6)),
            f"pulse answer pulse {pulse}",
        ]
    assert dms_to(replies, "oli") == []
    row = await _row(sessions, pulse)
    assert (row.kpi_id, row.threshold, row.period) == (kpi, 3, None)
    assert row.closes_at == at("2026-11-25 10:00")

    again = await chat.text("lea", "pulse start")
    assert "Growth's pulse is open until Wednesday 25 November 2026 at 10:00 (UTC)" in again
    assert len(await _pulses(sessions)) == 1

    # Once it closed, another may start, about every KPI of the team: an admin who is not
    # on the team starts it for the team, and is not asked.
    clock.move_to(at("2026-11-25 10:00"))
    await tick.tick(clock.now())
    async with sessions() as session, session.begin():
        await session.execute(
            update(Member).where(Member.platform_user_id == "oli").values(is_admin=True)
        )
    replies = await chat.say("oli", "pulse start in Growth")
    said = text_of(replies)
    assert "Asked 5 people on Growth: How does chasing our KPIs feel right now?" in said
    assert "Friday 27 November 2026 at 10:00 (UTC)" in said  # two days by default
    assert dms_to(replies, "oli") == []
    second = _pulse_id(replies, "dan")
    assert second != pulse
    assert (await _row(sessions, second)).kpi_id is None


async def test_bad_input_to_pulse_start_is_explained_and_opens_nothing(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """Every field of `pulse start` refused with what was wrong: a day in the past, today, too
    far off, unreadable or too long; a KPI that is retired, only proposed, unknown, or
    another team's; a team that does not exist."""
    await _teams(sessions)
    clock = MovingClock(at("2026-11-23 11:00"))
    chat = chat_at(sessions, config, clock)
    retired = await active_kpi(chat, "Demos", "10", owner="ana")
    await chat.say("ana", f"retire {retired} we measure win rate now")
    proposed = await proposed_kpi(chat, "Referrals", "10", owner="ben")
    theirs = await proposed_kpi(chat, "Uptime", "10", owner="oli")
    active = await active_kpi(chat, "Qualified leads", "10", owner="cid")

    day = "give a day after today, Monday 23 November 2026, and within 14 days"
    assert day in await chat.text("lea", "pulse start until 2026-11-20")
    assert day in await chat.text("lea", "pulse start until today")
    assert day in await chat.text("lea", "pulse start until 2026-12-08")
    assert day not in await chat.text("lea", "pulse start until 2026-12-07")  # 14 days: fine
    await _close_all(sessions)
    assert '"someday" is not a day I can read' in await chat.text(
        "lea", "pulse start until someday"
    )
    assert "Answers until is too long (21 characters); keep it to 20" in await chat.text(
        "lea", 'pulse start until "a week from thursday!"'
    )
    assert f"#{retired} Demos is retired; ask about an active KPI" in await chat.text(
        "lea", f"pulse start {retired}"
    )
    assert f"#{proposed} Referrals is proposed; ask about an active KPI" in await chat.text(
        "lea", "pulse start Referrals"
    )
    assert "No KPI is called" in await chat.text("lea", 'pulse start "Churned accounts"')
    assert "There is no KPI #999999999 here" in await chat.text("lea", "pulse start 999999999")
    other = await chat.text("lea", f"pulse start {theirs}")
    assert f"#{theirs} Uptime is not Growth's KPI" in other
    assert 'There is no team called "Nowhere"' in await chat.text(
        "lea", f"pulse start {active} in Nowhere"
    )
    # Only the one good start (14 days) opened a pulse.
    assert len(await _pulses(sessions)) == 1


async def test_until_is_the_teams_day_so_a_pulse_never_closes_before_it_opens(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """A pulse closes at check-in time in the team's zone, so its last day is read there
    too. Lea in Los Angeles on Monday evening is already on Tuesday in Growth's Tokyo: her
    "tomorrow" is Tokyo's Wednesday, not a Tuesday 10:00 that passed an hour ago, and her
    "tue" is Tokyo's today, refused with the day it is there."""
    people = (Someone("lea", "America/Los_Angeles", Role.LEAD), *GROWTH[1:])
    await _teams(sessions, people)
    async with sessions() as session, session.begin():
        await session.execute(
            update(Team).where(Team.name == "Growth").values(time_zone="Asia/Tokyo")
        )
    clock = MovingClock(at("2026-11-24 02:00"))  # 18:00 Monday in LA, 11:00 Tuesday in Tokyo
    chat = chat_at(sessions, config, clock)
    refused = await chat.text("lea", "pulse start until tue")
    assert "give a day after today (in Asia/Tokyo), Tuesday 24 November 2026" in refused
    replies = await chat.say("lea", "pulse start until tomorrow")
    assert "Wednesday 25 November 2026 at 10:00 (Asia/Tokyo)" in text_of(replies)
    pulse = _pulse_id(replies, "ana")
    assert (await _row(sessions, pulse)).closes_at == at("2026-11-25 01:00")
    await planner(sessions, config).tick(clock.now())
    assert (await _row(sessions, pulse)).closed_at is None
    assert "counted" in await chat.text("ana", f"pulse answer 4 pulse {pulse}")


async def _close_all(sessions: async_sessionmaker[AsyncSession]) -> None:
    """Close whatever is open, as if its time had come, so the next start is not refused."""
    async with sessions() as session, session.begin():
        await session.execute(
            update(Pulse).where(Pulse.closed_at.is_(None)).values(closed_at=LONG_AGO)
        )


async def test_each_person_answers_once_in_a_dm_by_button_or_by_form(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """A score button counts at once; "Answer with a word" opens a form that carries the
    pulse; a typed answer finds the team's open pulse. A second answer, an answer in a
    channel, from outside the team or the workspace, or after the close changes nothing."""
    await _teams(sessions)
    clock = MovingClock(at("2026-11-23 11:00"))
    chat = chat_at(sessions, config, clock)
    replies = await chat.say("lea", "pulse start until wed")
    pulse = _pulse_id(replies, "ana")
    score_4, *_, word = buttons_of(dms_to(replies, "ben"))[3:]
    assert score_4.command == f"pulse answer 4 pulse {pulse}"

    said = await chat.text("ben", score_4.command)
    assert "Thank you: 4 (good) counted, anonymously" in said
    (form,) = await chat.say("ana", word.command)
    assert isinstance(form, Form)
    assert about(form.hidden) == {"pulse": str(pulse)}
    assert {f.name: f.required for f in form.fields if f.name != "team"} == {
        "score": True,
        "word": False,
    }
    assert "How does chasing our KPIs feel right now?" in form.intro
    assert "1 crushing, 2 heavy, 3 okay, 4 good, 5 energising" in form.intro
    said = text_of(await chat.submit("ana", form, {"score": "2", "word": "stretched thin"}))
    assert "Thank you: 2 (heavy) counted" in said
    assert "Thank you: 5 (energising)" in await chat.text("cid", "pulse answer 5 proud")
    row = await _row(sessions, pulse)
    assert row.counts == [0, 1, 0, 1, 1]
    assert sorted(row.words) == ["proud", "stretched thin"]

    async def unchanged() -> None:
        again = await _row(sessions, pulse)
        assert again.counts == [0, 1, 0, 1, 1]
        assert sorted(again.words) == ["proud", "stretched thin"]
        assert await _respondents(sessions, pulse) == {"ana", "ben", "cid"}

    # Twice: by button, typed, and by the form; the first answer stands.
    assert "You answered this pulse already" in await chat.text("ben", score_4.command)
    assert "You answered this pulse already" in await chat.text("ana", "pulse answer 1 crushed")
    (form,) = await chat.say("cid", word.command)
    assert isinstance(form, Form)
    refused = text_of(await chat.submit("cid", form, {"score": "1", "word": "changed"}))
    assert "You answered this pulse already" in refused
    await unchanged()
    # In the team's channel others would see who answered what.
    in_channel = await chat.text("dan", f"pulse answer 3 pulse {pulse}", channel=CHANNEL)
    assert "answered in a direct message with me, not in a channel" in in_channel
    # So `pulse` in the channel offers no button that would only be refused; in a DM it does.
    shown = await chat.say("dan", "pulse", channel=CHANNEL)
    assert "3 answered so far" in text_of(shown)
    assert "Press a score in the message I sent you" in text_of(shown)
    assert buttons_of(shown) == []
    assert f"pulse answer 3 pulse {pulse}" in [
        b.command for b in buttons_of(await chat.say("dan", "pulse"))
    ]
    # Someone on another team of the workspace, and someone from another workspace.
    # Oli, on Platform only, may not know of Growth's pulse: told what a number nobody uses gets.
    assert await chat.text("oli", f"pulse answer 3 pulse {pulse}") == (
        f"There is no pulse #{pulse} here."
    )
    assert f"There is no pulse #{pulse} here" in await chat.text(
        "zed", f"pulse answer 3 pulse {pulse}", "T2"
    )
    # Other runs no pulse (switched off by default): its lead is told to switch it on.
    assert "Other has switched off the tension pulse. Switch it on with" in await chat.text(
        "zed", "pulse answer 3", "T2"
    )
    await unchanged()

    # After the close no answer is taken, even by button, even before the tick has run.
    clock.move_to(at("2026-11-25 10:00"))
    assert "That pulse has closed" in await chat.text("dan", f"pulse answer 3 pulse {pulse}")
    await planner(sessions, config).tick(clock.now())
    assert "That pulse has closed" in await chat.text("dan", f"pulse answer 3 pulse {pulse}")
    assert "Growth has no pulse open" in await chat.text("dan", "pulse answer 3")
    await unchanged()


async def test_bad_answers_are_explained_and_count_nothing(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """A score outside 1 to 5 or not a number, a word over 40 characters or of two lines, a
    pulse number that is not one, a team that does not exist: each refused with how to say
    it right, typed or in the form, and the person may still answer after."""
    await _teams(sessions)
    clock = MovingClock(at("2026-11-23 11:00"))
    chat = chat_at(sessions, config, clock)
    replies = await chat.say("lea", "pulse start")
    pulse = _pulse_id(replies, "ana")

    assert 'How it feels must be 1 or more (got "0")' in await chat.text(
        "ana", f"pulse answer 0 pulse {pulse}"
    )
    assert 'How it feels must be 5 or less (got "6")' in await chat.text(
        "ana", f"pulse answer 6 pulse {pulse}"
    )
    assert 'How it feels must be a number, like 10 or 2.5 (got "five")' in await chat.text(
        "ana", f"pulse answer five pulse {pulse}"
    )
    long = "x" * 41
    assert "A word for it is too long (41 characters); keep it to 40" in await chat.text(
        "ana", f"pulse answer 3 {long} pulse {pulse}"
    )
    assert "Pulse must be a number" in await chat.text("ana", "pulse answer 3 pulse latest")
    assert 'Pulse must be 1 or more (got "0")' in await chat.text("ana", "pulse answer 3 pulse 0")
    assert "There is no pulse #999999999 here" in await chat.text(
        "ana", "pulse answer 3 pulse 999999999"
    )
    assert 'There is no team called "Nowhere"' in await chat.text(
        "ana", "pulse answer 3 in Nowhere"
    )
    # The form gives itself back with the problem named and the pulse still carried.
    (form,) = await chat.say("ana", f"pulse answer pulse {pulse}")
    assert isinstance(form, Form)
    for values, problem in (
        ({"score": "6"}, 'How it feels must be 5 or less (got "6")'),
        ({"score": "five"}, 'How it feels must be a number, like 10 or 2.5 (got "five")'),
        ({"score": "3", "word": "y" * 41}, "too long (41 characters); keep it to 40"),
        ({"score": "3", "word": "so\ntired"}, "A word for it: must be one line"),
    ):
        (back,) = await chat.submit("ana", form, values)
        assert isinstance(back, Form), values
        assert problem in back.intro, (values, back.intro)
        assert about(back.hidden) == {"pulse": str(pulse)}
    # No score at all: the form again, asking for it.
    (back,) = await chat.submit("ana", form, {"word": "tired"})
    assert isinstance(back, Form)
    assert {f.name: f.required for f in back.fields}["score"] is True
    assert {f.name: f.value for f in back.fields}["word"] == "tired"
    row = await _row(sessions, pulse)
    assert (row.counts, row.words) == ([0, 0, 0, 0, 0], [])
    assert await _respondents(sessions, pulse) == set()
    # Nothing was used up: a good answer still counts.
    said = text_of(await chat.submit("ana", form, {"score": "3", "word": "  so   tired "}))
    assert "Thank you: 3 (okay) counted" in said
    row = await _row(sessions, pulse)
    assert (row.counts, row.words) == ([0, 0, 1, 0, 0], ["so tired"])


async def test_below_the_threshold_the_lead_hears_how_many_more_and_nobody_sees_answers(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """With two answers of the three needed, `pulse` says how many answered and how many more
    are needed; `pulse close` refuses with the same; no reply shows a score, a word or a
    mean; only a lead may close."""
    await _teams(sessions)
    clock = MovingClock(at("2026-11-23 11:00"))
    chat = chat_at(sessions, config, clock)
    replies = await chat.say("lea", "pulse start until wed")
    pulse = _pulse_id(replies, "ana")
    await chat.say("ana", f"pulse answer 1 drowning pulse {pulse}")
    await chat.say("ben", f"pulse answer 2 pulse {pulse}")

    status = await chat.text("lea", "pulse")
    assert "2 answered so far. Results need 3: 1 more." in status
    # How many, never who: the lead's status names nobody who answered.
    assert "Ana" not in status
    assert "Ben" not in status
    assert "Open until Wednesday 25 November 2026 at 10:00 (UTC)" in status
    # Lea has not answered: the buttons are there for her; Ana has, and is told so.
    assert f"pulse answer 3 pulse {pulse}" in [
        b.command for b in buttons_of(await chat.say("lea", "pulse"))
    ]
    assert "You have answered." in await chat.text("ana", "pulse")
    assert buttons_of(await chat.say("ana", "pulse")) == []
    refused = await chat.text("lea", "pulse close")
    assert "2 answered; results show only from 3, so 1 more is needed" in refused
    assert "Only the lead of Growth or an admin can close" in await chat.text("ana", "pulse close")
    for user in ("lea", "ana", "ben", "cid"):
        for command in ("pulse", "pulse close", "pulse start"):
            replies = await chat.say(user, command)
            said = text_of(replies)
            assert not RESULT_LINE.search(said), (user, command, said)
            assert "drowning" not in said, (user, command)
            assert "mean" not in said, (user, command)
            assert channel_posts(replies) == []
            assert not any(_images(r) for r in replies if isinstance(r, Message))
    assert (await _row(sessions, pulse)).closed_at is None
    # A third answer: enough, and `pulse` says so without showing anything yet.
    await chat.say("cid", f"pulse answer 4 pulse {pulse}")
    assert "3 answered so far. Enough to show results when it closes." in await chat.text(
        "lea", "pulse"
    )


async def test_at_the_threshold_closing_posts_the_aggregate_to_the_team_once(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """`pulse close` with enough answers posts to the team's channel: how many gave each
    score, the mean, the words and a PNG chart; the tick at the closing time adds nothing;
    `pulse` shows the same results afterwards."""
    await _teams(sessions)
    clock = MovingClock(at("2026-11-23 11:00"))
    chat = chat_at(sessions, config, clock)
    tick = planner(sessions, config)
    replies = await chat.say("lea", "pulse start until wed")
    pulse = _pulse_id(replies, "ana")
    await chat.say("ana", f"pulse answer 4 stretched pulse {pulse}")
    await chat.say("ben", f"pulse answer 2 pulse {pulse}")
    await chat.say("cid", f"pulse answer 5 Proud pulse {pulse}")

    clock.move_to(at("2026-11-24 09:00"))
    replies = await chat.say("lea", "pulse close")
    assert "Closed; the results are posted to the team." in text_of(replies)
    (post,) = channel_posts(replies)
    assert post.channel_id == CHANNEL
    said = post.text
    assert "How does chasing our KPIs feel right now?" in said
    (lines,) = [b for b in post.blocks if isinstance(b, Bullets)]
    assert [plain_text(i) for i in lines.items] == [
        "5 energising: 1",
        "4 good: 1",
        "3 okay: 0",
        "2 heavy: 1",
        "1 crushing: 0",
    ]
    assert "3 answered; mean 3.7 of 5." in said
    assert "In a word: Proud, stretched" in said
    (image,) = _images(post)
    assert image.data.startswith(PNG)
    assert image.alt == "3 answers, mean 3.7 of 5"
    row = await _row(sessions, pulse)
    assert (row.closed_at, row.shown) == (at("2026-11-24 09:00"), True)

    assert "Growth has no pulse open" in await chat.text("lea", "pulse close")
    clock.move_to(at("2026-11-25 10:00"))
    await tick.tick(clock.now())
    await tick.tick(clock.now())
    assert [r for r in await outbox(sessions) if r.ritual == "pulse"] == []
    (shown,) = await chat.say("dan", "pulse")
    assert isinstance(shown, Message)
    assert "3 answered; mean 3.7 of 5." in shown.text
    assert _images(shown)[0].data.startswith(PNG)


async def test_the_tick_posts_the_results_at_the_closing_time_once(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """Nobody closed it: at its closing time the tick posts the aggregate to the team's
    channel under one outbox key, chart included, with exactly the threshold's three answers;
    later ticks post nothing more."""
    await _teams(sessions)
    clock = MovingClock(at("2026-11-23 11:00"))
    chat = chat_at(sessions, config, clock)
    tick = planner(sessions, config)
    replies = await chat.say("lea", "pulse start until wed")
    pulse = _pulse_id(replies, "ana")
    for user, answer in (("ana", "1 drained"), ("ben", "1"), ("lea", "3 hopeful")):
        assert "counted" in await chat.text(user, f"pulse answer {answer} pulse {pulse}")

    clock.move_to(at("2026-11-25 09:59"))
    await tick.tick(clock.now())
    assert [r for r in await outbox(sessions) if r.ritual == "pulse"] == []
    assert (await _row(sessions, pulse)).closed_at is None
    clock.move_to(at("2026-11-25 10:00"))
    await tick.tick(clock.now())
    await tick.tick(clock.now())
    clock.move_to(at("2026-11-26 10:00"))
    await tick.tick(clock.now())
    (post,) = [r for r in await outbox(sessions) if r.ritual == "pulse"]
    assert (post.target, post.dedupe_key, post.member_id) == (CHANNEL, f"pulse:{pulse}", None)
    message = decode(post.payload)
    assert message.audience is Audience.CHANNEL
    assert "3 answered; mean 1.7 of 5." in message.text
    assert "- 1 crushing: 2" in message.text
    assert "In a word: drained, hopeful" in message.text
    (image,) = _images(message)
    assert image.data.startswith(PNG)
    row = await _row(sessions, pulse)
    assert (row.closed_at, row.shown) == (at("2026-11-25 10:00"), True)


async def test_a_kpi_whose_name_has_dollar_signs_still_gets_its_results_and_chart(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """The chart's title holds the KPI's name, and text between two dollar signs is
    mathematics to matplotlib: "Spend $_$ per lead" must still close, by the lead and by
    the tick (which would otherwise fail for every team, every minute), with its chart."""
    await _teams(sessions)
    clock = MovingClock(at("2026-11-23 11:00"))
    chat = chat_at(sessions, config, clock)
    kpi = await active_kpi(chat, "Spend $_$ per lead", "10", owner="ana")
    for n, closing in enumerate(("lead", "tick")):
        replies = await chat.say("lea", f"pulse start {kpi} until wed")
        assert "How does chasing Spend $_$ per lead feel right now?" in text_of(replies)
        pulse = _pulse_id(replies, "ana")
        for user in ("ana", "ben", "cid"):
            assert "counted" in await chat.text(user, f"pulse answer 3 pulse {pulse}")
        if closing == "lead":
            (post,) = channel_posts(await chat.say("lea", "pulse close"))
        else:
            clock.move_to(at("2026-11-26 10:00"))
            assert (await planner(sessions, config).tick(clock.now())).messages >= 1
            (row,) = [r for r in await outbox(sessions) if r.dedupe_key == f"pulse:{pulse}"]
            post = decode(row.payload)
        assert "3 answered; mean 3.0 of 5." in post.text, n
        (image,) = _images(post)
        assert image.data.startswith(PNG)
        assert image.title == "Growth: How does chasing Spend $_$ per lead feel right now?"


async def test_a_pulse_closing_below_its_threshold_stays_sealed_for_everyone(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """The team's own threshold (4 here, set by the lead) holds: with three answers the tick
    tells only the lead, by DM, that the answers stay sealed and how many more were needed;
    nothing goes to the channel, and `pulse` shows no result to anyone."""
    await _teams(sessions)
    clock = MovingClock(at("2026-11-23 11:00"))
    chat = chat_at(sessions, config, clock)
    tick = planner(sessions, config)
    await chat.say("lea", "settings set pulse 4")
    async with sessions() as session:
        team = await session.scalar(select(Team).where(Team.name == "Growth"))
        assert team is not None
        assert team.settings.get("pulse_threshold") == 4
    replies = await chat.say("lea", "pulse start until tue")
    assert "if at least 4 answered" in text_of(replies)
    pulse = _pulse_id(replies, "ana")
    for user, answer in (("ana", "1 exhausted"), ("ben", "2"), ("cid", "2 meh")):
        await chat.say(user, f"pulse answer {answer} pulse {pulse}")
    assert "3 answered so far. Results need 4: 1 more." in await chat.text("lea", "pulse")

    clock.move_to(at("2026-11-24 10:00"))
    await tick.tick(clock.now())
    await tick.tick(clock.now())
    (sealed,) = [r for r in await outbox(sessions) if r.ritual == "pulse"]
    assert (sealed.target, sealed.dedupe_key) == ("lea", f"pulse:{pulse}")
    said = text(sealed)
    assert "3 answered; results show only from 4, so they stay sealed (1 more was needed)" in said
    assert not RESULT_LINE.search(said)
    assert "exhausted" not in said
    assert "meh" not in said
    assert _images(decode(sealed.payload)) == []
    row = await _row(sessions, pulse)
    assert (row.closed_at, row.shown) == (at("2026-11-24 10:00"), False)
    for user in ("lea", "ana"):
        replies = await chat.say(user, "pulse")
        said = text_of(replies)
        assert "last pulse closed with too few answers to show; they stay sealed" in said
        assert not RESULT_LINE.search(said)
        assert "exhausted" not in said
        assert not any(_images(r) for r in replies if isinstance(r, Message))
    assert "Growth has no pulse open" in await chat.text("lea", "pulse close")


async def test_the_schedule_opens_one_pulse_per_team_and_period_across_zones(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """Switched on, the pulse comes on the check-in day at check-in time in each person's
    zone, every second week from the team's first: one pulse row for the team and week,
    whichever tick and person came first, and every prompt's buttons answer it. The week
    between is quiet."""
    people = (
        Someone("lea", role=Role.LEAD),
        Someone("ana", "Asia/Tokyo"),
        Someone("ben", "America/New_York"),
        Someone("cid", "Europe/Berlin"),
        Someone("dan"),
    )
    await _teams(sessions, people, settings={"enabled": ["pulse"]})
    clock = MovingClock(at("2026-11-22 12:00"))
    chat = chat_at(sessions, config, clock)
    tick = planner(sessions, config)

    def prompts_to(rows: list, user: str) -> list:
        return [r for r in rows if r.ritual == "pulse" and r.target == user]

    # Monday 23 November 2026 (a pulse week): 10:00 in Tokyo, Berlin, London, New York.
    for moment, due in (
        ("2026-11-23 00:59", set()),
        ("2026-11-23 01:00", {"ana"}),
        ("2026-11-23 09:00", {"ana", "cid"}),
        ("2026-11-23 10:00", {"ana", "cid", "lea", "dan"}),
        ("2026-11-23 14:00", {"ana", "cid", "lea", "dan"}),
        ("2026-11-23 15:00", {"ana", "cid", "lea", "dan", "ben"}),
    ):
        clock.move_to(at(moment))
        await tick.tick(clock.now())
        await tick.tick(clock.now())
        rows = await outbox(sessions)
        assert {r.target for r in rows if r.ritual == "pulse"} == due, moment
        assert all(len(prompts_to(rows, user)) == 1 for user in due)
    (opened,) = await _pulses(sessions)
    assert (opened.period, opened.started_by_id, opened.kpi_id) == ("2026-W48", None, None)
    assert opened.opened_at == at("2026-11-23 01:00")  # with Ana's prompt, the first due
    assert opened.closes_at == at("2026-11-25 10:00")  # two days on, the team's 10:00
    rows = await outbox(sessions)
    for user in ("lea", "ana", "ben", "cid", "dan"):
        (prompt,) = prompts_to(rows, user)
        message = decode(prompt.payload)
        assert message.audience is Audience.DM
        assert "How does chasing our KPIs feel right now?" in message.text
        commands = {b.command for b in buttons_of([message])}
        assert f"pulse answer 3 pulse {opened.id}" in commands
        assert f"pulse answer pulse {opened.id}" in commands
        assert prompt.budget_week == "2026-W48"
    # The buttons answer it, from any zone.
    assert "counted" in await chat.text("ana", f"pulse answer 4 pulse {opened.id}")
    assert "counted" in await chat.text("ben", "pulse answer 2")
    assert (await _row(sessions, opened.id)).counts == [0, 1, 0, 1, 0]

    # Two answers of three by Wednesday's 10:00: sealed, and the lead is told.
    clock.move_to(at("2026-11-25 10:00"))
    await tick.tick(clock.now())
    (sealed,) = [r for r in await outbox(sessions) if r.dedupe_key == f"pulse:{opened.id}"]
    assert sealed.target == "lea"
    assert "2 answered; results show only from 3, so they stay sealed" in text(sealed)
    # The week after is off: ticks at every zone's 10:00 ask nothing and open nothing.
    for moment in ("2026-11-30 01:00", "2026-11-30 09:00", "2026-11-30 10:00", "2026-11-30 15:00"):
        clock.move_to(at(moment))
        await tick.tick(clock.now())
    assert len([r for r in await outbox(sessions) if r.ritual == "pulse"]) == 5 + 1
    assert [
        n for n in await ledger(sessions) if n.ritual == "pulse" and n.period == "2026-W49"
    ] == []
    assert [p.period for p in await _pulses(sessions)] == ["2026-W48"]
    # And the week after that is on again: a new pulse, for the new week.
    clock.move_to(at("2026-12-07 10:00"))
    await tick.tick(clock.now())
    assert [p.period for p in await _pulses(sessions)] == ["2026-W48", "2026-W50"]


async def test_scheduled_prompts_are_skipped_while_a_lead_started_pulse_is_open(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """The lead asked everyone already: the schedule's prompts that come due meanwhile are
    recorded as skipped in the ledger, no second pulse opens, and no DM goes out."""
    await _teams(sessions, settings={"enabled": ["pulse"]})
    clock = MovingClock(at("2026-11-20 11:00"))  # the Friday before a pulse week
    chat = chat_at(sessions, config, clock)
    tick = planner(sessions, config)
    replies = await chat.say("lea", "pulse start until tue")
    pulse = _pulse_id(replies, "ana")

    clock.move_to(at("2026-11-23 10:00"))
    await tick.tick(clock.now())
    await tick.tick(clock.now())
    assert [r for r in await outbox(sessions) if r.ritual == "pulse"] == []
    assert [p.id for p in await _pulses(sessions)] == [pulse]
    skipped = [n for n in await ledger(sessions) if n.ritual == "pulse"]
    assert len(skipped) == 5
    assert {n.outcome for n in skipped} == {NudgeOutcome.SKIPPED}
    assert {n.reason for n in skipped} == {"another pulse is open"}
    assert {n.period for n in skipped} == {"2026-W48"}
    # Once the lead's pulse has closed, the settled week is not asked again.
    clock.move_to(at("2026-11-24 10:00"))
    await tick.tick(clock.now())
    assert len([n for n in await ledger(sessions) if n.ritual == "pulse"]) == 5
    assert [p.id for p in await _pulses(sessions)] == [pulse]


async def test_no_scheduled_pulse_comes_days_after_one_the_lead_started_and_closed(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """Lea asks on Friday and closes it; Monday's scheduled pulse (every 2 weeks) would ask
    everyone the same again three days later. It is skipped with the reason in the ledger,
    nothing opens and nobody hears of it; the round after comes as usual."""
    await _teams(sessions, settings={"enabled": ["pulse"]})
    clock = MovingClock(at("2026-12-04 11:00"))  # the Friday before a pulse week
    chat = chat_at(sessions, config, clock)
    tick = planner(sessions, config)
    kpi = await active_kpi(chat)
    pulse = _pulse_id(await chat.say("lea", f"pulse start {kpi} until tue"), "ana")
    for user, score in (("ana", 4), ("ben", 3), ("cid", 2)):
        assert "counted" in await chat.text(user, f"pulse answer {score}")
    clock.move_to(at("2026-12-04 15:00"))
    assert "Closed" in await chat.text("lea", "pulse close")
    assert (await _row(sessions, pulse)).closed_at is not None
    before = len(await outbox(sessions))

    for moment in ("2026-12-07 10:00", "2026-12-08 10:00", "2026-12-09 10:00"):
        clock.move_to(at(moment))
        await tick.tick(clock.now())
        await tick.tick(clock.now())
    assert [r for r in (await outbox(sessions))[before:] if r.ritual == "pulse"] == []
    assert [p.id for p in await _pulses(sessions)] == [pulse]
    skipped = [n for n in await ledger(sessions) if n.ritual == "pulse"]
    assert len(skipped) == 5
    assert {(n.outcome, n.period) for n in skipped} == {(NudgeOutcome.SKIPPED, "2026-W50")}
    assert {n.reason for n in skipped} == {"a pulse was started within the last 2 weeks"}

    # Two weeks on, Lea's pulse is a round behind: the schedule asks everyone again.
    clock.move_to(at("2026-12-21 10:00"))
    await tick.tick(clock.now())
    assert [p.period for p in await _pulses(sessions)] == [None, "2026-W52"]
    asked = {r.target for r in await outbox(sessions) if r.ritual == "pulse"}
    assert asked == {"lea", "ana", "ben", "cid", "dan"}


async def test_the_store_keeps_no_link_from_an_answer_to_its_author(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """Read the tables themselves: who answered is kept with nothing of what they answered,
    and the pulse holds only counts and words, in an order that is not the order they came
    in, and no member but the lead who started it."""
    people = (Someone("lea", role=Role.LEAD), *(Someone(f"m{n:02d}") for n in range(11)))
    await _teams(sessions, people)
    clock = MovingClock(at("2026-11-23 11:00"))
    chat = chat_at(sessions, config, clock)
    replies = await chat.say("lea", "pulse start until wed")
    pulse = _pulse_id(replies, "m00")
    said = [f"word{n:02d}" for n in range(11)]
    for n, word in enumerate(said):
        score = n % 5 + 1
        assert "counted" in await chat.text(f"m{n:02d}", f"pulse answer {score} {word}")
    assert "counted" in await chat.text("lea", "pulse answer 3")

    async with sessions() as session:
        connection = await session.connection()
        columns = await connection.run_sync(
            lambda c: {
                name: [col["name"] for col in inspect(c).get_columns(name)]
                for name in ("pulse", "pulse_respondent")
            }
        )
        keys = await connection.run_sync(
            lambda c: [
                (fk["constrained_columns"], fk["referred_table"])
                for fk in inspect(c).get_foreign_keys("pulse")
            ]
        )
        row = await session.get(Pulse, pulse)
        assert row is not None
        lea = await session.scalar(select(Member.id).where(Member.platform_user_id == "lea"))
        answerers = set(
            (
                await session.scalars(
                    select(Member.id).where(
                        Member.platform_user_id.in_(["lea", *(f"m{n:02d}" for n in range(11))])
                    )
                )
            ).all()
        )
        respondent_rows = (
            await session.execute(
                select(PulseRespondent.__table__).where(PulseRespondent.pulse_id == pulse)
            )
        ).all()
    assert sorted(columns["pulse_respondent"]) == ["id", "member_id", "pulse_id", "workspace_id"]
    assert sorted(columns["pulse"]) == sorted(
        [
            "id",
            "workspace_id",
            "team_id",
            "kpi_id",
            "question",
            "started_by_id",
            "period",
            "threshold",
            "counts",
            "words",
            "opened_at",
            "closes_at",
            "closed_at",
            "shown",
        ]
    )
    to_members = [cols for cols, table in keys if table == "member"]
    assert to_members == [["workspace_id", "started_by_id"]]
    assert row.started_by_id == lea
    assert row.counts == [3, 2, 3, 2, 2]
    assert sorted(row.words) == said
    # Inserted at random places: the stored order does not tell who came when (the chance
    # of 11 words landing in their own order by accident is 1 in 39,916,800).
    assert row.words != said
    assert len(respondent_rows) == 12
    assert {r.member_id for r in respondent_rows} == answerers
    assert all(
        set(r._mapping) == {"id", "workspace_id", "pulse_id", "member_id"} for r in respondent_rows
    )


async def _export(chat: Chat, user: str, words: Collection[str]) -> dict[str, Any]:
    """The person's export, checked to hold none of the words anyone answered, nor any
    pulse's counts or words."""
    (message,) = await chat.say(user, "me export")
    assert isinstance(message, Message)
    (file,) = [b for b in message.blocks if isinstance(b, File)]
    blob = file.data.decode()
    tables: dict[str, Any] = json.loads(blob)["tables"]
    for word in words:
        assert word not in blob, (user, word)
    for rows in tables.values():
        for row in rows:
            # A table may name a pulse, never carry its answers.
            assert not isinstance(row.get("counts"), list), (user, row)
            assert not isinstance(row.get("words"), list), (user, row)
    return tables


async def _two_answers(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> tuple[Chat, MovingClock, int]:
    """Lea's pulse, answered by Ana and by Lea herself, each with a word."""
    await _teams(sessions)
    clock = MovingClock(at("2026-11-23 11:00"))
    chat = chat_at(sessions, config, clock)
    replies = await chat.say("lea", "pulse start until wed")
    pulse = _pulse_id(replies, "ana")
    await chat.say("ana", f"pulse answer 1 overwhelmed pulse {pulse}")
    await chat.say("lea", f"pulse answer 3 torn pulse {pulse}")
    return chat, clock, pulse


WORDS = ("overwhelmed", "torn")


async def test_a_respondents_export_says_only_that_they_answered(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """`me export` is how a person's rows leave the bot: a respondent's holds that they
    answered which pulse, and not their score or word, open or closed; someone who did not
    answer has no respondent row at all."""
    chat, clock, pulse = await _two_answers(sessions, config)
    tables = await _export(chat, "ana", WORDS)
    (mine,) = tables["pulse_respondent"]
    assert set(mine) == {"id", "workspace_id", "pulse_id", "member_id"}
    assert mine["pulse_id"] == pulse
    assert (await _export(chat, "ben", WORDS))["pulse_respondent"] == []
    clock.move_to(at("2026-11-25 10:00"))
    await planner(sessions, config).tick(clock.now())
    assert (await _row(sessions, pulse)).shown is False
    assert len((await _export(chat, "ana", WORDS))["pulse_respondent"]) == 1


async def test_the_leads_export_holds_nobodys_answers_open_or_sealed(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """The lead who started a pulse gets its row in `me export` (it names them), but the
    answers in it are the team's, anonymous, and not the lead's to take: not while it is open
    (nobody sees answers before the close) and never when it closed sealed (nobody ever
    does). A sealed pulse of one answer would otherwise hand the lead that person's answer."""
    chat, clock, pulse = await _two_answers(sessions, config)
    tables = await _export(chat, "lea", WORDS)
    assert [p["id"] for p in tables["pulse"]] == [pulse]
    clock.move_to(at("2026-11-25 10:00"))
    await planner(sessions, config).tick(clock.now())
    assert (await _row(sessions, pulse)).shown is False
    await _export(chat, "lea", WORDS)


async def test_an_answer_on_its_way_when_the_pulse_closes_is_refused_by_the_store(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """Two transactions: Dan's answer read the pulse while it was open, then the lead closed
    it and the results went out. The store locks and rereads the row before counting, so the
    late answer changes nothing the team was shown; a score the grammar would never let
    through is refused by the store too, rather than counted as another score."""
    await _teams(sessions)
    clock = MovingClock(at("2026-11-23 11:00"))
    chat = chat_at(sessions, config, clock)
    pulse = _pulse_id(await chat.say("lea", "pulse start until wed"), "ana")
    for user in ("ana", "ben", "cid"):
        await chat.say(user, f"pulse answer 4 pulse {pulse}")
    async with sessions() as answering:
        dan = await member(answering, "dan")
        stale = await answering.get(Pulse, pulse)
        assert stale is not None
        for score in (0, 6):
            with pytest.raises(ValueError, match="score is 1 to 5"):
                await record_answer(answering, stale, dan.id, score, None)
        assert stale.closed_at is None
        (post,) = channel_posts(await chat.say("lea", "pulse close"))
        assert "3 answered; mean 4.0 of 5." in post.text
        with pytest.raises(PulseClosed):
            await record_answer(answering, stale, dan.id, 1, "late")
        await answering.commit()
    row = await _row(sessions, pulse)
    assert (row.counts, row.words, row.shown) == ([0, 0, 0, 3, 0], [], True)
    assert await _respondents(sessions, pulse) == {"ana", "ben", "cid"}
    # And one whose closing time has come, though no tick has closed it yet.
    clock.move_to(at("2026-11-24 11:00"))
    second = _pulse_id(await chat.say("lea", "pulse start until wed"), "dan")
    async with sessions() as answering:
        dan = await member(answering, "dan")
        open_one = await answering.get(Pulse, second)
        assert open_one is not None
        with pytest.raises(PulseClosed):
            await record_answer(answering, open_one, dan.id, 2, None, now=at("2026-11-25 10:00"))
        assert await record_answer(answering, open_one, dan.id, 2, None, now=clock.now())
        await answering.commit()
    assert (await _row(sessions, second)).counts == [0, 1, 0, 0, 0]


async def test_forgetting_the_lead_who_started_a_pulse_keeps_it_and_every_answer(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """The pulse is the team's: when the lead who started it is forgotten it stays, with no
    one as its starter, and their anonymous answer still counts towards the threshold and
    the results (it was never theirs to take back: nothing links it to them)."""
    await _teams(sessions)
    clock = MovingClock(at("2026-11-23 11:00"))
    chat = chat_at(sessions, config, clock)
    replies = await chat.say("lea", "pulse start until wed")
    pulse = _pulse_id(replies, "ana")
    await chat.say("ana", f"pulse answer 1 overwhelmed pulse {pulse}")
    await chat.say("ben", f"pulse answer 5 buoyant pulse {pulse}")
    await chat.say("lea", f"pulse answer 3 torn pulse {pulse}")

    assert "now leads Growth" in await chat.text("lea", "team lead @ana")
    assert "you are forgotten" in await chat.text("lea", "me forget confirm")
    row = await _row(sessions, pulse)
    assert row.started_by_id is None
    assert row.counts == [1, 0, 1, 0, 1]
    assert sorted(row.words) == ["buoyant", "overwhelmed", "torn"]
    assert await _respondents(sessions, pulse) == {"ana", "ben"}
    assert "3 answered so far. Enough to show results when it closes." in await chat.text(
        "ana", "pulse"
    )
    replies = await chat.say("ana", "pulse close")
    (post,) = channel_posts(replies)
    assert "3 answered; mean 3.0 of 5." in post.text
    assert "In a word: buoyant, overwhelmed, torn" in post.text


async def test_a_prompt_due_as_the_scheduled_pulse_closes_is_skipped_not_sent(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """Wes works Wednesday to Friday: Monday's prompt reaches him on Wednesday at 10:00, the
    very moment the pulse closes. Asking him to answer what no longer takes answers would
    spend his weekly budget on a dead button: it is skipped, like any prompt after the
    close."""
    people = (*GROWTH, Someone("wes", working_days="wed,thu,fri"))
    await _teams(sessions, people, settings={"enabled": ["pulse"]})
    clock = MovingClock(at("2026-11-23 10:00"))
    tick = planner(sessions, config)
    await tick.tick(clock.now())
    (opened,) = await _pulses(sessions)
    assert opened.closes_at == at("2026-11-25 10:00")
    clock.move_to(opened.closes_at)
    await tick.tick(clock.now())
    assert (await _row(sessions, opened.id)).closed_at == clock.now()
    assert [r for r in await outbox(sessions) if r.target == "wes"] == []
    (to_wes,) = [
        n
        for n in await ledger(sessions)
        if n.ritual == "pulse" and n.dedupe_key.endswith(":2026-W48") and n.reason
    ]
    assert (to_wes.outcome, to_wes.reason) == (NudgeOutcome.SKIPPED, "the pulse closed already")


async def test_a_team_smaller_than_the_threshold_is_never_asked(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """Two people can never reach three answers: a pulse would ask them for answers nobody
    could ever see. The lead hears why; the schedule skips it."""
    pair = (Someone("lea", role=Role.LEAD), Someone("ana"))
    await _teams(sessions, pair, settings={"enabled": ["pulse"]})
    clock = MovingClock(at("2026-11-23 09:00"))
    chat = chat_at(sessions, config, clock)
    said = await chat.text("lea", "pulse start")
    assert "Growth has 2 people, and results show only once 3 have answered" in said
    clock.move_to(at("2026-11-23 10:00"))
    await planner(sessions, config).tick(clock.now())
    assert await _pulses(sessions) == []
    skipped = [n for n in await ledger(sessions) if n.ritual == "pulse"]
    assert {n.reason for n in skipped} == {"fewer people than answers needed"}
    assert len(skipped) == 2


async def test_the_store_holds_one_open_pulse_per_team_whatever_races(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """Two starts at once (a double click, a lead racing the tick on another replica) both
    find no open pulse; the database lets only one of them open."""
    await _teams(sessions)
    async with sessions() as session, session.begin():
        team = await session.scalar(select(Team).where(Team.name == "Growth"))
        assert team is not None
        now = at("2026-11-23 10:00")
        first = new_pulse(team.workspace_id, team.id, "How?", 3, now, at("2026-11-25 10:00"))
        session.add(first)
        await session.flush()
        second = new_pulse(team.workspace_id, team.id, "How?", 3, now, at("2026-11-25 10:00"))
        with pytest.raises(IntegrityError):
            async with session.begin_nested():
                session.add(second)
        first.closed_at = now
        async with session.begin_nested():
            session.add(new_pulse(team.workspace_id, team.id, "How?", 3, now, now))
