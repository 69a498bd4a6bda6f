"""Who may know of a KPI: every command that takes one finds it through `resolve_kpi`, so
someone who may not know of a personal KPI hears, word for word, what they would hear for a
number nobody uses, and never whose it is or what it is called. Its owner, their lead, their
teammates and the KPI's team still reach it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import Kpi, Member, Team
from storage.people import NewMember, ensure_member
from tests.conftest import NOW
from tests.support import Chat, active_kpi, add_kpi, buttons_of, proposed_kpi

NOBODYS = 9999
"""A KPI number no KPI has, to hear the answer the outsider must not be able to tell apart."""

# Every command that takes a KPI, as Zed would type it. Commands about a proposal are typed
# with Ben's proposed KPI, the others with Ana's active one, so each reaches the check it would
# have failed on.
ON_A_PROPOSAL = [
    "accept {kpi}",
    "activate {kpi}",
    'growth {kpi} "become a better closer"',
    'outcome {kpi} "more deals closed each month"',
    'why {kpi} "every call teaches me something"',
    "vote {kpi} back",
]
ON_AN_ACTIVE_KPI = [
    'retire {kpi} "no longer useful to me"',
    "direction {kpi} lower",
    "share {kpi}",
    "unshare {kpi}",
    "log {kpi} 5",
    "trend {kpi}",
    'experiment {kpi} "cold calls on Fridays"',
    "review {kpi} keep",
    "adjustment {kpi} accept",
    'dip {kpi} "the holidays"',
    'obstacle "the printer is broken" kpi {kpi}',
    'kudos @oli kpi {kpi} how "you sat in on every call and wrote up what we learned"',
    "pulse start {kpi}",
    'stretch me {kpi} "run the demo day" by fri support @oli',
    'debate start {kpi} "is it the right measure?"',
    "debate volunteer {kpi} critic",
]


async def _outsiders(chat: Chat) -> None:
    """Zed leads Ops, with Oli, in Growth's workspace: on no team with Ana, Ben or Lea, and
    with every ritual on and a KPI of Oli's active, so no gate answers before the KPI is
    looked up."""
    await chat.say("zed", "help")
    await chat.say("oli", "help")
    assert "Ops" in await chat.text("zed", "team create Ops")
    assert "Oli" in await chat.text("zed", "team add @oli")
    rituals = "checkin,one_on_one,kudos,review,pulse,stretch,debate"
    assert "Saved" in await chat.text("zed", f"settings set rituals {rituals}")
    # Ops has an active KPI of its own, so a kudos there reaches the KPI it names.
    tickets = await proposed_kpi(chat, "Tickets closed", "5 tickets", owner="oli")
    assert "Active" in await chat.text("zed", f"activate {tickets}")


@pytest.mark.parametrize(
    "typed",
    [pytest.param(t, id=re.split(' [{"@]', t)[0]) for t in ON_A_PROPOSAL + ON_AN_ACTIVE_KPI],
)
async def test_someone_who_may_not_know_of_a_kpi_hears_it_does_not_exist(
    chat: Chat, typed: str
) -> None:
    proposal = await proposed_kpi(chat, "Demo calls", "5 calls", owner="ben")
    active = await active_kpi(chat)
    await _outsiders(chat)
    kpi = proposal if typed in ON_A_PROPOSAL else active
    nobodys = await chat.text("zed", typed.format(kpi=NOBODYS))
    assert f"There is no KPI #{NOBODYS} here. kpis lists yours." in nobodys, nobodys
    said = await chat.text("zed", typed.format(kpi=kpi))
    assert said == nobodys.replace(str(NOBODYS), str(kpi)), said
    for secret in ("Ana", "Ben", "Lea", "Qualified leads", "Demo calls"):
        assert secret not in said, (secret, said)


async def test_a_name_offers_only_the_kpis_the_reader_may_know_of(chat: Chat) -> None:
    """Zed's own "Qualified leads" is the one his typed name finds, not a choice that shows
    Ana's; Lea, the workspace's admin, may know of both and is asked which."""
    anas = await active_kpi(chat)
    await _outsiders(chat)
    zeds = await proposed_kpi(chat, owner="zed")
    said = await chat.text("zed", 'trend "Qualified leads"')
    assert said.startswith(f"#{zeds} Qualified leads has no values yet"), said
    assert f"#{anas}" not in said
    said = await chat.text("oli", 'activate "Demo calls"')
    assert said == 'No KPI is called "Demo calls". kpis lists yours with their numbers.', said
    asked = await chat.say("lea", 'trend "Qualified leads"')
    assert {b.command for b in buttons_of(asked)} == {f"trend {anas}", f"trend {zeds}"}


async def test_the_owner_their_lead_and_their_teammates_still_reach_a_personal_kpi(
    chat: Chat,
) -> None:
    kpi = await active_kpi(chat)
    await _outsiders(chat)
    assert "lower is better" in await chat.text("ana", f"direction {kpi} lower")
    assert f"#{kpi} Qualified leads has no values yet." in await chat.text("lea", f"trend {kpi}")
    # Ben may know of his teammate's KPI, and is told who may act on it.
    said = await chat.text("ben", f"direction {kpi} higher")
    assert "Only Ana can turn it" in said, said
    said = await chat.text("lea", f'retire {kpi} "we measure revenue instead"')
    assert said.startswith(f"Retired #{kpi} Qualified leads."), said


async def _cid_with_a_team_kpi(session: AsyncSession) -> tuple[Member, Kpi]:
    """Cid, on no team, owning "Churned trials", a KPI of Growth's (shared with its team)."""
    growth = await session.scalar(select(Team).where(Team.name == "Growth"))
    assert growth is not None
    person = NewMember("cid", "Cid", "UTC", "mon,tue,wed,thu,fri")
    cid = await ensure_member(session, growth.workspace_id, person, NOW)
    cid.welcomed_at = NOW
    kpi = await add_kpi(session, cid, "Churned trials", agreed_at=NOW, unit="trials")
    kpi.team_id, kpi.shared = growth.id, True
    return cid, kpi


