"""KPI Raw as the engine sees it: its name, its switch, its commands and its weekly post."""

from __future__ import annotations

from rituals.core.spec import Ritual, RitualName
from rituals.core.syntax import TEAM_ONLY_IN, Param, Syntax
from rituals.raw import commands as raw
from rituals.raw.tick import TICK

TOPIC = "KPI Raw"
SWITCH = (
    "A team's lead switches it on with `settings set rituals` (it starts off, like the pulse "
    "and Fail of the Month); it goes to the team's channel every week, Fridays at 16:00 "
    "unless the lead says `raw when`."
)

COMMANDS = (
    Syntax(
        names=("raw preview",),
        model=raw.PreviewRaw,
        handler=raw.preview,
        topic=TOPIC,
        summary="this week's newsletter as the team would read it now (only you see it)",
        params=(Param("team", "in", placeholder="team", positional=True),),
        examples=("raw preview", "raw preview Growth"),
        details=SWITCH,
    ),
    Syntax(
        names=("raw",),
        model=raw.ShowRaw,
        handler=raw.show,
        topic=TOPIC,
        summary="when the weekly newsletter goes out, and whether your numbers are in it",
        params=(Param("team", "in", placeholder="team", positional=True),),
        examples=("raw",),
        details=SWITCH,
    ),
    Syntax(
        names=("raw out",),
        model=raw.KeepOut,
        handler=raw.keep_out,
        topic=TOPIC,
        summary="keep your numbers out of the newsletter (your stories stay)",
        examples=("raw out",),
    ),
    Syntax(
        names=("raw in",),
        model=raw.LetIn,
        handler=raw.let_in,
        topic=TOPIC,
        summary="let the numbers you share with your team back into the newsletter",
        examples=("raw in",),
    ),
    Syntax(
        names=("raw when",),
        model=raw.MoveRaw,
        handler=raw.move,
        topic=TOPIC,
        summary="the day and time it goes to the team's channel (lead)",
        params=(
            Param("day", placeholder="mon-sun"),
            Param("time", placeholder="HH:MM"),
            TEAM_ONLY_IN,
        ),
        examples=("raw when fri 16:00", "raw when mon 09:30"),
    ),
)

RITUAL = Ritual(
    name=RitualName.RAW,
    title="KPI Raw, the weekly newsletter",
    label="KPI Raw",
    switchable=True,
    commands=COMMANDS,
    tick=TICK,
)
