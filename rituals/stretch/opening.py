"""Opening a stretch assignment, and the person's private yes or no.

The lead opens one for a teammate (the person is asked, and only takes it on by saying yes);
anyone opens one for themself. Either way it goes toward a KPI of theirs that lags its target,
and the quarter's rotation must allow it: nobody gets a second before everyone who wanted one
got a first.
"""

from __future__ import annotations

from datetime import date, timedelta

from rituals.core.command import KpiRef, PersonRef
from rituals.core.context import Ctx
from rituals.core.dates import format_day
from rituals.core.messages import (
    Actions,
    Audience,
    Button,
    ButtonStyle,
    FormRequest,
    Heading,
    Message,
    Note,
    Paragraph,
    Reply,
    listing,
    rich,
    say,
)
from rituals.core.people import local_today, nudge_words, resolve_person
from rituals.core.permissions import leads_team, refuse_team, team_leads_and_admins
from rituals.core.refusal import Refusal
from rituals.core.when import read_date
from rituals.kpis.commands import resolve_kpi
from rituals.stretch.commands import (
    LONGEST_DAYS,
    ROTATION_RULE,
    AnswerStretch,
    OpenStretch,
    YesNo,
    in_private,
    person_named,
)
from rituals.stretch.lag import lag_words, rotation_of
from rituals.stretch.store import Lag, lapsed, open_stretch_of, stretch_by_id, waiting
from rituals.team.gate import switched_on, team_gate
from rituals.team.teams import mention
from storage.models import KpiStatus, Member, Stretch, StretchState, Team
from storage.teams import membership

TAKE_PART = "take on its stretch assignments"


async def open_stretch(ctx: Ctx, cmd: OpenStretch) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, members_only=TAKE_PART)
    if ctx.actor.channel_id is not None:
        raise in_private("A stretch assignment")
    person = await _person(ctx, cmd, team)
    own = person.id == ctx.actor.member_id
    today = await local_today(ctx)
    rotation = await rotation_of(ctx, team, today)
    lags = rotation.lagging.get(person.id, [])
    form = _form(cmd, team, person, lags)
    if cmd.kpi is None or cmd.what is None or cmd.due is None or cmd.supporter is None:
        return [form]
    lag = await _toward(ctx, cmd.kpi, person, lags, form)
    due = _due(cmd.due, today, form)
    supporter = await _supporter(ctx, cmd.supporter, person, team, form)
    await _one_at_a_time(ctx, person, today)
    if rotation.turns.get(person.id) and rotation.turns[person.id].firsts:
        ahead = waiting(rotation.turns, rotation.eligible, person.id)
        if ahead:
            raise _not_yet(team, [rotation.people[m] for m in ahead], own)
    row = Stretch(
        workspace_id=ctx.actor.workspace_id,
        team_id=team.id,
        kpi_id=lag.kpi.id,
        member_id=person.id,
        opened_by_id=ctx.actor.member_id,
        supporter_id=supporter.id,
        what=cmd.what,
        due_on=due,
        quarter=rotation.quarter,
        state=StretchState.ACCEPTED if own else StretchState.ASKED,
        created_at=ctx.clock.now(),
    )
    ctx.session.add(row)
    await ctx.session.flush()
    if own:
        return await _taken_on_alone(ctx, team, row, lag, person, supporter)
    when = format_day(due, "en")
    return [
        say(
            f"Asked {person.display_name} privately whether they take on stretch #{row.id}: "
            f"{row.what}, by {when}. I'll tell you their answer."
        ),
        _ask(await _opener(ctx), person, supporter, team, row, lag),
    ]


async def _person(ctx: Ctx, cmd: OpenStretch, team: Team) -> Member:
    """Who the stretch is for, once the asker may open it: themself, or (the lead) a teammate."""
    person = await person_named(ctx, cmd.person)
    if person.id != ctx.actor.member_id and not await leads_team(ctx, team):
        refused = await refuse_team(ctx, "open a stretch for someone else", team)
        raise Refusal(refused, say("Anyone can open one for themself: stretch me <kpi> ..."))
    if await membership(ctx.session, ctx.actor.workspace_id, team.id, person.id) is None:
        raise Refusal(say(f"{person.display_name} is not on {team.name}; stretch a teammate."))
    return person


