"""The one on ones ritual as the engine sees it: its name, its switch and its commands."""

from __future__ import annotations

from rituals.core.spec import Ritual, RitualName
from rituals.core.syntax import (
    TEAM_IN,
    WITH,
    Param,
    Syntax,
)
from rituals.one_on_ones import commands as one_on_ones
from rituals.one_on_ones.prompt import ONE_ON_ONE

COMMANDS = (
    Syntax(
        names=("script", "one-on-one", "1:1"),
        model=one_on_ones.ShowScript,
        handler=one_on_ones.script,
        topic="One-on-ones",
        summary="the wins-first script for your next one-on-one",
        params=(Param("person", "with", positional=True), TEAM_IN),
        examples=("script", "script @ben", 'script with @ben in "Growth"'),
        details=one_on_ones.PRIVATE,
    ),
    Syntax(
        names=("point", "talking point"),
        model=one_on_ones.AddPoint,
        handler=one_on_ones.add_point,
        topic="One-on-ones",
        summary="add a talking point to your next one-on-one",
        params=(Param("text", placeholder="what to raise"), WITH, TEAM_IN),
        examples=('point "how I get more discovery calls"', 'point @ben "pricing help"'),
        details="Every word is the point. A lead names the report first: point @ben ...",
        form_title="Add a talking point",
    ),
    Syntax(
        names=("notes",),
        model=one_on_ones.WriteNotes,
        handler=one_on_ones.write_notes,
        topic="One-on-ones",
        summary="after a one-on-one: the notes and next steps; the next script opens with them",
        params=(
            Param("notes", placeholder="what you talked about"),
            Param("next_steps", "next", placeholder="steps"),
            WITH,
            TEAM_IN,
        ),
        examples=(
            'notes "talked pricing" next "I draft the offer"',
            'notes @ben "talked pricing" next "Ben drafts the offer"',
            "notes with @ben",
        ),
        form_title="One-on-one notes",
    ),
    Syntax(
        names=("dip",),
        model=one_on_ones.AnswerDip,
        handler=one_on_ones.answer_dip,
        topic="One-on-ones",
        summary='"Why did this dip?": why, and why again, up to five times (owner or lead)',
        params=(
            Param("kpi"),
            Param("why1", placeholder="why"),
            Param("why2", "why2"),
            Param("why3", "why3"),
            Param("why4", "why4"),
            Param("why5", "why5"),
        ),
        examples=("dip 3", 'dip 3 "two reps were onboarding" why2 "hiring slipped a month"'),
        form_title="Why did this dip?",
    ),
)

RITUAL = Ritual(
    name=RitualName.ONE_ON_ONE,
    title="wins-first one-on-one scripts",
    label="one-on-one scripts",
    switchable=True,
    commands=COMMANDS,
    prompts=(ONE_ON_ONE,),
)
