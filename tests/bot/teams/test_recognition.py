"""Kudos, the tension pulse and Fail of the Month through the real CloudAdapter.

The kudos form is a card with a text input for several people and a reward ChoiceSet; its story
reaches the team's channel through the outbox with real mentions only, nothing typed able to
forge one or to format the card; the pulse is answered by a card button (Action.Submit, and
Action.Execute), once; its results reach the channel as a card with the chart inline as a PNG
data URI; a nominee's consent buttons work from their chat.
"""

from __future__ import annotations

import base64
import json
import re

from bot.config import AppConfig
from bot.teams.cards import CARD_CONTENT_TYPE
from rituals.core.charts import PULSE_WORDS
from tests.bot.teams.conftest import ANA, BEN, CHANNEL, LEA, PERSONAL, TeamsClient, text_of
from tests.bot.teams.mock_connector import Sent
from tests.bot.teams.support import (
    DATA_URI,
    active_kpi,
    answer,
    chat_of,
    filled,
    form_of,
    images,
    mentioned,
    mentioning,
    news,
    runs,
    words_of,
)
from tests.support import PNG_SIGNATURE, about, assert_valid_png

STORY = "I sat in on their first three discovery calls and wrote up every objection"
MISSTEP = "sent the renewal quote to the wrong client"
LEARNED = "he built a two-step check we all use now"
ZWJ = "\u200d"


async def growth_at_home(teams: TeamsClient) -> None:
    """Lea creates Growth in the team's channel, its home, and adds Ana and Ben there."""
    await teams.meet(LEA, ANA, BEN)
    await teams.say("team create Growth", LEA, channel=True)
    await teams.send(mentioning(teams, "team add", LEA, ANA, BEN))
    await teams.deliver()
    said = text_of(chat_of(teams, LEA))
    assert "Created Growth" in said
    assert "to Growth" in said


def channel_posts(teams: TeamsClient, saying: str) -> list[Sent]:
    """New threads the outbox started in the team's channel that say `saying`."""
    return [s for s in teams.connector.to(CHANNEL) if saying in s.text]


def body_text(sent: Sent) -> str:
    """The cards' bodies as sent, without the mention entities beside them."""
    return json.dumps([card["body"] for card in sent.cards], ensure_ascii=False)


# --- kudos --------------------------------------------------------------------------------------


async def test_kudos_with_no_arguments_is_a_card_with_a_people_input_and_a_reward_choice(
    teams: TeamsClient, config: AppConfig
) -> None:
    await growth_at_home(teams)
    kpi = await active_kpi(teams)
    card, fields, data = form_of(await answer(teams, "kudos", LEA))
    assert card["body"][0]["text"] == "Kudos"
    assert "How did you serve them" in words_of(card)
    assert data["kpicoach_form"] == "kudos"
    assert about(data["kpicoach_hidden"]) == {}
    assert list(fields) == ["people", "kpi", "story", "reward", "team"]
    # The people the bot knows, picked by name, several at once: no name is typed and misread.
    people = fields["people"]
    assert (people["type"], people["style"], people["isMultiSelect"]) == (
        "Input.ChoiceSet",
        "compact",
        True,
    )
    picks = {c["title"]: c["value"] for c in people["choices"]}
    assert list(picks) == ["Ana Ruiz", "Ben Okafor", "Lea Hart"]
    rewards = list(config.recognition.rewards)
    assert "a team lunch" in rewards
    assert fields["reward"]["type"] == "Input.ChoiceSet"
    assert fields["reward"]["choices"] == [{"title": r, "value": r} for r in rewards]
    assert "value" not in fields["reward"]
    assert fields["story"]["isMultiline"] is True
    assert {k: f["isRequired"] for k, f in fields.items()} == {
        "people": True,
        "kpi": True,
        "story": True,
        "reward": False,
        "team": False,
    }

    # Generic praise: the same card again, the request for a story on top, everything kept.
    praise = "Great job, thanks for everything!"
    # What Teams sends for two picks: their values, joined by a comma.
    both = f"{picks['Ana Ruiz']},{picks['Ben Okafor']}"
    typed = {"people": both, "kpi": kpi, "reward": "a coffee on me"}
    card, fields, data = form_of(
        await teams.submit(filled(fields, data, story=praise, **typed), LEA)
    )
    assert words_of(card).startswith("Kudos\nThat is praise, not yet a story.")
    assert data["kpicoach_form"] == "kudos"
    assert about(data["kpicoach_hidden"]) == {}  # typed in the card: shown again, not hidden
    kept = {k: f.get("value") for k, f in fields.items()}
    assert {**kept, "people": None} == {
        "people": None,
        "kpi": kpi,
        "story": praise,
        "reward": "a coffee on me",
        "team": None,
    }
    assert fields["people"]["type"] == "Input.ChoiceSet"  # the same two still picked
    assert kept["people"] == both
    await teams.deliver()
    assert channel_posts(teams, "Kudos") == []

    # The story told: posted to the channel, and sent to each of them.
    told = filled(fields, data, story=STORY)
    said = text_of(await teams.submit(told, LEA))
    assert "Posted to the team channel and sent to <at>Ana Ruiz</at> and <at>Ben Okafor</at>" in (
        said
    )
    await teams.deliver()
    (post,) = channel_posts(teams, "Kudos: Qualified leads")
    assert post.reply_to is None  # a new thread in the channel
    assert STORY in post.text
    assert "With **a coffee on me**." in post.text
    for person in (ANA, BEN):
        to_them = await news(teams, person, "on how they served")
        assert STORY in to_them.text
        assert "It opens your next one-on-one as a win." in to_them.text


