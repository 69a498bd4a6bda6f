"""An export's summary says what is held in people's words, counted right, never table names."""

from __future__ import annotations

from rituals.core.messages import Message
from rituals.team.privacy import HOLDINGS
from storage.privacy import member_columns
from tests.support import Chat


def test_every_table_about_a_person_has_words_for_the_summary() -> None:
    assert set(HOLDINGS) == {"member"} | {t.name for t in member_columns()}


async def test_the_summary_counts_in_words_and_names_no_table(chat: Chat) -> None:
    await chat.say("ana", 'propose "Qualified leads" target 10 leads per week')
    (message,) = [r for r in await chat.say("ana", "me export") if isinstance(r, Message)]
    said = message.text
    assert "1 KPI" in said
    assert "1 KPIs" not in said
    assert "1 team you are on" in said
    assert "1 teams" not in said
    assert "rows" not in said
    for table in member_columns():
        if "_" in table.name:
            assert table.name not in said, table.name
    # Only what there is: nothing about pulses Ana never answered.
    assert "tension pulse" not in said
