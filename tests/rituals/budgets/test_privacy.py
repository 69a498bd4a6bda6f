"""Export and forget cover stretches and budget requests: the person's own rows go with them;
a row that only names them (who opened a stretch, who supports it, who approved a budget)
stays its owner's with the pointer cleared."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rituals.core.messages import File
from storage.models import BudgetRequest, Stretch
from tests.rituals.budgets.support import number
from tests.support import Chat, active_kpi

ON = "checkin,one_on_one,stretch,experiment_budget"


async def _rows(
    sessions: async_sessionmaker[AsyncSession],
) -> tuple[list[Stretch], list[BudgetRequest]]:
    async with sessions() as session:
        stretches = list((await session.scalars(select(Stretch))).all())
        asks = list((await session.scalars(select(BudgetRequest))).all())
        return stretches, asks


async def _used(chat: Chat) -> None:
    await chat.say("lea", f"settings set rituals {ON} in Growth")
    kpi = await active_kpi(chat)
    await chat.say("ana", f"log {kpi} 4")
    opened = await chat.text(
        "lea", f'stretch @ana {kpi} "lead the next client workshop" by fri support @ben'
    )
    await chat.say("ana", f"stretch answer {number(opened, 'stretch')} yes")
    tried = await chat.text("ana", f'experiment {kpi} "call back every lost lead within an hour"')
    e = number(tried, "experiment")
    asked = await chat.text("ana", f'budget ask {e} 3h scope "call back the ten lost leads"')
    await chat.say("lea", f"budget approve {number(asked, 'request')}")


async def test_export_holds_them_and_forgetting_the_owner_deletes_them(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await _used(chat)
    (message,) = await chat.say("ana", "me export")
    files = [b for b in getattr(message, "blocks", ()) if isinstance(b, File)]
    exported = b"".join(f.data for f in files).decode()
    assert "lead the next client workshop" in exported
    assert "call back the ten lost leads" in exported
    assert "1 stretch assignment" in message.text
    assert "1 experiment budget request" in message.text
    await chat.say("ana", "me forget confirm")
    assert await _rows(sessions) == ([], [])


async def test_forgetting_the_lead_or_supporter_keeps_the_owners_rows(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await _used(chat)
    assert "Growth" in await chat.text("lea", "team lead @ana")
    await chat.say("lea", "me forget confirm")
    await chat.say("ben", "me forget confirm")
    (stretch,), (ask,) = await _rows(sessions)
    assert stretch.what == "lead the next client workshop"
    assert stretch.supporter_id is None
    assert stretch.opened_by_id is None
    assert ask.decided_by_id is None
    assert ask.scope == "call back the ten lost leads"
