"""Numbers with context: logging a KPI's value for its period, and the team's sharp falls.

A value always has room for a one-line note, because a number without its story misleads.
A correction is a new row, so what was said before stays in the history; one without a note
keeps the note said before. A value that looks
like a slip (340% of something, ten times anything seen) is questioned, never stored silently.
A sharp fall is celebrated as the start of an experiment (`rituals.numbers.declines`). The
trend, and who may see it, live in `rituals.numbers.trend`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Annotated, NoReturn

from pydantic import Field, StringConstraints
from sqlalchemy.ext.asyncio import AsyncSession

from rituals.core.amounts import amount, format_number
from rituals.core.command import CLEAN, ONE_LINE, Command, KpiRef, Name, ShortText
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
    Mention,
    Message,
    Note,
    Paragraph,
    Reply,
    rich,
    say,
)
from rituals.core.people import local_today
from rituals.core.periods import PERIOD, Period, describe_period, parse_period, period_of
from rituals.core.permissions import may_act_for, refuse
from rituals.core.refusal import Refusal
from rituals.kpis.commands import (
    better_words,
    describe_target,
    owner_of,
    resolve_kpi,
)
from rituals.kpis.visibility import team_sees_numbers
from rituals.numbers.declines import TREND_SPAN, WILD_IDEA, Decline, detect, latest_declines
from rituals.numbers.store import active_team_kpis, latest_per_period, series_since, values_since
from rituals.team.gate import team_gate
from rituals.team.teams import TEAM, team_rituals
from storage.models import Direction, Kpi, KpiStatus, KpiValue, Member, Team

NoteText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), CLEAN, ONE_LINE
]
PeriodText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)]
# Logging reaches this far back; older history belongs in an import, not in typed values.
OLDEST_PERIODS = {"weekly": 156, "monthly": 36, "quarterly": 12}
# A value this many times beyond both the target and every earlier value is questioned.
SLIP_FACTOR = 10
CURRENCY = {"$": "usd", "€": "eur", "£": "gbp", "¥": "jpy"}


class LogValue(Command):
    kpi: KpiRef = Field(title="KPI")
    value: Decimal | None = Field(
        None,
        title="Value",
        description="the number for the period",
        max_digits=16,
        decimal_places=4,
        allow_inf_nan=False,
    )
    note: NoteText | None = Field(
        None, title="Context", description="one line: what was going on (optional)"
    )
    period: PeriodText | None = Field(
        None, title="Period", description="this one if empty; or last, or e.g. 2026-W47"
    )
    # Typed after the number ("25%"): checked against the KPI's unit. Forms ask for neither.
    unit: ShortText | None = Field(None, title="Unit", json_schema_extra={"typed_only": True})
    confirmed: bool = Field(False, title="Confirmed", json_schema_extra={"typed_only": True})


class ShowFalls(Command):
    team: Name | None = TEAM


# --- logging ----------------------------------------------------------------------------------


def _unit_key(unit: str) -> str:
    key = unit.strip().lower()
    key = CURRENCY.get(key, key)
    return key[:-1] if len(key) > 3 and key.endswith("s") else key


def _note_without_unit(note: str | None, unit: str) -> str | None:
    """ "log 3 12 leads": the unit word alone after the number is not a note."""
    if note is not None and unit and _unit_key(note) == _unit_key(unit):
        return None
    return note


async def may_log(ctx: Ctx, kpi: Kpi) -> bool:
    """`log`'s rule, which a button to it must follow too: an active KPI, by its owner or
    their lead. A button offered to anyone else would only be refused."""
    return kpi.status is KpiStatus.ACTIVE and await may_act_for(ctx, kpi.owner_id)


async def log_value(ctx: Ctx, cmd: LogValue) -> list[Reply]:
    kpi = await resolve_kpi(ctx, cmd.kpi, "log")
    owner = await owner_of(ctx, kpi)
    if not await may_log(ctx, kpi):
        raise Refusal(await _not_logged(ctx, kpi, owner))
    if cmd.value is None:
        return [_form(kpi, cmd)]
    if cmd.unit and _unit_key(cmd.unit) != _unit_key(kpi.unit):
        counted = f"in {kpi.unit}" if kpi.unit else "as a plain number"
        _refuse(kpi, cmd, f"#{kpi.id} {kpi.name} is counted {counted}, not in {cmd.unit}.")
    today = await local_today(ctx)
    current = period_of(kpi.cadence, today)
    try:
        period = parse_period(kpi.cadence, cmd.period or "this", today)
    except ValueError as exc:
        _refuse(kpi, cmd, f"Period: {exc}.")
    if period > current:
        _refuse(kpi, cmd, f"{describe_period(period)} has not begun; log it when it has.")
    if period.index < current.index - OLDEST_PERIODS[kpi.cadence.value]:
        reach = OLDEST_PERIODS[kpi.cadence.value]
        word = PERIOD[kpi.cadence]
        _refuse(kpi, cmd, f"Period: values go back {reach} {word}s at most.")
    rows = await values_since(ctx.session, kpi.id, period.shifted(-2 * TREND_SPAN).start)
    said = [r for r in rows if r.period == period.name]
    earlier = [
        (period_of(kpi.cadence, r.period_start), r.value)
        for r in latest_per_period([r for r in rows if r.period_start < period.start])
    ]
    if not cmd.confirmed:
        doubt = _doubt(kpi, cmd.value, [v for _, v in earlier])
        if doubt:
            return [_question(ctx, kpi, cmd, period, doubt)]
    note = _note_without_unit(cmd.note, kpi.unit)
    if note is None and said:
        note = said[-1].note  # a correction without a note keeps the context said before
    row = KpiValue(
        workspace_id=kpi.workspace_id,
        kpi_id=kpi.id,
        period=period.name,
        period_start=period.start,
        value=cmd.value,
        note=note,
        logged_by_id=ctx.actor.member_id,
        logged_at=ctx.clock.now(),
    )
    decline = None
    # A fall in an old period, logged late, is history: the question is for this week's news.
    if period.index >= current.index - 1 and not any(r.decline_asked for r in said):
        decline = detect(period, cmd.value, earlier, await _threshold(ctx, kpi), kpi.direction)
        row.decline_asked = decline is not None
    ctx.session.add(row)
    await ctx.session.flush()
    return await _told(ctx, kpi, owner, row, period, said[-1] if said else None, decline)


async def _not_logged(ctx: Ctx, kpi: Kpi, owner: Member) -> Reply:
    """Why `may_log` said no: the KPI takes no numbers now, or they are not this person's."""
    if kpi.status is KpiStatus.RETIRED:
        return say(f"#{kpi.id} {kpi.name} was retired ({kpi.retired_reason}).")
    if kpi.status is KpiStatus.PROPOSED:
        return say(
            f"#{kpi.id} {kpi.name} is still a proposal: numbers are logged once a lead "
            "activates it."
        )
    return await refuse(ctx, f"log {owner.display_name}'s numbers", owner, owner_may=True)


