"""The purpose ritual as the engine sees it: its name, its switch and its commands."""

from __future__ import annotations

from rituals.core.spec import Ritual, RitualName
from rituals.core.syntax import (
    TEAM_IN,
    Param,
    Syntax,
)
from rituals.purpose import commands as purpose
from rituals.purpose.tick import TICK

COMMANDS = (
    Syntax(
        names=("purpose start",),
        model=purpose.StartPurpose,
        handler=purpose.start,
        topic="Team purpose",
        summary='start "why we exist": ask everyone how their role moves the needle (lead)',
        params=(
            Param("text", placeholder="our purpose"),
            TEAM_IN,
            Param("until", "until", placeholder="fri|in 10 days|YYYY-MM-DD"),
        ),
        examples=('purpose start "we help small shops sell online without a developer" until fri',),
        details="Answers are gathered until the day given (a week if none), then posted "
        "together to the team channel at check-in time. Every word is the purpose; to name "
        'the team or the day, quote it: purpose start "..." until fri.',
        form_title="Why we exist",
    ),
    Syntax(
        names=("purpose answer",),
        model=purpose.AnswerPurpose,
        handler=purpose.answer,
        topic="Team purpose",
        summary="say how your role moves the needle on the team's purpose; revise it any time",
        params=(Param("text", placeholder="your answer"), TEAM_IN),
        examples=('purpose answer "every shop I onboard sells in its first week"',),
        details='Every word is the answer; to name the team, quote it: purpose answer "..." in '
        "Growth.",
        form_title=purpose.ASK,
    ),
    Syntax(
        names=("purpose",),
        model=purpose.ShowPurpose,
        handler=purpose.show,
        topic="Team purpose",
        summary="the team's purpose and everyone's answer",
        params=(Param("team", "in", placeholder="team", positional=True),),
        examples=("purpose", "purpose Growth"),
    ),
)

RITUAL = Ritual(
    name=RitualName.PURPOSE,
    title="the team's purpose workshop",
    label="the purpose workshop",
    switchable=False,
    commands=COMMANDS,
    tick=TICK,
)
