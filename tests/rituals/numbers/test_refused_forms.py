"""A value or an experiment the ritual refuses comes back as the very form it was given in:
what the person typed kept, the form's own intro and required fields, the problem on top,
and nothing stored."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rituals.core.messages import Form, Outgoing
from storage.models import Experiment, KpiValue
from tests.support import Chat, about, active_kpi


async def _count(sessions: async_sessionmaker[AsyncSession], table: type) -> int:
    async with sessions() as session:
        return await session.scalar(select(func.count()).select_from(table)) or 0


def _only_form(replies: list[Outgoing]) -> Form:
    (form,) = replies
    assert isinstance(form, Form), form
    return form


def _values(form: Form) -> dict[str, str | None]:
    return {f.name: f.value for f in form.fields}


def _required(form: Form) -> set[str]:
    return {f.name for f in form.fields if f.required}


async def test_a_value_for_a_period_to_come_comes_back_as_the_log_form(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    kpi = await active_kpi(chat)
    asked = _only_form(await chat.say("ana", f"log {kpi}"))
    given = {"value": "12", "note": "two demos slipped", "period": "2026-W50"}
    again = _only_form(await chat.submit("ana", asked, given))
    assert again.command == "log"
    assert again.intro == (
        "the week of 7 December 2026 has not begun; log it when it has.\n\n"
        f"#{kpi} Qualified leads, target 10 leads per week."
    )
    assert _values(again) == given
    assert _required(again) == _required(asked) == {"value"}
    assert about(again.hidden) == about(asked.hidden) == {"kpi": str(kpi)}
    assert await _count(sessions, KpiValue) == 0
    # Put right, the same form goes through.
    done = await chat.submit("ana", again, {"period": "this"})
    assert "Logged 12 leads" in done[0].text  # type: ignore[union-attr]
    assert await _count(sessions, KpiValue) == 1


async def test_a_typed_value_in_the_wrong_unit_opens_the_log_form_with_it_kept(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    kpi = await active_kpi(chat)
    form = _only_form(await chat.say("ana", f'log {kpi} 12% "a good week"'))
    assert form.intro == (
        f"#{kpi} Qualified leads is counted in leads, not in %.\n\n"
        f"#{kpi} Qualified leads, target 10 leads per week."
    )
    assert _values(form) == {"value": "12", "note": "a good week", "period": None}
    assert _required(form) == {"value"}
    assert await _count(sessions, KpiValue) == 0


async def test_a_look_back_day_too_far_comes_back_as_the_experiment_form(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    kpi = await active_kpi(chat)
    asked = _only_form(await chat.say("ana", f"experiment {kpi}"))
    given = {"idea": "call back every lost lead within an hour", "review": "2027-06-01"}
    again = _only_form(await chat.submit("ana", asked, given))
    assert again.command == "experiment"
    assert again.intro == (
        "Look back on: give a day after today and within 8 weeks; a longer test is a project."
        f"\n\n#{kpi} Qualified leads."
    )
    assert _values(again) == given
    assert _required(again) == {"idea"}
    assert about(again.hidden) == {"kpi": str(kpi)}
    assert await _count(sessions, Experiment) == 0
