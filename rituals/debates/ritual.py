"""Servant vs Scorekeeper as the engine sees it: its name, its switch, its commands, and
what the tick does once a debate's meeting is over."""

from __future__ import annotations

from rituals.core.spec import Ritual, RitualName
from rituals.core.syntax import TEAM_ONLY_IN, Param, Syntax
from rituals.debates import commands as debates
from rituals.debates import decisions, seats
from rituals.debates.decisions import AFTER
from rituals.debates.lapse import UNPAIRED

TOPIC = "Servant vs Scorekeeper"
HOW = (
    "The lead names a KPI and a question; the bot pairs its sharpest critic (who volunteered, "
    "or questioned it in the vote) with its most empathetic advocate (who volunteered, or "
    "backed it), asks both privately, gives each the other side's case to prepare, and sets "
    "it at the team's next check-in slot. Pulse answers stay anonymous, so they never pick a "
    "critic. It starts switched off; the lead switches it on with `settings set rituals`."
)

COMMANDS = (
    Syntax(
        names=("debate start",),
        model=debates.StartDebate,
        handler=debates.start,
        topic=TOPIC,
        summary="pair a KPI's critic with its advocate for a debate at the next meeting (lead)",
        params=(Param("kpi"), Param("question"), TEAM_ONLY_IN),
        examples=('debate start 3 "Should we keep calls per day?"', "debate start 3"),
        details=HOW,
    ),
    Syntax(
        names=("debate volunteer",),
        model=debates.Volunteer,
        handler=debates.volunteer,
        topic=TOPIC,
        summary="offer to argue a KPI's critic or advocate side when it is debated",
        params=(Param("kpi"), Param("side", placeholder="critic|advocate"), TEAM_ONLY_IN),
        examples=("debate volunteer 3 critic", "debate volunteer 3 advocate"),
    ),
    Syntax(
        names=("debate yes",),
        model=seats.SayYes,
        handler=seats.yes,
        topic=TOPIC,
        summary="agree to argue the side the bot asked you to",
        params=(Param("debate", placeholder="number"),),
        examples=("debate yes 2",),
    ),
    Syntax(
        names=("debate no",),
        model=seats.SayNo,
        handler=seats.no,
        topic=TOPIC,
        summary="pass (nobody is told; someone else is asked)",
        params=(Param("debate", placeholder="number"),),
        examples=("debate no 2",),
    ),
    Syntax(
        names=("debate line",),
        model=seats.OneLine,
        handler=seats.line,
        topic=TOPIC,
        summary="after the meeting, your one line on what the debate showed you",
        params=(Param("debate", placeholder="number"), Param("line")),
        examples=('debate line 2 "the number hides the calls that matter"',),
    ),
    Syntax(
        names=("debate decide",),
        model=decisions.Decide,
        handler=decisions.decide,
        topic=TOPIC,
        summary="the team's decision after the debate: keep, adjust or kill (lead)",
        params=(
            Param("debate", placeholder="number"),
            Param("decision", placeholder="keep|adjust|kill"),
            Param("why"),
        ),
        examples=('debate decide 2 adjust "count calls that reach a decision maker"',),
    ),
    Syntax(
        names=("debates",),
        model=debates.ListDebates,
        handler=debates.list_debates,
        topic=TOPIC,
        summary="the team's debates: waiting, set, decided",
        params=(Param("team", "in", placeholder="team", positional=True),),
        examples=("debates",),
    ),
)

RITUAL = Ritual(
    name=RitualName.DEBATE,
    title="Servant vs Scorekeeper debates",
    label="Servant vs Scorekeeper",
    switchable=True,
    commands=COMMANDS,
    reminders=(AFTER, UNPAIRED),
)