async def _toward(ctx: Ctx, ref: KpiRef, person: Member, lags: list[Lag], form: FormRequest) -> Lag:
    """The person's KPI the stretch grows: theirs, active, and short of its target now."""
    kpi = await resolve_kpi(ctx, ref, "stretch")
    if kpi.owner_id != person.id or kpi.status is not KpiStatus.ACTIVE:
        raise Refusal(
            say(f"#{kpi.id} {kpi.name} is not an active KPI of {person.display_name}'s."),
            _lagging_line(person, lags),
            form=form,
        )
    lag = next((lag for lag in lags if lag.kpi.id == kpi.id), None)
    if lag is None:
        raise Refusal(
            say(
                f"#{kpi.id} {kpi.name} does not lag its target by its latest value (or has "
                "none logged yet): a stretch goes toward a KPI that does."
            ),
            _lagging_line(person, lags),
            form=form,
        )
    return lag


async def _one_at_a_time(ctx: Ctx, person: Member, today: date) -> None:
    under_way = await open_stretch_of(ctx.session, person.id, today)
    if under_way is not None:
        raise Refusal(
            say(
                f"{person.display_name} already has stretch #{under_way.id} open: "
                f"{under_way.what}. One at a time: finish it first with stretch done "
                f"{under_way.id}."
            )
        )


async def _taken_on_alone(
    ctx: Ctx, team: Team, row: Stretch, lag: Lag, person: Member, supporter: Member
) -> list[Reply]:
    """Opened for oneself: taken on at once; the supporter and the team's lead hear of it."""
    when = format_day(row.due_on, "en")
    news = f"{person.display_name} takes on a stretch: {row.what}, by {when}."
    told = [_told(supporter, f"{news} They named you to support them.")]
    for lead in await team_leads_and_admins(ctx, team):
        if lead.id not in (person.id, supporter.id):
            told.append(_told(lead, f"{news} It grows {lag.kpi.name}."))
            break
    return [
        say(
            f"Stretch #{row.id} is yours: {row.what}, by {when}, toward {lag.kpi.name}, with "
            f"{supporter.display_name}'s support. I'll ask how it went "
            f"{nudge_words(ctx, person, row.due_on)}."
        ),
        *told,
    ]


def _ask(
    opener: Member, person: Member, supporter: Member, team: Team, row: Stretch, lag: Lag
) -> Message:
    """The private question: would they take it on? Yes or no, by a button."""
    when = format_day(row.due_on, "en")
    return Message(
        (
            Heading(f"A stretch for you? ({team.name})"),
            Paragraph(
                rich(mention(opener), f" would like you to take this on, by {when}: {row.what}")
            ),
            Paragraph(
                rich(
                    f"It grows {lag.kpi.name} ({lag_words(lag)}), with "
                    f"{supporter.display_name} to support you."
                )
            ),
            Actions(
                (
                    Button(
                        "Yes, I'll take it on", f"stretch answer {row.id} yes", ButtonStyle.PRIMARY
                    ),
                    Button("Not this time", f"stretch answer {row.id} no"),
                ),
            ),
            Note("A rotation, not a punishment. Saying no is fine; nobody else is told."),
        ),
        audience=Audience.DM,
        to=mention(person),
    )


def _form(cmd: OpenStretch, team: Team, person: Member, lags: list[Lag]) -> FormRequest:
    """The stretch form, with what was typed kept and the person's lagging KPIs on top."""
    values = {
        "team": team.name,
        "person": PersonRef(platform_user_id=person.platform_user_id).typed,
    }
    for name in ("what", "due"):
        if getattr(cmd, name):
            values[name] = getattr(cmd, name)
    if cmd.kpi is not None:
        values["kpi"] = str(cmd.kpi.id) if cmd.kpi.id is not None else str(cmd.kpi.name)
    elif len(lags) == 1:
        values["kpi"] = str(lags[0].kpi.id)
    if cmd.supporter is not None:
        values["supporter"] = cmd.supporter.typed
    intro = f"A stretch for {person.display_name} on {team.name}. " + _lagging_text(person, lags)
    return FormRequest("stretch", values, intro, required=("kpi", "what", "due", "supporter"))


def _lagging_text(person: Member, lags: list[Lag]) -> str:
    if not lags:
        return f"None of {person.display_name}'s KPIs lags its target right now."
    found = "; ".join(f"#{lag.kpi.id} {lag.kpi.name} ({lag_words(lag)})" for lag in lags)
    return f"Lagging its target: {found}."


def _lagging_line(person: Member, lags: list[Lag]) -> Message:
    return say(_lagging_text(person, lags))


