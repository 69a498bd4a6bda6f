"""The weekly check-in, commitments and missteps through the real CloudAdapter.

Forms are cards with inputs whose Action.Submit carries the command and its hidden values;
buttons carry their command; a message for someone else goes through the outbox and arrives
proactively in that person's chat with the bot.
"""

from __future__ import annotations

import json
import re

from rituals.checkins.prompt import checkin_actions
from rituals.core.messages import Mention
from tests.bot.teams.conftest import ANA, BEN, LEA, PERSONAL, TeamsClient, text_of
from tests.bot.teams.support import (
    answer,
    chat_of,
    filled,
    form_of,
    growth,
    mentioned,
    news,
    runs,
    words_of,
)
from tests.support import about

# Someone on the team who never answers the check-in, and someone on no team at all.
CY = ("29:1cYcYcY", "Cy Moreau", "2c2c2c2c-4e1a-4b1f-9d2c-1a2b3c4d5e6f")
MAX = ("29:1mAxMaX", "Max Vogel", "3a3a3a3a-4e1a-4b1f-9d2c-1a2b3c4d5e6f")


async def test_an_obstacle_from_the_form_card_reaches_the_lead_with_a_commit_button(
    teams: TeamsClient,
) -> None:
    await growth(teams)
    card, fields, data = form_of(await teams.say("obstacle", ANA))
    assert words_of(card).startswith("What's in your way this week?")
    assert {k: f["isRequired"] for k, f in fields.items()} == {
        "text": True,
        "kpi": False,
        "team": False,
    }
    assert fields["text"]["isMultiline"] is True
    assert not any("value" in f for f in fields.values())
    assert data["kpicoach_form"] == "obstacle"
    assert about(data["kpicoach_hidden"]) == {}

    story = "Legal has sat on the new contract template for two weeks"
    said = await teams.submit(filled(fields, data, text=story), ANA)
    (saved,) = [s for s in said if s.reply_to is not None and not s.updated]
    assert saved.conversation == PERSONAL + ANA[0]
    assert "Saved as obstacle #" in saved.text
    to_lea = await news(teams, LEA, "raised an obstacle")
    number = re.search(r"\(#(\d+)\)", to_lea.text)
    assert number, to_lea.text
    assert f"<at>Ana Ruiz</at> raised an obstacle in Growth (#{number[1]})" in to_lea.text
    assert story in to_lea.text
    assert mentioned(to_lea) == [ANA[2]]  # a real mention, by AAD id
    assert runs(to_lea) == {"Commit to clearing it": f"commit {number[1]}"}
    assert not [s for s in chat_of(teams, ANA) if "Commit to clearing it" in s.text]


async def test_the_lead_commits_from_the_card_and_bad_answers_come_back_on_the_form(
    teams: TeamsClient,
) -> None:
    teams.connector.add_member(*MAX)
    await teams.meet(MAX)  # in the workspace, but not on Growth
    await growth(teams)
    story = "No test data for the EU market, so the pilot cannot start"
    assert "Saved as obstacle" in text_of(await teams.say(f'obstacle "{story}"', ANA))
    command = runs(await news(teams, LEA, "raised an obstacle"))["Commit to clearing it"]
    obstacle = command.split()[1]

    # Lea presses the button: the commit form, the obstacle in its intro and carried hidden.
    card, fields, data = form_of(await teams.submit({"kpicoach_run": command}, LEA))
    assert f"Ana Ruiz: {story}" in words_of(card)
    assert (data["kpicoach_form"], about(data["kpicoach_hidden"])) == (
        "commit",
        {"obstacle": obstacle},
    )
    assert {k: f["isRequired"] for k, f in fields.items()} == {
        "action": True,
        "owner": False,
        "due": True,
    }

    # A deferral: the same form again, the problem on top, what she typed kept.
    vague = filled(fields, data, action="I'll think about it", due="fri")
    again = await teams.submit(vague, LEA)
    card, fields, data = form_of(again)
    said = words_of(card)
    assert "puts it off" in said
    assert "What will be done, by whom, by when?" in said
    assert said.index("puts it off") < said.index(f"Ana Ruiz: {story}")
    assert {k: f.get("value") for k, f in fields.items()} == {
        "action": "I'll think about it",
        "owner": None,
        "due": "fri",
    }
    assert about(data["kpicoach_hidden"]) == {"obstacle": obstacle}

    # An owner who is not on the team: refused with the reason, on the form.
    action = "Ask Sam for the EU test data and send it to Ana"
    outside = filled(fields, data, action=action, owner="@Max Vogel")
    card, fields, data = form_of(await teams.submit(outside, LEA))
    assert "Max Vogel is not on Growth" in words_of(card)
    assert fields["owner"]["value"] == "@Max Vogel"

    # Right: Lea owns it herself, due Friday. Ana hears what was committed for her.
    assert fields["action"]["value"] == action
    said = text_of(await teams.submit(filled(fields, data, owner=""), LEA))
    number = re.search(r"Committed #(\d+): Ask Sam", said)
    assert number, said
    to_ana = await news(teams, ANA, "answered what is in your way")
    assert f"<at>Lea Hart</at> answered what is in your way: {story}" in to_ana.text
    assert f"Commitment #{number[1]}: {action}. Owner <at>Lea Hart</at>" in to_ana.text
    assert "due Friday 27 November 2026" in to_ana.text
    assert mentioned(to_ana) == [LEA[2]]
    assert runs(to_ana) == {}  # Lea does it; nothing for Ana to mark
    assert f"#{number[1]} Lea Hart: {action} (open, due Friday 27 November 2026)" in text_of(
        await teams.say("commitments", LEA)
    )


