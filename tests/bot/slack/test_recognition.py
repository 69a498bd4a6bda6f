"""Kudos, Fail of the Month and the tension pulse through the real Bolt app.

The kudos modal (a multi-user picker and a reward menu), its story posted to the team channel
with real mentions and nothing a person typed able to ping anyone, a DM to each recipient, and
generic praise sent back in the ack with what was typed kept; the pulse answered with a score
button pressed in a DM, once; Fail of the Month's consent and vote buttons; and the posts that
close a pulse and a month, which the scheduler queues and the outbox worker sends through
`bot.slack.sender`: the pulse's chart uploaded into the channel as a PNG file.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from bot.config import AppConfig
from bot.server import SCHEDULING, make_app
from bot.slack.http import SLACK
from rituals.core.charts import PULSE_WORDS
from rituals.core.context import FixedClock, ShiftedClock
from tests.bot.slack.conftest import (
    ANA,
    BEN,
    CHANNEL,
    LEA,
    SlackClient,
    slack_settings,
    text_objects,
    texts,
    typed,
)
from tests.bot.slack.mock_slack import ANSWER, Call, MockSlack
from tests.bot.slack.support import (
    active_kpi,
    answered,
    buttons,
    click_in_dm,
    dm_to,
    growth,
    inputs,
    intro,
    number,
    picked,
)
from tests.conftest import NOW
from tests.support import PNG_SIGNATURE, about, assert_valid_png

STORY = "I sat in on their first three discovery calls and wrote up every objection"
EVIL = "<!channel> @here <!here> <@U999EVIL> & <b>"
MISSTEP = "sent the renewal quote to the wrong client"
LEARNED = "he built a two-step check we all use now"


def chosen(value: str) -> dict[str, Any]:
    option = {"text": {"type": "plain_text", "text": value, "emoji": True}, "value": value}
    return {"type": "static_select", "selected_option": option}


def elements(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}


def posts_to(slack: SlackClient, channel: str) -> list[Call]:
    return [c for c in slack.api.of("chat.postMessage") if c.args["channel"] == channel]


def assert_cannot_ping(sent: dict[str, Any], mentions: list[str]) -> None:
    """Nothing typed can ping: every mrkdwn text is verbatim, no broadcast or forged mention is
    live in the blocks or the notification's fallback, and the real mentions are `mentions`."""
    mrkdwn = [node for node in text_objects(sent) if node.get("type") == "mrkdwn"]
    assert mrkdwn
    assert all(node.get("verbatim") is True for node in mrkdwn)
    raw = json.dumps(sent)
    for ping in ("<!channel>", "<!here>", "<@U999EVIL>", "U999EVIL", "<b>"):
        assert ping not in raw
    assert re.findall(r"<@(\w+)>", raw) == mentions
    assert not re.search(r"<!\w+", raw)


# --- kudos --------------------------------------------------------------------------------------