def _form(kpi: Kpi, cmd: LogValue) -> FormRequest:
    """The log form, with what was typed kept and the KPI and its target on top."""
    values = {"kpi": str(kpi.id)}
    if cmd.value is not None:
        values["value"] = format_number(cmd.value)
    if cmd.note:
        values["note"] = cmd.note
    if cmd.period:
        values["period"] = cmd.period
    target = describe_target(kpi.target, kpi.unit, kpi.cadence)
    return FormRequest(
        "log", values, f"#{kpi.id} {kpi.name}, target {target}.", required=("value",)
    )


def _refuse(kpi: Kpi, cmd: LogValue, problem: str) -> NoReturn:
    """Refuse the value, showing the log form again with what was typed and the problem."""
    raise Refusal(say(problem), form=_form(kpi, cmd))


def _doubt(kpi: Kpi, value: Decimal, earlier: Sequence[Decimal]) -> str | None:
    """Why the value looks like a slip, or None when it looks like a number to keep."""
    shown = amount(value, kpi.unit)
    if kpi.unit in {"%", "‰"}:
        whole = 100 if kpi.unit == "%" else 1000
        if not 0 <= value <= whole:
            return f"{shown} is outside 0 to {whole}{kpi.unit}, the whole of anything."
    if value < 0 and _unit_key(kpi.unit) not in CURRENCY.values():
        return f"{shown} is below zero: a count rarely is."
    largest = max([abs(kpi.target), *(abs(v) for v in earlier)])
    if largest > 0 and abs(value) > largest * SLIP_FACTOR:
        return (
            f"{shown} is more than {SLIP_FACTOR} times the target and every value before it "
            f"(the largest is {amount(largest, kpi.unit)}). A digit too many?"
        )
    return None


def _question(ctx: Ctx, kpi: Kpi, cmd: LogValue, period: Period, doubt: str) -> Message:
    """Nothing stored yet: the same command, confirmed, is one click away; for the period
    asked about, even when the click comes after that period ends."""
    shown = amount(cmd.value or Decimal(0), kpi.unit)
    again = ctx.command_text if cmd.period else f"{ctx.command_text} period {period.name}"
    return Message(
        (
            Paragraph(rich(doubt, " Nothing is logged yet.")),
            Actions(
                (
                    Button(f"Yes, log {shown}"[:75], f"{again} --confirmed"),
                    Button("Change it", f"log {kpi.id}", ButtonStyle.PRIMARY),
                ),
                prompt="Is that the number?",
            ),
        )
    )


async def _threshold(ctx: Ctx, kpi: Kpi) -> int:
    """The decline threshold of the KPI's team (its own settings over app.yaml's)."""
    team = await ctx.session.get(Team, kpi.team_id) if kpi.team_id is not None else None
    rituals = team_rituals(ctx, team) if team is not None else ctx.settings.rituals
    return rituals.decline_threshold_percent


