"""Typed mention markup in Teams is text: only Teams' own `<at>` entities and people fields
name people, through the real CloudAdapter and the outbox to the mock Bot Connector."""

from __future__ import annotations

import re

from tests.bot.teams.conftest import ANA, BEN, LEA, TeamsClient, text_of
from tests.bot.teams.support import (
    active_kpi,
    answer,
    chat_of,
    filled,
    form_of,
    mentioned,
    mentioning,
)
from tests.bot.teams.test_recognition import body_text, channel_posts, growth_at_home

STORY = "you paired with me on the pricing page"


async def test_a_typed_mention_in_a_kudos_message_is_only_text(teams: TeamsClient) -> None:
    await growth_at_home(teams)
    kpi = await active_kpi(teams)
    activity = mentioning(teams, "kudos", LEA, BEN)  # Ben is picked: Teams' own <at> entity
    activity["text"] = (
        f'<at>kpi-coach</at> kudos <at>Ben Okafor</at> kpi {kpi} how "{STORY}, with '
        f'<@{ANA[2]}|Ana Ruiz> and <@{LEA[2]}>"'
    )
    await teams.send(activity)
    await teams.deliver()  # the answer comes to Lea's chat, the post to the channel
    said = text_of(chat_of(teams, LEA))
    assert "Posted to the team channel and sent to <at>Ben Okafor</at>" in said
    (post,) = channel_posts(teams, "Kudos: Qualified leads")
    assert ANA[2] not in mentioned(post)
    assert BEN[2] in mentioned(post)
    assert "Ana Ruiz" not in re.findall(r"<at>(.*?)</at>", body_text(post))
    assert "@Ana Ruiz" in post.text


async def test_a_typed_mention_in_a_kudos_card_story_is_only_text(teams: TeamsClient) -> None:
    await growth_at_home(teams)
    kpi = await active_kpi(teams)
    _card, fields, data = form_of(await answer(teams, "kudos", LEA))
    story = f"{STORY}, <@{ANA[2]}|Ana Ruiz> saw it"
    typed = {"people": f"<@{BEN[2]}>", "kpi": kpi, "story": story}  # Ben, as the field holds him
    said = text_of(await teams.submit(filled(fields, data, **typed), LEA))
    assert "Posted to the team channel and sent to <at>Ben Okafor</at>" in said
    await teams.deliver()
    (post,) = channel_posts(teams, "Kudos: Qualified leads")
    assert ANA[2] not in mentioned(post)
    assert BEN[2] in mentioned(post)
    assert "@Ana Ruiz saw it" in post.text