async def test_the_kudos_modal_posts_the_story_with_real_mentions_and_dms_each_recipient(
    slack: SlackClient, config: AppConfig
) -> None:
    await growth(slack)
    kpi = await active_kpi(slack)
    response = await slack.command("kudos", LEA)
    assert response.status == 200
    (opened,) = await slack.api.wait_for("views.open")
    view = opened.args["view"]
    assert json.loads(view["private_metadata"])["command"] == "kudos"
    assert view["title"]["text"] == "Kudos"
    fields = elements(view)
    assert list(fields) == ["people", "kpi", "story", "reward", "team"]
    assert fields["people"] == {
        "type": "multi_users_select",
        "action_id": "value",
        "max_selected_items": 10,
    }
    assert fields["reward"]["type"] == "static_select"
    rewards = list(config.recognition.rewards)  # app.yaml's
    assert "a team lunch" in rewards
    assert [o["value"] for o in fields["reward"]["options"]] == rewards
    assert [o["text"]["text"] for o in fields["reward"]["options"]] == rewards
    assert "initial_option" not in fields["reward"]
    assert fields["story"]["multiline"] is True
    required = {b["block_id"]: not b["optional"] for b in view["blocks"] if b["type"] == "input"}
    assert required == {"people": True, "kpi": True, "story": True, "reward": False, "team": False}
    assert "How did you serve them" in intro(view)

    story = f"{STORY}, so {EVIL} they closed the Lisbon deal"
    values = {
        "people": {"value": picked(ANA, BEN)},
        "kpi": {"value": typed(kpi)},
        "story": {"value": typed(story)},
        "reward": {"value": chosen("a team lunch")},
    }
    before = len(slack.api.of(ANSWER))
    response = await slack.submit(view, values, LEA)
    assert response.status == 200
    assert await response.text() == ""  # the modal closes

    said = await answered(slack, before, "Posted to")
    assert f"Posted to <#{CHANNEL}> and sent to <@{ANA}> and <@{BEN}>." in said
    (post,) = await slack.api.wait_for(
        "chat.postMessage",
        where=lambda c: c.args["channel"] == CHANNEL and "Kudos" in texts(c.args),
    )
    shown = texts(post.args)
    assert post.args["blocks"][0]["type"] == "header"
    assert post.args["blocks"][0]["text"]["text"] == "Kudos: Qualified leads"
    assert f"<@{LEA}> on how they served <@{ANA}> and <@{BEN}> for *Qualified leads*:" in shown
    # What Lea typed, shown as typed: no broadcast, and an id nobody here has is no mention.
    assert (
        f"{STORY}, so &lt;!channel&gt; @here &lt;!here&gt; @someone &amp; &lt;b&gt; they closed "
        "the Lisbon deal" in shown
    )
    assert "With *a team lunch*." in shown
    assert_cannot_ping(post.args, [LEA, ANA, BEN])

    for person in (ANA, BEN):
        to_them = await dm_to(slack, person, "on how they served")
        assert STORY in texts(to_them.args)
        assert "It opens your next one-on-one as a win." in texts(to_them.args)
        assert_cannot_ping(to_them.args, [LEA, ANA, BEN])
    assert not [c for c in posts_to(slack, LEA) if "on how they served" in c.args["text"]]
    # It opens Ana's next one-on-one as a win.
    assert f"Kudos from Lea (helped Qualified leads): {STORY}" in await slack.ask("script", ANA)


async def test_generic_praise_comes_back_on_the_modal_with_everything_typed_kept(
    slack: SlackClient,
) -> None:
    await growth(slack)
    kpi = await active_kpi(slack)
    await slack.command("kudos", LEA)
    (opened,) = await slack.api.wait_for("views.open")
    praise = "Great job, thanks for everything!"
    values = {
        "people": {"value": picked(ANA, BEN)},
        "kpi": {"value": typed(kpi)},
        "story": {"value": typed(praise)},
        "reward": {"value": chosen("a coffee on me")},
    }
    response = await slack.submit(opened.args["view"], values, LEA)
    assert response.status == 200
    answer = await response.json()
    assert answer["response_action"] == "update"
    again = answer["view"]
    assert intro(again).startswith("That is praise, not yet a story.")
    assert "How did you serve them" in intro(again)
    # Every field comes back as typed, the KPI too: it was typed in the form, not known.
    assert about(json.loads(again["private_metadata"])["hidden"]) == {}
    assert inputs(again)["kpi"] == kpi
    fields = elements(again)
    assert fields["people"]["type"] == "multi_users_select"
    assert fields["people"]["initial_users"] == [ANA, BEN]
    assert inputs(again)["story"] == praise
    assert fields["reward"]["initial_option"]["value"] == "a coffee on me"
    assert {b["block_id"]: b["optional"] for b in again["blocks"] if b["type"] == "input"} == {
        "people": False,
        "kpi": False,
        "story": False,
        "reward": True,
        "team": True,
    }
    await slack.http.server.app[SLACK].backlog.settled()
    assert posts_to(slack, CHANNEL) == []  # nothing was posted

    # The story told: the modal closes, and the post goes out.
    told = {**values, "story": {"value": typed(STORY)}}
    before = len(slack.api.of(ANSWER))
    response = await slack.submit(again, told, LEA)
    assert await response.text() == ""
    assert "Posted to" in await answered(slack, before, "Posted to")
    (post,) = await slack.api.wait_for(
        "chat.postMessage", where=lambda c: c.args["channel"] == CHANNEL and STORY in texts(c.args)
    )
    assert "With *a coffee on me*." in texts(post.args)


