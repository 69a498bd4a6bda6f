"""The kpis ritual as the engine sees it: its name, its switch and its commands."""

from __future__ import annotations

from rituals.core.spec import Ritual, RitualName
from rituals.core.syntax import (
    CADENCE_WORDS,
    ROLE_WORDS,
    Param,
    Syntax,
)
from rituals.kpis import commands as kpis
from rituals.kpis import direction, lifecycle, proposals, sharing, votes

COMMANDS = (
    Syntax(
        names=("propose",),
        model=kpis.ProposeKpi,
        handler=proposals.propose,
        topic="KPI registry",
        summary="propose a KPI for you or a teammate",
        params=(
            Param("name", placeholder="name"),
            Param("target", "target", placeholder="number [unit]", with_unit=True),
            Param("cadence", "per", placeholder="week|month|quarter", synonyms=CADENCE_WORDS),
            Param("owner", "owner"),
            Param("why", "why", placeholder="what excites you about it"),
            Param("growth", "growth", placeholder="the growth goal it feeds"),
        ),
        examples=(
            'propose "Qualified leads" target 10 leads per week',
            'propose "Win rate" target 25% per month owner @ana growth "become a senior AE"',
            "propose",
        ),
        details=(
            "A KPI starts as a proposal. It becomes active only when it names the growth goal it "
            "feeds and a lead of the owner's team activates it. Everyone owns a few KPIs at most "
            "(a cap from app.yaml). A KPI that counts effort (hours, messages, logins) is "
            "challenged to name the outcome it drives. With no values, a form opens."
        ),
        form_title="Propose a KPI",
    ),
    Syntax(
        names=("kpis", "list"),
        model=kpis.ListKpis,
        handler=kpis.list_kpis,
        topic="KPI registry",
        summary="list your KPIs, or someone else's",
        params=(Param("person"), Param("all", "all")),
        examples=("kpis", "kpis @ana", "kpis all"),
    ),
    Syntax(
        names=("growth", "link"),
        model=kpis.LinkGrowth,
        handler=lifecycle.link_growth,
        topic="KPI registry",
        summary="link a KPI to the growth goal it feeds (owner or lead)",
        params=(Param("kpi"), Param("goal", placeholder="growth goal")),
        examples=('growth 3 "lead discovery calls on my own by March"',),
        details="No growth link, no KPI: say how this metric fuels the owner's career.",
        form_title="Link a growth goal",
    ),
    Syntax(
        names=("outcome",),
        model=kpis.AnswerOutcome,
        handler=lifecycle.answer_outcome,
        topic="KPI registry",
        summary="answer the effort challenge: what outcome does this KPI drive?",
        params=(Param("kpi"), Param("outcome", placeholder="the outcome")),
        examples=('outcome 4 "faster answers mean fewer churned trials"',),
        form_title="What outcome does it drive?",
    ),
    Syntax(
        names=("why",),
        model=kpis.AnswerWhy,
        handler=lifecycle.answer_why,
        topic="KPI registry",
        summary="say how this KPI measures success in a way that excites you",
        params=(Param("kpi"), Param("why", placeholder="what excites you")),
        examples=('why 3 "every lead is a conversation I get to learn from"',),
        form_title="What excites you about it?",
    ),
    Syntax(
        names=("direction",),
        model=direction.SetDirection,
        handler=direction.set_direction,
        topic="KPI registry",
        summary="say which way your KPI gets better: higher, or lower (owner)",
        params=(
            Param("kpi"),
            Param("better", placeholder="higher|lower", synonyms=direction.DIRECTION_WORDS),
        ),
        examples=("direction 3 lower", "direction 3 higher"),
        details="Most KPIs get better as they rise. Time to restore, cost, churn and the like "
        "get better as they fall: for those a drop is a win, and a sharp rise is the fall that "
        "asks what wild idea to test. It is guessed from the name when proposed.",
    ),
    Syntax(
        names=("share",),
        model=sharing.ShareKpi,
        handler=sharing.share,
        topic="KPI registry",
        summary="let your team see a KPI's numbers and notes (owner)",
        params=(Param("kpi"),),
        examples=("share 3",),
        details="Your numbers are private: only you and your lead see them, unless the team "
        "co-created the KPI. Sharing shows its trend and context notes to your team, and posts "
        "a sharp fall in the team channel; only you and your lead still start experiments on "
        "it. `unshare 3` makes it private again.",
    ),
    Syntax(
        names=("unshare",),
        model=sharing.UnshareKpi,
        handler=sharing.unshare,
        topic="KPI registry",
        summary="make a KPI's numbers private again: you and your lead (owner)",
        params=(Param("kpi"),),
        examples=("unshare 3",),
    ),
    Syntax(
        names=("accept",),
        model=kpis.AcceptKpi,
        handler=proposals.accept,
        topic="KPI registry",
        summary="agree to a KPI someone proposed for you (owner)",
        params=(Param("kpi"),),
        examples=("accept 4",),
        details="Targets are set with the owner, never only for them: until you accept, a lead "
        "cannot activate it, and it does not count toward your cap.",
    ),
    Syntax(
        names=("activate",),
        model=kpis.ActivateKpi,
        handler=lifecycle.activate,
        topic="KPI registry",
        summary="activate a proposed KPI the team backs (lead)",
        params=(Param("kpi"),),
        examples=("activate 3", 'activate "Qualified leads"'),
    ),
    Syntax(
        names=("retire",),
        model=kpis.RetireKpi,
        handler=lifecycle.retire,
        topic="KPI registry",
        summary="retire a KPI with the reason; it is kept, never deleted (owner or lead)",
        params=(Param("kpi"), Param("reason")),
        examples=("retire 3 we now measure win rate instead",),
        form_title="Retire a KPI",
    ),
    Syntax(
        names=("examples", "catalogue", "catalog"),
        model=kpis.ShowExamples,
        handler=kpis.examples,
        topic="KPI registry",
        summary="example KPIs for a role, to start from",
        params=(Param("role", synonyms=ROLE_WORDS),),
        examples=("examples sales", "examples engineering", "examples"),
    ),
    Syntax(
        names=("vote",),
        model=votes.VoteKpi,
        handler=votes.vote,
        topic="KPI registry",
        summary="back a proposed KPI, or question it with a comment (its team)",
        params=(
            Param("kpi"),
            Param("stance", placeholder="back|question"),
            Param("comment", placeholder="what you would ask or add"),
        ),
        examples=("vote 3 back", 'vote 3 question "is 10 a week realistic in December?"'),
        details="A proposal is put to its team's vote in the team channel once the proposer "
        "says what excites them about it. One vote each; vote again to change it. A lead "
        "activates it when more back it than question it.",
        form_title="Back it, or question it?",
    ),
)

RITUAL = Ritual(
    name=RitualName.KPIS,
    title="KPIs co-created with the team and tied to each person's growth",
    label="KPIs",
    switchable=False,
    commands=COMMANDS,
)
