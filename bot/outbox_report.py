"""`kpicoach outbox`: what is waiting, what failed and why, what went out lately.

For whoever is on call: a table is the natural shape here, one row per message, newest first.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Outbox, OutboxStatus
from storage.outbox import backlog, rows_with_status

COLUMNS = ("id", "when (UTC)", "platform", "ritual", "to", "tries", "last error")


async def outbox_report(session: AsyncSession, limit: int) -> str:
    waiting = await backlog(session)
    counts = ", ".join(
        f"{waiting.counts.get(s.value, 0)} {s.value.replace('_', ' ')}" for s in OutboxStatus
    )
    lines = [f"Outbox: {counts}."]
    if waiting.oldest_due is not None:
        lines.append(f"The longest-waiting message was due {_when(waiting.oldest_due)} UTC.")
    sections = (
        ("Waiting", (OutboxStatus.PENDING, OutboxStatus.SENDING)),
        (
            "In doubt, not sent again until an operator says (`kpicoach outbox --resend ID`)",
            (OutboxStatus.IN_DOUBT,),
        ),
        ("Failed, not retried", (OutboxStatus.FAILED,)),
        ("Sent lately", (OutboxStatus.SENT,)),
    )
    for title, statuses in sections:
        rows = await rows_with_status(session, statuses, limit)
        lines += ["", f"{title}:" if rows else f"{title}: none"]
        if rows:
            lines += _table(rows)
    return "\n".join(lines)


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def _table(rows: Sequence[Outbox]) -> list[str]:
    cells = [
        (
            str(r.id),
            _when(r.sent_at if r.status is OutboxStatus.SENT and r.sent_at else r.next_attempt_at),
            r.platform.value,
            r.ritual,
            r.target,
            str(r.attempts),
            (r.last_error or "")[:60],
        )
        for r in rows
    ]
    widths = [max(len(c[i]) for c in [COLUMNS, *cells]) for i in range(len(COLUMNS))]
    return [
        "  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in [COLUMNS, *cells]
    ]
