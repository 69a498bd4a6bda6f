"""The secret vote: one vote each, changeable until the vote closes, in private only.

Nobody, the lead included, can see who voted for whom; the store keeps one vote per person and
month and never reads what a changed vote replaced.
"""

from __future__ import annotations

from rituals.core.context import Ctx
from rituals.core.knowing import may_know_of
from rituals.core.messages import Code, Reply, say
from rituals.core.people import actor_member
from rituals.core.refusal import Refusal
from rituals.fails.commands import VoteFail, vote_of
from rituals.fails.nominations import in_private
from rituals.fails.store import cast_vote, is_closed
from rituals.team.gate import admit
from rituals.team.me import person_of
from rituals.team.teams import team_rituals
from storage.models import Consent, FailNomination, Member, Team


async def vote(ctx: Ctx, cmd: VoteFail) -> list[Reply]:
    if ctx.actor.channel_id is not None:
        raise in_private("A vote is secret")
    row = await ctx.session.get(FailNomination, cmd.nomination)
    if (
        row is None
        or row.workspace_id != ctx.actor.workspace_id
        or row.consent is not Consent.GIVEN
        or not await may_know_of(ctx, row.team_id, [row.nominee_id, row.nominator_id])
    ):
        raise Refusal(say(f"There is no story #{cmd.nomination} on a ballot here. ", Code("fails")))
    team = await ctx.session.get(Team, row.team_id)
    assert team is not None
    await admit(ctx, team, members_only="vote for its Fail of the Month")
    if row.nominee_id == ctx.actor.member_id:
        raise Refusal(say("That story is yours: vote for a teammate's."))
    now = ctx.clock.now()
    me = await actor_member(ctx)
    vote_month = vote_of(row.month, team_rituals(ctx, team), team.time_zone)
    ballot = vote_month.for_person(person_of(ctx, me).reach)
    closed = Refusal(
        say(f"The vote for {ballot.name} has closed. ", Code("fails"), " shows who won.")
    )
    if now < ballot.opens:
        raise Refusal(
            say(
                f"The vote for {ballot.name} opens {ballot.opening}, when your ballot comes. "
                "Until then, ",
                Code("fails"),
                " shows the stories.",
            )
        )
    if now >= ballot.closes or await is_closed(ctx.session, team.id, row.month):
        raise closed
    changed = await cast_vote(ctx.session, row, ctx.actor.member_id)
    if changed is None:
        raise closed
    nominee = await ctx.session.get(Member, row.nominee_id)
    assert nominee is not None
    verb = "Changed your vote to" if changed else "Voted for"
    return [
        say(
            f"{verb} {nominee.display_name}'s story (#{row.id}). Change it any time until "
            f"{ballot.closing}; nobody, the lead included, sees who voted for whom."
        )
    ]
