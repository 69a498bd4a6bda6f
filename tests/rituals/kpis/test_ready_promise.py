"""What the proposer is told comes next agrees with what `activate` does: a team KPI waits
for the team's vote (RITUALS: "a lead activates the ones the team backs")."""

from __future__ import annotations

from tests.support import Chat, buttons_of


async def test_a_kpi_put_to_the_vote_promises_the_vote_not_activation_now(chat: Chat) -> None:
    replies = await chat.say(
        "ana",
        'propose "Time to restore" target 60 minutes per week growth "run incidents alone" '
        'why "customers stop waiting"',
    )
    (answer, *_) = replies
    text = answer.text  # type: ignore[union-attr]
    assert "can activate it now" not in text
    assert "once more of the team back it than question it" in text
    assert not [b for b in buttons_of([answer]) if b.command.startswith("activate")]
    refused = await chat.text("lea", "activate 1")
    assert "has not backed #1" in refused
    await chat.text("ben", "vote 1 back")
    assert "Active" in await chat.text("lea", "activate 1")
