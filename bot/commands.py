"""Every command the bot understands: its words, where its values go, and its handler.

This table is the grammar's single source; help and usage are generated from it.
"""

from __future__ import annotations

from pydantic import Field

from bot.grammar import Grammar, Param, Syntax
from rituals.checkins import commands as checkins
from rituals.checkins import missteps
from rituals.core.command import Command
from rituals.core.context import Ctx
from rituals.core.messages import Reply
from rituals.fails import commands as fails
from rituals.kpis import commands as kpis
from rituals.kpis import votes
from rituals.kudos import commands as kudos
from rituals.numbers import commands as numbers
from rituals.numbers import declines, experiments
from rituals.one_on_ones import commands as one_on_ones
from rituals.pulse import commands as pulse
from rituals.purpose import commands as purpose
from rituals.reviews import commands as reviews
from rituals.team import breaks, home, me, privacy, teams
from rituals.team import schedule as team_schedule
from rituals.team import settings as team_settings

CADENCE_WORDS = {
    "week": "weekly",
    "wk": "weekly",
    "month": "monthly",
    "mo": "monthly",
    "quarter": "quarterly",
    "q": "quarterly",
}
TEAM_IN = Param("team", "in", placeholder="team", also=("to", "from", "of"))
ROLE_WORDS = {"hr": "people", "ops": "operations", "eng": "engineering", "dev": "engineering"}


class ShowHelp(Command):
    topic: str | None = Field(
        None, title="Topic", description="a command or a topic", max_length=60
    )


KPI_COMMANDS = (
    Syntax(
        names=("propose",),
        model=kpis.ProposeKpi,
        handler=kpis.propose,
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
        handler=kpis.link_growth,
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
        handler=kpis.answer_outcome,
        topic="KPI registry",
        summary="answer the effort challenge: what outcome does this KPI drive?",
        params=(Param("kpi"), Param("outcome", placeholder="the outcome")),
        examples=('outcome 4 "faster answers mean fewer churned trials"',),
        form_title="What outcome does it drive?",
    ),
    Syntax(
        names=("why",),
        model=kpis.AnswerWhy,
        handler=kpis.answer_why,
        topic="KPI registry",
        summary="say how this KPI measures success in a way that excites you",
        params=(Param("kpi"), Param("why", placeholder="what excites you")),
        examples=('why 3 "every lead is a conversation I get to learn from"',),
        form_title="What excites you about it?",
    ),
    Syntax(
        names=("accept",),
        model=kpis.AcceptKpi,
        handler=kpis.accept,
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
        handler=kpis.activate,
        topic="KPI registry",
        summary="activate a proposed KPI the team backs (lead)",
        params=(Param("kpi"),),
        examples=("activate 3", 'activate "Qualified leads"'),
    ),
    Syntax(
        names=("retire",),
        model=kpis.RetireKpi,
        handler=kpis.retire,
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
)

LIFE_CYCLE_COMMANDS = (
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
            Param("why", "why", placeholder="the reason"),
        ),
        examples=(
            "review 3 keep relevant yes motivating yes",
            'review 3 adjust relevant yes motivating no target 14 why "10 is reached easily now"',
            'review 3 kill relevant no motivating no why "we measure win rate instead"',
            "review 3",
        ),
        details=(
            "Its owner and their lead each answer, every quarter. Adjust changes the target or "
            "the name and keeps what it was and why; kill retires it with the reason, never "
            "deletes it. The team sees one summary when the review closes."
        ),
        form_title="Quarterly KPI review",
    ),
    Syntax(
        names=("purpose start",),
        model=purpose.StartPurpose,
        handler=purpose.start,
        topic="Purpose",
        summary='start "why we exist": ask everyone how their role moves the needle (lead)',
        params=(
            Param("text", placeholder="our purpose"),
            TEAM_IN,
            Param("until", "until", placeholder="fri|2026-12-04"),
        ),
        examples=('purpose start "we help small shops sell online without a developer" until fri',),
        details="Answers are gathered until the day given (a week if none), then posted "
        "together to the team channel at check-in time. Every word is the purpose; to name "
        'the team or the day, quote it: purpose start "..." until fri.',
        form_title="Why we exist",
    ),
    Syntax(
        names=("purpose answer",),
        model=purpose.AnswerPurpose,
        handler=purpose.answer,
        topic="Purpose",
        summary="say how your role moves the needle on the team's purpose; revise it any time",
        params=(Param("text", placeholder="your answer"), TEAM_IN),
        examples=('purpose answer "every shop I onboard sells in its first week"',),
        details='Every word is the answer; to name the team, quote it: purpose answer "..." in '
        "Growth.",
        form_title=purpose.ASK,
    ),
    Syntax(
        names=("purpose",),
        model=purpose.ShowPurpose,
        handler=purpose.show,
        topic="Purpose",
        summary="the team's purpose and everyone's answer",
        params=(Param("team", "in", placeholder="team", positional=True),),
        examples=("purpose", "purpose Growth"),
    ),
)

