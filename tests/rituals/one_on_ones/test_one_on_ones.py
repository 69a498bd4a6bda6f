"""Wins-first one-on-one scripts from seeded data, through the real grammar, dispatcher and
store: each section, the "why did this dip?" ladder, notes that open the next script, and who
may see which script."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rituals.core.messages import Form
from storage.models import (
    Commitment,
    CommitmentStatus,
    DipLadder,
    Experiment,
    Kpi,
    KpiValue,
    Kudos,
    KudosRecipient,
    OneOnOne,
    Team,
)
from tests.conftest import NOW
from tests.support import Chat, add_kpi, buttons_of, dms_to, member, text_of

AGREED = NOW - timedelta(weeks=20)  # long before the fortnight the script looks back on


def _value(
    kpi: Kpi, monday: date, value: int, logged: datetime, note: str | None = None
) -> KpiValue:
    year, week, _ = monday.isocalendar()
    return KpiValue(
        workspace_id=kpi.workspace_id,
        kpi_id=kpi.id,
        period=f"{year}-W{week:02d}",
        period_start=monday,
        value=Decimal(value),
        note=note,
        logged_by_id=kpi.owner_id,
        logged_at=logged,
    )


async def seed_history(sessions: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    """Ana's fortnight since her last one-on-one (two weeks ago): a KPI that rose, one that
    fell, kudos from Ben, a commitment kept, an experiment finished."""
    last = NOW - timedelta(weeks=2)
    async with sessions() as session, session.begin():
        lea, ana, ben = [await member(session, u) for u in ("lea", "ana", "ben")]
        team = await session.scalar(select(Team).where(Team.name == "Growth"))
        assert team is not None
        leads = await add_kpi(session, ana, "Qualified leads", unit="leads", agreed_at=AGREED)
        wins = await add_kpi(session, ana, "Win rate", unit="%", agreed_at=AGREED)
        w45, w46, w47 = date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)
        session.add_all(
            [
                _value(leads, w45, 6, last - timedelta(days=3)),
                _value(leads, w46, 8, last + timedelta(days=1)),
                _value(leads, w47, 9, last + timedelta(days=8)),
                _value(leads, w47, 11, last + timedelta(days=9), "two referrals from the meetup"),
                _value(wins, w46, 30, last + timedelta(days=1)),
                _value(wins, w47, 22, last + timedelta(days=8), "two deals slipped"),
            ]
        )
        session.add(
            OneOnOne(
                workspace_id=ana.workspace_id,
                team_id=team.id,
                lead_id=lea.id,
                member_id=ana.id,
                notes="talked about the EU launch",
                next_steps="Ana drafts the EU offer\nLea asks legal about the template",
                written_by_id=lea.id,
                held_at=last,
            )
        )
        kudos = Kudos(
            workspace_id=ana.workspace_id,
            team_id=team.id,
            from_id=ben.id,
            kpi_id=leads.id,
            story="Ana sat with me for an hour to rebuild my call script",
            created_at=last + timedelta(days=2),
        )
        old_kudos = Kudos(
            workspace_id=ana.workspace_id,
            from_id=ben.id,
            story="an old story from before the last one-on-one",
            created_at=last - timedelta(days=5),
        )
        session.add_all([kudos, old_kudos])
        await session.flush()
        session.add_all(
            [
                KudosRecipient(workspace_id=ana.workspace_id, kudos_id=kudos.id, member_id=ana.id),
                KudosRecipient(
                    workspace_id=ana.workspace_id, kudos_id=old_kudos.id, member_id=ana.id
                ),
                Commitment(
                    workspace_id=ana.workspace_id,
                    team_id=team.id,
                    for_id=ana.id,
                    owner_id=lea.id,
                    made_by_id=lea.id,
                    action="Get Ana a seat in the pricing review",
                    due=NOW.date() - timedelta(days=4),
                    status=CommitmentStatus.DONE,
                    created_at=last,
                    closed_at=NOW - timedelta(days=5),
                ),
                Experiment(
                    workspace_id=ana.workspace_id,
                    kpi_id=leads.id,
                    owner_id=ana.id,
                    hypothesis="Calling back within an hour doubles the meetings booked",
                    started_on=NOW.date() - timedelta(days=14),
                    review_on=NOW.date() - timedelta(days=1),
                    result="meetings up from 3 to 5",
                    finished_at=NOW - timedelta(days=1),
                    created_at=NOW - timedelta(days=14),
                ),
            ]
        )
        return {"leads": leads.id, "wins": wins.id}


async def test_each_section_of_the_script_comes_from_the_store(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    kpis = await seed_history(sessions)
    await chat.say("ana", 'point "how I get more discovery calls"')
    said = await chat.text("ana", "script")
    assert "One-on-one script: Ana with Lea (Growth)" in said
    # It opens with what the last one agreed, and asks what came of each.
    assert "you noted: talked about the EU launch" in said
    assert (
        "What came of each?\n- Ana drafts the EU offer\n- Lea asks legal about the template" in said
    )
    wins = said.split("1. Wins first")[1].split("2. Dips")[0]
    assert "Qualified leads rose from 9 leads to 11 leads (2026-W47): two referrals" not in wins
    assert (
        "Qualified leads rose from 8 leads to 11 leads (2026-W47): two referrals from the meetup"
        in wins
    )
    assert "Kudos from Ben (helped Qualified leads): Ana sat with me" in wins
    assert "an old story" not in wins  # from before the last one-on-one
    assert "Commitment kept by Lea: Get Ana a seat in the pricing review" in wins
    assert "Experiment finished on Qualified leads: Calling back within an hour" in wins
    dips = said.split("2. Dips")[1].split("Talking points")[0]
    assert "Win rate fell from 30% to 22% (2026-W47): two deals slipped. Why did this dip?" in dips
    assert "Qualified leads" not in dips
    assert "Ana: how I get more discovery calls" in said.split("Talking points")[1]
    assert "What will you try before our next check-in?" in said
    assert "What progress have you made, and what support do you need?" in said
    replies = await chat.say("ana", "script")
    commands = [b.command for b in buttons_of(replies)]
    assert f"dip {kpis['wins']}" in commands
    assert "point" in commands
    # The lead reads the same script about the same pair.
    assert "Ana sat with me" in await chat.text("lea", "script @ana")


async def test_with_no_data_the_script_says_so_and_asks_the_opening_questions(chat: Chat) -> None:
    said = await chat.text("ben", "script")
    assert "One-on-one script: Ben with Lea (Growth)" in said
    assert "Nothing recorded yet" in said
    assert "store" not in said  # how we keep it is not the reader's business
    assert "what went well, however small?" in said
    assert "No KPI fell since then" in said
    assert "What will you try before our next check-in?" in said
    assert "you noted" not in said


async def test_the_why_ladder_is_answered_in_a_form_and_saved_into_the_script(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    kpis = await seed_history(sessions)
    (form,) = await chat.say("ana", f"dip {kpis['wins']}")
    assert isinstance(form, Form)
    assert "Win rate fell from 30% to 22%" in form.intro
    assert [f.name for f in form.fields] == ["why1", "why2", "why3", "why4", "why5"]
    assert [f.required for f in form.fields] == [True, False, False, False, False]
    replies = await chat.submit(
        "ana",
        form,
        {
            "why1": "two deals slipped to January",
            "why2": "legal review took three weeks",
            "why3": "nobody owns the contract template",
        },
    )
    assert "The root, as you found it: nobody owns the contract template" in text_of(replies)
    async with sessions() as session:
        (ladder,) = (await session.scalars(select(DipLadder))).all()
    assert (ladder.period, len(ladder.whys)) == ("2026-W47", 3)
    said = await chat.text("lea", "script @ana")
    assert "Why did this dip? two deals slipped to January" in said
    assert "And why was that? nobody owns the contract template" in said
    assert "no dip to ask about" in await chat.text("ana", f"dip {kpis['leads']}")
    assert "Only the owner of Win rate and their lead" in await chat.text(
        "ben", f"dip {kpis['wins']}"
    )


async def test_notes_after_the_meeting_open_the_next_script(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await chat.say("ana", 'point "how I get more discovery calls"')
    (form,) = await chat.say("lea", "notes with @ana")
    assert isinstance(form, Form)
    assert {f.name for f in form.fields if f.required} >= {"notes", "next_steps"}
    replies = await chat.submit(
        "lea",
        form,
        {
            "notes": "pricing and the EU launch",
            "next_steps": "Ana drafts the offer\nLea books legal",
        },
    )
    assert "Saved your one-on-one notes and 2 next steps" in text_of(replies)
    (to_ana,) = dms_to(replies, "ana")
    assert "Ana drafts the offer; Lea books legal" in to_ana.text
    said = await chat.text("ana", "script")
    assert "you noted: pricing and the EU launch" in said
    assert "- Ana drafts the offer\n- Lea books legal" in said
    assert "how I get more discovery calls" not in said  # raised at that meeting
    async with sessions() as session:
        assert len((await session.scalars(select(OneOnOne))).all()) == 1


async def test_a_script_is_private_to_its_pair(chat: Chat) -> None:
    await chat.say("ben", "team create Sales")
    await chat.say("ben", "team add @ana to Sales")
    await chat.say("ana", "help")
    # Ana is on Growth (lead Lea) and Sales (lead Ben): she picks which one-on-one.
    replies = await chat.say("ana", "script")
    assert "Which one-on-one?" in text_of(replies)
    assert sorted(b.label for b in buttons_of(replies)) == ["Ben (Sales)", "Lea (Growth)"]
    # Ben leads Ana on Sales only: he sees that script, never the Growth one.
    assert "Ana with Ben (Sales)" in await chat.text("ben", "script @ana")
    assert "Scripts are private to the pair" in await chat.text("ben", 'script @ana in "Growth"')
    # A member never sees a teammate's; a lead never sees another team's reports'.
    assert "Scripts are private to the pair" in await chat.text("ana", 'script @ben in "Growth"')
    assert "Scripts are private to the pair" in await chat.text("lea", 'script @ana in "Sales"')
    assert "Ben with Lea (Growth)" in await chat.text("lea", "script @ben")
    assert "Scripts are private" in await chat.text("ana", 'point "pricing" with @ben in "Growth"')
    assert "don't know @ana" in await chat.text("zed", "script @ana", workspace="T2")


async def test_what_happens_on_another_team_stays_out_of_the_script(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await chat.say("ben", "team create Ops")
    await chat.say("ben", "team add @ana to Ops")
    await chat.say("ana", 'obstacle "my other lead keeps changing priorities on me" in Ops')
    said = await chat.text("ben", 'digest in "Ops"')
    number = said.split("(#")[1].split(")")[0]
    await chat.say("ben", f'commit {number} "Raise the priority churn with Lea" due today')
    said = await chat.text("ben", "commitments")
    row = said.split("#")[1].split(" ")[0]
    await chat.say("ben", f"done {row}")
    assert "Raise the priority churn" in await chat.text("ben", "script @ana")
    assert "Raise the priority churn" not in await chat.text("lea", "script @ana")


async def test_notes_typed_with_a_quoted_next_step(chat: Chat) -> None:
    said = await chat.text("ana", 'notes talked pricing next "Ana drafts the offer"')
    assert "Saved your one-on-one notes and 1 next step" in said
