"""The dashboard's sign-ins: a one-time link sent in a DM, and the browser session it opened.

Only hashes are stored: a database dump lets nobody open a link or a session. One row is one
link; using it fills in the session, so a link can never open two.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, member_fk
from storage.types import UtcDateTime


class WebSignIn(Base):
    __tablename__ = "web_sign_in"
    __table_args__ = (member_fk("member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    member_id: Mapped[int]
    # SHA-256 of the link's secret, hex.
    link_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    link_expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # When the link was used: from then on it opens nothing.
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # SHA-256 of the session's secret (the signed cookie carries the secret itself).
    session_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    session_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Signed out: the cookie opens nothing any more, even before it expires.
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
