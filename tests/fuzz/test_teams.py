"""Fuzz /api/messages in loopback mode: real activities with junk text, card values and
parts replaced or removed, JSON of any shape, and bodies that are not JSON at all."""

from __future__ import annotations

import copy
import itertools
import json
import uuid
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.bot.teams.conftest import ANA, PERSONAL, fixture
from tests.fuzz.doors import FUZZ, Doors
from tests.fuzz.strategies import FIELDS, FORMS, json_values, junk, mutated, typed

pytestmark = pytest.mark.asyncio(loop_scope="module")

PEOPLE = itertools.cycle(range(10))
TENANT = "f0220000-0000-4000-8000-000000000001"
ACTIVITIES = [
    "message_personal.json",
    "message_channel_mention.json",
    "message_card_submit.json",
    "invoke_adaptive_card_action.json",
    "conversation_update_members_added.json",
    "installation_update_add.json",
]


def ours(doors: Doors, name: str) -> dict[str, Any]:
    """A real activity from a person of the fuzz tenant, its replies going to the mock
    connector. One person of ten each time, so no chat reaches Teams' per-conversation pace
    (the bot would wait for it) and the welcome is not all the fuzz sees."""
    activity = copy.deepcopy(fixture(name))
    activity["id"] = uuid.uuid4().hex[:13]
    activity["serviceUrl"] = doors.connector.url
    person = next(PEOPLE)
    teams_id, display, aad = f"{ANA[0]}-{person}", ANA[1], f"{person:08d}{ANA[2][8:]}"
    activity["from"] = {"id": teams_id, "name": display, "aadObjectId": aad}
    activity["conversation"]["tenantId"] = TENANT
    activity.setdefault("channelData", {}).setdefault("tenant", {})["id"] = TENANT
    if activity["conversation"].get("conversationType") == "personal":
        activity["conversation"]["id"] = PERSONAL + teams_id
    return activity


async def post(doors: Doors, body: bytes, content_type: str = "application/json") -> int:
    what = f"POST /api/messages {content_type} {body[:3000]!r}"
    request = doors.http.post("/api/messages", data=body, headers={"Content-Type": content_type})
    status, _ = await doors.exchange(what, request)
    return status


card_values = st.one_of(
    st.fixed_dictionaries(
        {"form": st.sampled_from(FORMS)},
        optional={field: st.one_of(junk, typed) for field in FIELDS[:40]},
    ),
    st.fixed_dictionaries({"command": typed}),
    st.dictionaries(st.sampled_from(["form", "command", "kpi", "_command", "action"]), json_values),
    json_values,
)


@FUZZ
@given(text=typed, channel=st.booleans())
async def test_a_message_is_answered_plainly(doors: Doors, text: str, channel: bool) -> None:
    name = "message_channel_mention.json" if channel else "message_personal.json"
    activity = ours(doors, name)
    activity["text"] = f"<at>kpi-coach</at> {text}" if channel else text
    await post(doors, json.dumps(activity).encode())


@FUZZ
@given(value=card_values)
async def test_a_card_submission_is_answered_plainly(doors: Doors, value: Any) -> None:
    activity = ours(doors, "message_card_submit.json")
    activity["value"] = value
    activity["replyToId"] = uuid.uuid4().hex[:13]
    await post(doors, json.dumps(activity).encode())


@FUZZ
@given(name=st.sampled_from(ACTIVITIES), data=st.data())
async def test_an_activity_with_odd_parts_is_answered_plainly(
    doors: Doors, name: str, data: st.DataObject
) -> None:
    activity = data.draw(mutated(ours(doors, name), frozenset({"serviceUrl"})))
    await post(doors, json.dumps(activity).encode())


@FUZZ
@given(
    body=st.one_of(
        st.binary(max_size=300),
        json_values.map(lambda v: json.dumps(v).encode()),
        st.builds(lambda s: s.encode(), junk),
    ),
    content_type=st.sampled_from(["application/json", "text/plain", "", "application/json; x"]),
)
async def test_a_body_of_any_shape_gets_a_4xx_or_an_answer(
    doors: Doors, body: bytes, content_type: str
) -> None:
    await post(doors, body, content_type)
