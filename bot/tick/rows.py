"""The rows a tick writes: ledger rows for what it decided, outbox rows for what it sends.

One place builds them from what the tick decided, so every nudge, reminder and team post
carries the same fields (the outbox's typed `OutboxRow` and the ledger's `LedgerRow`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from bot.payload import stored
from bot.tick.compose import Composer
from rituals.core.messages import Audience, Block, Message, Note
from rituals.core.tick import Candidate, Post, seat_mention
from storage.models import NudgeOutcome
from storage.outbox import LedgerRow, OutboxRow
from storage.roster import SeatRow, TeamRow


def row_of(post: Post, leads: Mapping[int, SeatRow], now: datetime) -> OutboxRow | None:
    """A hook's post as an outbox row: a DM to the one it names, else the team's post."""
    if post.to is None:
        return _post_row(
            post.team, leads.get(post.team.id), post.key, post.ritual, post.blocks, now
        )
    message = Message(post.blocks, audience=Audience.DM, to=seat_mention(post.to))
    return dm_row(post.team, post.to, post.ritual, post.key, message, None, now)


def _post_row(
    team: TeamRow,
    lead: SeatRow | None,
    key: str,
    ritual: str,
    blocks: Sequence[Block],
    now: datetime,
) -> OutboxRow | None:
    """An outbox row posting to the team's channel; to the lead's DM without one; None when
    the team has neither."""
    if team.channel_id:
        message = Message(tuple(blocks), audience=Audience.CHANNEL, channel_id=team.channel_id)
        return _row(team, None, team.channel_id, ritual, key, message, None, now)
    if lead is not None:
        note = Note("Your team has no home channel, so this comes to you: `settings set channel`.")
        message = Message((*blocks, note), audience=Audience.DM, to=seat_mention(lead))
        return dm_row(team, lead, ritual, key, message, None, now)
    return None


def ledger_row(c: Candidate, outcome: NudgeOutcome, reason: str | None, now: datetime) -> LedgerRow:
    return LedgerRow(
        c.team.workspace_id,
        c.team.id,
        c.seat.member_id,
        c.occ.ritual,
        c.occ.period,
        c.key,
        outcome,
        reason,
        now,
    )


def prompt_row(
    composer: Composer,
    group: list[Candidate],
    budget_week: str | None,
    now: datetime,
    manners: bool,
) -> OutboxRow:
    first, team = group[0], group[0].team
    payload = composer.payload([c.prompt for c in group], manners)
    return OutboxRow(
        team.workspace_id,
        team.platform,
        first.seat.platform_user_id,
        first.occ.ritual,
        first.key,
        payload,
        now,
        member_id=first.seat.member_id,
        budget_week=budget_week,
    )


def dm_row(
    team: TeamRow,
    seat: SeatRow,
    ritual: str,
    key: str,
    message: Message,
    budget_week: str | None,
    now: datetime,
) -> OutboxRow:
    """An outbox row for a DM to one person on one team, due now."""
    target = seat.platform_user_id
    return _row(team, seat.member_id, target, ritual, key, message, budget_week, now)


def _row(
    team: TeamRow,
    member_id: int | None,
    target: str,
    ritual: str,
    key: str,
    message: Message,
    budget_week: str | None,
    now: datetime,
) -> OutboxRow:
    return OutboxRow(
        team.workspace_id,
        team.platform,
        target,
        ritual,
        key,
        stored(message),
        now,
        member_id=member_id,
        budget_week=budget_week,
    )


def queued_ledger(grouped: Sequence[list[Candidate]], now: datetime) -> list[LedgerRow]:
    """Ledger rows for these people's prompts, each queued: a person's first prompt carries
    the message, the ones merged into it say so."""
    ledger = []
    for group in grouped:
        first = group[0].key
        for c in group:
            reason = None if c.key == first else f"merged into {first}"
            ledger.append(ledger_row(c, NudgeOutcome.QUEUED, reason, now))
    return ledger
