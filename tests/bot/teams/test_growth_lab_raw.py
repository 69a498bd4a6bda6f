"""KPI Raw and Servant vs Scorekeeper through the real CloudAdapter: `raw preview` answered
as a card in the person's chat with the team's shared numbers, and a debate's invitation
accepted by its card button, the pairing then posted to the team's channel with real
mentions."""

from __future__ import annotations

import re

from tests.bot.teams.conftest import ANA, BEN, LEA, TeamsClient, text_of
from tests.bot.teams.support import answer, mentioned, news, runs, valid
from tests.bot.teams.test_recognition import channel_posts, growth_at_home

ON = "checkin,one_on_one,kudos,review,raw,debate"


async def _voted_kpi(teams: TeamsClient) -> str:
    """Ana's KPI put to Growth's vote in its channel: Ben questions it, Lea then Ana back it;
    Lea activates it."""
    said = text_of(
        await answer(
            teams,
            'propose "Qualified leads" target 10 leads per week growth "run discovery calls '
            'alone" why "every lead is a conversation I learn from"',
            ANA,
        )
    )
    found = re.search(r"Proposed #(\d+)", said)
    assert found, said
    kpi = found[1]
    await answer(teams, f'vote {kpi} question "does it push us to chase bad leads?"', BEN)
    await answer(teams, f"vote {kpi} back", LEA)
    await answer(teams, f"vote {kpi} back", ANA)
    assert "Active" in text_of(await answer(teams, f"activate {kpi}", LEA))
    return kpi


async def test_raw_preview_and_a_debate_accepted_by_card_buttons(teams: TeamsClient) -> None:
    await growth_at_home(teams)
    await answer(teams, f"settings set rituals {ON}", LEA)
    kpi = await _voted_kpi(teams)
    await answer(teams, f'log {kpi} 12 "a webinar week"', ANA)
    (preview,) = await answer(teams, "raw preview", BEN)
    for card in preview.cards:
        valid(card)
    assert "Preview of KPI Raw for Growth (only you see this)" in preview.text
    assert 'Qualified leads (Ana Ruiz): 12 leads for 2026-W48; target 10 leads per week. "a ' in (
        preview.text
    )

    said = text_of(await answer(teams, f"debate start {kpi}", LEA))
    assert "privately" in said
    invitation = await news(teams, BEN, "argue as its critic")
    yes = runs(invitation)["Yes, I'll argue it"]
    said = text_of(await teams.submit({"kpicoach_run": yes}, BEN))
    assert "the strongest case for keeping Qualified leads as it is" in said
    invitation = await news(teams, ANA, "argue as its advocate")
    await teams.submit({"kpicoach_run": runs(invitation)["Yes, I'll argue it"]}, ANA)
    await teams.deliver()
    (post,) = channel_posts(teams, "Servant vs Scorekeeper")
    assert "argues as its critic" in post.text
    assert set(mentioned(post)) == {BEN[2], ANA[2]}
