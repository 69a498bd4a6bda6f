"""Migration 0009 gives the KPIs already stored the direction their name and unit suggest,
so a "Time to restore service" kept from before does not start cheering its rises."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import text

from bot.migrate import downgrade, upgrade
from storage.engine import make_engine
from tests.databases import scratch_database

DAY = "'2026-01-01 00:00:00+00:00'"


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


def test_existing_kpis_get_their_direction_from_name_and_unit(tmp_path: Path) -> None:
    with scratch_database(tmp_path, "direction") as url:
        upgrade(url, "0008")
        kpis = [
            (1, "Time to restore service", "minutes"),
            (2, "Qualified leads", "leads"),
            (3, "Error-free orders", "%"),
            (4, "Cost per order", "EUR"),
            (5, "Regretted attrition", "%"),
        ]
        _sql(
            url,
            f"INSERT INTO workspace (id, platform, external_id, name, created_at) "
            f"VALUES (1, 'slack', 'T1', 'T1', {DAY})",
            f"INSERT INTO member (id, workspace_id, platform_user_id, display_name, time_zone, "
            f"working_days, is_active, is_admin, created_at) VALUES (1, 1, 'U1', 'Ana', 'UTC', "
            f"'mon', true, false, {DAY})",
            *(
                f"INSERT INTO kpi (id, workspace_id, owner_id, proposed_by_id, name, unit, "
                f"target, cadence, status, created_at) VALUES ({i}, 1, 1, 1, '{name}', '{unit}', "
                f"10, 'weekly', 'active', {DAY})"
                for i, name, unit in kpis
            ),
        )
        upgrade(url)
        assert _sql(url, "SELECT name, direction FROM kpi ORDER BY id") == [
            ("Time to restore service", "lower"),
            ("Qualified leads", "higher"),
            ("Error-free orders", "higher"),
            ("Cost per order", "lower"),
            ("Regretted attrition", "lower"),
        ]
        downgrade(url, "0008")
        assert len(_sql(url, "SELECT id FROM kpi")) == 5