async def test_a_refused_kudos_card_submitted_again_as_it_came_back_reaches_both_people(
    teams: TeamsClient,
) -> None:
    await growth_at_home(teams)
    kpi = await active_kpi(teams)
    _card, fields, data = form_of(await answer(teams, "kudos", LEA))
    typed = {"people": "@Ana Ruiz, @Ben Okafor", "kpi": kpi, "story": "Great job, thanks!!"}
    _card, fields, data = form_of(await teams.submit(filled(fields, data, **typed), LEA))
    said = text_of(await teams.submit(filled(fields, data, story=STORY), LEA))
    assert "Posted to the team channel and sent to <at>Ana Ruiz</at> and <at>Ben Okafor</at>" in (
        said
    )


async def test_a_kudos_story_cannot_forge_a_mention_or_format_the_channel_card(
    teams: TeamsClient,
) -> None:
    await growth_at_home(teams)
    kpi = await active_kpi(teams)
    _card, fields, data = form_of(await answer(teams, "kudos", LEA))
    forged = (
        f"{STORY}, so <at>Lea Hart</at> and <AT>Max</AT> **won** [the deal](https://evil.example)"
        " _today_\n# Everyone\n- pinged"
    )
    typed = {"people": "@Ana Ruiz, @Ben Okafor", "kpi": kpi, "story": forged}
    said = text_of(await teams.submit(filled(fields, data, **typed), LEA))
    assert "Posted to the team channel" in said
    await teams.deliver()
    (post,) = channel_posts(teams, "Kudos: Qualified leads")
    (card,) = post.cards
    assert post.activity["attachments"][0]["contentType"] == CARD_CONTENT_TYPE
    # The only mentions are the three the store resolved, each with its entity.
    assert mentioned(post) == [LEA[2], ANA[2], BEN[2]]
    shown = body_text(post)
    assert re.findall(r"<at>(.*?)</at>", shown) == ["Lea Hart", "Ana Ruiz", "Ben Okafor"]
    (story,) = [
        e["text"] for e in card["body"] if e.get("type") == "TextBlock" and STORY in e["text"]
    ]
    assert story == (
        f"{STORY}, so <{ZWJ}at>Lea Hart<{ZWJ}/at> and <{ZWJ}AT>Max<{ZWJ}/AT> \\*\\*won\\*\\* "
        "\\[the deal\\](https://evil.example) \\_today\\_\n\\# Everyone\n\\- pinged"
    )
    # Nor in the notification's summary, which no markdown reaches.
    assert "<at>" not in (post.activity.get("summary") or "")
    for person in (ANA, BEN):
        to_them = await news(teams, person, "on how they served")
        assert mentioned(to_them) == [LEA[2], ANA[2], BEN[2]]
        assert re.findall(r"<at>(.*?)</at>", body_text(to_them)) == [
            "Lea Hart",
            "Ana Ruiz",
            "Ben Okafor",
        ]


