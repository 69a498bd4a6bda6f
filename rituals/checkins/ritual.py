"""The checkins ritual as the engine sees it: its name, its switch and its commands."""

from __future__ import annotations

from rituals.checkins import commands as checkins
from rituals.checkins import commitments, missteps, obstacles
from rituals.checkins.prompt import CHECKIN, COMMITMENT, DIGEST
from rituals.core.spec import Ritual, RitualName
from rituals.core.syntax import (
    TEAM_IN,
    Param,
    Syntax,
)

COMMANDS = (
    Syntax(
        names=("obstacle", "blocked"),
        model=obstacles.RaiseObstacle,
        handler=obstacles.raise_obstacle,
        topic="Check-ins",
        summary="tell your lead what's in your way, any time; with no words, a form",
        params=(Param("text", placeholder="what is in your way"), Param("kpi", "kpi"), TEAM_IN),
        examples=(
            "obstacle waiting two weeks for legal to approve the new contract template",
            'obstacle "no test data for the EU market" kpi 3',
            "obstacle",
        ),
        details="Stories, not slides. Your lead answers each obstacle with a commitment: an "
        "action, an owner and a due date, and you hear what was committed. Every word is the "
        'story; to add a KPI or a team, put the story in quotes: obstacle "..." kpi 3.',
        form_title=obstacles.ASK,
    ),
    Syntax(
        names=("nothing", "nothing this week", "all clear"),
        model=obstacles.NothingInTheWay,
        handler=obstacles.nothing,
        topic="Check-ins",
        summary="nothing in your way this week: a fine answer",
        params=(TEAM_IN,),
        examples=("nothing", 'nothing in "Growth"'),
    ),
    Syntax(
        names=("digest",),
        model=checkins.ShowDigest,
        handler=checkins.digest,
        topic="Check-ins",
        summary="this week's obstacles, what answers them, and what is overdue (lead)",
        params=(Param("team", "in", placeholder="team", positional=True),),
        examples=("digest", "digest Growth"),
    ),
    Syntax(
        names=("commit",),
        model=commitments.Commit,
        handler=commitments.commit,
        topic="Check-ins",
        summary="answer an obstacle with a commitment: action, owner, due date (lead)",
        params=(
            Param("obstacle", placeholder="obstacle number"),
            Param("action", placeholder="what will be done"),
            Param("owner", "owner"),
            Param("due", "due", placeholder="YYYY-MM-DD|today|tomorrow|fri|in 3 days"),
        ),
        examples=(
            "commit 12 Ask legal for a one-page template and send it to Ana owner @lea due fri",
            'commit 12 "Pair with Ben on the EU test data" owner @ben due in 2 weeks',
            "commit 12",
        ),
        details=checkins.RULE,
        form_title="Commit to clearing it",
    ),
    Syntax(
        names=("done",),
        model=commitments.FinishCommitment,
        handler=commitments.finish,
        topic="Check-ins",
        summary="mark a commitment done (its owner or the lead who made it)",
        params=(Param("commitment", placeholder="commitment number"),),
        examples=("done 5",),
    ),
    Syntax(
        names=("drop",),
        model=commitments.DropCommitment,
        handler=commitments.drop,
        topic="Check-ins",
        summary="drop a commitment, with the reason (its owner or the lead who made it)",
        params=(Param("commitment", placeholder="commitment number"), Param("reason")),
        examples=("drop 5 legal rewrote the template themselves",),
    ),
    Syntax(
        names=("commitments",),
        model=commitments.ShowCommitments,
        handler=commitments.list_commitments,
        topic="Check-ins",
        summary="commitments yours to do, and those made for you",
        examples=("commitments",),
    ),
    Syntax(
        names=("misstep",),
        model=missteps.ShareMisstep,
        handler=missteps.share,
        topic="Check-ins",
        summary="share a misstep of your own and ask the team for candid feedback (lead)",
        params=(Param("text", placeholder="what happened"), TEAM_IN),
        examples=("misstep I set the Q4 target without asking the people who own it",),
        details="Leads model risk. Feedback is anonymous unless its giver signs it. To name "
        'the team, put the misstep in quotes: misstep "..." in Growth.',
        form_title="Share a misstep",
    ),
    Syntax(
        names=("feedback",),
        model=missteps.GiveFeedback,
        handler=missteps.feedback,
        topic="Check-ins",
        summary="answer a lead's misstep, anonymously unless you sign it",
        params=(
            Param("misstep", placeholder="misstep number"),
            Param("text", placeholder="your feedback"),
            Param("signed", "as", placeholder="anonymous|named"),
        ),
        examples=('feedback 2 "ask us first; we knew the pipeline was thin"', "feedback 2"),
        details=missteps.ANONYMOUS_NOTE,
        form_title="Candid feedback",
    ),
    Syntax(
        names=("missteps",),
        model=missteps.ShowMissteps,
        handler=missteps.show,
        topic="Check-ins",
        summary="your shared missteps and the feedback they drew (lead)",
        params=(Param("team", "in", placeholder="team", positional=True),),
        examples=("missteps",),
    ),
)

RITUAL = Ritual(
    name=RitualName.CHECKIN,
    title="weekly 'what's in my way' check-in",
    label="the weekly check-in",
    switchable=True,
    commands=COMMANDS,
    prompts=(CHECKIN, DIGEST),
    reminders=(COMMITMENT,),
)
