"""Sharing a KPI's numbers says what changed, and says so when nothing did: a second `share`
or `unshare` does not read as a fresh success."""

from __future__ import annotations

from tests.support import Chat, active_kpi


async def test_unshare_twice_says_it_already_was_private(chat: Chat) -> None:
    kpi = await active_kpi(chat)
    assert "already private" in await chat.text("ana", f"unshare {kpi}")
    assert "Growth can now see" in await chat.text("ana", f"share {kpi}")
    assert "Only you and your lead see the numbers" in await chat.text("ana", f"unshare {kpi}")
    again = await chat.text("ana", f"unshare {kpi}")
    assert "was already private" in again
    assert f"type share {kpi}" in again


async def test_share_twice_says_it_already_was_shared(chat: Chat) -> None:
    kpi = await active_kpi(chat)
    assert "Growth can now see" in await chat.text("ana", f"share {kpi}")
    again = await chat.text("ana", f"share {kpi}")
    assert "was already shared with Growth; nothing changed." in again
    assert "can now see" not in again
