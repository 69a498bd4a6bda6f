"""The KPI life cycle across weeks and a quarter, by the real tick, dispatcher and store on a
moving clock: the purpose workshop, a co-created KPI put to the team's vote, numbers logged
with a celebrated decline, the experiment's look-back day, and the quarterly review with its
one summary post."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import AppConfig
from rituals.core.messages import Form, Image, Message
from rituals.numbers.declines import WILD_IDEA
from storage.models import Kpi, KpiChange, KpiReview, KpiStatus, Member, Purpose, Role, Team
from tests.scheduling import LONG_AGO, Someone, ledger, outbox, planner, seed_team, text
from tests.support import (
    MovingClock,
    active_kpi,
    at,
    buttons_of,
    channel_posts,
    chat_at,
    dms_to,
    text_of,
)

CHANNEL = "C0GROWTH"


async def _team(sessions: async_sessionmaker[AsyncSession], channel: str | None = CHANNEL) -> None:
    async with sessions() as session, session.begin():
        team = await seed_team(
            session, [Someone("lea", role=Role.LEAD), Someone("ana"), Someone("ben")]
        )
        team.channel_id = channel
        # People who were here before: no welcome in the replies.
        await session.execute(update(Member).values(welcomed_at=LONG_AGO))


async def test_the_purpose_workshop_gathers_answers_and_posts_them_together(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    await _team(sessions)
    clock = MovingClock(at("2026-11-23 11:00"))
    chat = chat_at(sessions, config, clock)
    tick = planner(sessions, config)

    assert "Only the lead of Growth or an admin can start its purpose workshop. Ask @Lea" in (
        await chat.text("ana", 'purpose start "we help small shops sell online" until fri')
    )
    assert "give a day after today" in await chat.text(
        "lea", 'purpose start "we help small shops sell online" until 2027-03-01'
    )
    replies = await chat.say("lea", 'purpose start "we help small shops sell online" until fri')
    assert "Asked 2 people on Growth" in text_of(replies)
    assert "on Friday 27 November 2026 at 10:00 (UTC)" in text_of(replies)
    (to_ana,) = dms_to(replies, "ana")
    assert "How does your role move the needle on our purpose?" in to_ana.text
    (answer,) = buttons_of([to_ana])
    assert "already" in await chat.text("lea", 'purpose start "another purpose entirely"')

    (form,) = await chat.say("ana", answer.command)
    assert isinstance(form, Form)
    assert "we help small shops sell online" in form.intro
    await chat.submit("ana", form, {"text": "every shop I onboard sells in its first week"})
    assert "Saved" in await chat.text("ben", 'purpose answer "I keep the checkout fast"')
    assert "Revised" in await chat.text("ben", 'purpose answer "I keep checkout fast and safe"')
    # Before the deadline nobody reads another's words; the lead sees who answered.
    shown = await chat.text("ana", "purpose")
    assert "every shop I onboard" in shown
    assert "checkout" not in shown
    assert "Answered so far: Ana, Ben" in await chat.text("lea", "purpose")

    clock.move_to(at("2026-11-27 09:59"))
    await tick.tick(clock.now())
    assert [r for r in await outbox(sessions) if r.ritual == "purpose"] == []
    clock.move_to(at("2026-11-27 10:00"))
    await tick.tick(clock.now())
    await tick.tick(clock.now())
    (post,) = [r for r in await outbox(sessions) if r.ritual == "purpose"]
    assert post.target == CHANNEL
    said = text(post)
    assert "Why we exist: Growth" in said
    assert "@Ana: every shop I onboard sells in its first week" in said
    assert "@Ben: I keep checkout fast and safe" in said
    # Kept, and revisable: `purpose` shows the answers as they read now.
    await chat.say("ana", 'purpose answer "every shop I onboard sells within five days"')
    assert "within five days" in await chat.text("ben", "purpose")
    assert "Zed" not in await chat.text("lea", "purpose")


async def test_a_team_without_a_channel_gets_its_purpose_through_the_lead(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    await _team(sessions, channel=None)
    clock = MovingClock(at("2026-11-23 11:00"))
    chat = chat_at(sessions, config, clock)
    await chat.say("lea", 'purpose start "we help small shops sell online" until tomorrow')
    clock.move_to(at("2026-11-24 10:00"))
    await planner(sessions, config).tick(clock.now())
    (post,) = [r for r in await outbox(sessions) if r.ritual == "purpose"]
    assert post.target == "lea"
    assert "No answers came in this time" in text(post)
    assert "no home channel" in text(post)
    async with sessions() as session:
        (row,) = (await session.scalars(select(Purpose))).all()
        assert row.posted_at == clock.now()


async def test_a_co_created_kpi_is_voted_on_in_the_channel_and_activated_when_backed(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    await _team(sessions)
    clock = MovingClock(at("2026-11-23 11:00"))
    chat = chat_at(sessions, config, clock)
    replies = await chat.say(
        "ana",
        'propose "Qualified leads" target 10 leads per week growth "run discovery calls alone" '
        'why "every lead is a conversation I learn from"',
    )
    kpi = int(text_of(replies).split("Proposed #")[1].split(":")[0])
    (post,) = channel_posts(replies)
    assert post.channel_id == CHANNEL
    assert "every lead is a conversation I learn from" in post.text
    assert [b.command for b in buttons_of([post])] == [f"vote {kpi} back", f"vote {kpi}"]

    (form,) = await chat.say("ben", f"vote {kpi}")
    assert isinstance(form, Form)
    assert [f.name for f in form.fields] == ["stance", "comment"]
    replies = await chat.say("ben", f'vote {kpi} question "is 10 realistic in December?"')
    assert "The team so far: 0 back it, 1 question it." in text_of(replies)
    (thread,) = channel_posts(replies)
    assert thread.in_thread
    assert "Ben questions it: is 10 realistic in December?" in thread.text
    refused = await chat.text("lea", f"activate {kpi}")
    assert f"has not backed #{kpi} Qualified leads yet (0 back it, 1 question it)" in refused
    assert "Ben: is 10 realistic in December?" in refused
    assert f"You now back #{kpi}" in await chat.text(
        "ben", f'vote {kpi} back "fair, with the fair in"'
    )
    assert "The team so far: 2 back it" in await chat.text("lea", f"vote {kpi} back")
    # Zed, on no team in T1, may not know of Growth's KPIs: he hears it does not exist.
    assert f"There is no KPI #{kpi} here" in await chat.text("zed", f"vote {kpi} back")
    assert f"There is no KPI #{kpi} here" in await chat.text("yan", f"vote {kpi} back", "T2")
    assert "Active" in await chat.text("lea", f"activate {kpi}")
    assert "votes are for proposals" in await chat.text("ben", f"vote {kpi} question")
    # The team co-created it, so the team sees its numbers.
    await chat.say("ana", f"log {kpi} 8")
    (trend,) = await chat.say("ben", f"trend {kpi}")
    assert isinstance(trend, Message)
    assert any(isinstance(b, Image) for b in trend.blocks)
    assert "Only Ana and their lead" not in trend.text


async def test_a_decline_starts_an_experiment_whose_look_back_day_asks_what_happened(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    await _team(sessions)
    clock = MovingClock(at("2026-11-23 11:00"))
    chat = chat_at(sessions, config, clock)
    tick = planner(sessions, config)
    kpi = await active_kpi(chat, "Qualified leads", "10", "ana", "lead calls alone")
    await chat.say("ana", f'log {kpi} 10 "steady" period last')
    replies = await chat.say("ana", f'log {kpi} 5 "two reps out sick"')
    assert WILD_IDEA in text_of(replies)
    (idea,) = [b for b in buttons_of(replies) if b.command.startswith("experiment")]
    (form,) = await chat.say("ana", idea.command)
    assert isinstance(form, Form)
    said = text_of(
        await chat.submit(
            "ana", form, {"idea": "call back lost leads within an hour", "review": "thu"}
        )
    )
    assert "I'll ask what happened on Thursday 26 November 2026" in said
    tried = int(said.split("Experiment #")[1].split(" ")[0])

    clock.move_to(at("2026-11-26 08:59"))
    await tick.tick(clock.now())
    assert [r for r in await outbox(sessions) if r.ritual == "experiment"] == []
    clock.move_to(at("2026-11-26 09:00"))
    await tick.tick(clock.now())
    await tick.tick(clock.now())
    (look_back,) = [r for r in await outbox(sessions) if r.ritual == "experiment"]
    assert look_back.target == "ana"
    assert look_back.budget_week is None  # she asked to be held to it
    assert "call back lost leads within an hour" in text(look_back)
    assert "Tell what happened" in text(look_back)
    clock.move_to(at("2026-11-26 10:00"))
    await chat.say("ana", f'result {tried} "four lost leads came back; the hour rule stays"')
    clock.move_to(at("2026-11-27 09:00"))
    await tick.tick(clock.now())
    assert len([r for r in await outbox(sessions) if r.ritual == "experiment"]) == 1


async def test_the_quarterly_review_asks_owners_and_leads_and_posts_one_summary(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    await _team(sessions)
    clock = MovingClock(at("2026-12-14 11:00"))
    chat = chat_at(sessions, config, clock)
    tick = planner(sessions, config)
    leads, demos, uptime = [
        await active_kpi(chat, name, "10", owner, "grow into a lead role")
        for name, owner in (("Qualified leads", "ana"), ("Demos", "ana"), ("Uptime", "ben"))
    ]

    # The first Monday of the quarter, at check-in time: owners and the lead are asked.
    clock.move_to(at("2027-01-04 10:00"))
    await tick.tick(clock.now())
    (to_ana,) = [
        text(r) for r in await outbox(sessions) if r.target == "ana" and r.ritual == "review"
    ]
    assert "Quarterly KPI review: Growth" in to_ana
    assert "Is this KPI still relevant?" in to_ana
    assert f"Review #{leads} Qualified leads" in to_ana
    assert "Uptime" not in to_ana
    (to_lea,) = [
        text(r) for r in await outbox(sessions) if r.target == "lea" and r.ritual == "review"
    ]
    assert f"#{uptime} Uptime (Ben)" in to_lea

    clock.move_to(at("2027-01-04 11:00"))
    (form,) = await chat.say("ana", f"review {leads}")
    assert isinstance(form, Form)
    assert {f.name: f.required for f in form.fields}["verdict"] is True
    (form,) = await chat.say("ana", f"review {leads} adjust relevant yes motivating no")
    assert isinstance(form, Form)
    assert "give a new target, a new name, or both" in form.intro
    (form,) = await chat.say("ana", f"review {leads} adjust relevant yes motivating no target 14")
    assert isinstance(form, Form)
    assert "Say why it changes" in form.intro
    (form,) = await chat.say(
        "ana", f'review {leads} adjust relevant yes motivating no name "Demos" why "clearer"'
    )
    assert isinstance(form, Form)
    assert "already the name of another" in form.intro
    said = await chat.text(
        "ana",
        f'review {leads} adjust relevant yes motivating no target 14 why "10 comes easily now"',
    )
    assert (
        f"Adjusted #{leads}: target 10 per week is now 14 per week. Why: 10 comes easily now"
        in said
    )
    # The lead's later "keep" does not undo what was adjusted.
    await chat.say("lea", f"review {leads} keep relevant yes motivating yes")
    replies = await chat.say(
        "lea", f'review {uptime} kill relevant no motivating no why "monitoring alerts cover it"'
    )
    (to_ben,) = dms_to(replies, "ben")
    assert f"Killed #{uptime} Uptime" in to_ben.text
    assert "You can't review Ana's KPI" in await chat.text(
        "ben", f"review {demos} keep relevant yes motivating yes"
    )
    assert "reviews are for active KPIs" in await chat.text(
        "ben", f"review {uptime} keep relevant yes motivating yes"
    )
    async with sessions() as session:
        kpi = await session.get(Kpi, leads)
        killed = await session.get(Kpi, uptime)
        assert kpi is not None
        assert killed is not None
        assert kpi.target == 14
        assert killed.status is KpiStatus.RETIRED
        assert killed.retired_reason == "killed in the Q1 2027 review: monitoring alerts cover it"
        (change,) = (await session.scalars(select(KpiChange))).all()
        assert (change.what, change.before, change.after, change.why) == (
            "target",
            "10 per week",
            "14 per week",
            "10 comes easily now",
        )
        assert len((await session.scalars(select(KpiReview))).all()) == 3

    # A week on, the team gets one post of what came of it: the KPIs it co-created by name,
    # a person's own only as a count.
    async with sessions() as session, session.begin():
        await session.execute(update(Kpi).where(Kpi.id.in_([leads, uptime])).values(shared=True))
    clock.move_to(at("2027-01-11 09:59"))
    await tick.tick(clock.now())
    assert [r for r in await outbox(sessions) if r.target == CHANNEL] == []
    clock.move_to(at("2027-01-11 10:00"))
    await tick.tick(clock.now())
    await tick.tick(clock.now())
    (post,) = [r for r in await outbox(sessions) if r.target == CHANNEL]
    said = text(post)
    assert "2027-Q1 KPI review: Growth" in said
    assert (
        "Qualified leads (Ana): target 10 per week is now 14 per week. Why: 10 comes easily" in said
    )
    assert "Uptime (Ben): monitoring alerts cover it" in said
    assert "1 personal KPI was not reviewed; they carry on as they are." in said
    assert "Demos" not in said


async def test_nobody_is_asked_to_review_nothing_and_no_summary_says_nothing(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    await _team(sessions)
    clock = MovingClock(at("2026-12-14 11:00"))
    chat = chat_at(sessions, config, clock)
    tick = planner(sessions, config)
    kpi = await active_kpi(chat, "Qualified leads", "10", "ana", "lead calls alone")
    clock.move_to(at("2027-01-04 10:00"))
    await tick.tick(clock.now())
    asked = {r.target for r in await outbox(sessions) if r.ritual == "review"}
    assert asked == {"ana", "lea"}  # Ben owns no active KPI
    (skipped,) = [
        n for n in await ledger(sessions) if n.ritual == "review" and n.outcome.value == "skipped"
    ]
    assert skipped.reason == "no active KPI to review"
    # A quarter later Ana's KPI is retired: nobody is asked, and the team gets no empty post.
    await chat.say("ana", f"retire {kpi} we measure win rate now")
    clock.move_to(at("2027-04-05 10:00"))
    await tick.tick(clock.now())
    clock.move_to(at("2027-04-12 10:00"))
    await tick.tick(clock.now())
    later = [r for r in await outbox(sessions) if r.created_at >= at("2027-04-01 00:00")]
    assert later  # the tick ran: check-ins went out
    assert [r for r in later if r.ritual == "review" or r.target == CHANNEL] == []


async def test_a_team_that_runs_no_scheduled_ritual_still_gets_its_purpose_posted(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    await _team(sessions)
    async with sessions() as session, session.begin():
        await session.execute(update(Team).values(settings={"enabled": ["kudos"]}))
    clock = MovingClock(at("2026-11-23 11:00"))
    chat = chat_at(sessions, config, clock)
    await chat.say("lea", 'purpose start "we help small shops sell online" until tomorrow')
    clock.move_to(at("2026-11-24 10:00"))
    await planner(sessions, config).tick(clock.now())
    (post,) = [r for r in await outbox(sessions) if r.ritual == "purpose"]
    assert post.target == CHANNEL
    assert "Asked 2 people" in await chat.text("lea", 'purpose start "a second purpose to ask"')
