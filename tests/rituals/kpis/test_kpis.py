"""The KPI registry's rules, through the real grammar, dispatcher and store."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.dispatch import Dispatcher
from bot.grammar import Grammar
from rituals.core.context import Ctx
from rituals.core.messages import Form, Reply
from rituals.kpis import commands as kpis
from storage.models import Kpi, KpiStatus
from tests.support import Chat, buttons_of, dms_to, text_of

GOAL = "lead discovery calls on my own by March"


async def _read_kpi(sessions: async_sessionmaker[AsyncSession], kpi_id: int) -> Kpi:
    async with sessions() as session:
        kpi = await session.get(Kpi, kpi_id)
        assert kpi is not None
        return kpi


async def _propose(chat: Chat, user: str, name: str, extra: str = "") -> int:
    replies = await chat.say(user, f'propose "{name}" target 10 leads per week {extra}')
    heading = text_of(replies).split("\n")[0]
    assert heading.startswith("Proposed #"), heading
    return int(heading.removeprefix("Proposed #").split(":")[0])


async def test_propose_stores_a_proposal_and_asks_for_growth_and_excitement(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    kpi_id = await _propose(chat, "ana", "Qualified leads")
    kpi = await _read_kpi(sessions, kpi_id)
    assert (kpi.name, kpi.target, kpi.unit) == ("Qualified leads", Decimal(10), "leads")
    assert kpi.status is KpiStatus.PROPOSED
    assert kpi.team_id is not None
    said = await chat.text("ana", "kpis")
    assert "no growth link yet" in said
    replies = await chat.say("ana", 'propose "Win rate" target 25% per month')
    commands = [b.command for b in buttons_of(replies)]
    assert commands == [f"growth {kpi_id + 1}", f"why {kpi_id + 1}"]
    assert "How can we measure success in a way that excites you?" in text_of(replies)


async def test_no_growth_link_no_kpi(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    kpi_id = await _propose(chat, "ana", "Qualified leads")
    refused = await chat.text("lea", f"activate {kpi_id}")
    assert "not ready" in refused
    assert "No growth link, no KPI" in refused
    assert (await _read_kpi(sessions, kpi_id)).status is KpiStatus.PROPOSED

    await chat.say("ana", f'growth {kpi_id} "{GOAL}"')
    assert "Active" in await chat.text("lea", f"activate {kpi_id}")
    kpi = await _read_kpi(sessions, kpi_id)
    assert kpi.status is KpiStatus.ACTIVE
    assert kpi.growth_goal == GOAL
    assert kpi.activated_at is not None


async def test_only_a_lead_activates_and_the_refusal_names_them(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    kpi_id = await _propose(chat, "ana", "Qualified leads", f'growth "{GOAL}"')
    refused = await chat.say("ben", f"activate {kpi_id}")
    assert "You can't activate Ana's KPI. Ask @Lea." in text_of(refused)
    assert "You can't" in text_of(await chat.say("ana", f"activate {kpi_id}"))
    assert (await _read_kpi(sessions, kpi_id)).status is KpiStatus.PROPOSED


async def test_growth_link_comes_from_the_owner_or_their_lead_only(chat: Chat) -> None:
    kpi_id = await _propose(chat, "ana", "Qualified leads")
    refused = await chat.text("ben", f'growth {kpi_id} "{GOAL}"')
    assert "You can't link a growth goal to Ana's KPI" in refused
    assert "Growth link saved" in await chat.text("lea", f'growth {kpi_id} "{GOAL}"')


async def test_the_cap_refuses_the_sixth_with_the_list_and_which_to_retire(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    ids = [await _propose(chat, "ben", f"Metric {i}") for i in range(5)]
    replies = await chat.say("ben", 'propose "Metric six" target 1 per week')
    said = text_of(replies)
    assert "You have 5 KPIs already; the cap is 5" in said
    for kpi_id in ids:
        assert f"#{kpi_id} Metric" in said
    assert "Which one will you retire to make room?" in said
    assert [b.command for b in buttons_of(replies)] == [f"retire {i}" for i in ids]
    async with sessions() as session:
        count = await session.scalar(select(func.count()).where(Kpi.name == "Metric six"))
    assert count == 0

    # Pressing a retire button asks for the reason in a form; the KPI is retired, not deleted.
    form = (await chat.say("ben", f"retire {ids[0]}"))[0]
    assert isinstance(form, Form)
    assert [f.name for f in form.fields] == ["reason"]
    await chat.submit("ben", form, {"reason": "we measure win rate instead"})
    retired = await _read_kpi(sessions, ids[0])
    assert retired.status is KpiStatus.RETIRED
    assert retired.retired_reason == "we measure win rate instead"
    assert "Proposed" in await chat.text("ben", 'propose "Metric six" target 1 per week')


async def test_the_cap_comes_from_the_settings(chat: Chat) -> None:
    d = chat.dispatcher
    kpis = d.settings.kpis.model_copy(update={"max_per_member": 1})
    settings = d.settings.model_copy(update={"kpis": kpis})
    limited = Chat(Dispatcher(d.sessions, d.grammar, d.clock, settings))
    await _propose(limited, "ana", "Qualified leads")
    assert "the cap is 1" in await limited.text("ana", 'propose "Two" target 1 per week')


async def test_effort_metrics_are_challenged_and_may_be_kept_after_answering(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    replies = await chat.say(
        "ana", f'propose "Hours worked" target 40 hours per week growth "{GOAL}"'
    )
    said = text_of(replies)
    assert "This measures effort, not impact. What outcome does it drive?" in said
    kpi_id = int(said.split("#")[1].split(":")[0])
    assert "not ready" in await chat.text("lea", f"activate {kpi_id}")
    await chat.say("ana", f'outcome {kpi_id} "steady hours mean I stop burning out in Q4"')
    assert "Active" in await chat.text("lea", f"activate {kpi_id}")
    assert (await _read_kpi(sessions, kpi_id)).outcome is not None


async def test_outcome_metrics_are_not_challenged(chat: Chat) -> None:
    outcomes = ("Qualified leads", "Messaging revenue", "Sales call conversion", "Meeting share")
    for name in outcomes:
        said = await chat.text("ana", f'propose "{name}" target 10 per week')
        assert "effort" not in said, name
    efforts = ("Messages sent", "Login count", "Hours-worked", "Commit count", "Calls")
    for name in efforts:
        said = await chat.text("ben", f'propose "{name}" target 10 per week')
        assert "This measures effort" in said, name
        await chat.say("ben", f"retire {said.split('#')[1].split(':')[0]} only a test")


async def test_retire_keeps_the_row_and_a_retired_kpi_cannot_be_activated(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    kpi_id = await _propose(chat, "ana", "Qualified leads", f'growth "{GOAL}"')
    assert "Retired" in await chat.text("ana", f"retire {kpi_id} the team chose win rate")
    assert "already retired" in await chat.text("ana", f"retire {kpi_id} again")
    assert "was retired" in await chat.text("lea", f"activate {kpi_id}")
    listed = await chat.text("ana", "kpis all")
    assert "retired: the team chose win rate" in listed
    assert "no KPIs yet" in await chat.text("ana", "kpis")


async def test_members_cannot_retire_someone_elses_kpi(chat: Chat) -> None:
    kpi_id = await _propose(chat, "ana", "Qualified leads")
    refused = await chat.text("ben", f"retire {kpi_id} I do not like it")
    assert "You can't retire Ana's KPI. Ask @Ana or @Lea." in refused


async def test_someone_who_may_not_retire_is_refused_before_any_form(chat: Chat) -> None:
    kpi_id = await _propose(chat, "ana", "Qualified leads")
    replies = await chat.say("ben", f"retire {kpi_id}")
    assert not [r for r in replies if isinstance(r, Form)]
    assert "You can't retire Ana's KPI. Ask @Ana or @Lea." in text_of(replies)


async def test_kpis_by_name_and_ambiguity_asks_which(chat: Chat) -> None:
    await _propose(chat, "ana", "Qualified leads")
    first = await _propose(chat, "ben", "Qualified leads")
    replies = await chat.say("lea", 'activate "qualified leads"')
    assert "Several KPIs are called" in text_of(replies)
    assert len(buttons_of(replies)) == 2
    assert f"activate {first}" in [b.command for b in buttons_of(replies)]
    assert "No KPI is called" in await chat.text("lea", 'activate "Nope"')
    assert "There is no KPI #999" in await chat.text("lea", "activate 999")


async def test_duplicate_live_name_for_the_same_owner_is_refused(chat: Chat) -> None:
    await _propose(chat, "ana", "Qualified leads")
    said = await chat.text("ana", 'propose "qualified LEADS" target 3 per month')
    assert "already has" in said


async def test_a_kpi_proposed_for_someone_waits_for_their_agreement(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    replies = await chat.say(
        "lea", f'propose "Win rate" target 25% per month owner @ana growth "{GOAL}"'
    )
    said = text_of(replies)
    assert "Owner: Ana" in said
    assert "Its owner has not agreed to it yet" in said
    ask = dms_to(replies, "ana")
    assert len(ask) == 1
    kpi_id = int(said.split("#")[1].split(":")[0])
    assert [b.command for b in buttons_of(ask)] == [f"accept {kpi_id}", f"retire {kpi_id}"]

    # The lead cannot activate what the owner has not agreed to, nor accept it for them.
    assert "not ready" in await chat.text("lea", f"activate {kpi_id}")
    assert "Only Ana can accept" in await chat.text("lea", f"accept {kpi_id}")
    assert "waiting for the owner to accept" in await chat.text("ana", "kpis")
    assert "Accepted" in await chat.text("ana", f"accept {kpi_id}")
    assert "already agreed" in await chat.text("ana", f"accept {kpi_id}")
    assert "Active" in await chat.text("lea", f"activate {kpi_id}")
    assert (await _read_kpi(sessions, kpi_id)).agreed_at is not None


async def test_only_teammates_propose_for_someone_and_proposals_do_not_fill_the_cap(
    chat: Chat,
) -> None:
    refused = await chat.text("stranger", 'propose "Calls" target 1 per week owner @lea')
    assert "You can propose KPIs for people on your teams; Lea is not on one with you." in refused
    assert "I don't know @nobody" in await chat.text(
        "lea", 'propose "Win rate" target 25% per month owner @nobody'
    )
    for i in range(6):  # a teammate's proposals wait for Ben, and do not use his cap
        assert "Proposed" in await chat.text(
            "ana", f'propose "Idea {i}" target 1 per week owner @ben'
        )
    assert "Proposed" in await chat.text("ben", 'propose "Mine" target 1 per week')
    for i in range(4):
        await chat.say("ben", f'propose "Mine {i}" target 1 per week')
    # Now Ben's own five fill his cap: accepting a sixth is refused with the list.
    said = await chat.text("ben", 'accept "Idea 0"')
    assert "You have 5 KPIs already; the cap is 5" in said


async def test_no_data_crosses_workspaces(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    kpi_id = await _propose(chat, "ana", "Qualified leads", f'growth "{GOAL}"')
    # Zed leads a team in another workspace: the KPI does not exist for him.
    assert f"There is no KPI #{kpi_id} here" in await chat.text("zed", f"activate {kpi_id}", "T2")
    assert "No KPI is called" in await chat.text("zed", 'retire "Qualified leads" mine', "T2")
    assert "I don't know @ana" in await chat.text("zed", "kpis @ana", "T2")
    assert (await _read_kpi(sessions, kpi_id)).status is KpiStatus.PROPOSED


async def test_first_contact_creates_the_member_and_admins_stand_in_for_leads(chat: Chat) -> None:
    said = await chat.text("newcomer", "kpis")
    assert "You have no KPIs yet" in said
    kpi_id = await _propose(chat, "newcomer", "Qualified leads", f'growth "{GOAL}"')
    # On no team, so no lead: the workspace's admin (its first member, Lea) stands in. Ben,
    # on no team with them, may not know of the KPI at all.
    said = await chat.text("ben", f"activate {kpi_id}")
    assert said == f"There is no KPI #{kpi_id} here. kpis lists yours.", said
    assert "Active" in await chat.text("lea", f"activate {kpi_id}")


async def test_examples_per_role_with_propose_buttons(chat: Chat) -> None:
    replies = await chat.say("ana", "examples")
    assert [b.command for b in buttons_of(replies)][:2] == ["examples sales", "examples marketing"]
    for role in ("sales", "marketing", "operations", "engineering", "support", "people", "hr"):
        replies = await chat.say("ana", f"examples {role}")
        buttons = buttons_of(replies)
        assert len(buttons) >= 3, role
        # Every catalogue button is a command the grammar accepts and the registry stores.
        said = await chat.text("ben", buttons[0].command)
        assert said.startswith("Proposed"), (role, said)
        assert "This measures effort" not in said
        await chat.say("ben", f"retire {said.split('#')[1].split(':')[0]} trying examples")


async def test_list_shows_growth_links_and_the_cap_in_use(chat: Chat) -> None:
    await _propose(chat, "ana", "Qualified leads", f'growth "{GOAL}"')
    said = await chat.text("lea", "kpis @ana")
    assert f"feeds: {GOAL}" in said
    assert "1 of 5 in use" in said
    assert "Ana's KPIs" in said


async def test_a_failure_inside_a_handler_rolls_back_and_quotes_the_words(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    d = chat.dispatcher
    propose = d.grammar.find("propose")
    assert propose is not None

    async def propose_then_break(ctx: Ctx, cmd: kpis.ProposeKpi) -> list[Reply]:
        await propose.handler(ctx, cmd)
        raise RuntimeError("boom")

    syntax = replace(propose, handler=propose_then_break)  # type: ignore[type-var]
    broken = Chat(Dispatcher(d.sessions, Grammar([syntax], "/kpi"), d.clock, d.settings))
    said = await broken.text("ana", 'propose "Qualified leads" target 10 per week')
    assert "Something broke on our side and nothing was saved" in said
    assert 'propose "Qualified leads" target 10 per week' in said
    assert "boom" not in said
    assert "Traceback" not in said
    # From a form: what they typed comes back, not the form's own hidden bookkeeping.
    form = d.grammar.form_for(propose, {}, "Say what you measure.")
    assert set(form.hidden) >= {"_intro", "_shown"}
    typed = {"name": "Demos", "target": "4", "cadence": "weekly"}
    submitted = text_of(await broken.submit("ana", form, typed))
    assert "propose name='Demos' target='4' cadence='weekly'" in submitted
    assert "_intro" not in submitted
    assert "_shown" not in submitted
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Kpi)) == 0


async def test_names_match_regardless_of_case_beyond_ascii(chat: Chat) -> None:
    kpi_id = await _propose(chat, "ana", "Über-Umsatz")
    said = await chat.text("ana", f'growth "über-umsatz" "{GOAL}"')
    assert f"Growth link saved: #{kpi_id}" in said