NUMBER_COMMANDS = (
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
            "corrects it, and the first value stays in the history. A value that looks like a "
            "slip (a share outside 0-100%, ten times anything before) is asked about first. "
            "A sharp fall is not scolded: it asks what wild idea to test."
        ),
        form_title="Log a value",
    ),
    Syntax(
        names=("trend",),
        model=numbers.ShowTrend,
        handler=numbers.trend,
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
            Param("review", "review", placeholder="fri|in 10 days|2026-12-04"),
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


TEAM_COMMANDS = (
    Syntax(
        names=("team", "team show"),
        model=teams.ShowTeam,
        handler=teams.show,
        topic="Teams",
        summary="show a team: its lead, members, home channel and rituals",
        params=(Param("team", "in", placeholder="team", positional=True),),
        examples=("team", "team Growth"),
    ),
    Syntax(
        names=("team create",),
        model=teams.CreateTeam,
        handler=teams.create,
        topic="Teams",
        summary="start a team and lead it; run it in a channel to make that its home",
        params=(Param("name"),),
        examples=("team create Growth",),
    ),
    Syntax(
        names=("team add",),
        model=teams.AddMembers,
        handler=teams.add,
        topic="Teams",
        summary="add people to a team (lead or admin)",
        params=(Param("people"), TEAM_IN),
        examples=("team add @ana @ben", 'team add @ana to "Growth"'),
    ),
    Syntax(
        names=("team remove",),
        model=teams.RemoveMember,
        handler=teams.remove,
        topic="Teams",
        summary="take someone off a team (lead or admin)",
        params=(Param("person"), TEAM_IN),
        examples=("team remove @ben",),
    ),
    Syntax(
        names=("team lead",),
        model=teams.SetLead,
        handler=teams.set_lead,
        topic="Teams",
        summary="make someone the team's lead (lead or admin)",
        params=(Param("person"), TEAM_IN),
        examples=("team lead @ana",),
    ),
    Syntax(
        names=("team join",),
        model=teams.JoinTeam,
        handler=teams.join,
        topic="Teams",
        summary="ask a team's lead to let you join",
        params=(Param("team", placeholder="team"),),
        examples=("team join Growth",),
    ),
    Syntax(
        names=("team approve",),
        model=teams.AnswerJoin,
        handler=teams.approve,
        topic="Teams",
        summary="let someone who asked join your team (lead or admin)",
        params=(Param("person"), TEAM_IN),
        examples=('team approve @zoe in "Growth"',),
    ),
    Syntax(
        names=("team decline",),
        model=teams.AnswerJoin,
        handler=teams.decline,
        topic="Teams",
        summary="turn down a request to join your team (lead or admin)",
        params=(Param("person"), TEAM_IN),
        examples=('team decline @zoe in "Growth"',),
    ),
    Syntax(
        names=("team leave",),
        model=teams.LeaveTeam,
        handler=teams.leave,
        topic="Teams",
        summary="leave a team",
        params=(Param("team", "in", placeholder="team", positional=True),),
        examples=("team leave", "team leave Growth"),
    ),
)


SETTINGS_COMMANDS = (
    Syntax(
        names=("settings",),
        model=team_settings.ShowTeamSettings,
        handler=team_settings.show,
        topic="Settings",
        summary="show a team's settings: rituals, cadence, channel, thresholds",
        params=(Param("team", "in", placeholder="team", positional=True),),
        examples=("settings", "settings Growth"),
    ),
    Syntax(
        names=("settings set",),
        model=team_settings.ChangeTeamSettings,
        handler=team_settings.change,
        topic="Settings",
        summary="change a team's settings; with no values, a form (lead or admin)",
        params=(
            TEAM_IN,
            Param("rituals", "rituals", placeholder="checkin,pulse,..."),
            Param("checkin_day", "day"),
            Param("checkin_time", "time", placeholder="HH:MM"),
            Param("one_on_one_weeks", "one-on-one", placeholder="weeks", also=("1:1",)),
            Param("pulse_weeks", "pulse-every", placeholder="weeks"),
            Param("pulse_threshold", "pulse", placeholder="answers"),
            Param("decline_threshold_percent", "decline", placeholder="percent"),
            Param("channel", "channel", placeholder="#channel"),
            Param("recognition_channel", "recognition", placeholder="#channel"),
        ),
        examples=(
            "settings set",
            "settings set recognition #kudos pulse-every 4",
            "settings set rituals checkin,one_on_one,pulse day tue time 09:30",
            'settings set in "Growth" one-on-one 3 channel #growth',
        ),
    ),
    Syntax(
        names=("home",),
        model=home.ShowHome,
        handler=home.show,
        topic="Settings",
        summary="your KPIs beside the growth goals they serve, what waits for you, what is next",
        examples=("home",),
    ),
    Syntax(
        names=("me",),
        model=me.ShowMe,
        handler=me.show,
        topic="Settings",
        summary="your own settings: time zone, working days and hours, quiet hours, pause",
        examples=("me",),
    ),
    Syntax(
        names=("me set",),
        model=me.ChangeMe,
        handler=me.change,
        topic="Settings",
        summary="change your own settings; with no values, a form",
        params=(
            Param("time_zone", "tz", placeholder="Area/City", also=("timezone", "zone")),
            Param("working_days", "days", placeholder="mon-fri"),
            Param("work_hours", "hours", placeholder="09:00-17:00"),
            Param("quiet_hours", "quiet", placeholder="18:00-09:00"),
            Param("pause", "pause"),
            Param("date_language", "language", also=("lang",)),
        ),
        examples=(
            "me set",
            "me set tz Europe/Berlin days mon-thu hours 08:00-16:00",
            "me set pause on",
            "me set quiet 19:00-08:00 language de",
        ),
        details="Nudges respect all of these. Quiet hours that would cover the whole day or all "
        "your working hours are refused: pause instead, so silence is a choice.",
    ),
    Syntax(
        names=("me export",),
        model=privacy.ExportMe,
        handler=privacy.export,
        topic="Your data",
        summary="everything stored about you, as a JSON file and a summary",
        examples=("me export",),
    ),
    Syntax(
        names=("me forget",),
        model=privacy.ForgetMe,
        handler=privacy.forget,
        topic="Your data",
        summary="delete or anonymise everything about you, after a confirmation",
        params=(Param("confirm", "confirm"),),
        examples=("me forget",),
    ),
)


NUDGE_COMMANDS = (
    Syntax(
        names=("away",),
        model=breaks.GoAway,
        handler=breaks.go_away,
        topic="Nudges",
        summary="on leave: no nudges until the day you are back",
        params=(Param("until", "until", placeholder="YYYY-MM-DD", positional=True),),
        examples=("away until 2026-12-01", "away 2027-01-04"),
        details="Give the first day you want nudges again, in your own time zone; nudges "
        "resume that day. Up to a year ahead: for longer, or with no end, `me set pause on`.",
    ),
    Syntax(
        names=("away off", "back"),
        model=breaks.ComeBack,
        handler=breaks.come_back,
        topic="Nudges",
        summary="back early from `away`: nudges reach you again from now",
        examples=("away off", "back"),
    ),
    Syntax(
        names=("skip week", "skip", "skip this week"),
        model=breaks.SkipWeek,
        handler=breaks.skip_week,
        topic="Nudges",
        summary="no more nudges this week; next week's come as usual",
        examples=("skip week",),
        details="The week is your own: Monday to Sunday where you are.",
    ),
    Syntax(
        names=("skip off",),
        model=breaks.UnskipWeek,
        handler=breaks.unskip_week,
        topic="Nudges",
        summary="take back `skip week`: this week's nudges still due come after all",
        examples=("skip off",),
    ),
    Syntax(
        names=("snooze",),
        model=breaks.Snooze,
        handler=breaks.snooze,
        topic="Nudges",
        summary="hold nudges for a while; they come when the snooze ends",
        params=(Param("span", placeholder="30m|2h|1d|until HH:MM"),),
        examples=("snooze 2h", "snooze 30m", "snooze 1d", "snooze until 14:00"),
        details="From 15 minutes to 7 days. `until` is your own time: today, or tomorrow if "
        "that time has passed. Nudges still keep out of your quiet hours when it ends.",
    ),
    Syntax(
        names=("snooze off",),
        model=breaks.EndSnooze,
        handler=breaks.end_snooze,
        topic="Nudges",
        summary="end a snooze now",
        examples=("snooze off",),
    ),
    Syntax(
        names=("schedule",),
        model=team_schedule.ShowSchedule,
        handler=team_schedule.show,
        topic="Nudges",
        summary="when a team's rituals come round, and when each next reaches you",
        params=(Param("team", "in", placeholder="team", positional=True),),
        examples=("schedule", "schedule Growth"),
    ),
    Syntax(
        names=("schedule set",),
        model=team_schedule.ChangeSchedule,
        handler=team_schedule.change,
        topic="Nudges",
        summary="change when a team's rituals come round; with no values, a form (lead or admin)",
        params=(
            # Only "in": "of" and "to" read naturally inside a cadence ("end of the month").
            Param("team", "in", placeholder="team"),
            Param("checkin", "checkin", placeholder="day HH:MM", also=("check-in",)),
            Param(
                "one_on_one",
                "one-on-one",
                placeholder="every N weeks day HH:MM",
                also=("1:1", "one_on_one", "1on1"),
            ),
            Param("vote", "vote", placeholder="N days before month end"),
        ),
        examples=(
            "schedule set checkin wed 09:30",
            "schedule set one-on-one every 3 weeks thu 14:00",
            "schedule set vote 4 days before month end",
            'schedule set in "Growth" checkin tue one-on-one every week',
            "schedule set",
        ),
        details="Times are each person's own: 09:30 reaches everyone at 09:30 where they are, "
        "on their working days and outside their quiet hours. The Fail of the Month vote opens "
        "at check-in time on the first of its days; the quarterly review, on the first "
        "check-in day of each quarter. Give any part alone (`checkin 09:30`, `one-on-one thu`).",
        form_title="Change the schedule",
    ),
)


CHECKIN_COMMANDS = (
    Syntax(
        names=("obstacle", "blocked"),
        model=checkins.RaiseObstacle,
        handler=checkins.raise_obstacle,
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
        form_title=checkins.ASK,
    ),
    Syntax(
        names=("nothing", "nothing this week", "all clear"),
        model=checkins.NothingInTheWay,
        handler=checkins.nothing,
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
        model=checkins.Commit,
        handler=checkins.commit,
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
            'commit 12 "Pair with Ben on the EU test data" owner @ben due 2026-12-04',
            "commit 12",
        ),
        details=checkins.RULE,
        form_title="Commit to clearing it",
    ),
    Syntax(
        names=("done",),
        model=checkins.FinishCommitment,
        handler=checkins.finish,
        topic="Check-ins",
        summary="mark a commitment done (its owner or the lead who made it)",
        params=(Param("commitment", placeholder="commitment number"),),
        examples=("done 5",),
    ),
    Syntax(
        names=("drop",),
        model=checkins.DropCommitment,
        handler=checkins.drop,
        topic="Check-ins",
        summary="drop a commitment, with the reason (its owner or the lead who made it)",
        params=(Param("commitment", placeholder="commitment number"), Param("reason")),
        examples=("drop 5 legal rewrote the template themselves",),
    ),
    Syntax(
        names=("commitments",),
        model=checkins.ShowCommitments,
        handler=checkins.list_commitments,
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

WITH = Param("person", "with")

ONE_ON_ONE_COMMANDS = (
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
        examples=('point "how I get more discovery calls"', 'point "pricing help" with @ben'),
        details='Every word is the point; to say with whom, quote it: point "..." with @ben.',
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
        examples=('notes "talked pricing" next "Ana drafts the offer"', "notes with @ben"),
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


TEAM_ONLY_IN = Param("team", "in", placeholder="team")

RECOGNITION_COMMANDS = (
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
    Syntax(
        names=("fail nominate", "nominate"),
        model=fails.Nominate,
        handler=fails.nominate,
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
        handler=fails.consent,
        topic="Fail of the Month",
        summary="say whether a story about you may go on the team's ballot",
        params=(Param("nomination", placeholder="story number"), Param("answer")),
        examples=("fail consent 4 yes", "fail consent 4 no"),
    ),
    Syntax(
        names=("fail vote",),
        model=fails.VoteFail,
        handler=fails.vote,
        topic="Fail of the Month",
        summary="vote for the story the team learned most from; vote again to change it",
        params=(Param("nomination", placeholder="story number"),),
        examples=("fail vote 4",),
        details="One vote each, secret: nobody, the lead included, sees who voted for whom.",
    ),
    Syntax(
        names=("fails",),
        model=fails.ShowFails,
        handler=fails.show,
        topic="Fail of the Month",
        summary="this month's stories, and every month's trophy and lesson of a year",
        params=(Param("year", placeholder="year"), TEAM_ONLY_IN),
        examples=("fails", "fails 2026"),
    ),
    Syntax(
        names=("pulse start",),
        model=pulse.StartPulse,
        handler=pulse.start,
        topic="Tension pulse",
        summary='ask the team "how does chasing this KPI feel right now?" (lead)',
        params=(Param("kpi"), Param("until", "until", placeholder="fri|2026-12-04"), TEAM_ONLY_IN),
        examples=("pulse start 3", "pulse start 3 until fri", "pulse start"),
        details=pulse.ANONYMOUS,
    ),
    Syntax(
        names=("pulse answer",),
        model=pulse.AnswerPulse,
        handler=pulse.answer,
        topic="Tension pulse",
        summary="answer the pulse: 1 (crushing) to 5 (energising), and a word if you like",
        params=(
            Param("score", placeholder="1-5"),
            Param("word", placeholder="a word"),
            Param("pulse", "pulse", placeholder="number"),
            TEAM_ONLY_IN,
        ),
        examples=("pulse answer 4", "pulse answer 2 stretched"),
        details=pulse.ANONYMOUS,
        form_title="How does it feel?",
    ),
    Syntax(
        names=("pulse",),
        model=pulse.ShowPulse,
        handler=pulse.show,
        topic="Tension pulse",
        summary="the team's pulse: how many answered, or its results",
        params=(Param("team", "in", placeholder="team", positional=True),),
        examples=("pulse", "pulse Growth"),
    ),
    Syntax(
        names=("pulse close",),
        model=pulse.ClosePulse,
        handler=pulse.close,
        topic="Tension pulse",
        summary="close the pulse now and show its results, once enough answered (lead)",
        params=(Param("team", "in", placeholder="team", positional=True),),
        examples=("pulse close",),
    ),
)


def build_grammar(prefix: str) -> Grammar:
    """The grammar for every platform, with help that reads the grammar it belongs to."""

    async def show_help(ctx: Ctx, cmd: ShowHelp) -> list[Reply]:
        return [grammar.help(cmd.topic)]

    help_syntax = Syntax(
        names=("help", "?"),
        model=ShowHelp,
        handler=show_help,
        topic="Basics",
        summary="what the bot can do, or how to write one command",
        params=(Param("topic"),),
        examples=("help", "help propose", "help kpis"),
    )
    grammar = Grammar(
        (
            help_syntax,
            *TEAM_COMMANDS,
            *KPI_COMMANDS,
            *NUMBER_COMMANDS,
            *LIFE_CYCLE_COMMANDS,
            *CHECKIN_COMMANDS,
            *ONE_ON_ONE_COMMANDS,
            *RECOGNITION_COMMANDS,
            *SETTINGS_COMMANDS,
            *NUDGE_COMMANDS,
        ),
        prefix,
    )
    return grammar
