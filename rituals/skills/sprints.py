"""Micro-mentorship sprints: a person names a gap, someone who can teach it claims it (or the
bot asks the one it would pair), and the pair runs two weeks toward a goal in the learner's
own words, with a check-in halfway and a look-back at the end.

The bot asks one person at a time, privately. A no is recorded only so that person is not asked
again, and is never shown: not to the learner, not in a list, not in an export. The look-back,
"what can you do now that you could not?", is a win in both people's next one-on-one.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from pydantic import Field
from sqlalchemy import select

from rituals.core.command import Answer, Command, Name, row_number
from rituals.core.context import Ctx
from rituals.core.dates import format_day
from rituals.core.knowing import may_know_of
from rituals.core.messages import (
    Actions,
    Audience,
    Button,
    ButtonStyle,
    Code,
    FormRequest,
    Heading,
    Message,
    Note,
    Paragraph,
    Reply,
    rich,
    say,
)
from rituals.core.people import nudge_day
from rituals.core.refusal import Refusal
from rituals.skills.commands import SkillName, named_skill, skills_of
from rituals.skills.sprint_store import (
    SPRINT_DAYS,
    SprintRow,
    candidates,
    lead_pairs,
    mentoring_now,
    sprint_rows,
    start,
)
from rituals.skills.store import TEACH, latest_levels
from rituals.team.gate import admit, form_offered, team_gate
from rituals.team.teams import TEAM, mention
from storage.models import Member, MentorDecline, Mentorship, SprintStatus, Team

LOOK_BACK = "What can you do now that you could not?"
NEVER_TOLD = "A no is never told to anyone, the learner included."


class NameGap(Command):
    skill: SkillName | None = Field(None, title="Skill", description="its name or number")
    goal: Answer | None = Field(
        None,
        title="Your goal",
        description="what you want to be able to do in two weeks, in your own words",
    )
    team: Name | None = TEAM


class ClaimGap(Command):
    sprint: int = row_number("Gap")


class DeclineGap(Command):
    sprint: int = row_number("Gap")


def today_for(ctx: Ctx, team: Team) -> date:
    return ctx.clock.now().astimezone(ZoneInfo(team.time_zone)).date()


def day_words(day: date | None) -> str:
    assert day is not None
    return format_day(day, "en")


def ask_to_mentor(row: SprintRow, to: Member) -> Message:
    """The private ask to the one the bot would pair: yes or no, and nobody hears a no."""
    gap, learner = row.sprint, row.learner.display_name
    return Message(
        (
            Heading(f"Would you mentor {learner} on {row.skill}?"),
            Paragraph(rich(f"{learner}'s goal, in their words: {gap.goal}")),
            Paragraph(
                rich(
                    f"You rate yourself can teach on {row.skill}. A sprint is {SPRINT_DAYS} "
                    "days: a few short sessions, a check-in halfway, and a look-back at the end."
                )
            ),
            Actions(
                (
                    Button("Yes, I'll mentor", f"mentor {gap.id}", ButtonStyle.PRIMARY),
                    Button("Not now", f"mentor decline {gap.id}"),
                )
            ),
            Note(NEVER_TOLD),
        ),
        audience=Audience.DM,
        to=mention(to),
    )


async def _ask_next(ctx: Ctx, row: SprintRow, team: Team) -> list[Reply]:
    """Ask the next person the bot would pair, if anyone: a DM to them alone."""
    found = await candidates(ctx.session, row.sprint, today_for(ctx, team))
    row.sprint.suggested_id = found[0].id if found else None
    await ctx.session.flush()
    return [ask_to_mentor(row, found[0])] if found else []


async def name_gap(ctx: Ctx, cmd: NameGap) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, members_only="name a gap on its skills")
    skills = await skills_of(ctx, team)
    if cmd.skill is None or cmd.goal is None:
        values = {k: v for k, v in (("skill", cmd.skill), ("goal", cmd.goal)) if v}
        names = ", ".join(s.name for s in skills)
        intro = (
            f"Name a skill you want to get better at ({names}) and what you want to be able "
            f"to do in {SPRINT_DAYS} days. Someone who can teach it mentors you."
        )
        return [FormRequest("learn", values, intro, required=("skill", "goal"))]
    skill = named_skill(skills, cmd.skill, team)
    today = today_for(ctx, team)
    for row in await sprint_rows(
        ctx.session,
        Mentorship.workspace_id == ctx.actor.workspace_id,
        Mentorship.learner_id == ctx.actor.member_id,
        Mentorship.skill_id == skill.id,
        Mentorship.status != SprintStatus.DONE,
    ):
        if row.sprint.status is SprintStatus.OPEN or (row.sprint.ends_on or today) >= today:
            raise Refusal(
                say(f"You have gap #{row.sprint.id} on {skill.name} already: ", Code("sprints"))
            )
    gap = Mentorship(
        workspace_id=team.workspace_id,
        team_id=team.id,
        skill_id=skill.id,
        learner_id=ctx.actor.member_id,
        goal=cmd.goal,
        status=SprintStatus.OPEN,
        asked_at=ctx.clock.now(),
    )
    ctx.session.add(gap)
    await ctx.session.flush()
    learner = await ctx.session.get(Member, ctx.actor.member_id)
    assert learner is not None
    asked = await _ask_next(ctx, SprintRow(gap, skill.name, learner, None), team)
    who = (
        "I have asked someone who can teach it, privately; you hear when someone says yes."
        if asked
        else "Nobody who can teach it is free right now."
    )
    return [
        say(
            f"Gap #{gap.id} named: {skill.name}. Your goal: {gap.goal}. {who} It shows to "
            f"{team.name} in `sprints`, where anyone who can teach it may claim it."
        ),
        *asked,
    ]


async def gap_of(ctx: Ctx, number: int, doing: str) -> tuple[SprintRow, Team]:
    """The gap or sprint a command names, locked: two people claiming it at once, or a claim
    and a decline crossing, are settled one after the other, never both taken."""
    await ctx.session.execute(
        select(Mentorship.id)
        .where(Mentorship.id == number, Mentorship.workspace_id == ctx.actor.workspace_id)
        .with_for_update()
    )
    rows = await sprint_rows(
        ctx.session, Mentorship.id == number, Mentorship.workspace_id == ctx.actor.workspace_id
    )
    # Someone who may not know of it hears what a number nobody uses gets, not its team.
    if not rows or not await may_know_of(ctx, rows[0].sprint.team_id, _its_people(rows[0].sprint)):
        await form_offered(ctx)  # where every team has the ritual off, that is the answer
        raise Refusal(say(f"There is no gap or sprint #{number} here. Yours: ", Code("sprints")))
    team = await ctx.session.get(Team, rows[0].sprint.team_id)
    assert team is not None
    await admit(ctx, team, members_only=doing)
    return rows[0], team


def _its_people(gap: Mentorship) -> list[int | None]:
    return [gap.learner_id, gap.mentor_id, gap.suggested_id]


async def claim(ctx: Ctx, cmd: ClaimGap) -> list[Reply]:
    row, team = await gap_of(ctx, cmd.sprint, "mentor on its skills")
    gap, me = row.sprint, ctx.actor.member_id
    if gap.learner_id == me:
        raise Refusal(say(f"#{gap.id} is your own gap: someone who can teach it mentors you."))
    if gap.status is not SprintStatus.OPEN:
        mine = gap.mentor_id == me
        raise Refusal(
            say(f"You mentor #{gap.id} already." if mine else f"#{gap.id} has a mentor already.")
        )
    levels = await latest_levels(ctx.session, team.id, me)
    if levels.get((me, gap.skill_id)) != TEACH:
        raise Refusal(
            say(
                f"Mentors rate themselves can teach on the skill. If that is you on {row.skill}: ",
                Code(f'rate "{row.skill}" as {TEACH}'),
                ", then claim it again.",
            )
        )
    if gap.learner_id in await lead_pairs(ctx.session, me):
        raise Refusal(
            say(
                f"{row.learner.display_name} is your lead or your report, and a sprint is never "
                "between the two: it stays a peer's help, not a review. Leave it for a "
                "teammate; ",
                Code("sprints"),
                " shows the gaps you can take.",
            )
        )
    today = today_for(ctx, team)
    running = await mentoring_now(ctx.session, ctx.actor.workspace_id, me, today)
    if running is not None:
        raise Refusal(
            say(
                f"You mentor {running.learner.display_name} on {running.skill} until "
                f"{day_words(running.sprint.ends_on)}: one sprint at a time, so each gets "
                "your best."
            )
        )
    start(gap, me, today)
    await ctx.session.flush()
    mentor = await ctx.session.get(Member, me)
    assert mentor is not None
    return [
        say(
            f"You mentor {row.learner.display_name} on {row.skill}. Their goal: {gap.goal}. "
            f"{_plan(ctx, gap, mentor)} Agree on a first session together."
        ),
        Message(
            (
                Heading(f"{mentor.display_name} will mentor you on {row.skill}"),
                Paragraph(rich(f"Your goal: {gap.goal}")),
                Paragraph(rich(_plan(ctx, gap, row.learner))),
            ),
            audience=Audience.DM,
            to=mention(row.learner),
        ),
    ]


def _plan(ctx: Ctx, gap: Mentorship, member: Member) -> str:
    """The sprint's days as this person will hear them: the halfway check-in comes on their
    first working day from the halfway day, at the start of their day, as the tick sends it."""
    assert gap.halfway_on is not None
    check_in = nudge_day(ctx, member, gap.halfway_on)
    return (
        f"From today to {day_words(gap.ends_on)}. I check in with you on "
        f"{day_words(check_in)}, and ask for a look-back at the end."
    )


async def decline(ctx: Ctx, cmd: DeclineGap) -> list[Reply]:
    row, team = await gap_of(ctx, cmd.sprint, "mentor on its skills")
    gap = row.sprint
    if gap.status is not SprintStatus.OPEN or gap.suggested_id != ctx.actor.member_id:
        raise Refusal(
            say(f"I have not asked you to mentor #{gap.id}, so there is no ask to decline.")
        )
    ctx.session.add(
        MentorDecline(
            workspace_id=gap.workspace_id,
            mentorship_id=gap.id,
            mentor_id=ctx.actor.member_id,
            declined_at=ctx.clock.now(),
        )
    )
    await ctx.session.flush()
    asked = await _ask_next(ctx, row, team)
    after = (
        "I'll ask someone else." if asked else "It stays open for anyone who can teach it to claim."
    )
    return [say(f"Thanks for saying so. {NEVER_TOLD} {after}"), *asked]
