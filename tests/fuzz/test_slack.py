"""Fuzz /slack/events: signed slash commands, interactions and events whose values are junk
or near the grammar, signed bodies of any shape, and requests with no or a wrong signature."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.bot.slack.conftest import ANA, BEN, CHANNEL, LEA, SECRET, fixture
from tests.fuzz.doors import FUZZ, Doors
from tests.fuzz.strategies import junk, mutated, typed

pytestmark = pytest.mark.asyncio(loop_scope="module")

FORM = "application/x-www-form-urlencoded"
TEAM = "TFUZZ0001"
REPLY_KEYS = frozenset({"response_url"})
NONCES = itertools.count()
# What a header value can hold: no control characters (the client refuses to send them).
HEADER = st.characters(codec="latin-1", exclude_categories=("Cc",))
people = st.one_of(st.sampled_from([ANA, BEN, LEA]), st.text(max_size=12))


def sign(body: bytes, stamp: str, secret: str = SECRET) -> str:
    """Slack's signature over the raw bytes, whatever they are."""
    base = b"v0:" + stamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


async def post(
    doors: Doors, body: bytes, content_type: str, headers: dict[str, str] | None = None
) -> tuple[int, str]:
    """A request signed as Slack signs it (unless `headers` say otherwise). A form body gets
    a field of its own, so hypothesis replaying an example is not refused as a replay."""
    if content_type == FORM:
        body += f"&fuzz_nonce={next(NONCES)}".encode()
    stamp = str(int(time.time()))
    signed = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": sign(body, stamp),
    }
    what = f"POST /slack/events {content_type} {body[:3000]!r} {headers}"
    request = doors.http.post("/slack/events", data=body, headers={**signed, **(headers or {})})
    return await doors.exchange(what, request)


def ours(doors: Doors, payload: dict[str, Any]) -> dict[str, Any]:
    """The payload in the fuzz workspace, its replies going to the mock."""
    payload = json.loads(json.dumps(payload).replace("T0AB12CD3", TEAM))
    if "response_url" in payload:
        payload["response_url"] = doors.slack_api.response_url("fuzz")
    return payload


@FUZZ
@given(text=typed, user=people, channel=st.sampled_from([CHANNEL, "D0AB12CD1", ""]))
async def test_a_signed_slash_command_is_answered_plainly(
    doors: Doors, text: str, user: str, channel: str
) -> None:
    payload = ours(doors, fixture("slash_command.json"))
    payload.update(text=text, user_id=user, channel_id=channel)
    await post(doors, urlencode(payload).encode(), FORM)


@FUZZ
@given(data=st.data())
async def test_a_signed_slash_command_with_odd_fields_is_answered_plainly(
    doors: Doors, data: st.DataObject
) -> None:
    payload = ours(doors, fixture("slash_command.json"))
    odd = data.draw(mutated(payload, REPLY_KEYS))
    await post(doors, urlencode({k: str(v) for k, v in odd.items()}).encode(), FORM)


@FUZZ
@given(
    name=st.sampled_from(["block_actions.json", "view_submission.json"]),
    value=typed,
    data=st.data(),
)
async def test_a_signed_interaction_is_answered_plainly(
    doors: Doors, name: str, value: str, data: st.DataObject
) -> None:
    payload = ours(doors, fixture(name))
    if name == "block_actions.json":
        payload["actions"][0]["value"] = value
    else:
        payload["view"]["state"]["values"]["obstacle"]["text"]["value"] = value
    odd = data.draw(mutated(payload, REPLY_KEYS))
    await post(doors, urlencode({"payload": json.dumps(odd)}).encode(), FORM)


EVENTS = ["event_message_im.json", "event_app_mention.json", "event_app_home_opened.json"]


@FUZZ
@given(name=st.sampled_from(EVENTS), text=typed, event_id=st.text(max_size=12), data=st.data())
async def test_a_signed_event_is_answered_plainly(
    doors: Doors, name: str, text: str, event_id: str, data: st.DataObject
) -> None:
    envelope = ours(doors, fixture(name))
    envelope["event_id"] = f"EvFUZZ{event_id}"
    envelope["event"]["text"] = text
    odd = data.draw(mutated(envelope))
    await post(doors, json.dumps(odd).encode(), "application/json")


@FUZZ
@given(
    body=st.one_of(
        st.binary(max_size=300),
        st.builds(lambda p: urlencode({"payload": p}).encode(), junk),
        st.builds(lambda d: urlencode(d).encode(), st.dictionaries(junk, junk, max_size=5)),
        st.builds(lambda s: s.encode(), junk),
    ),
    content_type=st.sampled_from(
        [FORM, "application/json", "text/plain", "multipart/form-data", "", "application/x-"]
    ),
)
async def test_a_signed_body_of_any_shape_gets_a_plain_answer(
    doors: Doors, body: bytes, content_type: str
) -> None:
    await post(doors, body, content_type)


@FUZZ
@given(
    body=st.binary(max_size=200),
    headers=st.fixed_dictionaries(
        {},
        optional={
            "X-Slack-Request-Timestamp": st.one_of(
                st.text(alphabet=HEADER, max_size=20),
                st.integers(-(10**20), 10**20).map(str),
            ),
            "X-Slack-Signature": st.text(alphabet=HEADER, max_size=80),
        },
    ),
    secret=st.sampled_from([None, "not-the-secret"]),
)
async def test_an_unsigned_or_forged_request_is_refused_with_a_4xx(
    doors: Doors, body: bytes, headers: dict[str, str], secret: str | None
) -> None:
    """Without Slack's signature nothing reaches the bot, whatever the headers say."""
    base: dict[str, str] = {"X-Slack-Signature": "", "X-Slack-Request-Timestamp": ""}
    if secret is not None:
        stamp = str(int(time.time()))
        forged = sign(body, stamp, secret)
        base = {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": forged}
    status, _ = await post(doors, body, FORM, {**base, **headers})
    assert 400 <= status < 500
