"""Nominating a story for Fail of the Month, and the nominee's say on whether it is shared.

A story about someone else stays between the nominator and its nominee until the nominee says
it may be shared; saying no is silent. Both are said in private, never in a channel.
"""

from __future__ import annotations

from rituals.core.command import PersonRef
from rituals.core.context import Ctx
from rituals.core.mentions import with_mentions
from rituals.core.messages import (
    Actions,
    Audience,
    Button,
    ButtonStyle,
    Code,
    FormRequest,
    Heading,
    Mention,
    Message,
    Note,
    Paragraph,
    Reply,
    rich,
    say,
)
from rituals.core.people import resolve_person
from rituals.core.refusal import Refusal
from rituals.fails.commands import (
    OPPORTUNITY,
    SELF,
    Consenting,
    Nominate,
    YesNo,
    _story_blocks,
    current_vote,
    month_of,
    month_words,
    vote_of,
)
from rituals.fails.store import is_closed
from rituals.team.gate import switched_on, team_gate
from rituals.team.me import person_of
from rituals.team.teams import mention, team_rituals
from storage.models import Consent, FailNomination, Member, Team
from storage.teams import membership

# What only a team's own people do, for the gate's refusal.
TAKE_PART = "take part in its Fail of the Month"


async def nominate(ctx: Ctx, cmd: Nominate) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, members_only=TAKE_PART)
    if cmd.misstep is None or cmd.learned is None:
        values = {"team": team.name}
        for name in ("misstep", "learned"):
            if getattr(cmd, name):
                values[name] = getattr(cmd, name)
        if cmd.person is not None:
            values["person"] = cmd.person.typed
        intro = (
            "Who learned the most from a misstep this month? Nominate a teammate, or yourself: "
            "what happened, and what was learned."
        )
        return [FormRequest("fail nominate", values, intro, required=("misstep", "learned"))]
    nominee = await _nominee(ctx, cmd.person)
    if await membership(ctx.session, ctx.actor.workspace_id, team.id, nominee.id) is None:
        raise Refusal(say(f"{nominee.display_name} is not on {team.name}; nominate a teammate."))
    if nominee.id != ctx.actor.member_id and ctx.actor.channel_id is not None:
        raise in_private(f"A story about {nominee.display_name} waits for their yes")
    _, misstep = await with_mentions(ctx, cmd.misstep)
    _, learned = await with_mentions(ctx, cmd.learned)
    own = nominee.id == ctx.actor.member_id
    month = month_of(ctx.clock.now(), team.time_zone)
    row = FailNomination(
        workspace_id=ctx.actor.workspace_id,
        team_id=team.id,
        month=month,
        nominee_id=nominee.id,
        nominator_id=ctx.actor.member_id,
        misstep=misstep,
        learned=learned,
        consent=Consent.GIVEN if own else Consent.ASKED,
        created_at=ctx.clock.now(),
    )
    ctx.session.add(row)
    await ctx.session.flush()
    me = await ctx.session.get(Member, ctx.actor.member_id)
    assert me is not None
    vote = vote_of(month, team_rituals(ctx, team), team.time_zone).for_person(
        person_of(ctx, me).reach
    )
    if own:
        when = (
            f"is open until {vote.closing}"
            if vote.opens <= ctx.clock.now()
            else f"opens {vote.opening}"
        )
        return [
            say(
                f"Your story is on {team.name}'s ballot for {vote.name} (#{row.id}). The vote "
                f"{when}. Thank you for going first. {OPPORTUNITY}"
            )
        ]
    nominator = Mention(ctx.actor.platform_user_id, ctx.actor.display_name)
    ask = Message(
        (
            Heading(f"Fail of the Month: {team.name}"),
            Paragraph(
                rich(nominator, f" nominated you for {vote.name}'s trophy, for learning from this:")
            ),
            *_story_blocks(misstep, learned),
            Paragraph(
                rich("May it go on the team's ballot? Nobody else sees it unless you agree.")
            ),
            Actions(
                (
                    Button("Yes, share it", f"fail consent {row.id} yes", ButtonStyle.PRIMARY),
                    Button("No, keep it private", f"fail consent {row.id} no"),
                )
            ),
            Note(f"{OPPORTUNITY} Saying no is fine, and nobody is told."),
        ),
        audience=Audience.DM,
        to=mention(nominee),
    )
    return [
        say(
            f"Asked {nominee.display_name} whether your story (#{row.id}) may go on "
            f"{team.name}'s ballot for {vote.name}. Until they agree, only you and they see it."
        ),
        ask,
    ]


