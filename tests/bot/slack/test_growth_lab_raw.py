"""KPI Raw and Servant vs Scorekeeper through the real Bolt app: the weekly issue the
scheduler queues on the team's Friday reaches the channel (its picture uploaded there, what
people typed unable to ping anyone), and a debate's invitation is answered by its button in
a DM."""

from __future__ import annotations

import json

from bot.config import AppConfig
from tests.bot.slack.conftest import ANA, BEN, CHANNEL, LEA, SlackClient, texts
from tests.bot.slack.mock_slack import ANSWER, MockSlack
from tests.bot.slack.support import answered, buttons, click_in_dm, dm_to, growth, number
from tests.bot.slack.test_recognition import moving_slack, tick
from tests.conftest import NOW
from tests.support import assert_valid_png, at

EVIL = "<!channel> webinar week <@U999EVIL>"
ON = "checkin,one_on_one,kudos,review,raw,debate"


async def _voted_kpi(slack: SlackClient) -> str:
    """Ana's KPI put to Growth's vote: Ben questions it, Lea then Ana back it; Lea activates."""
    said = await slack.ask(
        'propose "Qualified leads" target 10 leads per week growth "run discovery calls alone" '
        'why "every lead is a conversation I learn from"',
        ANA,
    )
    kpi = number(said.split("Proposed", 1)[1])
    await slack.ask(f'vote {kpi} question "does it push us to chase bad leads?"', BEN)
    await slack.ask(f"vote {kpi} back", LEA)
    await slack.ask(f"vote {kpi} back", ANA)
    assert "Active" in await slack.ask(f"activate {kpi}", LEA)
    return kpi


async def test_the_weekly_issue_reaches_the_channel_on_the_teams_friday(
    database_url: str, config: AppConfig, slack_api: MockSlack
) -> None:
    async with moving_slack(database_url, config, slack_api) as (slack, clock):
        await growth(slack)
        await slack.ask(f"settings set rituals {ON}", LEA)
        kpi = await _voted_kpi(slack)
        await slack.ask(f"log {kpi} 8 period 2026-W46", ANA)
        await slack.ask(f"log {kpi} 9 period last", ANA)
        await slack.ask(f'log {kpi} 12 "{EVIL}"', ANA)
        preview = await slack.ask("raw preview", BEN)
        assert "Qualified leads (Ana): 12 leads for 2026-W48" in preview

        # Growth's clock is Lea's (Auckland): Friday 16:00 there is 03:00 UTC.
        clock.advance(at("2026-11-27 03:30") - NOW)
        await tick(slack)
        (post,) = await slack.api.wait_for(
            "chat.postMessage",
            where=lambda c: c.args["channel"] == CHANNEL and "KPI Raw" in texts(c.args),
        )
        said = texts(post.args)
        assert "KPI Raw: Growth, week 2026-W48" in said
        assert "Qualified leads (Ana): 12 leads for 2026-W48" in said
        raw = json.dumps(post.args)
        for ping in ("<!channel>", "<@U999EVIL>"):
            assert ping not in raw
        (_into_channel,) = await slack.api.wait_for(
            "files.completeUploadExternal", where=lambda c: c.args["channel_id"] == CHANNEL
        )
        sizes = [assert_valid_png(u.args["bytes"]) for u in slack.api.of("upload")]
        assert (900, 420) in sizes  # the issue's picture, uploaded into the channel
        await tick(slack)  # once a week, whatever the ticks
        assert len([c for c in slack.api.of("chat.postMessage") if "KPI Raw" in texts(c.args)]) == 1


async def test_a_debate_invitation_is_answered_by_its_button_in_a_dm(slack: SlackClient) -> None:
    await growth(slack)
    await slack.ask(f"settings set rituals {ON}", LEA)
    kpi = await _voted_kpi(slack)
    said = await slack.ask(f'debate start {kpi} "Should we keep Qualified leads?"', LEA)
    assert "privately" in said
    ask = await dm_to(slack, BEN, "argue as its critic")
    assert set(buttons(ask.args)) == {"Yes, I'll argue it", "Not this time"}
    before = len(slack.api.of(ANSWER))
    await click_in_dm(slack, buttons(ask.args)["Yes, I'll argue it"], BEN)
    said = await answered(slack, before, "To prepare")
    assert "the strongest case for keeping Qualified leads as it is" in said
    ask = await dm_to(slack, ANA, "argue as its advocate")
    await click_in_dm(slack, buttons(ask.args)["Yes, I'll argue it"], ANA)
    (post,) = await slack.api.wait_for(
        "chat.postMessage",
        where=lambda c: c.args["channel"] == CHANNEL and "Servant vs Scorekeeper" in texts(c.args),
    )
    assert f"<@{BEN}> argues as its critic, <@{ANA}> as its advocate" in texts(post.args)
