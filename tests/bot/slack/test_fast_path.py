"""Slack's fast path: Bolt answers when our listener returns, a quick command's answer rides in
the ack, a slow one is delivered after it (once), a burst waits in line without losing an answer,
the bot asks who it is once, and a full backlog slows the requests down instead of growing."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from bot.slack.app import SlackBot
from bot.slack.backlog import Backlog
from bot.slack.http import SLACK
from storage.models import Obstacle
from tests.bot.slack.conftest import ANA, BEN, LEA, SlackClient, texts
from tests.bot.slack.mock_slack import ACK, ANSWER
from tests.bot.slack.support import growth, stored

STORY = "The staging database is down every Monday"


def slowed(slack: SlackClient, *users: str) -> asyncio.Event:
    """From now on the users' next command waits, inside its work, for the event the test sets:
    their profiles are forgotten and Slack's users.info holds its answer until then. The
    listeners give up waiting for the answer at once, so the ack goes out without it."""
    bot: SlackBot = slack.http.server.app[SLACK]
    bot.listeners.answer_within = 0.01
    for user in users:
        bot.listeners.directory.forget(slack.team, user)
    release = slack.api.held["users.info"] = asyncio.Event()
    return release


async def test_a_quick_command_is_answered_in_its_ack(slack: SlackClient) -> None:
    await slack.meet(ANA)
    before = len(slack.api.calls)
    response = await slack.command("kpis")
    body = await response.json()
    assert body["response_type"] == "ephemeral"  # only Ana sees it, where she asked
    assert "KPIs" in texts(body)
    assert body["text"]  # the fallback for notifications
    # Visible with the ack: no second HTTP call to the response_url, nothing left to do.
    await slack.http.server.app[SLACK].backlog.settled()
    assert [c.method for c in slack.api.calls[before:]] == [ACK]


async def test_a_slow_command_acks_empty_and_its_one_run_answers_after(
    slack: SlackClient, database_url: str
) -> None:
    await growth(slack)
    release = slowed(slack, ANA)
    before = len(slack.api.of(ANSWER))
    response = await slack.command(f'obstacle "{STORY}"', ANA)
    assert response.status == 200
    assert await response.text() == ""  # acked before the answer was ready
    assert slack.api.of(ANSWER)[before:] == []
    release.set()  # the same work goes on: its answer comes through the response_url
    await slack.http.server.app[SLACK].backlog.settled()
    answers = slack.api.of(ANSWER)[before:]
    assert [c.method for c in answers] == ["response_url"]
    assert "Saved as obstacle" in texts(answers[0].args)
    assert len(await stored(database_url, slack.team, Obstacle)) == 1  # it ran once


async def test_a_command_that_needs_a_form_acks_empty_and_opens_the_modal(
    slack: SlackClient,
) -> None:
    await slack.meet(ANA)
    before = len(slack.api.of(ANSWER))
    response = await slack.command("propose")
    assert await response.text() == ""  # a modal cannot travel in the ack
    (opened,) = await slack.api.wait_for("views.open")
    assert opened.args["view"]["type"] == "modal"
    assert slack.api.of(ANSWER)[before:] == []


async def test_a_burst_beyond_the_bound_waits_in_line_and_every_answer_arrives(
    slack: SlackClient,
) -> None:
    users = [ANA, BEN, LEA]
    await slack.meet(*users)
    bot: SlackBot = slack.http.server.app[SLACK]
    bot.listeners.running = asyncio.Semaphore(1)  # one at a time: the rest wait in line
    release = slowed(slack, *users)
    before = len(slack.api.of(ANSWER))
    burst = users * 3
    responses = await asyncio.gather(*(slack.command("help", user) for user in burst))
    # Every ack went out, empty, while the first command still held the only place.
    assert [await r.text() for r in responses] == [""] * len(burst)
    assert bot.listeners.running.locked()
    release.set()
    await bot.backlog.settled()
    answers = slack.api.of(ANSWER)[before:]
    assert len(answers) == len(burst)  # one each, none lost
    assert all("/kpi propose" in texts(c.args) for c in answers)


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


async def test_work_already_under_way_is_pushed_past_a_full_backlog_without_waiting() -> None:
    """A slow command has made its ack late already: delivering its answer must not make the
    ack wait for room too. Past the limit it runs beside the workers, and settles with them."""
    backlog = Backlog(workers=1, limit=1)
    release = asyncio.Event()
    done: list[str] = []

    def job(name: str, wait: bool = False) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            if wait:
                await release.wait()
            done.append(name)

        return run

    await backlog.put(job("first", wait=True))
    await asyncio.sleep(0)
    await backlog.put(job("second"))  # the backlog is full
    backlog.push(job("slow command's answer"))  # returns at once all the same
    for _ in range(3):
        await asyncio.sleep(0)
    assert done == ["slow command's answer"]  # ran beside the busy worker
    release.set()
    await backlog.settled()
    assert sorted(done) == ["first", "second", "slow command's answer"]
    await backlog.close()