async def test_a_team_kpi_is_known_to_its_team_even_when_its_owner_is_on_no_team_with_them(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Cid owns a KPI of Growth's but is on no team: Ben knows of it through its team, and
    sees its numbers (a team KPI's team does); Zed still does not know of it."""
    async with sessions() as session, session.begin():
        _cid, kpi = await _cid_with_a_team_kpi(session)
        number = kpi.id
    await _outsiders(chat)
    said = await chat.text("ben", f"trend {number}")
    assert said.startswith(f"#{number} Churned trials has no values yet."), said
    assert await chat.text("zed", f"trend {number}") == (
        f"There is no KPI #{number} here. kpis lists yours."
    )


async def test_someone_elses_list_shows_only_the_kpis_the_reader_may_know_of(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Zed typing `kpis @ana` read her KPI, its target and the growth goal it feeds. Now he
    hears she has none he may know of; Ben, her teammate, still reads them all. Cid, on no
    team, owns one of Growth's KPIs and one of his own: Ben sees only Growth's, and not how
    many Cid has in use."""
    await active_kpi(chat)
    await _outsiders(chat)
    said = await chat.text("zed", "kpis @ana all")
    assert said == "Ana has no KPIs you may know of. kpis lists yours.", said
    said = await chat.text("ben", "kpis @ana")
    assert "Qualified leads" in said, said
    assert "1 of 5 in use" in said, said
    async with sessions() as session, session.begin():
        cid, _kpi = await _cid_with_a_team_kpi(session)
        await add_kpi(session, cid, "Private pipeline", agreed_at=NOW)
    said = await chat.text("ben", "kpis @cid")
    assert "Churned trials" in said, said
    assert "Private pipeline" not in said, said
    assert "in use" not in said