async def test_the_real_channel_kudos_payload_names_ben_and_keeps_the_words_as_the_story(
    teams: TeamsClient,
) -> None:
    await growth_at_home(teams)
    await active_kpi(teams)  # a kudos names the KPI the help served
    sent = await teams.send(teams.activity("message_channel_mention.json", ANA))
    _card, fields, data = form_of(sent)
    assert data["kpicoach_form"] == "kudos"
    assert about(data["kpicoach_hidden"]) == {}
    # Ben, picked in the list of the people the bot knows.
    assert fields["people"]["value"] == f"<@{BEN[2]}|Ben Okafor>"
    assert fields["story"]["value"] == "you served me by pairing on the pricing page"


async def test_a_kudos_reaches_a_channel_after_the_recognition_channel_is_set_by_name(
    teams: TeamsClient,
) -> None:
    """Teams reaches a channel only by the reference kept from it: `#wins`, never heard from,
    is refused where it is set (not saved, and every kudos then failing in the outbox), and
    the kudos go to the home channel; `here`, said inside a channel, sets that channel."""
    await growth_at_home(teams)
    kpi = await active_kpi(teams)
    refused = text_of(await answer(teams, "settings set recognition #wins", LEA))
    assert "Nothing was saved. Recognition channel: I cannot post in #wins" in refused
    assert "settings set recognition here" in refused
    # Ana named as Teams names her: an <at> mention with its entity (typed id markup is text).
    kudos = teams.activity("message_personal.json", LEA)
    kudos["text"] = f'kudos <at>{ANA[1]}</at> kpi {kpi} how "{STORY}"'
    kudos["entities"] = [
        {
            "type": "mention",
            "text": f"<at>{ANA[1]}</at>",
            "mentioned": {"id": ANA[0], "name": ANA[1]},
        }
    ]
    said = text_of(await teams.send(kudos))
    assert "Posted to" in said
    await teams.deliver()
    posted = [
        s
        for s in teams.connector.sent
        if "Kudos: Qualified leads" in s.text and not s.conversation.startswith(PERSONAL)
    ]
    assert posted, "the kudos reached no channel"


# --- the tension pulse ---------------------------------------------------------------------------


def score_buttons(sent: Sent) -> dict[str, str]:
    return {label: command for label, command in runs(sent).items() if label[0].isdigit()}


async def test_a_pulse_is_answered_by_card_buttons_once_and_its_chart_reaches_the_channel(
    teams: TeamsClient,
) -> None:
    await growth_at_home(teams)
    await answer(teams, "settings set rituals checkin,one_on_one,kudos,review,pulse", LEA)
    said = text_of(await answer(teams, "pulse start", LEA))
    assert "Asked 3 people on Growth, you included" in said
    asks = {person: await news(teams, person, "How does chasing") for person in (ANA, BEN)}
    scores = score_buttons(asks[ANA])
    assert list(scores) == [f"{n} {word}" for n, word in enumerate(PULSE_WORDS, 1)]
    pulse = re.fullmatch(r"pulse answer 4 pulse (\d+)", scores["4 good"])
    assert pulse, scores
    assert runs(asks[ANA])["Answer with a word"] == f"pulse answer pulse {pulse[1]}"

    # Ana presses "4 good": an Action.Submit whose data is the button's command.
    said = text_of(await teams.submit({"kpicoach_run": scores["4 good"]}, ANA))
    assert "Thank you: 4 (good) counted, anonymously." in said
    again = text_of(await teams.submit({"kpicoach_run": scores["1 crushing"]}, ANA))
    assert "You answered this pulse already." in again

    # Ben's client sends the button as an Action.Execute: answered in the invoke response.
    invoke = teams.activity("invoke_adaptive_card_action.json", BEN)
    invoke["value"]["action"]["data"] = {"kpicoach_run": score_buttons(asks[BEN])["2 heavy"]}
    response = await teams.post(invoke)
    assert response.status == 200
    body = await response.json()
    assert body["type"] == CARD_CONTENT_TYPE
    assert "Thank you: 2 (heavy) counted" in json.dumps(body["value"])

    # Lea's ask came as the answer to her own command: she answers with a word, by the form.
    (mine,) = [s for s in chat_of(teams, LEA) if "Answer with a word" in runs(s)]
    card, fields, data = form_of(
        await teams.submit({"kpicoach_run": runs(mine)["Answer with a word"]}, LEA)
    )
    assert (data["kpicoach_form"], about(data["kpicoach_hidden"])) == (
        "pulse answer",
        {"pulse": pulse[1]},
    )
    assert "How does chasing our KPIs feel right now? 1 crushing, 2 heavy" in words_of(card)
    assert fields["score"]["isRequired"] is True
    assert "pulse" not in fields  # which pulse rides along hidden
    said = text_of(await teams.submit(filled(fields, data, score="4", word="stretched"), LEA))
    assert "Thank you: 4 (good) counted" in said

    said = text_of(await answer(teams, "pulse close", LEA))
    assert "Closed; the results are posted to the team." in said
    await teams.deliver()
    (post,) = channel_posts(teams, "Tension pulse: Growth")
    assert post.reply_to is None
    # The question is said once in words; the chart draws it, no caption says it a third time.
    words = [e["text"] for c in post.cards for e in c["body"] if "text" in e]
    assert sum("How does chasing our KPIs feel" in w for w in words) == 1, words
    assert "3 answered; mean 3.3 of 5." in post.text
    assert "In a word: stretched" in post.text
    (image,) = images([post])
    assert image["url"].startswith(DATA_URI)
    data_png = base64.b64decode(image["url"].removeprefix(DATA_URI), validate=True)
    assert data_png[:8] == PNG_SIGNATURE
    assert assert_valid_png(data_png) == (600, 300)
    assert image["altText"] == "3 answers, mean 3.3 of 5"
    assert "How does chasing our KPIs feel right now?" in post.text  # the chart draws it too
    # Inline: nothing is offered as a file instead.
    assert not [a for a in post.activity["attachments"] if a["contentType"] != CARD_CONTENT_TYPE]


