"""Mentions inside what people write: real mentions where they name someone here.

A story arrives with its mentions as the grammar reads them, `<@id|name>`. Posted as they are,
they would show as markup (renderers escape every `<`); made into `Mention`s, they notify the
person. Only people of the writer's own workspace become mentions: an id from anywhere else
stays plain text, so nobody can forge a mention of someone the bot does not know.
"""

from __future__ import annotations

import re

from rituals.core.context import Ctx
from rituals.core.messages import Inline, Mention, Rich
from storage.people import members_by_platform_ids

MENTIONED = re.compile(r"<@([A-Za-z0-9_.:-]{1,64})(?:\|([^<>]{0,80}))?>")


async def with_mentions(ctx: Ctx, text: str) -> tuple[Rich, str]:
    """The text as inline parts with real mentions, and as plain words ("@Ana Lima") to keep.

    The plain form is what is stored: it reads well wherever the text is shown later, with no
    lookups, and it is what the person meant.
    """
    ids = {m.group(1) for m in MENTIONED.finditer(text)}
    known = await members_by_platform_ids(ctx.session, ctx.actor.workspace_id, ids)
    parts: list[Inline] = []
    plain: list[str] = []
    at = 0
    for match in MENTIONED.finditer(text):
        before = text[at : match.start()]
        parts.append(before)
        plain.append(before)
        member = known.get(match.group(1))
        name = member.display_name if member else (match.group(2) or "someone").strip()
        parts.append(Mention(member.platform_user_id, name) if member else f"@{name}")
        plain.append(f"@{name}")
        at = match.end()
    parts.append(text[at:])
    plain.append(text[at:])
    return tuple(p for p in parts if p != ""), "".join(plain)
