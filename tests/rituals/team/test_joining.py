"""Answering a request to join: a lead names the person, and the team only when it is not
plain which one they asked to join."""

from __future__ import annotations

from tests.support import Chat, buttons_of, text_of


async def test_a_lead_approves_without_naming_the_team_they_were_asked_to_join(
    chat: Chat,
) -> None:
    await chat.say("newbie", "team join Growth")
    replies = await chat.say("lea", "team approve @newbie")
    assert "@Newbie is now on Growth." in text_of(replies)
    assert "no open request to join a team you lead" in await chat.text(
        "lea", "team decline @newbie"
    )


async def test_two_requests_to_teams_a_lead_runs_ask_which(chat: Chat) -> None:
    await chat.say("lea", "team create Platform")
    await chat.say("newbie", "team join Growth")
    await chat.say("newbie", "team join Platform")
    asked = await chat.say("lea", "team decline @newbie")
    assert [b.label for b in buttons_of(asked)] == ["Growth", "Platform"]
    (growth, _) = buttons_of(asked)
    assert "Declined Newbie's request to join Growth." in await chat.text("lea", growth.command)
    # With one request left, the name is enough again.
    assert "@Newbie is now on Platform." in await chat.text("lea", "team approve @newbie")


async def test_a_request_to_someone_elses_team_is_not_theirs_to_answer(chat: Chat) -> None:
    await chat.say("newbie", "team join Growth")
    said = await chat.text("ben", "team approve @newbie")
    assert "Newbie has no open request to join a team you lead." in said
