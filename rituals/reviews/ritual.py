"""The reviews ritual as the engine sees it: its name, its switch and its commands."""

from __future__ import annotations

from rituals.core.spec import Ritual, RitualName
from rituals.core.syntax import (
    Param,
    Syntax,
)
from rituals.reviews import adjustments
from rituals.reviews import commands as reviews
from rituals.reviews.prompt import REVIEW
from rituals.reviews.tick import TICK

COMMANDS = (
    Syntax(
        names=("review",),
        model=reviews.ReviewKpi,
        handler=reviews.review,
        topic="KPI registry",
        summary="the quarterly review: still relevant, still motivating, keep, adjust or kill",
        params=(
            Param("kpi"),
            Param("verdict", placeholder="keep|adjust|kill"),
            Param("relevant", "relevant", placeholder="yes|no"),
            Param("motivating", "motivating", placeholder="yes|no"),
            Param("target", "target", placeholder="new target"),
            Param("name", "name", placeholder="new name"),
            Param("why", "why", placeholder="the reason", positional=True),
        ),
        examples=(
            "review 3 keep relevant yes motivating yes",
            'review 3 adjust relevant yes motivating no target 14 why "10 is reached easily now"',
            'review 3 kill relevant no motivating no why "we measure win rate instead"',
            "review 3",
        ),
        details=(
            "Its owner and their lead each answer, every quarter. Adjust changes the target or "
            "the name and keeps what it was and why (a lead's change waits for the owner to "
            "accept it); kill retires it with the reason, never "
            "deletes it. The team sees one summary when the review closes."
        ),
        form_title="Quarterly KPI review",
    ),
    Syntax(
        names=("adjustment",),
        model=adjustments.AnswerAdjustment,
        handler=adjustments.answer,
        topic="KPI registry",
        summary="accept a change your lead proposed to your KPI, or answer it (owner)",
        params=(
            Param("kpi"),
            Param("choice", placeholder="accept|answer"),
            Param("words", placeholder="your answer"),
        ),
        examples=(
            "adjustment 3 accept",
            'adjustment 3 answer "25 is more honest in December; 40 from February?"',
        ),
        details="A target or name your lead changes in review is proposed to you: it takes "
        "effect when you accept it. Answer, and it stays as it is while they read your words.",
        form_title="Your answer",
    ),
)

RITUAL = Ritual(
    name=RitualName.REVIEW,
    title="quarterly KPI review",
    label="the quarterly review",
    switchable=True,
    commands=COMMANDS,
    prompts=(REVIEW,),
    tick=TICK,
)
