"""Slack's tables in our database: slack_sdk's installation and OAuth state stores, and events seen.

The installation tables are built by slack_sdk's own table builders so its stores read exactly
what our migrations create; Alembic sees this metadata beside the models' for autogenerate.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Column, MetaData, String, Table, delete, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import sqlite as storage_sqlite
from storage.bounded import slices
from storage.types import UtcDateTime

INSTALLATIONS = "slack_installations"
BOTS = "slack_bots"
OAUTH_STATES = "slack_oauth_states"

metadata = MetaData()
SQLAlchemyInstallationStore.build_installations_table(metadata, INSTALLATIONS)
SQLAlchemyInstallationStore.build_bots_table(metadata, BOTS)
SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, OAUTH_STATES)

seen_events = Table(
    "slack_seen_event",
    metadata,
    Column("event_id", String(64), primary_key=True),
    Column("received_at", UtcDateTime(), nullable=False, index=True),
)

# Every signed request seen, by its signature: the same signature twice is a replay. Slack
# refuses a request older than five minutes, so ten minutes of memory covers its whole life.
seen_requests = Table(
    "slack_seen_request",
    metadata,
    Column("signature", String(80), primary_key=True),
    Column("received_at", UtcDateTime(), nullable=False, index=True),
)

# Slack retries an event for a few minutes at most; a day of memory is plenty.
REMEMBER_EVENTS = timedelta(days=1)
REMEMBER_REQUESTS = timedelta(minutes=10)


async def first_sighting(engine: AsyncEngine, event_id: str, now: datetime) -> bool:
    """True the first time an event id arrives, on any replica; False for every retry of it."""
    try:
        async with engine.begin() as connection:
            await connection.execute(insert(seen_events).values(event_id=event_id, received_at=now))
    except IntegrityError:
        return False
    return True


async def first_signatures(
    engine: AsyncEngine, signatures: Sequence[str], now: datetime
) -> set[str]:
    """Those of the signatures seen for the first time, on any replica; the others are replays
    (a request sent again within its five minutes, which its signature still fits). A burst
    of requests pays for one commit, not one each: for one statement, a slice of 500."""
    firsts: set[str] = set()
    parts = list(slices(dict.fromkeys(signatures)))
    async with engine.begin() as connection:
        statement = _FIRST_SIGHTINGS[connection.dialect.name]
        if len(parts) > 1:
            # Several statements are one transaction: a later one failing undoes the first,
            # so no request is told it failed while its signature stays seen.
            statement = statement.execution_options(**{storage_sqlite.ALONE: False})
        for part in parts:
            rows = [{"signature": s, "received_at": now} for s in part]
            firsts.update((await connection.scalars(statement, rows)).all())
    return firsts


# One statement per dialect, its rows as parameters: compiled once and cached, where rows
# written into the statement made every request compile it anew. On SQLite a burst's one
# statement is its own transaction, committed as it ends: no BEGIN or COMMIT to wait for.
_FIRST_SIGHTINGS = {
    name: dialect.insert(seen_requests)
    .on_conflict_do_nothing()
    .returning(seen_requests.c.signature)
    .execution_options(**{storage_sqlite.ALONE: True})
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}


async def forget_old_events(engine: AsyncEngine, now: datetime) -> None:
    """Run by the scheduler hourly, so an event's request never pays for the cleanup."""
    async with engine.begin() as connection:
        await connection.execute(
            delete(seen_events).where(seen_events.c.received_at < now - REMEMBER_EVENTS)
        )
        await connection.execute(
            delete(seen_requests).where(seen_requests.c.received_at < now - REMEMBER_REQUESTS)
        )
