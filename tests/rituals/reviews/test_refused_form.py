"""A review the ritual refuses (an adjustment without its reason) comes back as the review
form, every answer kept, its intro and required questions as they were, nothing stored."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rituals.core.messages import Form
from storage.models import KpiChange, KpiReview
from tests.support import Chat, about, active_kpi


async def _stored(sessions: async_sessionmaker[AsyncSession]) -> tuple[int, int]:
    async with sessions() as session:
        reviews = await session.scalar(select(func.count()).select_from(KpiReview))
        changes = await session.scalar(select(func.count()).select_from(KpiChange))
        return reviews or 0, changes or 0


async def test_an_adjustment_without_a_reason_comes_back_as_the_review_form(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    kpi = await active_kpi(chat)
    (asked,) = await chat.say("ana", f"review {kpi}")
    assert isinstance(asked, Form)
    given = {"relevant": "yes", "motivating": "no", "verdict": "adjust", "target": "14"}
    (again,) = await chat.submit("ana", asked, given)
    assert isinstance(again, Form)
    assert again.command == "review"
    assert again.intro == (
        "Say why it changes: the record keeps the reason with the old value.\n\n"
        f"#{kpi} Qualified leads: 10 leads per week."
    )
    assert {f.name: f.value for f in again.fields if f.value is not None} == given
    required = {f.name for f in again.fields if f.required}
    assert required == {f.name for f in asked.fields if f.required}
    assert required == {"relevant", "motivating", "verdict"}
    assert about(again.hidden) == {"kpi": str(kpi)}
    assert await _stored(sessions) == (0, 0)
    (done,) = await chat.submit("ana", again, {"why": "10 is reached easily now"})
    assert f"Adjusted #{kpi}: target 10 leads per week is now 14 leads per week." in done.text  # type: ignore[union-attr]
    assert await _stored(sessions) == (1, 1)
