"""Alembic owns the schema: upgrade from empty, downgrade to base, and no drift from the models."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from bot.migrate import downgrade, head_revision, upgrade
from bot.slack.store import metadata as slack_metadata
from storage.engine import make_engine
from storage.models import Base
from tests.databases import scratch_database

# Alembic owns our models' tables and the Slack store's (slack_sdk's schema).
METADATA = [Base.metadata, slack_metadata]
TABLES = set(Base.metadata.tables) | set(slack_metadata.tables)


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    """A database of its own, so going down to base disturbs no other test."""
    with scratch_database(tmp_path, "migrations") as url:
        yield url


async def _inspect(url: str) -> tuple[set[str], list[object]]:
    def read(connection: Connection) -> tuple[set[str], list[object]]:
        tables = set(inspect(connection).get_table_names())
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return tables, list(compare_metadata(context, METADATA))  # type: ignore[arg-type]

    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(read)
    finally:
        await engine.dispose()


def test_upgrade_from_empty_matches_the_models_and_downgrades_to_base(empty_database: str) -> None:
    upgrade(empty_database)
    tables, diff = asyncio.run(_inspect(empty_database))
    assert tables >= TABLES
    assert diff == [], f"models and migrations differ; run `kpicoach new-migration`: {diff}"

    downgrade(empty_database, "base")
    tables, _ = asyncio.run(_inspect(empty_database))
    assert tables <= {"alembic_version"}

    upgrade(empty_database)  # and back up again, so every downgrade is reversible
    tables, diff = asyncio.run(_inspect(empty_database))
    assert tables >= TABLES
    assert diff == []


def test_there_is_one_head() -> None:
    assert head_revision() is not None


def test_upgrading_keeps_existing_teams_and_fixes_what_the_new_rules_forbid(
    empty_database: str,
) -> None:
    """A 0001 database with people, a team with two leads and an 'admin' seat, and a KPI."""
    upgrade(empty_database, "0001")
    day = "'2026-01-01 00:00:00+00:00'"
    _sql(
        empty_database,
        f"INSERT INTO workspace (id, platform, external_id, name, created_at) "
        f"VALUES (1, 'slack', 'T1', 'T1', {day})",
        *(
            f"INSERT INTO member (id, workspace_id, platform_user_id, display_name, time_zone, "
            f"working_days, is_active, created_at) VALUES ({i}, 1, 'U{i}', '{name}', 'UTC', "
            f"'mon', true, {day})"
            for i, name in ((1, "Ana"), (2, "Ben"), (3, "Cy"))
        ),
        f"INSERT INTO team (id, workspace_id, name, channel_id, time_zone, settings, created_at) "
        f"VALUES (1, 1, 'Growth', 'C1', 'UTC', '{{}}', {day})",
        *(
            f"INSERT INTO membership (id, workspace_id, team_id, member_id, role, created_at) "
            f"VALUES ({i}, 1, 1, {i}, '{role}', {day})"
            for i, role in ((1, "lead"), (2, "lead"), (3, "admin"))
        ),
        f"INSERT INTO kpi (id, workspace_id, team_id, owner_id, proposed_by_id, name, unit, "
        f"target, cadence, status, created_at) VALUES (1, 1, 1, 2, 1, 'Leads', '', 10, "
        f"'weekly', 'proposed', {day})",
    )
    upgrade(empty_database)
    rows = _sql(
        empty_database,
        "SELECT m.display_name, s.role, m.is_admin, m.work_start FROM membership s "
        "JOIN member m ON m.id = s.member_id ORDER BY m.id",
    )
    assert rows == [
        ("Ana", "lead", True, "09:00"),  # the first member installed the app: admin
        ("Ben", "member", False, "09:00"),  # one lead per team: the earliest keeps it
        ("Cy", "member", True, "09:00"),  # an 'admin' seat became a workspace admin
    ]
    # Proposed for Ben by Ana: it waits for Ben to accept.
    assert _sql(empty_database, "SELECT name, agreed_at FROM kpi") == [("Leads", None)]


def test_a_closed_commitment_is_given_its_closer_only_when_no_one_else_could_have_closed_it(
    empty_database: str,
) -> None:
    """Before 0019 nobody noted who closed a commitment: one its owner made for themself was
    closed by them; one a lead made for someone else could have been closed by either, so its
    reason is left as nobody's (no export carries it) rather than given to the wrong one."""
    upgrade(empty_database, "0018")
    day = "'2026-01-01 00:00:00+00:00'"
    _sql(
        empty_database,
        f"INSERT INTO workspace (id, platform, external_id, name, created_at) "
        f"VALUES (1, 'slack', 'T1', 'T1', {day})",
        *(
            f"INSERT INTO member (id, workspace_id, platform_user_id, display_name, time_zone, "
            f"working_days, is_active, is_admin, created_at) VALUES ({i}, 1, 'U{i}', "
            f"'{name}', 'UTC', 'mon', true, false, {day})"
            for i, name in ((1, "Lea"), (2, "Ana"))
        ),
        f"INSERT INTO team (id, workspace_id, name, time_zone, settings, created_at) "
        f"VALUES (1, 1, 'Growth', 'UTC', '{{}}', {day})",
        *(
            f"INSERT INTO commitment (id, workspace_id, team_id, for_id, owner_id, made_by_id, "
            f"action, due, status, reason, created_at, closed_at) VALUES ({i}, 1, 1, 2, "
            f"{owner}, 1, 'fix it', '2026-01-09', '{status}', {reason}, {day}, {closed})"
            for i, owner, status, reason, closed in (
                (1, 1, "dropped", "'the vendor fixed it'", day),
                (2, 2, "dropped", "'no time this week'", day),
                (3, 1, "open", "NULL", "NULL"),
            )
        ),
    )
    upgrade(empty_database)
    rows = _sql(empty_database, "SELECT id, closed_by_id FROM commitment ORDER BY id")
    assert rows == [(1, 1), (2, None), (3, None)]


def _sql(url: str, *statements: str) -> list[tuple[object, ...]]:
    async def run() -> list[tuple[object, ...]]:
        engine = make_engine(url)
        try:
            async with engine.begin() as connection:
                result = None
                for statement in statements:
                    result = await connection.execute(text(statement))
                assert result is not None
                return [tuple(r) for r in result] if result.returns_rows else []
        finally:
            await engine.dispose()

    return asyncio.run(run())
