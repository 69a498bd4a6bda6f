"""Stretch assignments as the engine sees them: their name, their switch and their commands."""

from __future__ import annotations

from rituals.core.spec import Ritual, RitualName
from rituals.core.syntax import TEAM_ONLY_IN, Param, Syntax
from rituals.stretch import commands, opening, outcome, views
from rituals.stretch.prompt import STRETCH_DAY

TOPIC = "Stretches and budgets"

COMMANDS = (
    Syntax(
        names=("stretch",),
        model=commands.OpenStretch,
        handler=opening.open_stretch,
        topic=TOPIC,
        summary="open a stretch toward a KPI that lags: what, by when, who supports",
        params=(
            Param("person", placeholder="@person|me"),
            Param("kpi"),
            Param("what", placeholder="what they take on"),
            Param("due", "by", placeholder="fri|3 weeks|YYYY-MM-DD"),
            Param("supporter", "support", placeholder="@person"),
            TEAM_ONLY_IN,
        ),
        examples=(
            'stretch @ana 3 "lead the next client workshop" by 2027-01-15 support @ben',
            'stretch me 4 "run the Friday demo for the new clients" by 2027-01-29 support @lea',
            "stretch @ana",
        ),
        details=(
            "A lead opens one for a teammate, who says yes or no in private; anyone opens one "
            "for themself. It goes toward a KPI of theirs whose latest value lags its target. "
            f"{commands.ROTATION_RULE} Said in a direct message, never in a channel. A team "
            "starts without stretches; its lead switches them on with settings set rituals."
        ),
        form_title="Stretch assignment",
    ),
    Syntax(
        names=("stretch answer",),
        model=commands.AnswerStretch,
        handler=opening.answer,
        topic=TOPIC,
        summary="say yes or no, in private, to a stretch your lead asked you to take on",
        params=(Param("stretch", placeholder="stretch number"), Param("answer")),
        examples=("stretch answer 4 yes", "stretch answer 4 no"),
    ),
    Syntax(
        names=("stretch done",),
        model=commands.FinishStretch,
        handler=outcome.finish,
        topic=TOPIC,
        summary="say how a stretch went and what you learned; it opens your next one-on-one",
        params=(
            Param("stretch", placeholder="stretch number"),
            Param("outcome", "outcome", placeholder="how it went"),
            Param("learned", "learned", placeholder="what you learned"),
        ),
        examples=(
            'stretch done 4 outcome "ran the workshop, two clients signed up" learned "I can '
            'open a room of strangers now"',
            "stretch done 4",
        ),
        form_title="How did the stretch go?",
    ),
    Syntax(
        names=("stretch suggest",),
        model=commands.SuggestStretch,
        handler=views.suggest,
        topic=TOPIC,
        summary="who the rotation would stretch next, and toward which lagging KPI (lead)",
        params=(Param("team", "in", placeholder="team", positional=True),),
        examples=("stretch suggest", "stretch suggest Growth"),
        details="The owner of a lagging KPI with the fewest stretches this quarter, then the "
        "longest since their last: a rotation, not a punishment.",
    ),
    Syntax(
        names=("stretches",),
        model=commands.ShowStretches,
        handler=views.show,
        topic=TOPIC,
        summary="your stretches; for a lead, the quarter's rotation on the team",
        params=(Param("team", "in", placeholder="team", positional=True),),
        examples=("stretches", "stretches Growth"),
    ),
)

RITUAL = Ritual(
    name=RitualName.STRETCH,
    title="stretch assignments rotated toward lagging KPIs",
    label="stretch assignments",
    switchable=True,
    commands=COMMANDS,
    reminders=(STRETCH_DAY,),
)
