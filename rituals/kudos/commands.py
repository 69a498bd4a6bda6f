"""Recognition that names the service: who helped whom, on which KPI, and how.

"Great job!" tells nobody what to do again. A kudos here names the KPI it helped and the story
of how the giver served the recipients; praise with no story is refused with a request for one.
It is posted to the team's recognition channel, sent to each recipient, and opens their next
one-on-one as a win. A small, symbolic reward may come with it; never money.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated

from pydantic import Field, StringConstraints

from rituals.core.command import CLEAN, ONE_LINE, Command, KpiRef, Name, PersonRef
from rituals.core.context import Ctx
from rituals.core.mentions import with_mentions
from rituals.core.messages import (
    Actions,
    Audience,
    Block,
    ChannelLink,
    Code,
    FormRequest,
    Heading,
    Inline,
    Message,
    Note,
    Paragraph,
    Reply,
    Strong,
    listing,
    rich,
    say,
)
from rituals.core.people import resolve_person
from rituals.core.refusal import Refusal
from rituals.kpis.commands import resolve_kpi
from rituals.kpis.store import team_has_active_kpi
from rituals.team.gate import team_gate
from rituals.team.teams import TEAM, mention, team_rituals
from storage.models import Kpi, KpiStatus, Kudos, KudosRecipient, Member, Team
from storage.teams import membership

# No minimum here: "thanks!" is answered by the generic-praise check, with the form kept.
KudosStory = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000), CLEAN
]
RewardText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=2, max_length=80), CLEAN, ONE_LINE
]
MOST_PEOPLE = 10
# A story needs this many words that are neither praise nor filler: what was done, for whom.
STORY_WORDS = 4
# Words that carry no story on their own ("thanks for all your hard work this week, team").
_FILLER_WORDS = (
    "a all always an and again are as be being effort efforts everyone everything for guys "
    "hard help i in is it just me much my of on our really so support such team that the "
    "this to today us very was we week were with work you your"
)
FILLER = frozenset(_FILLER_WORDS.split())
ASK = "How did you serve them, and what did it make possible?"
EXAMPLE = (
    'kudos @ana kpi 3 how "I sat in on her first three discovery calls and wrote up the '
    'objections, so she closed the Lisbon deal" reward "a team lunch"'
)


class GiveKudos(Command):
    people: tuple[PersonRef, ...] | None = Field(
        None,
        title="Who you recognise",
        description="one or more @mentions",
        min_length=1,
        max_length=MOST_PEOPLE,
    )
    kpi: KpiRef | None = Field(None, title="The KPI it helped", description="its number or name")
    story: KudosStory | None = Field(
        None, title="How you served them", description="what you did, and what it made possible"
    )
    reward: RewardText | None = Field(
        None, title="A small reward", description="optional; a symbol, never money"
    )
    team: Name | None = TEAM


def generic_praise(story: str, phrases: Sequence[str]) -> bool:
    """Whether the story is only praise: once the praise phrases and filler are gone, fewer
    than STORY_WORDS words are left to say what was done."""
    text = " " + re.sub(r"[^\w']+", " ", story.lower()) + " "
    for phrase in sorted(phrases, key=len, reverse=True):
        text = text.replace(f" {phrase.lower()} ", " ")
    words = {w for w in text.split() if w not in FILLER and len(w) > 1}
    return len(words) < STORY_WORDS


def _reward(given: str, rewards: Sequence[str]) -> str | None:
    """The reward from app.yaml's list that the words name: all of it, or a part only it has."""
    wanted = given.strip().lower()
    exact = [r for r in rewards if r.lower() == wanted]
    if exact:
        return exact[0]
    partial = [r for r in rewards if wanted in r.lower()]
    return partial[0] if len(partial) == 1 else None


def _people_text(people: Sequence[PersonRef] | None) -> str:
    """The people as the grammar reads them back, for a form or a button."""
    return ", ".join(p.typed for p in people or ())  # commas: "@Ana Ruiz" stays one person


