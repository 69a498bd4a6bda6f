"""A person's own data: everything we hold about them, and forgetting it on request.

Export is a JSON file plus a readable summary. Forget asks for a confirmation first, then
deletes or anonymises: team aggregates keep their shape (and anonymous answers were never
linked to anyone), but no row names the person afterwards.
"""

from __future__ import annotations

import json

from pydantic import Field

from rituals.core.command import Command
from rituals.core.context import Ctx
from rituals.core.messages import (
    Actions,
    Bullets,
    Button,
    ButtonStyle,
    File,
    Heading,
    Mention,
    Message,
    Note,
    Paragraph,
    Reply,
    dm,
    rich,
    say,
)
from rituals.core.people import actor_member
from rituals.core.refusal import Refusal
from rituals.core.settings import parse_window
from rituals.team.teams import must_hand_over
from storage.models import Role
from storage.people import ensure_an_admin
from storage.privacy import export_rows, forget_rows
from storage.teams import roster, teams_of

# What each exported table holds, in people's words (one, several). Every table that points at
# a person needs a line: a test fails when a new one has none.
HOLDINGS: dict[str, tuple[str, str]] = {
    "member": ("profile (name, time zone, hours)", "profiles"),
    "membership": ("team you are on", "teams you are on"),
    "join_request": ("request to join a team", "requests to join a team"),
    "kpi": ("KPI", "KPIs"),
    "kpi_value": ("logged value", "logged values"),
    "kpi_vote": ("vote on a proposed KPI", "votes on proposed KPIs"),
    "kpi_review": ("quarterly KPI review", "quarterly KPI reviews"),
    "kpi_change": ("change to a KPI", "changes to KPIs"),
    "experiment": ("experiment", "experiments"),
    "obstacle": ("check-in answer", "check-in answers"),
    "commitment": ("commitment", "commitments"),
    "misstep": ("misstep shared", "missteps shared"),
    "misstep_feedback": ("piece of feedback on a misstep", "pieces of feedback on missteps"),
    "one_on_one": ("one-on-one", "one-on-ones"),
    "talking_point": ("one-on-one talking point", "one-on-one talking points"),
    "dip_ladder": ('"why did this dip?"', '"why did this dip?"s'),
    "purpose": ("purpose workshop started", "purpose workshops started"),
    "purpose_answer": ("answer on the team's purpose", "answers on the team's purpose"),
    "kudos": ("kudos given", "kudos given"),
    "kudos_recipient": ("kudos received", "kudos received"),
    "fail_nomination": ("Fail of the Month story", "Fail of the Month stories"),
    "fail_vote": ("Fail of the Month vote", "Fail of the Month votes"),
    "pulse": ("tension pulse started", "tension pulses started"),
    "pulse_respondent": ("tension pulse answered", "tension pulses answered"),
    "nudge": ("nudge sent, skipped or missed", "nudges sent, skipped or missed"),
    "outbox": ("message sent to you", "messages sent to you"),
    "teams_conversation": ("Microsoft Teams chat", "Microsoft Teams chats"),
    "stretch": ("stretch assignment", "stretch assignments"),
    "budget_request": ("experiment budget request", "experiment budget requests"),
    "web_sign_in": ("dashboard sign-in", "dashboard sign-ins"),
    "skill": ("skill added to a team's list", "skills added to a team's list"),
    "skill_rating": ("rating of yourself on a skill", "ratings of yourself on skills"),
    "skill_share": ("heat-map row you show", "heat-map rows you show"),
    "mentorship": ("mentorship gap or sprint", "mentorship gaps and sprints"),
    "mentor_decline": ("mentoring you declined", "mentorings you declined"),
    "debate": ("Servant vs Scorekeeper debate started", "Servant vs Scorekeeper debates started"),
    "debate_seat": ("debate you were asked to argue in", "debates you were asked to argue in"),
    "debate_volunteer": ("offer to argue in a debate", "offers to argue in debates"),
    "raw_opt_out": ("choice to keep your numbers out of KPI Raw", "choices about KPI Raw"),
}


def holding(table: str, count: int) -> str:
    """ "1 KPI", "3 logged values": what a table's rows are, counted as people count."""
    one, several = HOLDINGS[table]
    return f"{count} {one if count == 1 else several}"


class ExportMe(Command):
    pass


class ForgetMe(Command):
    confirm: bool = Field(False, title="Confirm", description="yes, forget everything about me")


async def export(ctx: Ctx, cmd: ExportMe) -> list[Reply]:
    member = await actor_member(ctx)
    data = await export_rows(ctx.session, ctx.actor.workspace_id, member.id)
    day = ctx.clock.now().date().isoformat()
    document = {"exported_at": ctx.clock.now().isoformat(), "tables": data}
    payload = json.dumps(document, indent=2, ensure_ascii=False).encode()
    counts = tuple(
        rich(holding(table, len(rows)))
        for table, rows in data.items()
        if rows and table != "member"
    )
    return [
        Message(
            (
                Heading("Everything kpi-coach holds about you"),
                Paragraph(rich("Your profile (name, time zone, hours and pauses), and:")),
                Bullets(counts or (rich("nothing else yet"),)),
                File(f"kpicoach-{member.platform_user_id}-{day}.json", payload, "application/json"),
                Note("Only you received this. `me forget` deletes or anonymises all of it."),
            )
        )
    ]


async def forget(ctx: Ctx, cmd: ForgetMe) -> list[Reply]:
    member = await actor_member(ctx)
    if not cmd.confirm:
        return [
            Message(
                (
                    Paragraph(
                        rich(
                            "This deletes your team memberships and requests, retires your KPIs "
                            "without your answers, and removes your name. Team totals keep "
                            "their shape. It cannot be undone; export first if you want a copy."
                        )
                    ),
                    Actions(
                        (
                            Button("Yes, forget me", "me forget confirm", ButtonStyle.DANGER),
                            Button("Export my data first", "me export"),
                        ),
                        prompt="Are you sure?",
                    ),
                )
            )
        ]
    led = await teams_of(ctx.session, ctx.actor.workspace_id, member.id, {Role.LEAD})
    sole = [
        t for t in led if must_hand_over(await roster(ctx.session, t.workspace_id, t.id), member.id)
    ]
    if sole:
        names = ", ".join(t.name for t in sole)
        raise Refusal(
            say(
                f"You are the only lead of {names}, and others are on it. Hand it over first "
                "(`team lead @name`), so the team is not left without one; then forget."
            )
        )
    await forget_rows(ctx.session, member, ctx.clock.now())
    people = ctx.settings.people
    member.display_name = "Former member"
    member.platform_user_id = f"forgotten-{member.id}"
    member.time_zone = people.default_time_zone
    member.working_days = ",".join(people.working_days)
    member.work_start, member.work_end = parse_window(people.work_hours)
    member.quiet_start = member.quiet_end = None
    member.nudges_paused = True
    member.date_language = "en"
    member.is_admin = False
    member.is_active = False
    await ctx.session.flush()
    done: list[Reply] = [
        say("Done: you are forgotten. If you write again, you start fresh as a newcomer.")
    ]
    heir = await ensure_an_admin(ctx.session, ctx.actor.workspace_id)
    if heir is not None:
        done.append(
            dm(
                Mention(heir.platform_user_id, heir.display_name),
                "The workspace's last admin left, so you are its admin now: you may run every "
                "team. Make someone else a team's lead with `team lead @name`.",
            )
        )
    return done
