"""What a pair sees of their sprints, and the look-back that ends one.

The list offers only gaps the person may claim (they can teach the skill, and the learner is
neither their lead nor their report), and never shows a no. The look-back opens halfway, once
there is something to look back on; the learner's look-back ends the sprint and becomes a win
in both people's next one-on-one.
"""

from __future__ import annotations

from pydantic import Field

from rituals.core.command import Answer, Command, Name, row_number
from rituals.core.context import Ctx
from rituals.core.messages import (
    Actions,
    Audience,
    Block,
    Bullets,
    Button,
    ButtonStyle,
    FormRequest,
    Heading,
    Message,
    Paragraph,
    Reply,
    Rich,
    rich,
    say,
)
from rituals.core.refusal import Refusal
from rituals.skills.sprint_store import SprintRow, lead_pairs, sprints_of
from rituals.skills.sprints import LOOK_BACK, day_words, gap_of, today_for
from rituals.skills.store import TEACH, latest_levels
from rituals.team.gate import team_gate
from rituals.team.teams import TEAM, mention
from storage.models import Member, SprintStatus


class ShowSprints(Command):
    team: Name | None = TEAM


class LookBack(Command):
    sprint: int = row_number("Sprint")
    words: Answer | None = Field(None, title=LOOK_BACK, description="in your own words")


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
        f"#{sprint.id} {row.skill}, {role}, until {day_words(sprint.ends_on)}. Goal: {sprint.goal}"
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
            and (r.sprint.halfway_on is None or r.sprint.halfway_on <= today_for(ctx, team))
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
    row, team = await gap_of(ctx, cmd.sprint, "look back on its sprints")
    sprint, me = row.sprint, ctx.actor.member_id
    if me not in (sprint.learner_id, sprint.mentor_id):
        raise Refusal(say(f"Only the pair of sprint #{sprint.id} look back on it."))
    if sprint.status is SprintStatus.OPEN:
        raise Refusal(say(f"#{sprint.id} has not started: it is waiting for a mentor."))
    if not _owes_look_back(row, me):
        raise Refusal(say(f"You looked back on #{sprint.id} already. Thank you."))
    today = today_for(ctx, team)
    if sprint.halfway_on is not None and today < sprint.halfway_on:
        raise Refusal(
            say(
                f"Sprint #{sprint.id} on {row.skill} runs until {day_words(sprint.ends_on)}; its "
                f"look-back opens halfway, on {day_words(sprint.halfway_on)}, once there is "
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
