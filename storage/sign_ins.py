"""One-time sign-in links and the browser sessions they open, found only by their hash.

The secrets themselves live in the DM and the browser's cookie; the table holds SHA-256 digests,
so reading it lets nobody in. Every lookup checks expiry and use in SQL, and taking a link is
one UPDATE guarded by `used_at IS NULL`, so two clicks racing open one session at most.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Member, WebSignIn


def digest(secret: str) -> str:
    """What the table keeps of a link's or a session's secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    """256 random bits as hex: nothing in it that chat markup could read as formatting."""
    return secrets.token_hex(32)


async def new_link(
    session: AsyncSession, workspace_id: int, member_id: int, now: datetime, lasts: timedelta
) -> str:
    """A link's secret for this person, stored as its hash; valid once, for `lasts`."""
    secret = new_secret()
    session.add(
        WebSignIn(
            workspace_id=workspace_id,
            member_id=member_id,
            link_hash=digest(secret),
            created_at=now,
            link_expires_at=now + lasts,
        )
    )
    await session.flush()
    return secret


@dataclass(frozen=True)
class Opened:
    """A session a link opened: the cookie's secret, its person and when it ends."""

    secret: str
    workspace_id: int
    member_id: int
    expires_at: datetime


async def use_link(
    session: AsyncSession, link: str, now: datetime, lasts: timedelta
) -> Opened | None:
    """Spend a link and open its session; None when it is unknown, used or expired."""
    secret = new_secret()
    row = (
        await session.execute(
            update(WebSignIn)
            .where(
                WebSignIn.link_hash == digest(link),
                WebSignIn.used_at.is_(None),
                WebSignIn.link_expires_at > now,
            )
            .values(used_at=now, session_hash=digest(secret), session_expires_at=now + lasts)
            .returning(WebSignIn.workspace_id, WebSignIn.member_id)
        )
    ).one_or_none()
    if row is None:
        return None
    return Opened(secret, row.workspace_id, row.member_id, now + lasts)


async def open_session(
    session: AsyncSession, workspace_id: int, member_id: int, now: datetime, lasts: timedelta
) -> Opened:
    """A session opened without a link (Sign in with Slack vouched for the person): a row
    whose link was spent the moment it was made."""
    secret = new_secret()
    session.add(
        WebSignIn(
            workspace_id=workspace_id,
            member_id=member_id,
            link_hash=digest(new_secret()),
            created_at=now,
            link_expires_at=now,
            used_at=now,
            session_hash=digest(secret),
            session_expires_at=now + lasts,
        )
    )
    await session.flush()
    return Opened(secret, workspace_id, member_id, now + lasts)


async def member_of_session(session: AsyncSession, secret: str, now: datetime) -> Member | None:
    """The person a live session belongs to, if it is still theirs to use."""
    return await session.scalar(
        select(Member)
        .join(
            WebSignIn,
            (WebSignIn.workspace_id == Member.workspace_id) & (WebSignIn.member_id == Member.id),
        )
        .where(
            WebSignIn.session_hash == digest(secret),
            WebSignIn.ended_at.is_(None),
            WebSignIn.session_expires_at > now,
            Member.is_active.is_(True),
        )
    )


async def end_session(session: AsyncSession, secret: str, now: datetime) -> None:
    """Sign out: the session opens nothing from now on."""
    await session.execute(
        update(WebSignIn)
        .where(WebSignIn.session_hash == digest(secret), WebSignIn.ended_at.is_(None))
        .values(ended_at=now)
    )
