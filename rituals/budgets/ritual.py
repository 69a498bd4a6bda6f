"""Experiment budgets as the engine sees them: their name, their switch, their commands and
the quarter's post."""

from __future__ import annotations

from rituals.budgets import asking, spending
from rituals.budgets import commands as budgets
from rituals.budgets.tick import TICK
from rituals.core.spec import Ritual, RitualName
from rituals.core.syntax import TEAM_ONLY_IN, Param, Syntax

TOPIC = "Stretches and budgets"

COMMANDS = (
    Syntax(
        names=("budget",),
        model=budgets.ShowBudget,
        handler=spending.show,
        topic=TOPIC,
        summary="your experiment budget this quarter: what is held, spent and left",
        params=(Param("team", "in", placeholder="team", positional=True),),
        examples=("budget", "budget Growth"),
        details="A lead also sees the requests waiting for their answer. A team starts "
        "without budgets; its lead switches them on with settings set rituals.",
    ),
    Syntax(
        names=("budget ask",),
        model=budgets.AskBudget,
        handler=asking.ask,
        topic=TOPIC,
        summary="ask part of your budget for a running experiment: how much, its scope, when "
        "to look back",
        params=(
            Param("experiment", placeholder="experiment number"),
            Param("amount", placeholder="3 hours|150 EUR"),
            Param("scope", "scope", placeholder="what it pays for"),
            Param("back", "back", placeholder="fri|2 weeks|YYYY-MM-DD"),
            TEAM_ONLY_IN,
        ),
        examples=(
            'budget ask 5 "3 hours" scope "call back the ten leads lost last week, nothing else"',
            'budget ask 5 "150 EUR" scope "one month of the dialer trial" back 2027-01-08',
            "budget ask 5",
        ),
        details=(
            "The amount is held from your budget until your lead approves it or asks a question; "
            "you hear either way. One ask per experiment: while it waits, asking again is refused "
            "and the first stands. An ask beyond what is left is refused, with who can raise the "
            "budget. When the quarter ends, its budgeted experiments and what came of them go to "
            "the team's channel in one post. The budget a person a quarter is app.yaml's unless the"
            " team's lead set another (budget set)."
        ),
        form_title="Ask for experiment budget",
    ),
    Syntax(
        names=("budget approve",),
        model=budgets.ApproveBudget,
        handler=asking.approve,
        topic=TOPIC,
        summary="approve a budget request (lead)",
        params=(Param("request", placeholder="request number"),),
        examples=("budget approve 3",),
    ),
    Syntax(
        names=("budget question",),
        model=budgets.QuestionBudget,
        handler=asking.question,
        topic=TOPIC,
        summary="ask a question about a budget request before you decide (lead)",
        params=(Param("request", placeholder="request number"), Param("question")),
        examples=('budget question 3 "which ten leads, and who calls them?"',),
        form_title="Ask a question",
    ),
    Syntax(
        names=("budget answer",),
        model=budgets.AnswerBudget,
        handler=asking.answer,
        topic=TOPIC,
        summary="answer your lead's question about your budget request",
        params=(Param("request", placeholder="request number"), Param("answer")),
        examples=('budget answer 3 "the ten from the lost list; I call them myself"',),
        form_title="Your answer",
    ),
    Syntax(
        names=("budget spend",),
        model=budgets.SpendBudget,
        handler=spending.spend,
        topic=TOPIC,
        summary="say what an approved request cost so far, in all",
        params=(
            Param("request", placeholder="request number"),
            Param("amount", placeholder="2.5 hours|80 EUR"),
            Param("note", "on", placeholder="what it went on"),
        ),
        examples=('budget spend 3 "2.5 hours" on "eight calls and the notes"',),
        details="The amount is the total it cost so far, not what to add: saying it again "
        "replaces it, and a lower total is told as a correction (was, now). 0 says nothing "
        "was spent after all. What is not spent returns to your budget once the experiment "
        "has its result.",
        form_title="What did it cost?",
    ),
    Syntax(
        names=("budget set",),
        model=budgets.SetBudget,
        handler=spending.set_budget,
        topic=TOPIC,
        summary="change the team's experiment budget a person a quarter (lead)",
        params=(Param("budget", placeholder="8 hours|200 EUR"), TEAM_ONLY_IN),
        examples=('budget set "12 hours"', 'budget set "300 EUR" in Growth'),
        form_title="Experiment budget",
    ),
)

RITUAL = Ritual(
    name=RitualName.EXPERIMENT_BUDGET,
    title="experiment budgets: a small budget a quarter to prototype a KPI hack",
    label="experiment budgets",
    switchable=True,
    commands=COMMANDS,
    tick=TICK,
)