async def test_nothing_this_week_and_the_leads_digest(teams: TeamsClient) -> None:
    await growth(teams, CY)
    # Ben presses the check-in DM's "Nothing this week".
    nothing = checkin_actions("Growth", Mention(LEA[2], LEA[1])).buttons[1]
    assert nothing.label == "Nothing this week"
    said = [s for s in await teams.submit({"kpicoach_run": nothing.command}, BEN) if s.reply_to]
    assert "Noted: nothing in your way this week in Growth" in text_of(said)
    said = text_of(await answer(teams, 'obstacle "The CRM export breaks every day"', ANA))
    assert "Saved as obstacle" in said
    (digest,) = await answer(teams, "digest", LEA)
    assert digest.conversation == PERSONAL + LEA[0]
    (card,) = digest.cards
    assert card["body"][0]["text"] == "Check-in digest: Growth, week of 23 November 2026"
    shown = digest.text
    assert "1 obstacle, 1 waiting for a commitment" in shown
    assert "<at>Ana Ruiz</at> (#" in shown
    assert "The CRM export breaks every day" in shown
    assert "Nothing in the way: Ben Okafor." in shown
    assert "No answer yet: Cy Moreau." in shown
    ((label, command),) = runs(digest).items()
    assert command == f"commit {label.removeprefix('Commit to #')}"
    refused = text_of(await answer(teams, "digest", BEN))
    assert "Check-in digest" not in refused
    assert "CRM export" not in refused
    # Ana's obstacle reached Lea too; nothing is left in the outbox for another test's server.
    await news(teams, LEA, "raised an obstacle")


async def test_a_misstep_reaches_the_team_and_feedback_comes_back_anonymous(
    teams: TeamsClient,
) -> None:
    await growth(teams)
    story = "I pushed the Q3 target on the team without asking anyone what it would take"
    said = text_of(await teams.say(f'misstep "{story}"', LEA))
    assert "with 2 people on Growth" in said
    to_ana = await news(teams, ANA, "shared a misstep")
    await news(teams, BEN, "shared a misstep")
    assert "<at>Lea Hart</at> shared a misstep with Growth" in to_ana.text
    assert story in to_ana.text
    assert "Anonymous unless you choose named" in to_ana.text
    command = runs(to_ana)["Give feedback"]
    misstep = command.split()[1]

    card, fields, data = form_of(await teams.submit({"kpicoach_run": command}, ANA))
    assert words_of(card).startswith("Candid feedback")
    assert about(data["kpicoach_hidden"]) == {"misstep": misstep}
    assert fields["signed"]["type"] == "Input.ChoiceSet"
    assert [c["value"] for c in fields["signed"]["choices"]] == ["anonymous", "named"]
    assert fields["signed"]["isRequired"] is False

    words = "Ask us first next time; we knew the pipeline could not carry it"
    said = text_of(await teams.submit(filled(fields, data, text=words), ANA))
    assert "Sent to Lea Hart anonymously" in said
    to_lea = await news(teams, LEA, "answered your misstep")
    assert f"Someone on your team answered your misstep #{misstep}:" in to_lea.text
    assert words in to_lea.text
    assert mentioned(to_lea) == []
    sent = json.dumps(to_lea.activity)
    for trace in (ANA[0], ANA[2], "Ana"):  # no name, no id, not even in the summary
        assert trace not in sent
    assert f"Anonymous: {words}" in text_of(await teams.say("missteps", LEA))