# --- Fail of the Month ---------------------------------------------------------------------------


async def fail_of_the_month(teams: TeamsClient) -> None:
    await growth_at_home(teams)
    said = text_of(await answer(teams, "settings set rituals checkin,fail_of_month", LEA))
    assert "Rituals on: the weekly check-in, Fail of the Month" in said


async def test_a_nominee_from_the_form_card_says_yes_with_the_button_in_their_chat(
    teams: TeamsClient,
) -> None:
    await fail_of_the_month(teams)
    _card, fields, data = form_of(await answer(teams, "fail nominate", ANA))
    person = fields["person"]  # one person, picked by name among those the bot knows
    assert (person["type"], person["style"]) == ("Input.ChoiceSet", "compact")
    assert "isMultiSelect" not in person
    (ben,) = [c["value"] for c in person["choices"] if c["title"] == "Ben Okafor"]
    typed = {"person": ben, "misstep": MISSTEP, "learned": LEARNED}
    said = text_of(await teams.submit(filled(fields, data, **typed), ANA))
    story = re.search(r"Asked Ben Okafor whether your story \(#(\d+)\)", said)
    assert story, said
    ask = await news(teams, BEN, "nominated you")
    assert "<at>Ana Ruiz</at> nominated you for November 2026's trophy" in ask.text
    assert MISSTEP in ask.text
    assert mentioned(ask) == [ANA[2]]
    assert runs(ask) == {
        "Yes, share it": f"fail consent {story[1]} yes",
        "No, keep it private": f"fail consent {story[1]} no",
    }
    assert MISSTEP not in text_of(await answer(teams, "fails", LEA))  # not until Ben says yes

    said = text_of(await teams.submit({"kpicoach_run": runs(ask)["Yes, share it"]}, BEN))
    assert f"Shared: story #{story[1]} is on Growth's ballot for November 2026." in said
    told = await news(teams, ANA, "agreed")
    assert f"<at>Ben Okafor</at> agreed: your story #{story[1]}" in told.text
    assert mentioned(told) == [BEN[2]]
    shown = text_of(await answer(teams, "fails", LEA))
    assert MISSTEP in shown
    assert LEARNED in shown


async def test_a_quoted_teams_name_is_not_put_on_the_ballot_as_the_nominators_own_story(
    teams: TeamsClient,
) -> None:
    await fail_of_the_month(teams)
    await answer(teams, f'fail nominate "@Ben Okafor" "{MISSTEP}" learned "{LEARNED}"', ANA)
    assert MISSTEP not in text_of(await answer(teams, "fails", LEA))


async def test_the_recognition_channel_is_set_from_inside_it_with_here(
    teams: TeamsClient,
) -> None:
    await growth_at_home(teams)
    await teams.say("settings set recognition here", LEA, channel=True)
    await teams.deliver()
    saved = text_of(chat_of(teams, LEA))
    assert "Saved: settings of Growth" in saved
    assert "#wins" not in saved
    said = text_of(await answer(teams, "settings set recognition here", LEA))
    assert "means the channel you write it in" in said  # in her chat, there is no "here"
