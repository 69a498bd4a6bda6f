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
from rituals.core.messages import (
    Actions,
    Audience,
    Block,
    Bullets,
    Button,
    ButtonStyle,
    Code,
    FormRequest,
    Heading,
    Message,
    Note,
    Paragraph,
    Reply,
    Rich,
    rich,
    say,
)
from rituals.core.refusal import Refusal
from rituals.core.schedule import reachable_at
from rituals.skills.commands import SkillName, named_skill, skills_of
from rituals.skills.sprint_store import (
    SPRINT_DAYS,
    SprintRow,
    candidates,
    lead_pairs,
    mentoring_now,
    sprint_rows,
    sprints_of,
    start,
)
from rituals.skills.store import TEACH, latest_levels
from rituals.team.gate import admit, form_offered, team_gate
from rituals.team.me import person_of
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


class ShowSprints(Command):
    team: Name | None = TEAM


class LookBack(Command):
    sprint: int = row_number("Sprint")
    words: Answer | None = Field(None, title=LOOK_BACK, description="in your own words")


def _today(ctx: Ctx, team: Team) -> date:
    return ctx.clock.now().astimezone(ZoneInfo(team.time_zone)).date()


def _day(day: date | None) -> str:
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
    found = await candidates(ctx.session, row.sprint, _today(ctx, team))
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
    today = _today(ctx, team)
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


async def _gap(ctx: Ctx, number: int, doing: str) -> tuple[SprintRow, Team]:
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
    if not rows:
        await form_offered(ctx)  # where every team has the ritual off, that is the answer
        raise Refusal(say(f"There is no gap or sprint #{number} here. Yours: ", Code("sprints")))
    team = await ctx.session.get(Team, rows[0].sprint.team_id)
    assert team is not None
    await admit(ctx, team, members_only=doing)
    return rows[0], team


