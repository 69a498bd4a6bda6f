"""The numbers ritual as the engine sees it: its name, its switch and its commands."""

from __future__ import annotations

from rituals.core.spec import Ritual, RitualName
from rituals.core.syntax import (
    Param,
    Syntax,
)
from rituals.numbers import commands as numbers
from rituals.numbers import declines, experiments, trend
from rituals.numbers.prompt import EXPERIMENT

COMMANDS = (
    Syntax(
        names=("log",),
        model=numbers.LogValue,
        handler=numbers.log_value,
        topic="Numbers",
        summary="log a KPI's value for this period, with a line of context",
        params=(
            Param("kpi"),
            Param("value", placeholder="number", with_unit=True),
            Param("note", placeholder="context"),
            Param("period", "period", placeholder="this|last|2026-W47"),
            # Not a word anyone writes in a note: the 340% question's button adds it.
            Param("confirmed", "--confirmed"),
        ),
        examples=(
            'log 3 12 "two demos slipped to next week"',
            "log 4 31% period last",
            "log 3",
        ),
        details=(
            "The period is the KPI's current week, month or quarter, where you are; name "
            "another with period (last, 2026-W47, 2026-11, 2026-Q4). Logging a period again "
            "corrects it: the first value stays in the history, and so does the note unless you "
            "give a new one. A value that looks like a "
            "slip (a share outside 0-100%, ten times anything before) is asked about first. "
            "A sharp fall is not scolded: it asks what wild idea to test."
        ),
        form_title="Log a value",
    ),
    Syntax(
        names=("trend",),
        model=trend.ShowTrend,
        handler=trend.trend,
        topic="Numbers",
        summary="a KPI's last two years as a chart, with its target and context notes",
        params=(Param("kpi"),),
        examples=("trend 3", 'trend "Qualified leads"'),
        details="Numbers are their owner's and their lead's; a KPI the team co-created is the "
        "team's to see too.",
    ),
    Syntax(
        names=("falls",),
        model=numbers.ShowFalls,
        handler=numbers.falls,
        topic="Numbers",
        summary="which of the team's KPIs fell sharply this period or the last (lead)",
        params=(Param("team", "in", placeholder="team", positional=True),),
        examples=("falls", "falls Growth"),
        details="A fall counts past the team's decline threshold (settings set decline 20), "
        "against last period or the recent trend. Each is a question, not a verdict.",
    ),
    Syntax(
        names=("experiment", "try"),
        model=experiments.StartExperiment,
        handler=experiments.start,
        topic="Numbers",
        summary="test a wild idea to bring a KPI back up; I ask what happened on the day",
        params=(
            Param("kpi"),
            Param("idea", placeholder="the idea"),
            Param("review", "review", placeholder="fri|in 10 days|YYYY-MM-DD"),
        ),
        examples=(
            'experiment 3 "call back every lost lead within an hour" review fri',
            "experiment 3",
        ),
        details="The look-back day is in a week unless you name one, within eight weeks.",
        form_title=declines.WILD_IDEA,
    ),
    Syntax(
        names=("result",),
        model=experiments.FinishExperiment,
        handler=experiments.finish,
        topic="Numbers",
        summary="say what happened in an experiment; it opens your next one-on-one as a win",
        params=(Param("experiment", placeholder="experiment number"), Param("result")),
        examples=('result 5 "three lost leads came back; we keep the one-hour rule"',),
        form_title="What happened?",
    ),
    Syntax(
        names=("experiments",),
        model=experiments.ListExperiments,
        handler=experiments.list_experiments,
        topic="Numbers",
        summary="your experiments, running and finished",
        examples=("experiments",),
    ),
)

RITUAL = Ritual(
    name=RitualName.NUMBERS,
    title="numbers with context: logged values, trends, falls and experiments",
    label="numbers",
    switchable=False,
    commands=COMMANDS,
    reminders=(EXPERIMENT,),
)
