"""Slack's fast path: Bolt answers when our listener returns, asks who the bot is once, and a
full backlog slows the requests down instead of growing without end."""

from __future__ import annotations

import asyncio

from bot.slack.app import SlackBot
from bot.slack.backlog import Backlog
from bot.slack.http import SLACK
from tests.bot.slack.conftest import ANA, BEN, LEA, SlackClient, texts
from tests.bot.slack.mock_slack import ANSWER


async def test_a_burst_on_a_fresh_process_asks_slack_who_the_bot_is_once(
    slack: SlackClient,
) -> None:
    users = [ANA, BEN, LEA] * 3
    responses = await asyncio.gather(*(slack.command("help", user) for user in users))
    assert [r.status for r in responses] == [200] * len(users)
    await slack.http.server.app[SLACK].backlog.settled()
    assert len(slack.api.of("auth.test")) == 1
    # Every one of them was answered.
    answers = [c for c in slack.api.of(ANSWER) if "/kpi propose" in texts(c.args)]
    assert len(answers) == len(users)


async def test_bolt_answers_when_the_listener_returns(slack: SlackClient) -> None:
    """Without it, Bolt's runner polls for the ack every 10 ms: every ack waits for a tick."""
    bot: SlackBot = slack.http.server.app[SLACK]
    assert bot.app.process_before_response


async def test_a_full_backlog_makes_the_next_request_wait_for_room() -> None:
    backlog = Backlog(workers=1, limit=1)
    release = asyncio.Event()
    done: list[str] = []

    def job(name: str, wait: bool = False) -> object:
        async def run() -> None:
            if wait:
                await release.wait()
            done.append(name)

        return run

    await backlog.put(job("first", wait=True))  # taken by the one worker, which then waits
    await asyncio.sleep(0)
    await backlog.put(job("second"))  # fills the one place
    third = asyncio.create_task(backlog.put(job("third")))
    for _ in range(5):
        await asyncio.sleep(0)
    assert not third.done()  # no room: the listener (and so its ack) waits
    release.set()
    await third
    await backlog.settled()
    assert done == ["first", "second", "third"]
    await backlog.close()
