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
from storage.people import ensure_an_admin, roster, teams_of
from storage.privacy import export_rows, forget_rows


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
        rich(f"{table}: {len(rows)} {'row' if len(rows) == 1 else 'rows'}")
        for table, rows in data.items()
    )
    kpis = data.get("kpi", [])
    return [
        Message(
            (
                Heading("Everything kpi-coach holds about you"),
                Paragraph(rich(f"{len(kpis)} KPIs, {len(data.get('membership', []))} teams.")),
                Bullets(counts),
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
