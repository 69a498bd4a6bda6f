"""`dashboard`: a one-time link to the person's web page, sent to them alone.

The link is the person's key for a few minutes: it opens the page once, in one browser, for
them in this workspace only, so it only ever goes to their own DM.
"""

from __future__ import annotations

from datetime import timedelta

from rituals.core.command import Command
from rituals.core.context import Ctx
from rituals.core.messages import (
    Audience,
    Heading,
    Link,
    Mention,
    Message,
    Note,
    Paragraph,
    Reply,
    say,
)
from rituals.core.refusal import Refusal
from storage.sign_ins import new_link

# Where a link opens the page, after the dashboard's address.
SIGN_IN_PATH = "/dashboard/sign-in/"


class OpenDashboard(Command):
    pass


async def open_dashboard(ctx: Ctx, cmd: OpenDashboard) -> list[Reply]:
    settings = ctx.settings.dashboard
    if settings.url is None:
        raise Refusal(
            say(
                "The dashboard is not served here. Whoever runs the bot can set PUBLIC_URL "
                "(or `dashboard.url` in app.yaml); meanwhile `home` shows the same in chat."
            )
        )
    minutes = settings.link_minutes
    secret = await new_link(
        ctx.session,
        ctx.actor.workspace_id,
        ctx.actor.member_id,
        ctx.clock.now(),
        timedelta(minutes=minutes),
    )
    link = settings.url.rstrip("/") + SIGN_IN_PATH + secret
    return [
        Message(
            (
                Heading("Your dashboard"),
                Paragraph(
                    (
                        Link(link, "Open your dashboard"),
                        f" (the link works once, within {minutes} minutes)",
                    )
                ),
                Note(
                    "It is yours alone: whoever opens it sees your numbers, so do not forward "
                    "it. Need another? Type `dashboard` again."
                ),
            ),
            audience=Audience.DM,
            to=Mention(ctx.actor.platform_user_id, ctx.actor.display_name),
        )
    ]