# --- the tension pulse ---------------------------------------------------------------------------


@asynccontextmanager
async def moving_slack(
    database_url: str, config: AppConfig, api: MockSlack
) -> AsyncIterator[tuple[SlackClient, ShiftedClock]]:
    """The real server on a database of its own, with a clock the test moves: the scheduler's
    ticks then see only this test's teams."""
    clock = ShiftedClock(FixedClock(NOW))
    app = make_app(slack_settings(database_url, api), config, clock)
    async with TestClient(TestServer(app)) as http:
        yield SlackClient(http, api), clock


async def tick(slack: SlackClient) -> None:
    """One tick of the scheduler at the server's time; the worker sends what it queued."""
    running = slack.http.server.app[SCHEDULING]
    await running.tick()
    await running.worker.drain()


async def answer_pulse(slack: SlackClient, ask: Call, user: str, score: int) -> str:
    """`user` presses the score's button in the pulse's DM; what they were answered."""
    value = buttons(ask.args)[f"{score} {PULSE_WORDS[score - 1]}"]
    before = len(slack.api.of(ANSWER))
    await click_in_dm(slack, value, user)
    await slack.http.server.app[SLACK].backlog.settled()
    return "\n".join(texts(c.args) for c in slack.api.of(ANSWER)[before:])


async def test_a_pulse_is_answered_by_a_button_in_a_dm_once_and_its_results_upload_a_chart(
    own_database: str, config: AppConfig, slack_api: MockSlack
) -> None:
    async with moving_slack(own_database, config, slack_api) as (slack, clock):
        await growth(slack)
        await slack.ask("settings set rituals checkin,one_on_one,kudos,review,pulse", LEA)
        said = await slack.ask("pulse start", LEA)
        assert "Asked 3 people on Growth, you included: How does chasing our KPIs feel" in said
        asks = {user: await dm_to(slack, user, "How does chasing") for user in (LEA, ANA, BEN)}
        scores = {label: value for label, value in buttons(asks[ANA].args).items()}
        assert list(scores)[:5] == [f"{n} {word}" for n, word in enumerate(PULSE_WORDS, 1)]
        pulse = re.fullmatch(r"pulse answer 1 pulse (\d+)", scores["1 crushing"])
        assert pulse, scores
        assert scores["4 good"] == f"pulse answer 4 pulse {pulse[1]}"
        assert scores["Answer with a word"] == f"pulse answer pulse {pulse[1]}"

        thanks = await answer_pulse(slack, asks[ANA], ANA, 4)
        assert "Thank you: 4 (good) counted, anonymously." in thanks
        again = await answer_pulse(slack, asks[ANA], ANA, 1)
        assert "You answered this pulse already." in again
        assert "counted" not in again
        assert "1 answered so far. Results need 3: 2 more." in await slack.ask("pulse", LEA)
        assert "Thank you: 2 (heavy) counted" in await answer_pulse(slack, asks[BEN], BEN, 2)
        assert "Thank you: 4 (good) counted" in await answer_pulse(slack, asks[LEA], LEA, 4)

        # Its time is up: the tick closes it and the worker posts the results to the channel,
        # the chart uploaded there as a PNG file.
        before = len(slack.api.calls)
        clock.advance(timedelta(days=2))
        await tick(slack)
        (post,) = [
            c
            for c in slack.api.calls[before:]
            if c.method == "chat.postMessage" and c.args["channel"] == CHANNEL
        ]
        shown = texts(post.args)
        assert "Tension pulse: Growth" in shown
        assert "3 answered; mean 3.3 of 5." in shown
        assert "• 4 good: 2" in shown
        assert "• 2 heavy: 1" in shown
        assert "3 answers, mean 3.3 of 5 (attached below)" in shown
        assert post.args["metadata"]["event_type"] == "kpi_coach_outbox"  # the outbox sent it
        (asked,) = [c for c in slack.api.calls[before:] if c.method == "files.getUploadURLExternal"]
        assert asked.args["filename"] == f"pulse-{pulse[1]}.png"
        (upload,) = [c for c in slack.api.calls[before:] if c.method == "upload"]
        data = upload.args["bytes"]
        assert data[:8] == PNG_SIGNATURE
        assert int(asked.args["length"]) == len(data)
        assert assert_valid_png(data) == (600, 300)
        (done,) = [
            c for c in slack.api.calls[before:] if c.method == "files.completeUploadExternal"
        ]
        assert done.args["channel_id"] == CHANNEL  # into the channel, not anyone's DM
        (titled,) = json.loads(done.args["files"])
        assert titled["title"] == "Growth: How does chasing our KPIs feel right now?"
        # Closed: a button pressed now counts nothing.
        late = await answer_pulse(slack, asks[LEA], LEA, 5)
        assert "That pulse has closed" in late


