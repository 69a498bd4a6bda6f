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
    number = text.split("Proposed #")[1].split(":")[0]  # ids are not reused on PostgreSQL
    assert "can activate it now" not in text
    assert "once more of the team back it than question it" in text
    assert not [b for b in buttons_of([answer]) if b.command.startswith("activate")]
    refused = await chat.text("lea", f"activate {number}")
    assert f"has not backed #{number}" in refused
    await chat.text("ben", f"vote {number} back")
    assert "Active" in await chat.text("lea", f"activate {number}")
