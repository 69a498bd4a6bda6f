"""A team with no channel still co-creates its KPIs: the proposal reaches each teammate."""

from __future__ import annotations

from tests.support import Chat, buttons_of, dms_to


async def test_a_team_with_no_channel_gets_the_proposal_in_each_dm_and_votes(chat: Chat) -> None:
    said = await chat.text(
        "ana", 'propose "Qualified leads" target 10 leads per week growth "run calls alone"'
    )
    kpi = said.split("#")[1].split(":")[0]
    replies = await chat.say("ana", f'why {kpi} "every lead is a conversation I learn from"')
    for teammate in ("lea", "ben"):
        (post,) = dms_to(replies, teammate)
        assert f"Proposed KPI #{kpi}: Qualified leads" in post.text
        assert [b.command for b in buttons_of([post])] == [f"vote {kpi} back", f"vote {kpi}"]
    assert dms_to(replies, "ana") == []  # the proposer is not asked to vote on their own
    assert "The team so far: 1 back" in await chat.text("ben", f"vote {kpi} back")
