"""The pulse ritual as the engine sees it: its name, its switch and its commands."""

from __future__ import annotations

from rituals.core.spec import Ritual, RitualName
from rituals.core.syntax import (
    TEAM_ONLY_IN,
    Param,
    Syntax,
)
from rituals.pulse import commands as pulse
from rituals.pulse import opening
from rituals.pulse.prompt import PULSE
from rituals.pulse.tick import TICK

COMMANDS = (
    Syntax(
        names=("pulse start",),
        model=pulse.StartPulse,
        handler=opening.start,
        topic="Tension pulse",
        summary='ask the team "how does chasing this KPI feel right now?" (lead)',
        params=(
            Param("kpi"),
            Param("until", "until", placeholder="fri|in 10 days|YYYY-MM-DD"),
            TEAM_ONLY_IN,
        ),
        examples=("pulse start 3", "pulse start 3 until fri", "pulse start"),
        details=pulse.ANONYMOUS,
    ),
    Syntax(
        names=("pulse answer",),
        model=pulse.AnswerPulse,
        handler=pulse.answer,
        topic="Tension pulse",
        summary="answer the pulse: 1 (crushing) to 5 (energising), and a word if you like",
        params=(
            Param("score", placeholder="1-5"),
            Param("word", placeholder="a word"),
            Param("pulse", "pulse", placeholder="number"),
            TEAM_ONLY_IN,
        ),
        examples=("pulse answer 4", "pulse answer 2 stretched"),
        details=pulse.ANONYMOUS,
        form_title="How does it feel?",
    ),
    Syntax(
        names=("pulse",),
        model=pulse.ShowPulse,
        handler=pulse.show,
        topic="Tension pulse",
        summary="the team's pulse: how many answered, or its results",
        params=(Param("team", "in", placeholder="team", positional=True),),
        examples=("pulse", "pulse Growth"),
    ),
    Syntax(
        names=("pulse close",),
        model=pulse.ClosePulse,
        handler=pulse.close,
        topic="Tension pulse",
        summary="close the pulse now and show its results, once enough answered (lead)",
        params=(Param("team", "in", placeholder="team", positional=True),),
        examples=("pulse close",),
    ),
)

RITUAL = Ritual(
    name=RitualName.PULSE,
    title="anonymous tension pulse",
    label="the tension pulse",
    switchable=True,
    commands=COMMANDS,
    prompts=(PULSE,),
    tick=TICK,
)
