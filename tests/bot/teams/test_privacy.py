"""Individual numbers through the real CloudAdapter: the owner and their lead see them; the team
only once the owner shares the KPI; no teammate starts an experiment on someone else's KPI."""

from __future__ import annotations

from tests.bot.teams.conftest import ANA, BEN, CHANNEL, LEA, TeamsClient, text_of
from tests.bot.teams.mock_connector import Sent
from tests.bot.teams.support import active_kpi, answer, growth, images

NOTE = "my manager moved two of my demos"


async def trend_as(teams: TeamsClient, kpi: str, how: str) -> list[Sent]:
    """Ben asks for the trend: typed in his chat, typed in the channel, or a button's command."""
    if how == "typed":
        return await teams.say(f"trend {kpi}", BEN)
    if how == "channel":
        # Answered in Ben's chat with the bot (Teams has no ephemeral messages), not the channel.
        before = len(teams.connector.sent)
        await teams.say(f"trend {kpi}", BEN, channel=True)
        await teams.deliver()
        return teams.connector.sent[before:]
    return await teams.submit({"kpicoach_run": f"trend {kpi}"}, BEN)


async def test_a_personal_kpis_numbers_are_the_owners_and_leads_until_the_owner_shares(
    teams: TeamsClient,
) -> None:
    await growth(teams)
    kpi = await active_kpi(teams)
    assert "Logged 12 leads" in text_of(await answer(teams, f'log {kpi} 12 "{NOTE}"', ANA))

    for how in ("typed", "channel", "button"):
        refused = await trend_as(teams, kpi, how)
        said = text_of(refused)
        assert "You can't see Ana Ruiz's numbers" in said, how
        assert "Ana Ruiz" in said
        assert "Lea Hart" in said
        assert NOTE not in said
        assert "12 leads" not in said
        assert images(refused) == []
        assert not [s for s in refused if s.conversation == CHANNEL and "12" in s.text]
    lead = await answer(teams, f"trend {kpi}", LEA)
    assert images(lead)
    assert NOTE in text_of(lead)

    # Only the owner opens them, and no teammate steers someone else's KPI.
    said = text_of(await answer(teams, f"share {kpi}", BEN))
    assert "Only Ana Ruiz can share its numbers with the team" in said
    said = text_of(await answer(teams, f"share {kpi}", LEA))
    assert "Only Ana Ruiz can" in said
    said = text_of(await answer(teams, f'experiment {kpi} "call every lost lead"', BEN))
    assert "You can't start an experiment on Ana Ruiz's KPI" in said

    shared = text_of(await answer(teams, f"share {kpi}", ANA))
    assert "Growth can now see the numbers" in shared
    for how in ("typed", "button"):
        seen = await trend_as(teams, kpi, how)
        assert images(seen), how
        assert NOTE in text_of(seen)
        assert "Ana Ruiz shares these numbers with their team" in text_of(seen)
    said = text_of(await answer(teams, f'experiment {kpi} "call every lost lead"', BEN))
    assert "You can't start an experiment on Ana Ruiz's KPI" in said  # seeing is not steering

    assert "Only you and your lead" in text_of(await answer(teams, f"unshare {kpi}", ANA))
    refused = await trend_as(teams, kpi, "typed")
    assert images(refused) == []
    assert NOTE not in text_of(refused)
    assert "Only Ana Ruiz can stop sharing" in text_of(await answer(teams, f"unshare {kpi}", BEN))