async def test_a_lead_closing_the_pulse_posts_its_chart_into_the_channel(
    slack: SlackClient,
) -> None:
    await growth(slack)
    await slack.ask("settings set rituals checkin,one_on_one,kudos,review,pulse", LEA)
    await slack.ask("pulse start", LEA)
    for user, score in ((ANA, 5), (BEN, 3)):
        await answer_pulse(slack, await dm_to(slack, user, "How does chasing"), user, score)
    refused = await slack.ask("pulse close", LEA)
    assert "2 answered; results show only from 3, so 1 more is needed." in refused
    assert slack.api.of("files.completeUploadExternal") == []

    # Lea answers with a word: the button in her DM opens a modal, the pulse carried hidden.
    ask = await dm_to(slack, LEA, "How does chasing")
    await click_in_dm(slack, buttons(ask.args)["Answer with a word"], LEA)
    (opened,) = await slack.api.wait_for("views.open")
    view = opened.args["view"]
    origin = json.loads(view["private_metadata"])
    assert origin["command"] == "pulse answer"
    assert about(origin["hidden"]) == {"pulse": buttons(ask.args)["1 crushing"].split()[-1]}
    assert "1 crushing, 2 heavy, 3 okay, 4 good, 5 energising" in intro(view)
    required = {b["block_id"]: not b["optional"] for b in view["blocks"] if b["type"] == "input"}
    assert required["score"] is True
    assert required["word"] is False
    before = len(slack.api.of(ANSWER))
    values = {"score": {"value": typed("4")}, "word": {"value": typed("stretched")}}
    response = await slack.submit(view, values, LEA)
    assert await response.text() == ""  # the modal closes
    assert "Thank you: 4 (good) counted" in await answered(slack, before, "Thank you")

    assert "Closed; the results are posted to the team." in await slack.ask("pulse close", LEA)
    (post,) = await slack.api.wait_for(
        "chat.postMessage",
        where=lambda c: c.args["channel"] == CHANNEL and "Tension pulse" in texts(c.args),
    )
    assert "3 answered; mean 4.0 of 5." in texts(post.args)
    assert "In a word: stretched" in texts(post.args)
    (done,) = await slack.api.wait_for("files.completeUploadExternal")
    assert done.args["channel_id"] == CHANNEL
    (upload,) = slack.api.of("upload")
    assert assert_valid_png(upload.args["bytes"]) == (600, 300)


async def test_the_buttons_pulse_shows_in_a_channel_are_not_refused_when_pressed(
    slack: SlackClient,
) -> None:
    await growth(slack)
    await slack.ask("settings set rituals checkin,one_on_one,kudos,review,pulse", LEA)
    await slack.ask("pulse start", LEA)
    before = len(slack.api.of(ANSWER))
    shown = await slack.ask("pulse", ANA)  # typed in the team's channel
    assert "0 answered so far" in shown
    offered = [c.args for c in slack.api.of(ANSWER)[before:] if buttons(c.args)]
    for reply in offered:
        for label, command in buttons(reply).items():
            if not label[0].isdigit():
                continue
            before = len(slack.api.of(ANSWER))
            await slack.click(command, ANA)  # pressed where it was shown: the channel
            await slack.http.server.app[SLACK].backlog.settled()
            said = "\n".join(texts(c.args) for c in slack.api.of(ANSWER)[before:])
            assert "answered in a direct message" not in said, label


# --- Fail of the Month ---------------------------------------------------------------------------


