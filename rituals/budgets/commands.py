"""What people type for experiment budgets, and what every budget command reads alike.

Each person has a small budget a quarter (app.yaml's `experiment_budget`, or their team's) to
prototype a KPI hack. An experiment asks for part of it with a limited scope and a day to look
back; the lead approves it or asks a question, never silently.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from rituals.core.command import CLEAN, Command, Name, row_number

ScopeText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=12, max_length=300), CLEAN
]
AmountText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=24)]
TEAM = Field(None, title="Team", description="its name; yours if you are on one")
SCOPE_LEAST = 12
# An ask's scope is measured by its handler, after the experiment and the amount: a wrong
# experiment or amount is told first, not hidden behind "too short".
AskScope = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300), CLEAN]


class AskBudget(Command):
    experiment: int = row_number("Experiment")
    amount: AmountText | None = Field(
        None, title="How much", description="from your budget: like 3 hours or 150 EUR"
    )
    scope: AskScope | None = Field(
        None, title="Scope", description="what exactly it pays for, and what it does not"
    )
    back: Annotated[str, StringConstraints(max_length=20)] | None = Field(
        None, title="Look back on", description="the experiment's look-back day if empty"
    )
    team: Name | None = TEAM


class ApproveBudget(Command):
    request: int = row_number("Request")


class QuestionBudget(Command):
    request: int = row_number("Request")
    question: ScopeText | None = Field(
        None, title="Your question", description="what you need to know before you approve"
    )


class AnswerBudget(Command):
    request: int = row_number("Request")
    answer: ScopeText | None = Field(
        None, title="Your answer", description="to the lead's question"
    )


class SpendBudget(Command):
    request: int = row_number("Request")
    amount: AmountText | None = Field(
        None, title="Spent so far", description="in all, like 2.5 hours or 80 EUR"
    )
    note: Annotated[str, StringConstraints(max_length=200), CLEAN] | None = Field(
        None, title="On what", description="optional: what it went on"
    )


class ShowBudget(Command):
    team: Name | None = TEAM


class SetBudget(Command):
    budget: AmountText | None = Field(
        None, title="Budget a person a quarter", description="like 8 hours or 200 EUR"
    )
    team: Name | None = TEAM
