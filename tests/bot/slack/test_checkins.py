"""The weekly check-in, commitments and missteps through the real Bolt app.

Slash commands, modals opened from a command or a DM's button, submissions answered in the ack
(`response_action: update`), and DMs to the other people as chat.postMessage calls: what Slack
itself would receive.
"""

from __future__ import annotations

import json
import re

from bot.slack.http import SLACK
from rituals.checkins.prompt import checkin_actions
from rituals.core.messages import Mention
from tests.bot.slack.conftest import ANA, BEN, LEA, SlackClient, text_objects, texts, typed
from tests.bot.slack.mock_slack import ANSWER
from tests.bot.slack.support import buttons, click_in_dm, dm_to, dms_to, growth, inputs, intro
from tests.support import about

# Someone Lea adds to the team who never answers the check-in.
CY = "U0AB12CD8"


async def test_an_obstacle_from_the_modal_reaches_the_lead_with_a_commit_button(
    slack: SlackClient,
) -> None:
    await growth(slack)
    response = await slack.command("obstacle", ANA)
    assert response.status == 200
    (opened,) = await slack.api.wait_for("views.open")
    view = opened.args["view"]
    assert json.loads(view["private_metadata"])["command"] == "obstacle"
    assert [(b["block_id"], b["optional"]) for b in view["blocks"]] == [
        ("text", False),
        ("kpi", True),
        ("team", True),
    ]
    assert view["blocks"][0]["label"]["text"] == "What's in your way this week?"

    story = "Legal has sat on the new contract template for two weeks"
    before = len(slack.api.of(ANSWER))
    response = await slack.submit(view, {"text": {"value": typed(story)}}, ANA)
    assert response.status == 200
    assert await response.text() == ""  # the modal closes
    to_lea = await dm_to(slack, LEA, "raised an obstacle")
    number = re.search(r"\(#(\d+)\)", to_lea.args["text"])
    assert number, to_lea.args["text"]
    shown = texts(to_lea.args)
    assert f"<@{ANA}> raised an obstacle in Growth (#{number[1]})" in shown  # a real mention
    assert story in shown
    assert buttons(to_lea.args) == {"Commit to clearing it": f"commit {number[1]}"}
    (style,) = [
        e["style"] for b in to_lea.args["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert style == "primary"
    # Ana hears, only for her, that it was saved and who answers it.
    calls = await slack.api.wait_for(ANSWER, before + 1)
    told = calls[before].args
    assert told["response_type"] == "ephemeral"
    assert f"Saved as obstacle #{number[1]}. <@{LEA}> answers each obstacle" in texts(told)
    assert dms_to(slack, ANA)[-1].args["text"].startswith("Lea added you")  # no DM to herself


async def test_an_obstacle_modal_refused_for_its_kpi_shows_the_kpi_again_to_correct(
    slack: SlackClient,
) -> None:
    await growth(slack)
    await slack.command("obstacle", ANA)
    (opened,) = await slack.api.wait_for("views.open")
    story = "Legal has sat on the new contract template for two weeks"
    wrong = {"text": {"value": typed(story)}, "kpi": {"value": typed("leads")}}
    answer = await (await slack.submit(opened.args["view"], wrong, ANA)).json()
    assert answer["response_action"] == "update"
    assert 'No KPI is called "leads".' in intro(answer["view"])
    # Typed in the modal, the KPI is not taken for one a button knew and hidden.
    assert inputs(answer["view"]) == {"text": story, "kpi": "leads", "team": None}


async def test_the_lead_commits_from_the_dm_vague_and_past_answers_are_refused(
    slack: SlackClient,
) -> None:
    await growth(slack)
    story = "No test data for the EU market, so the pilot cannot start"
    assert "Saved as obstacle" in await slack.ask(f'obstacle "{story}"', ANA)
    to_lea = await dm_to(slack, LEA, "raised an obstacle")
    command = buttons(to_lea.args)["Commit to clearing it"]
    obstacle = command.split()[1]

    # Lea presses the button in her DM: the commit form opens, the obstacle in its intro.
    await click_in_dm(slack, command, LEA)
    (opened,) = await slack.api.wait_for("views.open")
    assert opened.args["trigger_id"] == "13345224609.738474920.8088930838d88f008e1"
    view = opened.args["view"]
    origin = json.loads(view["private_metadata"])
    assert origin["command"] == "commit"
    assert about(origin["hidden"]) == {"obstacle": obstacle}  # carried, not a field to change
    assert f"Ana: {story}" in intro(view)
    assert set(inputs(view)) == {"action", "owner", "due"}
    assert {b["block_id"]: b["optional"] for b in view["blocks"] if b["type"] == "input"} == {
        "action": False,
        "owner": True,
        "due": False,
    }

    # A deferral: the same modal comes back in the ack, the problem on top, values kept.
    vague = {"action": {"value": typed("I'll think about it")}, "due": {"value": typed("fri")}}
    response = await slack.submit(view, vague, LEA)
    assert response.status == 200
    answer = await response.json()
    assert answer["response_action"] == "update"
    again = answer["view"]
    assert about(json.loads(again["private_metadata"])["hidden"]) == {"obstacle": obstacle}
    said = intro(again)
    assert "puts it off" in said
    assert "What will be done, by whom, by when?" in said
    assert said.index("puts it off") < said.index(f"Ana: {story}")  # the problem first
    assert inputs(again) == {"action": "I'll think about it", "owner": None, "due": "fri"}

    # A concrete action due in the past: refused the same way, with the reason.
    past = {"action": {"value": typed("Ask Sam for the EU test data and send it to Ana")}}
    past["due"] = {"value": typed("2026-11-01")}
    answer = await (await slack.submit(again, past, LEA)).json()
    assert answer["response_action"] == "update"
    assert "Due: Sunday 1 November 2026 is in the past" in intro(answer["view"])

    # Right: Ben owns it, due Friday. The modal closes; Ana, Ben and Lea each hear of it.
    right = {**past, "due": {"value": typed("fri")}}
    right["owner"] = {"value": {"type": "users_select", "selected_user": BEN}}
    before = len(slack.api.of(ANSWER))
    response = await slack.submit(answer["view"], right, LEA)
    assert response.status == 200
    assert await response.text() == ""
    to_ana = await dm_to(slack, ANA, "answered what is in your way")
    shown = texts(to_ana.args)
    assert f"<@{LEA}> answered what is in your way: {story}" in shown
    number = re.search(r"Commitment #(\d+): Ask Sam for the EU test data", shown)
    assert number, shown
    assert f"Owner <@{BEN}>, due Friday 27 November 2026." in shown
    assert buttons(to_ana.args) == {}  # Ben has to do it, not Ana
    to_ben = await dm_to(slack, BEN, "asked you to clear something")
    assert "in Ana's way: Ask Sam for the EU test data and send it to Ana" in texts(to_ben.args)
    assert buttons(to_ben.args) == {"Done": f"done {number[1]}", "Drop it": f"drop {number[1]}"}
    calls = await slack.api.wait_for(ANSWER, before + 1)
    assert f"Committed #{number[1]}" in texts(calls[before].args)

    # Ben marks it done from his DM: Ana, whose way it was in, and Lea hear of it.
    await click_in_dm(slack, f"done {number[1]}", BEN)
    done = await dm_to(slack, ANA, "marked commitment")
    assert f"<@{BEN}> marked commitment #{number[1]} done" in texts(done.args)
    await dm_to(slack, LEA, "marked commitment")


async def test_nothing_this_week_and_the_leads_digest(slack: SlackClient) -> None:
    slack.api.add_user(CY, "Cy", tz="Europe/Paris")
    await growth(slack, CY)
    assert "Noted: nothing in your way this week in Growth" in await slack.ask("nothing", BEN)
    assert "Saved as obstacle" in await slack.ask('obstacle "The CRM export breaks every day"', ANA)
    before = len(slack.api.of(ANSWER))
    await slack.ask("digest", LEA)
    (call,) = slack.api.of(ANSWER)[before:]
    body = call.args
    assert body["response_type"] == "ephemeral"  # only the lead sees it
    assert body["blocks"][0]["type"] == "header"
    assert body["blocks"][0]["text"]["text"] == (
        "Check-in digest: Growth, week of 23 November 2026"
    )
    shown = texts(body)
    assert "1 obstacle, 1 waiting for a commitment" in shown
    assert f"<@{ANA}> (#" in shown
    assert "The CRM export breaks every day" in shown
    assert "Nothing in the way: Ben." in shown
    assert "No answer yet: Cy." in shown
    (label,) = buttons(body)
    assert label.startswith("Commit to #")
    assert buttons(body)[label] == f"commit {label.removeprefix('Commit to #')}"
    # A member cannot read it.
    refused = await slack.ask("digest", BEN)
    assert "Check-in digest" not in refused
    assert "CRM export" not in refused


async def test_a_misstep_reaches_the_team_and_feedback_comes_back_anonymous(
    slack: SlackClient,
) -> None:
    await growth(slack)
    story = "I pushed the Q3 target on the team without asking anyone what it would take"
    said = await slack.ask(f'misstep "{story}"', LEA)
    assert "Shared misstep #" in said
    assert "with 2 people on Growth" in said
    to_ana = await dm_to(slack, ANA, "shared a misstep")
    await dm_to(slack, BEN, "shared a misstep")
    assert f"<@{LEA}> shared a misstep with Growth" in texts(to_ana.args)
    assert story in texts(to_ana.args)
    assert "Anonymous unless you choose named" in texts(to_ana.args)
    command = buttons(to_ana.args)["Give feedback"]
    assert re.fullmatch(r"feedback \d+", command)

    # Ana presses "Give feedback" in her DM: a modal, the misstep carried, anonymous by default.
    await click_in_dm(slack, command, ANA)
    (opened,) = await slack.api.wait_for("views.open")
    view = opened.args["view"]
    assert about(json.loads(view["private_metadata"])["hidden"]) == {"misstep": command.split()[1]}
    (signed,) = [b for b in view["blocks"] if b.get("block_id") == "signed"]
    assert signed["optional"] is True  # left empty, it is anonymous
    assert [o["value"] for o in signed["element"]["options"]] == ["anonymous", "named"]

    words = "Ask us first next time; we knew the pipeline could not carry it"
    before = len(slack.api.of(ANSWER))
    response = await slack.submit(view, {"text": {"value": typed(words)}}, ANA)
    assert await response.text() == ""
    to_lea = await dm_to(slack, LEA, "answered your misstep")
    shown = texts(to_lea.args)
    assert f"Someone on your team answered your misstep #{command.split()[1]}:" in shown
    assert words in shown
    for trace in (ANA, "Ana", "ana"):  # no name, no mention, in the blocks or the fallback
        assert trace not in json.dumps(to_lea.args["blocks"])
        assert trace not in to_lea.args["text"]
    calls = await slack.api.wait_for(ANSWER, before + 1)
    assert "Sent to Lea anonymously" in texts(calls[before].args)
    listed = await slack.ask("missteps", LEA)
    assert f"Anonymous: {words}" in listed


async def test_an_obstacle_cannot_ping_the_channel_or_forge_a_mention_in_the_leads_dm(
    slack: SlackClient,
) -> None:
    await growth(slack)
    story = "<!channel> @here <@U999EVIL> & <!here> said the launch is off"
    assert "Saved as obstacle" in await slack.ask(f'obstacle "{story}"', ANA)
    to_lea = await dm_to(slack, LEA, "raised an obstacle")
    shown = [node for node in text_objects(to_lea.args) if node.get("type") == "mrkdwn"]
    assert shown
    assert all(node.get("verbatim") is True for node in shown)  # Slack links nothing itself
    mrkdwn = "\n".join(node["text"] for node in shown)
    assert (
        "&lt;!channel&gt; @here &lt;@U999EVIL&gt; &amp; &lt;!here&gt; said the launch is off"
        in mrkdwn
    )
    sent = json.dumps(to_lea.args)
    for raw in ("<!channel>", "<!here>", "<@U999EVIL>"):
        assert raw not in sent  # neither in the blocks nor in the notification's fallback
    assert re.findall(r"<@(\w+)>", mrkdwn) == [ANA]  # the one real mention: who raised it


async def test_the_check_in_dms_button_opens_the_obstacle_form_for_the_team(
    slack: SlackClient,
) -> None:
    await growth(slack)
    # The weekly check-in DM's first button, exactly as rituals.core.nudges draws it.
    tell = checkin_actions("Growth", Mention(LEA, "Lea")).buttons[0]
    assert tell.label == "Tell Lea what's in my way"
    before = len(slack.api.of(ANSWER))
    await click_in_dm(slack, tell.command, ANA)
    await slack.http.server.app[SLACK].backlog.settled()
    answered = [texts(c.args) for c in slack.api.of(ANSWER)[before:]]
    assert answered == []  # no refusal instead of the form
    (opened,) = slack.api.of("views.open")
    view = opened.args["view"]
    assert json.loads(view["private_metadata"])["command"] == "obstacle"
    assert inputs(view) == {"text": None, "kpi": None, "team": "Growth"}
