"""The skills heat-map and a mentorship sprint through the real CloudAdapter.

The heat-map arrives inline in its card as a PNG data URI; a gap reaches the one the bot would
pair proactively in their chat with the bot, with its buttons; their "Not now" is answered in
their chat alone, and the learner's chat never hears of it; the look-back's form keeps what
was typed when it is too short.
"""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest

from rituals.core.context import FixedClock, ShiftedClock
from tests.bot.teams.conftest import ANA, BEN, LEA, TeamsClient, text_of
from tests.bot.teams.support import (
    DATA_URI,
    answer,
    chat_of,
    filled,
    form_of,
    growth,
    images,
    news,
    runs,
    words_of,
)
from tests.conftest import NOW
from tests.support import PNG_SIGNATURE, assert_valid_png


@pytest.fixture
def clock() -> ShiftedClock:
    """The app's clock, moved on by the test to the sprint's halfway."""
    return ShiftedClock(base=FixedClock(NOW))


ON = "settings set rituals checkin,one_on_one,kudos,review,skills"
GOAL = "write the weekly pipeline query on my own"


async def test_the_map_inline_a_gap_declined_in_private_and_a_look_back_by_form(
    teams: TeamsClient, clock: ShiftedClock
) -> None:
    await growth(teams)
    assert "skills heat-map" in text_of(await answer(teams, ON, LEA))
    assert "Added SQL" in text_of(await answer(teams, "skill add SQL", LEA))
    await answer(teams, "rate SQL as 4", BEN)
    await answer(teams, "rate SQL as 4", LEA)  # her report's gap is never asked of her
    await answer(teams, "skills share on", BEN)

    sent = await answer(teams, "skills", ANA)
    (image,) = images(sent)
    data = base64.b64decode(image["url"].removeprefix(DATA_URI), validate=True)
    assert data[:8] == PNG_SIGNATURE
    assert assert_valid_png(data)[0] == 800
    assert "1 person shows their whole row, of 3 on Growth" in image["altText"]
    assert "SQL: Ben Okafor, Lea Hart" in text_of(sent)

    said = text_of(await answer(teams, f'learn SQL goal "{GOAL}"', ANA))
    gap = said.split("Gap #", 1)[1].split(" ", 1)[0]
    ask = await news(teams, BEN, "Would you mentor")
    assert runs(ask) == {"Yes, I'll mentor": f"mentor {gap}", "Not now": f"mentor decline {gap}"}
    assert not [s for s in chat_of(teams, LEA) if "Would you mentor" in s.text]

    before = len(chat_of(teams, ANA))
    said = text_of(await teams.submit({"kpicoach_run": runs(ask)["Not now"]}, BEN))
    assert "Thanks for saying so" in said
    await teams.deliver()
    assert chat_of(teams, ANA)[before:] == []  # a no is never told

    # Lea may not claim her report's gap; Ben, who can teach it, still may, and Ana looks
    # back from halfway.
    said = text_of(await answer(teams, f"mentor {gap}", LEA))
    assert "Ana Ruiz is your lead or your report" in said
    assert "You mentor Ana Ruiz on SQL" in text_of(await answer(teams, f"mentor {gap}", BEN))
    clock.offset = timedelta(days=7)
    card, fields, data = form_of(await answer(teams, f"lookback {gap}", ANA))
    assert "What can you do now that you could not?" in words_of(card)
    card, fields, data = form_of(await teams.submit(filled(fields, data, words="more"), ANA))
    assert "too short" in words_of(card)
    assert fields["words"].get("value") == "more"
    mine = "I write the pipeline query alone and explain the joins"
    said = text_of(await teams.submit(filled(fields, data, words=mine), ANA))
    assert "It opens your next one-on-one as a win" in said
    assert mine in (await news(teams, BEN, "looked back on your sprint")).text
