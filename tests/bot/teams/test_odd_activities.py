"""Activities shaped as the Bot Framework never sends them get a 400 or a plain answer, not a
turn that falls over (the fuzz in tests/fuzz found each of these)."""

from __future__ import annotations

import logging

import pytest

from tests.bot.teams.conftest import TeamsClient, text_of


def failures(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


@pytest.mark.parametrize("mentioned", [["29:someone"], "29:someone", {"name": "No Id"}])
async def test_a_mention_that_names_no_one_is_read_as_plain_text(
    teams: TeamsClient, caplog: pytest.LogCaptureFixture, mentioned: object
) -> None:
    await teams.meet()
    activity = teams.activity("message_personal.json")
    activity["text"] = "help <at>Someone</at>"
    activity["entities"] = [{"type": "mention", "text": "<at>Someone</at>", "mentioned": mentioned}]
    sent = await teams.send(activity)
    assert "Something went wrong" not in text_of(sent)
    assert sent, "the person got no answer"
    assert failures(caplog) == []


@pytest.mark.parametrize(
    ("part", "value", "said"),
    [
        ("channelData", [], "the activity's channelData is not an object"),
        ("entities", [None], "the activity's entities is not a list of objects"),
        ("entities", {"type": "mention"}, "the activity's entities is not a list of objects"),
    ],
)
async def test_an_activity_with_a_part_of_the_wrong_shape_is_refused(
    teams: TeamsClient, caplog: pytest.LogCaptureFixture, part: str, value: object, said: str
) -> None:
    activity = teams.activity("message_personal.json")
    activity[part] = value
    response = await teams.post(activity)
    assert response.status == 400
    assert (await response.json())["error"] == said
    assert failures(caplog) == []


async def test_a_tenant_that_is_not_an_object_is_refused(teams: TeamsClient) -> None:
    activity = teams.activity("message_personal.json")
    activity["channelData"]["tenant"] = ["t"]
    response = await teams.post(activity)
    assert response.status == 400
    assert (await response.json())["error"] == "the activity's channelData.tenant is not an object"


@pytest.mark.parametrize(
    ("part", "value", "said"),
    [
        ("text", "help\x00", "the activity holds a NUL character"),
        ("id", {}, "the activity's id is not an id"),
        (
            "from",
            {"id": "29:x", "aadObjectId": "a" * 65},
            "the activity's from.aadObjectId is not an id",
        ),
    ],
)
async def test_what_the_store_cannot_keep_is_refused_at_the_door(
    teams: TeamsClient, caplog: pytest.LogCaptureFixture, part: str, value: object, said: str
) -> None:
    """PostgreSQL refused a NUL and ids over 64 characters, mid-turn, with a traceback."""
    activity = teams.activity("message_personal.json")
    activity[part] = value
    response = await teams.post(activity)
    assert response.status == 400
    assert (await response.json())["error"] == said
    assert failures(caplog) == []