async def _told(
    ctx: Ctx,
    kpi: Kpi,
    owner: Member,
    row: KpiValue,
    period: Period,
    before: KpiValue | None,
    decline: Decline | None,
) -> list[Reply]:
    """The logger's confirmation; the owner's note when someone else logged; and a sharp fall
    celebrated with the owner, and with the team when the KPI is theirs too."""
    when = describe_period(period)
    value = amount(row.value, kpi.unit)
    if before is not None and before.value == row.value:
        done = f"Logged again: {value} for #{kpi.id} {kpi.name}, {when}, as before."
    elif before is not None:
        done = (
            f"Corrected #{kpi.id} {kpi.name} for {when}: {amount(before.value, kpi.unit)} is now "
            f"{value}. The first value stays in the history."
        )
    else:
        done = f"Logged {value} for #{kpi.id} {kpi.name}, {when}."
    target = describe_target(kpi.target, kpi.unit, kpi.cadence)
    blocks: list[Block] = [Paragraph(rich(done)), Note(f"Target: {target}.")]
    mine = owner.id == ctx.actor.member_id
    if decline is not None and mine:
        blocks += celebration(kpi, decline)
    blocks.append(Actions((Button("See the trend", f"trend {kpi.id}"),)))
    replies: list[Reply] = [Message(tuple(blocks))]
    if not mine:
        logger = Mention(ctx.actor.platform_user_id, ctx.actor.display_name)
        told: list[Block] = [Paragraph(rich(logger, f" logged {value} for {kpi.name}, {when}."))]
        if row.note:
            told.append(Note(f"Context: {row.note}"))
        if decline is not None:
            told += celebration(kpi, decline)
        to = Mention(owner.platform_user_id, owner.display_name)
        replies.append(Message(tuple(told), audience=Audience.DM, to=to))
    if decline is not None and team_sees_numbers(kpi) and kpi.team_id is not None:
        team = await ctx.session.get(Team, kpi.team_id)
        if team is not None and team.channel_id:
            heading = Heading(f"{kpi.name} ({owner.display_name}'s KPI)")
            post = (heading, *celebration(kpi, decline))
            replies.append(Message(post, audience=Audience.CHANNEL, channel_id=team.channel_id))
    return replies


def celebration(kpi: Kpi, decline: Decline) -> list[Block]:
    """A fall is news to learn from, not a failure: ask for the experiment."""
    fell = (
        f"{kpi.name} {decline.moved} {decline.percent}% against {decline.against} "
        f"({amount(decline.reference.quantize(Decimal('0.01')), kpi.unit)} to "
        f"{amount(decline.value, kpi.unit)})."
    )
    return [
        Paragraph(rich(fell, " Good: now we know where to look.")),
        Actions(
            (Button("Test a wild idea", f"experiment {kpi.id}", ButtonStyle.PRIMARY),),
            prompt=WILD_IDEA,
        ),
    ]


# --- the team's falls -------------------------------------------------------------------------


async def team_declines(
    session: AsyncSession, workspace_id: int, team_id: int, today: date, threshold_percent: int
) -> list[tuple[Kpi, Decline]]:
    """The team's active KPIs that fell sharply this period or the last: two queries for any
    number of people and any length of history."""
    kpis = await active_team_kpis(session, workspace_id, team_id)
    if not kpis:
        return []
    since = min(period_of(k.cadence, today).shifted(-2 * TREND_SPAN).start for k in kpis)
    rows = await series_since(session, [k.id for k in kpis], since)
    by_id = {k.id: k for k in kpis}
    series = {
        kpi_id: [(period_of(by_id[kpi_id].cadence, r.period_start), r.value) for r in found]
        for kpi_id, found in rows.items()
    }
    # A fall logged long ago is history, not news: only this period's or the last one's.
    recent = {
        kpi_id: values
        for kpi_id, values in series.items()
        if values[-1][0].index >= period_of(by_id[kpi_id].cadence, today).index - 1
    }
    found = latest_declines(recent, threshold_percent, {k.id: k.direction for k in kpis})
    return [(k, found[k.id]) for k in kpis if k.id in found]


async def falls(ctx: Ctx, cmd: ShowFalls) -> list[Reply]:
    """The lead's glance: which of the team's KPIs fell sharply this period or the last."""
    team = await team_gate(ctx, cmd.team, lead_only="see which of its KPIs are falling")
    threshold = team_rituals(ctx, team).decline_threshold_percent
    found = await team_declines(
        ctx.session, ctx.actor.workspace_id, team.id, await local_today(ctx), threshold
    )
    if not found:
        return [say(f"No KPI on {team.name} fell more than {threshold}% this period or the last.")]
    lines = tuple(
        rich(
            f"#{kpi.id} {kpi.name}: {decline.percent}% {decline.way} against {decline.against}"
            + (f", {better_words(kpi.direction)}" if kpi.direction is Direction.LOWER else "")
        )
        for kpi, decline in found
    )
    buttons = tuple(
        Button(f"Trend #{kpi.id} {kpi.name}"[:75], f"trend {kpi.id}") for kpi, _ in found
    )
    return [
        Message(
            (
                Heading(f"Falling on {team.name}"),
                Bullets(lines),
                Actions(buttons[:10]),
                Note(f"A fall is news to learn from: ask each owner, {WILD_IDEA}"),
            )
        )
    ]