def _form(cmd: GiveKudos, rewards: Sequence[str], problem: str = "") -> FormRequest:
    """The kudos form with what the person gave so far; `problem` stands on top of its intro."""
    values: dict[str, str] = {}
    if cmd.people:
        values["people"] = _people_text(cmd.people)
    if cmd.kpi is not None:
        values["kpi"] = str(cmd.kpi.id) if cmd.kpi.id is not None else cmd.kpi.name or ""
    for name in ("story", "reward", "team"):
        value = getattr(cmd, name)
        if value:
            values[name] = value
    intro = f"{ASK} Rewards: {', '.join(rewards)}."
    return FormRequest(
        "kudos",
        values,
        f"{problem} {intro}" if problem else intro,
        required=("people", "kpi", "story"),
        options={"reward": tuple(rewards)},
    )


def _refused(cmd: GiveKudos, rewards: Sequence[str], problem: str) -> Refusal:
    """Refused with the kudos form again, what was given kept, so no story is lost."""
    return Refusal(say(problem), form=_form(cmd, rewards))


async def give(ctx: Ctx, cmd: GiveKudos) -> list[Reply]:
    rewards = ctx.settings.recognition.rewards
    team = await team_gate(ctx, cmd.team)
    if not await team_has_active_kpi(ctx.session, ctx.actor.workspace_id, team.id):
        raise _no_kpi_yet(team, cmd)
    if not cmd.people or cmd.kpi is None or cmd.story is None:
        missing = [
            label
            for label, value in (("who", cmd.people), ("the KPI", cmd.kpi), ("how", cmd.story))
            if not value
        ]
        problem = "" if len(missing) == 3 else f"Still needed: {', '.join(missing)}."
        return [_form(cmd, rewards, problem)]
    people = await _recipients(ctx, cmd, team, rewards)
    kpi = await _kpi(ctx, cmd, team, rewards)
    if generic_praise(cmd.story, ctx.settings.recognition.generic_praise):
        raise _refused(
            cmd,
            rewards,
            "That is praise, not yet a story. Say what you did for them and what it made "
            "possible, like: I sat in on her first discovery calls and wrote up the "
            "objections, so she closed the Lisbon deal.",
        )
    reward = None
    if cmd.reward:
        reward = _reward(cmd.reward, rewards)
        if reward is None:
            raise _refused(cmd, rewards, f'"{cmd.reward}" is not one of the rewards.')
    story, plain = await with_mentions(ctx, cmd.story)
    row = Kudos(
        workspace_id=ctx.actor.workspace_id,
        team_id=team.id,
        from_id=ctx.actor.member_id,
        kpi_id=kpi.id,
        story=plain,
        reward=reward,
        created_at=ctx.clock.now(),
    )
    ctx.session.add(row)
    await ctx.session.flush()
    ctx.session.add_all(
        KudosRecipient(workspace_id=row.workspace_id, kudos_id=row.id, member_id=p.id)
        for p in people
    )
    await ctx.session.flush()
    giver = await ctx.session.get(Member, ctx.actor.member_id)
    assert giver is not None
    blocks = _story(giver, people, kpi, story, reward)
    channel = team_rituals(ctx, team).recognition_channel or team.channel_id
    to_them: list[Reply] = [
        Message(
            (
                *blocks,
                Note("It opens your next one-on-one as a win. `kudos @name` passes it on."),
            ),
            audience=Audience.DM,
            to=mention(person),
        )
        for person in people
    ]
    names = listing([mention(p) for p in people])
    if channel is None:
        confirm = say(
            f"Sent to {', '.join(p.display_name for p in people)}. {team.name} has no channel "
            "for recognition yet, so only they see it. A lead sets one by writing, in the "
            "channel kudos should go to: ",
            "settings set recognition here",
            ".",
        )
        return [confirm, *to_them]
    post = Message(
        (*blocks, Note("Recognition here names how someone was served. `kudos @name` adds yours.")),
        audience=Audience.CHANNEL,
        channel_id=channel,
    )
    confirm = say(
        "Posted to ",
        ChannelLink(channel),
        " and sent to ",
        *names,
        ". It opens their next one-on-one as a win.",
    )
    return [confirm, post, *to_them]


