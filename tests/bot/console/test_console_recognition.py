"""Kudos, the tension pulse and Fail of the Month in a scripted console session.

`kudos` with nothing else asks its form field by field, the reward as a numbered choice, and
generic praise brings the form back with everything kept; a pulse started by the demo team's
lead is answered by its people and closed, its results printed as an `[image]` line with the
text bars of `rituals.core.charts.pulse_bars` under it and the PNG saved in ./exports as a download
would be; a nominee presses their consent button.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import AppConfig
from bot.dispatch import Dispatcher
from rituals.core.charts import pulse_bars
from rituals.core.context import FixedClock
from storage.models import Kudos, KudosRecipient, Member
from tests.bot.console.support import PROPOSE, dm, flat, proposed, run_console, turn
from tests.support import PNG_SIGNATURE, assert_valid_png

STORY = "I sat in on their discovery calls and wrote up every objection"
PRAISE = "Great job, thanks for everything!"
MISSTEP = "sent the renewal quote to the wrong client"
LEARNED = "he built a two-step check we all use now"


async def active_kpi(
    dispatcher: Dispatcher, sessions: async_sessionmaker[AsyncSession], clock: FixedClock
) -> str:
    """Ana's KPI, activated by Lea, the demo team's lead."""
    kpi = proposed(await run_console(dispatcher, sessions, clock, [PROPOSE]))
    said = await run_console(dispatcher, sessions, clock, [":as lea", f"activate {kpi}"])
    assert f"== Active: #{kpi} Qualified leads ==" in said
    return kpi


async def test_kudos_asks_each_field_the_reward_as_a_choice_and_posts_the_story(
    dispatcher: Dispatcher,
    sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock,
    config: AppConfig,
) -> None:
    kpi = await active_kpi(dispatcher, sessions, clock)
    transcript = await run_console(
        dispatcher,
        sessions,
        clock,
        [
            ":as lea",
            "settings set recognition #wins",
            "kudos",
            "",  # people are needed: asked again
            "@ana @ben",
            kpi,
            PRAISE,
            "9",  # no such reward: asked again
            "2",  # a team lunch
            "",  # team: the only one Lea is on
            # Generic praise: the form again, the problem first, Enter keeps each value.
            "",
            "",
            STORY,
            "",
            "",
        ],
    )
    asked = turn(transcript, "lea> kudos")
    first, again = asked.split("== Kudos ==")[1:3]
    assert first.startswith("\nHow did you serve them, and what did it make possible?")
    assert "Who you recognise (one or more @mentions; @names like @ana @ben, up to 10)" in first
    assert "This one is needed." in first
    assert "The KPI it helped (its number or name; up to 200 characters)" in first
    assert "How you served them (what you did, and what it made possible; up to 1000" in first
    rewards = list(config.recognition.rewards)
    choices = "\n".join(f"  [{i}] {reward}" for i, reward in enumerate(rewards, 1))
    assert f"A small reward (optional; a symbol, never money)\n{choices}\n" in first
    assert f"Pick a number from 1 to {len(rewards)}, or type one of the options." in first

    assert again.startswith("\nThat is praise, not yet a story.")
    assert "Who you recognise (one or more @mentions; @names like @ana @ben, up to 10) " in again
    assert "[@ana, @ben]" in again
    assert f"The KPI it helped (its number or name; up to 200 characters) [{kpi}]" in again
    assert f"up to 1000 characters) [{PRAISE}]" in again
    assert "A small reward (optional; a symbol, never money) [a team lunch]" in again

    said = flat(again)
    assert "Posted to #wins and sent to @Ana and @Ben. It opens their next one-on-one" in said
    post = again.split("(posted in channel wins)\n", 1)[1].split("(direct message to")[0]
    assert "== Kudos: Qualified leads ==" in post
    assert "@Lea on how they served @Ana and @Ben for *Qualified leads*:" in post
    assert STORY in post
    assert "With *a team lunch*." in post
    for name in ("Ana", "Ben"):
        to_them = dm(again, name)
        assert STORY in to_them
        assert "It opens your next one-on-one as a win." in flat(to_them)

    async with sessions() as session:
        (row,) = (await session.scalars(select(Kudos).where(Kudos.kpi_id == int(kpi)))).all()
        assert row.story == STORY
        assert row.reward == "a team lunch"
        assert row.kpi_id == int(kpi)
        recipients = await session.scalars(
            select(Member.platform_user_id)
            .join(KudosRecipient, KudosRecipient.member_id == Member.id)
            .where(KudosRecipient.kudos_id == row.id)
            .order_by(Member.platform_user_id)
        )
        assert list(recipients) == ["ana", "ben"]


async def test_a_closed_pulse_prints_its_image_line_and_bars_and_saves_the_png(
    dispatcher: Dispatcher,
    sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # the console saves into ./exports
    transcript = await run_console(
        dispatcher,
        sessions,
        clock,
        [
            ":as lea",
            "settings set rituals checkin,one_on_one,kudos,review,pulse",
            "pulse start",
            ":as ana",
            "pulse",
            "4",  # its "4 good" button
            "pulse answer 1",
            ":as lea",
            "pulse answer 4",
            "pulse close",
            ":as ben",
            "pulse answer 2 tired",
            ":as lea",
            'pulse close "Demo team"',
        ],
    )
    started = flat(turn(transcript, "lea> pulse start"))
    assert "Asked 3 people on Demo team, you included: How does chasing our KPIs feel" in started
    assert "(direct message to Ana) == Tension pulse: Demo team ==" in started

    pressed = turn(transcript, "ana> 4")
    found = re.search(r"-> pulse answer 4 pulse (\d+)\n", pressed)
    assert found, pressed
    pulse = found[1]
    assert "Thank you: 4 (good) counted, anonymously." in flat(pressed)
    assert "You answered this pulse already." in flat(turn(transcript, "ana> pulse answer 1"))
    too_few = flat(turn(transcript, "lea> pulse close"))
    assert "2 answered; results show only from 3, so 1 more is needed." in too_few
    assert "[image]" not in too_few
    assert "saved to" not in too_few

    assert "Thank you: 2 (heavy) counted" in flat(turn(transcript, "ben> pulse answer 2 tired"))
    shown = turn(transcript, 'lea> pulse close "Demo team"')
    name = f"pulse-{pulse}.png"
    image = f"[image] Demo team: How does chasing our KPIs feel right now?: {name}\n"
    assert image in shown
    bars = "".join(f"  {line}\n" for line in pulse_bars([0, 1, 0, 2, 0]).splitlines())
    assert shown.split(image, 1)[1].startswith(bars)
    assert "  2 heavy       █ 1\n  3 okay        0\n  4 good        ██ 2\n" in bars
    assert "3 answered; mean 3.3 of 5." in shown
    assert "In a word: tired" in shown

    saved = Path("exports") / name
    assert f"  saved to {saved}" in shown
    data = (tmp_path / "exports" / name).read_bytes()
    assert data[:8] == PNG_SIGNATURE
    assert assert_valid_png(data) == (600, 300)
    assert [p.name for p in (tmp_path / "exports").iterdir()] == [name]


async def test_a_nominee_presses_their_consent_button(
    dispatcher: Dispatcher, sessions: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    transcript = await run_console(
        dispatcher,
        sessions,
        clock,
        [
            ":as lea",
            "settings set rituals checkin,fail_of_month",
            ":as ana",
            f'fail nominate @ben "{MISSTEP}" learned "{LEARNED}"',
        ],
    )
    nominated = turn(transcript, f'ana> fail nominate @ben "{MISSTEP}" learned "{LEARNED}"')
    story = re.search(r"Asked Ben whether your story \(#(\d+)\)", flat(nominated))
    assert story, nominated
    to_ben = dm(nominated, "Ben")
    assert "@Ana nominated you for November 2026's trophy" in flat(to_ben)
    assert "Yes, share it" not in to_ben  # Ben's button, not Ana's to press
    # As Ben, what his "Yes, share it" runs, typed.
    consent = f"fail consent {story[1]} yes"
    transcript = await run_console(dispatcher, sessions, clock, [":as ben", consent, "fails"])
    pressed = turn(transcript, f"ben> {consent}")
    said = flat(pressed)
    assert f"Shared: story #{story[1]} is on Demo team's ballot for November 2026." in said
    assert f"@Ben agreed: your story #{story[1]}" in flat(dm(pressed, "Ana"))
    assert MISSTEP in turn(transcript, "ben> fails")
