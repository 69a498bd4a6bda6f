"""The skills heat-map and a mentorship sprint through the real Bolt app.

A gap named by slash command reaches the one the bot would pair in their DM with the app,
with buttons; pressing "Yes, I'll mentor" there starts the sprint and tells the learner in
theirs. The heat-map arrives as a PNG uploaded into the asker's DM. A skill's name cannot ping
anyone.
"""

from __future__ import annotations

from tests.bot.slack.conftest import ANA, BEN, LEA, SlackClient, texts
from tests.bot.slack.support import buttons, click_in_dm, dm_to, growth, number
from tests.support import PNG_SIGNATURE, assert_valid_png

ON = "settings set rituals checkin,one_on_one,kudos,review,skills"
GOAL = "write the weekly pipeline query on my own"


async def test_a_gap_asked_in_a_dm_claimed_by_its_button_and_the_map_uploaded(
    slack: SlackClient,
) -> None:
    await growth(slack)
    assert "skills heat-map" in await slack.ask(ON, LEA)
    assert "Added SQL" in await slack.ask("skill add SQL", LEA)
    assert "can teach" in await slack.ask("rate SQL as 4", BEN)
    said = await slack.ask(f'learn SQL goal "{GOAL}"', ANA)
    assert "I have asked someone who can teach it, privately" in said
    gap = number(said)

    ask = await dm_to(slack, BEN, "Would you mentor")
    assert buttons(ask.args) == {
        "Yes, I'll mentor": f"mentor {gap}",
        "Not now": f"mentor decline {gap}",
    }
    await click_in_dm(slack, f"mentor {gap}", BEN)
    told = await dm_to(slack, ANA, "will mentor you on SQL")
    assert f"Your goal: {GOAL}" in texts(told.args)

    before = len(slack.api.calls)
    shown = await slack.ask("skills", ANA)
    assert "Who can teach what" in shown
    assert "• SQL: Ben" in shown
    assert "1 skill; 0 people show their whole row, of 3 on Growth" in shown
    (done,) = await slack.api.wait_for("files.completeUploadExternal")
    assert done.args["channel_id"] == "D" + ANA[1:]  # her DM with the app, never the channel
    (upload,) = [c for c in slack.api.calls[before:] if c.method == "upload"]
    assert upload.args["bytes"][:8] == PNG_SIGNATURE
    assert assert_valid_png(upload.args["bytes"])[0] == 800


async def test_a_skills_name_cannot_ping_anyone(slack: SlackClient) -> None:
    await growth(slack)
    await slack.ask(ON, LEA)
    said = await slack.ask('skill add "Ops <!here>"', ANA)
    assert "Added Ops &lt;!here&gt;" in said
    assert "<!here>" not in said
