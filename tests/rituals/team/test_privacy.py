"""A person's own data: export holds every table about them; forget leaves no row naming them."""

from __future__ import annotations

import json
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.dispatch import Identity
from rituals.core.messages import File, Message
from storage.models import Base, JoinRequest, Member
from storage.privacy import FORGET, member_columns
from tests.support import Chat, dms_to, every_text, text_of, who

NAME, USER = "Zelda Quixote", "uzq1"


def test_every_table_that_points_at_a_member_is_exported_and_has_a_forget_policy() -> None:
    """Add a table with a member column and this fails until `FORGET` says what to do."""
    pointing = {
        t.name
        for t in Base.metadata.tables.values()
        for fk in t.foreign_keys
        if fk.column.table.name == "member"
    }
    assert pointing == {t.name for t in member_columns()}
    assert set(FORGET) == pointing
    # Every such table also carries its workspace, which export and forget filter on.
    assert all("workspace_id" in t.c for t in member_columns())


async def _zelda(chat: Chat) -> None:
    """Zelda joins Growth, owns KPIs naming her, asks to join another team."""
    await chat.dispatcher.handle_text(_who(), "help")
    await chat.say("lea", f"team add <@{USER}> to Growth")
    await chat.dispatcher.handle_text(
        _who(), f'propose "Pipeline" target 5 per week growth "{NAME} becomes a team lead"'
    )
    await chat.dispatcher.handle_text(
        _who(), f'propose "Demos" target 2 per week why "because {NAME} loves demos"'
    )
    await chat.dispatcher.handle_text(
        _who(), f'propose "Referrals" target 3 per week owner @ana why "{NAME} thinks Ana rocks"'
    )
    await chat.say("ana", 'growth "Referrals" "I want to own our partner channel by spring"')
    await chat.say("ben", "team create Platform")
    await chat.dispatcher.handle_text(_who(), "team join Platform")


def _who() -> Identity:
    return replace(who(USER), display_name=NAME)


async def test_export_sends_everything_as_json_and_a_summary(chat: Chat) -> None:
    await _zelda(chat)
    replies = await chat.dispatcher.handle_text(_who(), "me export")
    message = replies[0]
    assert isinstance(message, Message)
    files = [b for b in message.blocks if isinstance(b, File)]
    assert len(files) == 1
    assert files[0].name.startswith(f"kpicoach-{USER}-")
    data = json.loads(files[0].data)
    tables = data["tables"]
    assert set(tables) == {"member"} | {t.name for t in member_columns()}
    assert tables["member"][0]["display_name"] == NAME
    assert {k["name"] for k in tables["kpi"]} == {"Pipeline", "Demos", "Referrals"}
    # The KPI Zelda proposed for Ana holds Ana's growth goal: not Zelda's to export.
    referrals = next(k for k in tables["kpi"] if k["name"] == "Referrals")
    assert referrals["growth_goal"] == "(not yours to export)"
    assert "partner channel" not in files[0].data.decode()
    assert len(tables["membership"]) == 1
    assert len(tables["join_request"]) == 1
    assert "3 KPIs" in message.text
    assert "1 team you are on" in message.text


async def test_export_holds_nobody_elses_rows(chat: Chat) -> None:
    await _zelda(chat)
    replies = await chat.say("ana", "me export")
    data = json.loads(next(b for b in replies[0].blocks if isinstance(b, File)).data)  # type: ignore[union-attr]
    assert NAME not in json.dumps(data)


async def test_forget_asks_first_then_leaves_no_row_that_names_them(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await _zelda(chat)
    ask = await chat.dispatcher.handle_text(_who(), "me forget")
    assert "Are you sure?" in text_of(ask)
    assert NAME in await every_text(sessions)  # nothing happened yet

    done = await chat.dispatcher.handle_text(_who(), "me forget confirm")
    assert "you are forgotten" in text_of(done)
    everything = await every_text(sessions)
    assert NAME not in everything
    assert "Zelda" not in everything
    assert USER not in everything.split()
    # Team data keeps its shape: the KPIs remain, retired, with no owner's words.
    async with sessions() as session:
        former = await session.scalar(select(Member).where(Member.display_name == "Former member"))
        assert former is not None
        assert not former.is_active
    said = await chat.text("lea", "team")
    assert "Zelda" not in said


async def test_leaving_the_workspace_deactivates_and_coming_back_reactivates(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    from storage.models import Platform

    await chat.dispatcher.member_left(Platform.SLACK, "T1", "ben")
    async with sessions() as session:
        ben = await session.scalar(select(Member).where(Member.platform_user_id == "ben"))
        assert ben is not None
        assert not ben.is_active
    # Nobody can mention or add them while they are gone.
    assert "I don't know @ben" in await chat.text("lea", "kpis @ben")
    # A leave event for an unknown workspace or person is a no-op, not an error.
    await chat.dispatcher.member_left(Platform.SLACK, "T404", "ben")
    await chat.dispatcher.member_left(Platform.SLACK, "T1", "nobody")
    await chat.say("ben", "help")
    assert "Ben's KPIs" in await chat.text("lea", "kpis @ben") or "no KPIs" in await chat.text(
        "lea", "kpis @ben"
    )


async def test_the_only_lead_hands_over_before_being_forgotten_and_an_admin_remains(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    refused = await chat.text("lea", "me forget confirm")
    assert "You are the only lead of Growth, and others are on it. Hand it over first" in refused
    await chat.say("lea", "team lead @ana")
    replies = await chat.say("lea", "me forget confirm")
    assert "you are forgotten" in text_of(replies)
    # Lea was the workspace's only admin: the longest-standing active member takes over.
    assert "you are its admin now" in text_of(dms_to(replies, "ana"))
    async with sessions() as session:
        ana = await session.scalar(select(Member).where(Member.platform_user_id == "ana"))
        assert ana is not None
        assert ana.is_admin


async def test_leaving_the_workspace_gives_up_seats_and_admin(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    from storage.models import Platform

    await chat.say("newbie", "team join Growth")
    await chat.dispatcher.member_left(Platform.SLACK, "T1", "lea")  # lead and admin
    await chat.dispatcher.member_left(Platform.SLACK, "T1", "newbie")
    shown = await chat.text("ana", "team")
    assert "Lead: nobody yet" in shown
    assert "@Lea" not in shown
    async with sessions() as session:
        admins = (
            await session.scalars(select(Member.platform_user_id).where(Member.is_admin))
        ).all()
        waiting = (await session.scalars(select(JoinRequest))).all()
    assert "lea" not in admins
    assert "ana" in admins  # the longest-standing active member of T1
    assert waiting == []
    # The new admin can name a lead; requests to join go to them meanwhile.
    assert "@Ben now leads Growth." in await chat.text("ana", "team lead @ben")