def _no_kpi_yet(team: Team, cmd: GiveKudos) -> Refusal:
    """Kudos name the KPI the help served: with none active, the form could never be sent, so
    the person hears why and what unlocks it, with their words given back to keep."""
    blocks: list[Block] = [
        Paragraph(
            rich(
                "Kudos name the KPI your help served, and ",
                Strong(team.name),
                " has no active KPI yet. Once one is active (anyone proposes one with ",
                Code("propose"),
                ", then the lead types ",
                Code("activate <number>"),
                "), send your kudos again.",
            )
        )
    ]
    if cmd.story:
        blocks.append(Paragraph(rich("Your words, to send then: ", cmd.story)))
    return Refusal(Message(tuple(blocks)))


async def _recipients(ctx: Ctx, cmd: GiveKudos, team: Team, rewards: Sequence[str]) -> list[Member]:
    """The people recognised: someone else than the giver, each on the team it is posted to,
    where it opens their one-on-ones as a win."""
    people: list[Member] = []
    for ref in cmd.people or ():
        try:
            person = await resolve_person(ctx, ref)
        except Refusal as refused:
            raise _refused(cmd, rewards, refused.problem) from None
        if person.id == ctx.actor.member_id:
            raise _refused(cmd, rewards, "Kudos are for someone else: name who you served.")
        if person not in people:
            people.append(person)
    elsewhere = [p.display_name for p in people if not await _on(ctx, team, p.id)]
    if elsewhere:
        said = (
            f"{', '.join(elsewhere)} {'is' if len(elsewhere) == 1 else 'are'} not on {team.name}."
        )
        raise _refused(cmd, rewards, f"{said} Name the team you share with them.")
    return people


async def _kpi(ctx: Ctx, cmd: GiveKudos, team: Team, rewards: Sequence[str]) -> Kpi:
    """The active KPI of the team's people that the kudos names."""
    assert cmd.kpi is not None
    # A form carries a known KPI hidden: one that cannot be used is left out, to be named again.
    unnamed = cmd.model_copy(update={"kpi": None})
    try:
        kpi = await resolve_kpi(ctx, cmd.kpi, f"kudos {_people_text(cmd.people)} kpi")
    except Refusal as refused:
        asked = refused.replies[0]
        if isinstance(asked, Message) and any(isinstance(b, Actions) for b in asked.blocks):
            raise  # several KPIs have that name: a button for each
        raise _refused(unnamed, rewards, f"The KPI: {refused.problem}") from None
    if kpi.status is not KpiStatus.ACTIVE:
        said = f"#{kpi.id} {kpi.name} is {kpi.status.value}; name an active KPI."
        raise _refused(unnamed, rewards, said)
    if not await _on(ctx, team, kpi.owner_id) and kpi.owner_id != ctx.actor.member_id:
        said = f"#{kpi.id} {kpi.name} is not a KPI of {team.name}'s people; name one of theirs."
        raise _refused(unnamed, rewards, said)
    return kpi


async def _on(ctx: Ctx, team: Team, member_id: int) -> bool:
    return await membership(ctx.session, ctx.actor.workspace_id, team.id, member_id) is not None


def _story(
    giver: Member, people: Sequence[Member], kpi: Kpi, story: tuple[Inline, ...], reward: str | None
) -> list[Block]:
    blocks: list[Block] = [
        Heading(f"Kudos: {kpi.name}"),
        Paragraph(
            rich(
                mention(giver),
                " on how they served ",
                *listing([mention(p) for p in people]),
                " for ",
                Strong(kpi.name),
                ":",
            )
        ),
        Paragraph(story),
    ]
    if reward:
        blocks.append(Paragraph(rich("With ", Strong(reward), ".")))
    return blocks