def _due(text: str, today: date, form: FormRequest) -> date:
    try:
        due = read_date(text, today)
    except ValueError as exc:
        raise Refusal(say(f"By when: {exc}."), form=form) from exc
    if not today < due <= today + timedelta(LONGEST_DAYS):
        raise Refusal(
            say(
                f"By when: give a day after today and within {LONGEST_DAYS} days; a longer "
                "stretch is a project, so name a first piece of it."
            ),
            form=form,
        )
    return due


async def _supporter(
    ctx: Ctx, ref: PersonRef, person: Member, team: Team, form: FormRequest
) -> Member:
    try:
        supporter = await resolve_person(ctx, ref)
    except Refusal as refused:
        raise Refusal(*refused.replies, form=form) from None
    if supporter.id == person.id:
        raise Refusal(say("Who supports: name someone else; nobody stretches alone."), form=form)
    if await membership(ctx.session, ctx.actor.workspace_id, team.id, supporter.id) is None:
        raise Refusal(
            say(f"Who supports: {supporter.display_name} is not on {team.name}; name a teammate."),
            form=form,
        )
    return supporter


def _not_yet(team: Team, ahead: list[Member], own: bool) -> Refusal:
    """A second stretch while someone still waits for a first: who waits, to the lead only."""
    if own:
        return Refusal(
            say(
                f"You had a stretch this quarter already, and {len(ahead)} of your teammates "
                f"still wait for a first. {ROTATION_RULE} Your lead can tell you when it is "
                "your turn again."
            )
        )
    names = [mention(p) for p in ahead]
    return Refusal(
        say(
            "Not yet: ",
            *listing(names),
            f" still wait for a first stretch this quarter on {team.name}. {ROTATION_RULE} ",
            "stretch suggest names who is next.",
        )
    )


def _told(who: Member, text: str) -> Message:
    return Message((Paragraph(rich(text)),), audience=Audience.DM, to=mention(who))


async def _opener(ctx: Ctx) -> Member:
    member = await ctx.session.get(Member, ctx.actor.member_id)
    assert member is not None
    return member


async def answer(ctx: Ctx, cmd: AnswerStretch) -> list[Reply]:
    if ctx.actor.channel_id is not None:
        raise in_private("Your answer to a stretch")
    row = await stretch_by_id(ctx.session, ctx.actor.workspace_id, cmd.stretch)
    if row is None or row.member_id != ctx.actor.member_id:
        raise Refusal(
            say(f"There is no stretch #{cmd.stretch} for you here. stretches lists yours.")
        )
    if row.state is not StretchState.ASKED:
        said = "took it on" if row.state is not StretchState.DECLINED else "said not this time"
        raise Refusal(say(f"You answered stretch #{row.id} already: you {said}."))
    if lapsed(row, await local_today(ctx)):
        raise Refusal(
            say(
                f"Stretch #{row.id} was due by {format_day(row.due_on, 'en')}, and that day has "
                "passed, so it lapsed unanswered and cannot be taken on now. If you want it, "
                "ask your lead to open it again with a new day: stretch <you> <kpi> <what> by "
                "<day>."
            )
        )
    team = await ctx.session.get(Team, row.team_id)
    assert team is not None
    if cmd.answer is YesNo.YES:
        await switched_on(ctx, team)
    row.answered_at = ctx.clock.now()
    opener = await ctx.session.get(Member, row.opened_by_id) if row.opened_by_id else None
    me = await _opener(ctx)
    replies: list[Reply] = []
    if cmd.answer is YesNo.NO:
        row.state = StretchState.DECLINED
        await ctx.session.flush()
        if opener is not None and opener.is_active:
            replies.append(
                _told(
                    opener,
                    f"{me.display_name} said not this time to stretch #{row.id} "
                    f"({row.what}). It stays between you two; stretch suggest names who "
                    "is next.",
                )
            )
        return [
            say("Not this time, then. Nobody else is told, and it counts against nothing."),
            *replies,
        ]
    row.state = StretchState.ACCEPTED
    await ctx.session.flush()
    when = format_day(row.due_on, "en")
    supporter = await ctx.session.get(Member, row.supporter_id) if row.supporter_id else None
    if opener is not None and opener.is_active:
        replies.append(
            _told(opener, f"{me.display_name} takes on stretch #{row.id}: {row.what}, by {when}.")
        )
    if supporter is not None and supporter.is_active:
        replies.append(
            _told(
                supporter,
                f"{me.display_name} takes on a stretch: {row.what}, by {when}. "
                "You were named to support them.",
            )
        )
    return [
        say(
            f"Stretch #{row.id} is yours: {row.what}, by {when}. I'll ask how it went "
            f"{nudge_words(ctx, me, row.due_on)}."
        ),
        *replies,
    ]
