"""The slash command through the real Bolt app: acks, replies, bad input, mentions, escaping."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from storage.engine import make_engine
from storage.models import Member, Workspace
from tests.bot.slack.conftest import ANA, BEN, CHANNEL, LEA, SlackClient, text_objects, texts
from tests.bot.slack.mock_slack import ANSWER


def kpi_id(said: str) -> int:
    match = re.search(r"#(\d+)", said)
    assert match, said
    return int(match.group(1))


async def test_help_is_acked_at_once_and_answered_through_the_response_url(
    slack: SlackClient,
) -> None:
    response = await slack.command("help")
    assert response.status == 200
    assert await response.text() == ""  # the ack: empty, so Slack shows nothing but our answer
    welcome, call = await slack.api.wait_for(ANSWER, 2)
    assert "Welcome, Ana" in texts(welcome.args)  # first contact: the name from users.info
    assert call.args["response_type"] == "ephemeral"
    assert call.args["replace_original"] is False
    assert "/kpi propose" in texts(call.args)
    assert [c.method for c in slack.api.of("users.info")] == ["users.info"]


async def test_first_contact_makes_a_workspace_and_a_member_from_users_info(
    slack: SlackClient, database_url: str
) -> None:
    await slack.meet(LEA)
    await slack.ask("me", LEA)  # cached: no second users.info
    assert len(slack.api.of("users.info")) == 1
    engine = make_engine(database_url)
    try:
        async with engine.connect() as connection:
            row = (
                await connection.execute(
                    select(Member.display_name, Member.time_zone, Member.is_admin)
                    .join(Workspace, Workspace.id == Member.workspace_id)
                    .where(Workspace.external_id == slack.team)
                )
            ).one()
    finally:
        await engine.dispose()
    assert tuple(row) == ("Lea", "Pacific/Auckland", True)


async def test_the_kpi_registry_over_slack_with_its_bad_inputs(slack: SlackClient) -> None:
    await slack.meet(LEA, ANA)
    assert "Growth" in await slack.ask("team create Growth", LEA)
    # Ben has never spoken to the bot: his mention is looked up and he becomes a member.
    added = await slack.ask(f"team add <@{ANA}|ana> <@{BEN}|ben>", LEA)
    assert f"<@{BEN}>" in added  # a real mention, from the id Slack resolved
    assert f"<@{BEN}>" in await slack.ask("team", LEA)

    said = await slack.ask('propose "Qualified leads" target 10 per week')
    assert "Proposed" in said
    kpi = kpi_id(said)
    assert "Growth link saved" in await slack.ask(f'growth {kpi} "lead discovery calls by March"')
    assert "saved" in await slack.ask(f'why {kpi} "every lead is a conversation I learn from"')
    assert "You can't" in await slack.ask(f"activate {kpi}", BEN)  # + his welcome
    # Put to the team's vote in the channel: the lead activates what the team backs.
    assert "has not backed" in await slack.ask(f"activate {kpi}", LEA)
    assert "The team so far: 1 back it" in await slack.ask(f"vote {kpi} back", BEN)
    assert "Active" in await slack.ask(f"activate {kpi}", LEA)
    assert "Qualified leads" in await slack.ask("kpis")
    assert "Qualified leads" in await slack.ask(f"kpis <@{ANA}|ana>", LEA)
    assert "Example KPIs for sales" in await slack.ask("examples sales")

    said = await slack.ask(f'propose "Demos" target 3 per week owner <@{BEN}|ben>', LEA)
    other = kpi_id(said)
    assert "Only Ben can accept" in await slack.ask(f"accept {other}", ANA)
    assert "Accepted" in await slack.ask(f"accept {other}", BEN)
    assert "Retired" in await slack.ask(f"retire {kpi} we now measure win rate instead")
    assert "already retired" in await slack.ask(f"retire {kpi} again")

    # Bad input: each answer says what was wrong and how to write it.
    assert "Write it as" in await slack.ask('propose "X" target lots per week')
    assert "There is no KPI #99999" in await slack.ask("growth 99999 lead calls by March")
    assert "Did you mean" in await slack.ask("propse")
    assert "keep it under 4,000" in await slack.ask("why 1 " + "x" * 5000)
    assert "examples" in (await slack.ask("examples astronauts")).lower()


async def test_a_missing_value_opens_the_form_as_a_modal(slack: SlackClient) -> None:
    await slack.meet(ANA)
    response = await slack.command("growth 1")
    assert response.status == 200
    (opened,) = await slack.api.wait_for("views.open")
    assert opened.args["trigger_id"] == "13345224609.738474920.8088930838d88f008e0"
    assert opened.args["view"]["type"] == "modal"


def mrkdwn_of(body: dict[str, Any]) -> str:
    """The mrkdwn texts of a message: the only ones Slack parses for mentions and links."""
    shown = [node for node in text_objects(body) if node.get("type") == "mrkdwn"]
    assert all(node.get("verbatim") is True for node in shown), shown
    return "\n".join(node["text"] for node in shown)


async def test_user_text_cannot_ping_the_channel_or_forge_a_mention(slack: SlackClient) -> None:
    await slack.meet(ANA)
    kpi = kpi_id(await slack.ask('propose "Leads" target 1 per week'))
    goal = "calls with <!channel> &lt; <@U999EVIL> & <!here> friends"
    await slack.ask(f'growth {kpi} "{goal}"')
    await slack.ask("kpis")
    call = slack.api.of(ANSWER)[-1]
    shown = mrkdwn_of(call.args)
    assert "calls with &lt;!channel&gt; &amp;lt; &lt;@U999EVIL&gt; &amp; &lt;!here&gt;" in shown
    for raw in ("<!channel>", "<!here>", "<@U999EVIL>"):
        assert raw not in shown
        assert raw not in call.args["text"]  # the notification fallback is escaped too


async def test_a_mention_from_another_workspace_is_not_a_member_here(slack: SlackClient) -> None:
    slack.api.add_user("U0GUEST01", "Guest", team_id="T0ELSEWHERE")
    await slack.meet(LEA)
    await slack.ask("team create Growth", LEA)
    said = await slack.ask("team add <@U0GUEST01|guest>", LEA)
    assert "I don't know" in said


async def test_a_rate_limited_web_api_call_is_retried_after_retry_after(
    slack: SlackClient,
) -> None:
    slack.api.rate_limited["users.info"] = 1
    said = await slack.ask("help", ANA)
    assert "Welcome, Ana" in said
    assert len(slack.api.of("users.info")) == 2  # the 429, then the success


async def test_a_command_in_a_dm_with_the_bot_has_no_team_channel(slack: SlackClient) -> None:
    await slack.meet(LEA)
    said = await slack.ask("team create Growth", LEA, channel="D0AB12CDB")
    assert "Growth" in said
    assert "D0AB12CDB" not in await slack.ask("team", LEA, channel=CHANNEL)
