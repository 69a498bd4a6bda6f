"""A tick's messages come from one template per kind of message, filled per person: each one
stored exactly as composing it for that person alone would store it."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from bot.payload import MARK, stored
from bot.tick import compose as composing
from bot.tick.compose import Composer
from rituals.core.messages import Block, Mention, Paragraph, rich
from rituals.core.nudges import Prompt, compose
from rituals.core.spec import PromptKind, PromptSpec, registered

LEAD = Mention("U0LEAD001", "Lea")
PEOPLE = [
    Mention("U0ANA0001", "Ana"),
    Mention("U0BEN0001", 'Ben "the \\ builder"'),  # quoted and escaped in JSON
    Mention("U0ZOE0001", "Zoë 🚀 <@U0LEAD001>"),
    Mention("U0MRK0001", f"Mark {MARK}id{MARK}"),  # holds a stand-in
    Mention(f"U0{MARK}name{MARK}", "Odd"),
]


def spec(kind: PromptKind) -> PromptSpec:
    return next(p for r in registered() for p in r.prompts if p.kind is kind)


def checkin(to: Mention, team: str = "Growth") -> Prompt:
    return Prompt(spec(PromptKind.CHECKIN), to, team, lead=LEAD)


def test_each_person_gets_what_composing_for_them_alone_gives() -> None:
    composer = Composer()
    for manners in (True, False):
        for to in PEOPLE:
            prompts = [checkin(to), Prompt(spec(PromptKind.ONE_ON_ONE), to, "Growth", lead=LEAD)]
            expected = stored(compose(prompts, manners=manners))
            assert composer.payload(prompts, manners) == expected


def test_one_template_serves_a_whole_team(monkeypatch: pytest.MonkeyPatch) -> None:
    """Composed for the first person, for the stand-in and its check at the second, and
    never again however many follow."""
    made = []

    def counted(*args: object, **kwargs: bool) -> object:
        made.append(args)
        return compose(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(composing, "compose", counted)
    composer = Composer()
    team = [Mention(f"U0P{n:06}", f"Person {n}") for n in range(20)]
    texts = [composer.payload([checkin(to)], True) for to in team]
    assert len(made) == 3
    assert [json.loads(t)["to"]["mention"] for t in texts] == [p.platform_user_id for p in team]
    other_team = json.loads(composer.payload([checkin(PEOPLE[0], "Sales")], True))
    assert other_team["blocks"][0] == {"heading": "Weekly check-in: Sales"}


def test_a_body_that_does_more_with_the_name_is_composed_per_person() -> None:
    def shouting(prompt: Prompt) -> list[Block]:
        return [Paragraph(rich(f"HI {prompt.to.display_name.upper()}"))]

    loud = replace(spec(PromptKind.CHECKIN), body=shouting)
    composer = Composer()
    for to in PEOPLE:
        prompts = [Prompt(loud, to, "Growth", lead=LEAD)]
        assert composer.payload(prompts, False) == stored(compose(prompts, manners=False))
