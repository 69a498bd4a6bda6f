"""The fails ritual as the engine sees it: its name, its switch and its commands."""

from __future__ import annotations

from rituals.core.spec import Ritual, RitualName
from rituals.core.syntax import (
    TEAM_ONLY_IN,
    Param,
    Syntax,
)
from rituals.fails import archive, nominations, votes
from rituals.fails import commands as fails
from rituals.fails.prompt import FAIL_OF_MONTH
from rituals.fails.tick import TICK

COMMANDS = (
    Syntax(
        names=("fail nominate", "nominate"),
        model=fails.Nominate,
        handler=nominations.nominate,
        topic="Fail of the Month",
        summary="nominate a teammate, or yourself, for a misstep and what was learned",
        params=(
            Param("person", placeholder="@person|me"),
            Param("misstep", placeholder="what happened"),
            Param("learned", "learned", placeholder="what was learned"),
            TEAM_ONLY_IN,
        ),
        examples=(
            'fail nominate @ana "sent the renewal quote to the wrong client" learned "she '
            'built a two-step check we all use now"',
            'fail nominate me "promised a date without asking the team" learned "I ask the team '
            'before I promise"',
            "fail nominate",
        ),
        details="A story about someone else waits for their yes before anyone else sees it; a "
        "no is never told. In the month's last days the team votes; the winner's story is "
        "posted with the trophy.",
        form_title="Fail of the Month",
    ),
    Syntax(
        names=("fail consent",),
        model=fails.Consenting,
        handler=nominations.consent,
        topic="Fail of the Month",
        summary="say whether a story about you may go on the team's ballot",
        params=(Param("nomination", placeholder="story number"), Param("answer")),
        examples=("fail consent 4 yes", "fail consent 4 no"),
    ),
    Syntax(
        names=("fail vote",),
        model=fails.VoteFail,
        handler=votes.vote,
        topic="Fail of the Month",
        summary="vote for the story the team learned most from; vote again to change it",
        params=(Param("nomination", placeholder="story number"),),
        examples=("fail vote 4",),
        details="One vote each, secret: nobody, the lead included, sees who voted for whom.",
    ),
    Syntax(
        names=("fails",),
        model=fails.ShowFails,
        handler=archive.show,
        topic="Fail of the Month",
        summary="this month's stories, and every month's trophy and lesson of a year",
        params=(Param("year", placeholder="year"), TEAM_ONLY_IN),
        examples=("fails", "fails 2026"),
    ),
)

RITUAL = Ritual(
    name=RitualName.FAIL_OF_MONTH,
    title="Fail of the Month vote",
    label="Fail of the Month",
    switchable=True,
    commands=COMMANDS,
    prompts=(FAIL_OF_MONTH,),
    tick=TICK,
)