async def claim(ctx: Ctx, cmd: ClaimGap) -> list[Reply]:
    row, team = await _gap(ctx, cmd.sprint, "mentor on its skills")
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
    today = _today(ctx, team)
    running = await mentoring_now(ctx.session, ctx.actor.workspace_id, me, today)
    if running is not None:
        raise Refusal(
            say(
                f"You mentor {running.learner.display_name} on {running.skill} until "
                f"{_day(running.sprint.ends_on)}: one sprint at a time, so each gets your best."
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
    start = ctx.settings.people.work_hours.split("-")[0]
    check_in = reachable_at(person_of(ctx, member).reach, gap.halfway_on, start).date()
    return (
        f"From today to {_day(gap.ends_on)}. I check in with you on {_day(check_in)}, and "
        "ask for a look-back at the end."
    )


async def decline(ctx: Ctx, cmd: DeclineGap) -> list[Reply]:
    row, team = await _gap(ctx, cmd.sprint, "mentor on its skills")
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


def _line(row: SprintRow, me: int) -> Rich:
    sprint = row.sprint
    if sprint.status is SprintStatus.OPEN:
        return rich(f"#{sprint.id} {row.skill}: waiting for a mentor. Your goal: {sprint.goal}")
    learning = sprint.learner_id == me
    partner = row.mentor if learning else row.learner
    other = partner.display_name if partner else "a mentor who has left"
    role = f"learning from {other}" if learning else f"mentoring {other}"
    if sprint.status is SprintStatus.DONE:
        return rich(f"#{sprint.id} {row.skill}, {role}: done. {sprint.learner_lookback}")
    return rich(
        f"#{sprint.id} {row.skill}, {role}, until {_day(sprint.ends_on)}. Goal: {sprint.goal}"
    )


async def show(ctx: Ctx, cmd: ShowSprints) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, members_only="see its sprints")
    me = ctx.actor.member_id
    mine, others = await sprints_of(ctx.session, ctx.actor.workspace_id, me, [team.id])
    blocks: list[Block] = [Heading(f"Mentorship sprints: {team.name}")]
    mine = [r for r in mine if r.sprint.team_id == team.id]
    if mine:
        blocks.append(Paragraph(rich("Yours:")))
        blocks.append(Bullets(tuple(_line(r, me) for r in mine)))
        looks = [
            Button(f"Look back on #{r.sprint.id}", f"lookback {r.sprint.id}")
            for r in mine
            if r.sprint.status is not SprintStatus.OPEN
            and _owes_look_back(r, me)
            and (r.sprint.halfway_on is None or r.sprint.halfway_on <= _today(ctx, team))
        ]
        if looks:
            blocks.append(Actions(tuple(looks)))
    else:
        blocks.append(Paragraph(rich("You have no gap or sprint yet.")))
    # Offer only the gaps this person may claim: they can teach the skill, and the learner
    # is neither their lead nor their report.
    levels = await latest_levels(ctx.session, team.id, me)
    pairs = await lead_pairs(ctx.session, me) if others else set()
    others = [
        r
        for r in others
        if levels.get((me, r.sprint.skill_id)) == TEACH and r.sprint.learner_id not in pairs
    ]
    if others:
        blocks.append(Paragraph(rich("Gaps others want to close (claim one you can teach):")))
        blocks.append(
            Bullets(
                tuple(
                    rich(f"#{r.sprint.id} {r.learner.display_name} on {r.skill}: {r.sprint.goal}")
                    for r in others
                )
            )
        )
        blocks.append(
            Actions(
                tuple(Button(f"Mentor #{r.sprint.id}", f"mentor {r.sprint.id}") for r in others)
            )
        )
    blocks.append(Actions((Button("Name a gap to close", "learn", ButtonStyle.PRIMARY),)))
    return [Message(tuple(blocks))]


def _owes_look_back(row: SprintRow, me: int) -> bool:
    sprint = row.sprint
    if sprint.learner_id == me:
        return sprint.learner_lookback is None
    return sprint.mentor_lookback is None


async def look_back(ctx: Ctx, cmd: LookBack) -> list[Reply]:
    row, team = await _gap(ctx, cmd.sprint, "look back on its sprints")
    sprint, me = row.sprint, ctx.actor.member_id
    if me not in (sprint.learner_id, sprint.mentor_id):
        raise Refusal(say(f"Only the pair of sprint #{sprint.id} look back on it."))
    if sprint.status is SprintStatus.OPEN:
        raise Refusal(say(f"#{sprint.id} has not started: it is waiting for a mentor."))
    if not _owes_look_back(row, me):
        raise Refusal(say(f"You looked back on #{sprint.id} already. Thank you."))
    today = _today(ctx, team)
    if sprint.halfway_on is not None and today < sprint.halfway_on:
        raise Refusal(
            say(
                f"Sprint #{sprint.id} on {row.skill} runs until {_day(sprint.ends_on)}; its "
                f"look-back opens halfway, on {_day(sprint.halfway_on)}, once there is "
                "something to look back on. Until then, work toward the goal: "
                f"{sprint.goal}"
            )
        )
    if cmd.words is None:
        intro = f"{row.skill}, the goal: {sprint.goal}. {LOOK_BACK}"
        return [FormRequest("lookback", {"sprint": str(sprint.id)}, intro, required=("words",))]
    author = await ctx.session.get(Member, me)
    assert author is not None
    if me == sprint.learner_id:
        sprint.learner_lookback = cmd.words
        sprint.status, sprint.finished_at = SprintStatus.DONE, ctx.clock.now()
        partner = row.mentor
        said = "It opens your next one-on-one as a win, and your mentor's too."
    else:
        sprint.mentor_lookback = cmd.words
        partner = row.learner
        said = (
            "It is a win in both your next one-on-ones."
            if sprint.learner_lookback is not None
            else "When the learner looks back, the sprint is a win in both your next one-on-ones."
        )
    await ctx.session.flush()
    replies: list[Reply] = [say(f"Thank you for looking back on {row.skill}. {said}")]
    if partner is not None:
        replies.append(
            Message(
                (
                    Paragraph(
                        rich(f"{author.display_name} looked back on your sprint on {row.skill}:")
                    ),
                    Paragraph(rich(cmd.words)),
                ),
                audience=Audience.DM,
                to=mention(partner),
            )
        )
    return replies
