"""The kudos ritual as the engine sees it: its name, its switch and its commands."""

from __future__ import annotations

from rituals.core.spec import Ritual, RitualName
from rituals.core.syntax import (
    TEAM_ONLY_IN,
    Param,
    Syntax,
)
from rituals.kudos import commands as kudos

COMMANDS = (
    Syntax(
        names=("kudos", "recognise", "recognize"),
        model=kudos.GiveKudos,
        handler=kudos.give,
        topic="Recognition",
        summary="recognise someone: the KPI it helped, and how you served them",
        params=(
            Param("people", placeholder="@person …"),
            Param("story", "how", placeholder="how you served them", positional=True),
            Param("kpi", "kpi"),
            Param("reward", "reward", placeholder="a team lunch"),
            TEAM_ONLY_IN,
        ),
        examples=(
            kudos.EXAMPLE,
            "kudos @ben you were stuck on pricing, so I paired with you on the page for an hour",
            "kudos",
        ),
        details='Generic praise ("great job", "thanks!") is refused: say what you did for '
        "them and what it made possible. It is posted to the team's recognition channel, sent "
        "to each of them, and opens their next one-on-one as a win. A small reward may come "
        "with it, from app.yaml's list.",
        form_title="Kudos",
    ),
)

RITUAL = Ritual(
    name=RitualName.KUDOS,
    title="recognition that names how you served someone",
    label="kudos",
    switchable=True,
    commands=COMMANDS,
)
