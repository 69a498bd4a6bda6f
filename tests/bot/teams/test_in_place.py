"""Where a Teams answer lands when a button on a channel's card is pressed (issue 20, point 5):
"Back it" and "Question it" on a proposal's vote card both answer in the person's chat, the
form included, so no one's vote shows in front of the channel. Through the real CloudAdapter
over HTTP, against the mock Bot Connector."""

from __future__ import annotations

import re
import uuid
from typing import Any

from tests.bot.teams.conftest import ANA, BEN, CHANNEL, LEA, PERSONAL, TeamsClient, text_of
from tests.bot.teams.mock_connector import Sent
from tests.bot.teams.support import answer, filled, form_of, runs
from tests.bot.teams.test_recognition import channel_posts, growth_at_home

Person = tuple[str, str, str]


async def pressed(teams: TeamsClient, post: Sent, title: str, person: Person) -> list[Sent]:
    """`person` presses the button `title` on `post`, a card in the team's channel."""
    activity: dict[str, Any] = teams.activity("message_channel_mention.json", person)
    activity["text"] = ""
    activity["entities"] = []
    activity["value"] = {"kpicoach_run": runs(post)[title]}
    activity["replyToId"] = uuid.uuid4().hex[:13]
    return await teams.send(activity)


async def vote_card(teams: TeamsClient) -> tuple[str, Sent]:
    """Ana proposes a KPI; Growth has a home channel, so it is put to a vote there."""
    said = text_of(
        await answer(
            teams,
            'propose "Qualified leads" target 10 leads per week growth "run calls alone" '
            'why "every lead is a conversation I learn from"',
            ANA,
        )
    )
    found = re.search(r"Proposed #(\d+)", said)
    assert found, said
    await teams.deliver()
    posts = [p for p in teams.connector.to(CHANNEL) if "Back it" in runs(p)]
    assert len(posts) == 1, [p.text for p in teams.connector.to(CHANNEL)]
    return found[1], posts[0]


def in_channel(sent: list[Sent]) -> list[Sent]:
    return [s for s in sent if s.conversation.startswith(CHANNEL)]


async def test_question_it_and_back_it_on_a_channel_vote_card_both_answer_in_the_chat(
    teams: TeamsClient,
) -> None:
    await growth_at_home(teams)
    kpi, post = await vote_card(teams)
    assert runs(post)["Question it"] == f"vote {kpi}"

    # Ben questions it: the form comes to his chat, and the channel hears only, once, where.
    sent = await pressed(teams, post, "Question it", BEN)
    chat = [s for s in sent if s.conversation == PERSONAL + BEN[0]]
    _card, fields, data = form_of(chat)
    assert data["kpicoach_form"] == "vote"
    assert "stance" in fields
    assert [s.text for s in in_channel(sent)] == [
        "I answered you in our chat with me; I'll keep doing that without saying so here."
    ]
    # Answered there, his question goes nowhere near the channel.
    question = "does it push us to chase bad leads?"
    said = await teams.submit(filled(fields, data, stance="question", question=question), BEN)
    assert question not in text_of(in_channel(said))
    await teams.deliver()
    assert not [s for s in teams.connector.to(CHANNEL) if question in s.text]

    # Lea (told where her answers go when she made Growth there) backs it, then thinks again:
    # both answers come to her chat, and the channel shows neither.
    before = len(teams.connector.to(PERSONAL + LEA[0]))
    sent = await pressed(teams, post, "Back it", LEA)
    assert in_channel(sent) == []
    await teams.deliver()
    backed = text_of(teams.connector.to(PERSONAL + LEA[0])[before:])
    assert f"#{kpi}" in backed, backed
    sent = await pressed(teams, post, "Question it", LEA)
    assert in_channel(sent) == []
    form_of([s for s in sent if s.conversation == PERSONAL + LEA[0]])
    assert channel_posts(teams, "Back it, or question it?") == []