async def test_fail_of_the_month_consent_and_vote_by_buttons_then_the_trophy_post(
    own_database: str, config: AppConfig, slack_api: MockSlack
) -> None:
    async with moving_slack(own_database, config, slack_api) as (slack, clock):
        await growth(slack)
        assert "Fail of the Month" in await slack.ask(
            "settings set rituals checkin,fail_of_month", LEA
        )
        nomination = f'fail nominate <@{BEN}|ben> "{MISSTEP}" learned "{LEARNED}"'
        # A story about Ben waits for his yes: said in a DM, not where a channel could see it.
        said = await slack.ask(nomination, ANA)
        assert "A story about Ben waits for their yes" in said
        said = await slack.ask(nomination, ANA, channel="D0AB12CDA")
        assert "Asked Ben whether your story (#" in said
        story = number(said)
        ask = await dm_to(slack, BEN, "nominated you")
        assert f"<@{ANA}> nominated you for November 2026's trophy" in texts(ask.args)
        assert MISSTEP in texts(ask.args)
        assert buttons(ask.args) == {
            "Yes, share it": f"fail consent {story} yes",
            "No, keep it private": f"fail consent {story} no",
        }
        # Not on the ballot until Ben says yes.
        assert MISSTEP not in await slack.ask("fails", LEA)

        before = len(slack.api.of(ANSWER))
        await click_in_dm(slack, buttons(ask.args)["Yes, share it"], BEN)
        said = await answered(slack, before, "Shared")
        assert f"Shared: story #{story} is on Growth's ballot for November 2026." in said
        told = await dm_to(slack, ANA, "agreed")
        assert f"<@{BEN}> agreed: your story #{story} is on Growth's ballot" in texts(told.args)

        # A story about Ana she keeps private: nobody is told.
        said = await slack.ask(
            f'fail nominate <@{ANA}|ana> "promised a date without asking the team" '
            'learned "she asks the team before she promises now"',
            LEA,
            channel="D0AB12CDB",
        )
        private = number(said)
        ask_ana = await dm_to(slack, ANA, "nominated you")
        before = len(slack.api.of(ANSWER))
        await click_in_dm(slack, buttons(ask_ana.args)["No, keep it private"], ANA)
        assert "Kept private." in await answered(slack, before, "Kept private")
        await slack.http.server.app[SLACK].backlog.settled()
        assert not [c for c in posts_to(slack, LEA) if "agreed" in c.args["text"]]

        # The vote opens in the month's last three days (Growth's zone is Lea's, Auckland),
        # for Lea when her ballot comes: Monday at check-in time, the first day she works.
        clock.advance(timedelta(days=7))
        before = len(slack.api.of(ANSWER))
        await slack.ask("fails", LEA, channel="D0AB12CDB")
        (ballot,) = [c.args for c in slack.api.of(ANSWER)[before:] if buttons(c.args)]
        assert MISSTEP in texts(ballot)
        assert "promised a date" not in texts(ballot)  # her no keeps it off the ballot
        # To Lea it stays "waiting": a no is never told, not even by its absence.
        assert f"#{private} about Ana" in texts(ballot)
        assert buttons(ballot) == {"Vote for Ben": f"fail vote {story}"}
        before = len(slack.api.of(ANSWER))
        response = await click_in_dm(slack, buttons(ballot)["Vote for Ben"], LEA)
        assert response.status == 200
        said = await answered(slack, before, "Voted for")
        assert f"Voted for Ben's story (#{story})." in said
        # Ben sees his own story on the ballot, with no button to vote for himself.
        before = len(slack.api.of(ANSWER))
        await slack.ask("fails", BEN, channel="D0AB12CDC")
        assert not [c for c in slack.api.of(ANSWER)[before:] if buttons(c.args)]

        # The vote closes at check-in time on December's first day: the trophy is posted.
        clock.advance(timedelta(days=1))
        before = len(slack.api.calls)
        await tick(slack)
        (post,) = [
            c
            for c in slack.api.calls[before:]
            if c.method == "chat.postMessage" and c.args["channel"] == CHANNEL
        ]
        shown = texts(post.args)
        assert "🏆 Fail of the Month: Growth, November 2026" in shown
        assert f"🏆 <@{BEN}>" in shown
        assert "1 vote" not in shown
        assert MISSTEP in shown
        assert LEARNED in shown
        assert "promised a date" not in shown
        assert post.args["metadata"]["event_type"] == "kpi_coach_outbox"