def in_private(what: str) -> Refusal:
    """Said in a channel, where everyone sees who wrote what: asked again in private."""
    return Refusal(
        say(
            f"{what}, so it is said in a direct message with me, not in a channel where everyone "
            "sees it. Press the button in the message I sent you, or send the same words to me."
        )
    )


async def _nominee(ctx: Ctx, ref: PersonRef | None) -> Member:
    if ref is None or (ref.name or "").lower() in SELF:
        me = await ctx.session.get(Member, ctx.actor.member_id)
        assert me is not None
        return me
    try:
        return await resolve_person(ctx, ref)
    except Refusal as refused:
        hint = say(
            "Name who first, or me for yourself; quote the story: ",
            Code('fail nominate me "what happened" learned "what was learned"'),
        )
        raise Refusal(*refused.replies, hint) from None


async def consent(ctx: Ctx, cmd: Consenting) -> list[Reply]:
    if ctx.actor.channel_id is not None:
        raise in_private("Whether a story about you is shared is yours to say")
    row = await ctx.session.get(FailNomination, cmd.nomination)
    if (
        row is None
        or row.workspace_id != ctx.actor.workspace_id
        or row.nominee_id != ctx.actor.member_id
    ):
        raise Refusal(say(f"There is no story #{cmd.nomination} about you here."))
    team = await ctx.session.get(Team, row.team_id)
    assert team is not None
    if cmd.answer is YesNo.YES:
        # Saying no, or taking a yes back, is never blocked: a story about someone is
        # theirs to withdraw whether or not the team runs Fail of the Month right now.
        await switched_on(ctx, team)
    if cmd.answer is YesNo.NO:
        shared = row.consent is Consent.GIVEN
        row.consent = Consent.DECLINED
        await ctx.session.flush()
        if shared:
            return [
                say(
                    "Taken back: it leaves the ballot and the archive, and nobody is told why. "
                    "Anything already posted in the channel stays there."
                )
            ]
        return [say("Kept private. Nobody else will see it, and nobody is told you said no.")]
    if row.consent is Consent.GIVEN:
        return [say(f"Story #{row.id} is on the ballot already.")]
    rituals = team_rituals(ctx, team)
    if row.votes is not None:
        # Counted when its month closed, then taken back: it returns to that month, where it
        # was told (and won, or not). The nominator heard of the first yes and never of the
        # no, so they hear nothing now.
        row.consent = Consent.GIVEN
        await ctx.session.flush()
        return [
            say(
                f"Shared again: story #{row.id} is back among {team.name}'s stories of "
                f"{month_words(row.month)}. Thank you. {OPPORTUNITY}"
            )
        ]
    vote = current_vote(ctx.clock.now(), rituals, team.time_zone)
    if await is_closed(ctx.session, team.id, row.month) or row.month < vote.month:
        row.month = vote.month  # its own month's vote has closed: it joins the next one
    row.consent = Consent.GIVEN
    await ctx.session.flush()
    month = vote_of(row.month, rituals, team.time_zone)
    replies: list[Reply] = [
        say(
            f"Shared: story #{row.id} is on {team.name}'s ballot for {month.name}. "
            f"Thank you. {OPPORTUNITY}"
        )
    ]
    nominator = await ctx.session.get(Member, row.nominator_id) if row.nominator_id else None
    if nominator is not None and nominator.is_active and nominator.id != row.nominee_id:
        replies.append(
            Message(
                (
                    Paragraph(
                        rich(
                            Mention(ctx.actor.platform_user_id, ctx.actor.display_name),
                            f" agreed: your story #{row.id} is on {team.name}'s ballot for "
                            f"{month.name}.",
                        )
                    ),
                ),
                audience=Audience.DM,
                to=mention(nominator),
            )
        )
    return replies
