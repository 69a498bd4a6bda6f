"""Teams end to end: the real CloudAdapter at /api/messages, the mock Bot Connector behind it."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

import bot.teams
from bot.config import AppConfig, ConfigError
from bot.payload import stored
from bot.server import TEAMS as TEAMS_KEY
from bot.server import make_app
from bot.teams.replies import CHAT_NOTE
from rituals.core.context import FixedClock
from rituals.core.messages import Audience, Mention, Message, dm
from storage.engine import make_engine, make_sessionmaker
from storage.models import (
    Membership,
    Outbox,
    OutboxStatus,
    Platform,
    TeamsConversation,
)
from storage.outbox import OutboxRow, enqueue
from storage.people import find_workspace, member_by_platform_id
from tests.bot.teams.conftest import (
    ANA,
    BEN,
    BOT,
    CHANNEL,
    PERSONAL,
    TeamsClient,
    teams_settings,
    text_of,
)
from tests.bot.teams.mock_connector import MockConnector
from tests.bot.teams.support import rows

LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


async def add_ben(teams: TeamsClient) -> None:
    """Ana mentions Ben (the fixture's second mention) in the channel: `team add @Ben`."""
    activity = teams.activity("message_channel_mention.json")
    activity["text"] = "<at>kpi-coach</at> team add <at>Ben Okafor</at>"
    await teams.send(activity)


async def test_a_command_in_the_personal_chat_is_answered_there_with_a_card(
    teams: TeamsClient,
) -> None:
    sent = await teams.say("help")
    assert sent, "no reply"
    assert {s.conversation for s in sent} == {PERSONAL + ANA[0]}
    assert all(s.reply_to for s in sent)  # replies to the message, not new threads
    said = text_of(sent)
    assert "Welcome, Ana Ruiz" in said  # first contact
    assert "propose" in said
    for reply in sent:
        (card,) = reply.cards
        assert card["type"] == "AdaptiveCard"
        assert float(card["version"]) <= 1.5
        assert len(json.dumps(card).encode()) < 80_000


async def test_a_form_card_submitted_wrong_then_right(teams: TeamsClient) -> None:
    await teams.meet(ANA)
    (reply,) = await teams.say("propose")
    (form,) = reply.cards
    inputs = {e["id"]: e for e in form["body"] if e["type"].startswith("Input.")}
    assert {"name", "target", "cadence", "owner"} <= set(inputs)
    (submit,) = form["actions"]
    assert submit["type"] == "Action.Submit"

    wrong = {**submit["data"], "name": "Qualified leads", "target": "lots", "cadence": "weekly"}
    (again,) = await teams.submit(wrong)
    (card,) = again.cards
    assert "target" in again.text.lower()  # the problem, on the same form
    kept = {e["id"]: e.get("value") for e in card["body"] if e["type"].startswith("Input.")}
    assert kept["name"] == "Qualified leads"

    right = {**wrong, "target": "10", "unit": "leads", "owner": ""}
    said = text_of(await teams.submit(right))
    assert "Proposed" in said
    assert "Qualified leads" in text_of(await teams.say("kpis"))


async def test_a_button_runs_its_command_and_an_old_card_gets_an_answer(
    teams: TeamsClient,
) -> None:
    await teams.meet(ANA)
    said = text_of(await teams.submit({"kpicoach_run": "team"}))
    assert "no team yet" in said
    stale = text_of(await teams.submit({"form": "obstacle_form", "obstacle": "Legal review"}))
    assert "older message" in stale


async def test_the_bot_added_to_a_team_keeps_the_channel_and_says_hello(
    teams: TeamsClient, teams_database: str
) -> None:
    activity = teams.activity("conversation_update_members_added.json")
    sent = await teams.send(activity)
    assert [s.conversation for s in sent] == [CHANNEL]
    assert "team create" in text_of(sent)
    chats = {c.key: c for c in await rows(teams_database, TeamsConversation, teams.tenant)}
    channel = chats[CHANNEL]
    assert channel.conversation_id == CHANNEL  # a post there starts a new thread
    assert channel.service_url == teams.connector.url
    assert channel.bot_id == BOT
    assert channel.member_id is None


async def test_one_hello_per_team_and_none_on_an_app_upgrade(teams: TeamsClient) -> None:
    added = teams.activity("conversation_update_members_added.json")
    installed = teams.activity("installation_update_add.json")
    installed["conversation"] = added["conversation"]
    installed["channelData"]["team"] = added["channelData"]["team"]
    sent = await teams.send(added) + await teams.send(installed)  # Teams sends both
    assert len(sent) == 1
    upgraded = {**installed, "action": "add-upgrade"}
    assert await teams.send(upgraded) == []
    removed = {**installed, "action": "remove-upgrade"}
    assert await teams.send(removed) == []


async def test_the_emulator_is_a_chat_with_the_bot(teams: TeamsClient) -> None:
    activity = teams.activity("message_personal.json")
    activity.update(channelId="emulator", channelData={}, text="help")
    activity["from"] = {"id": "user1", "name": "User"}
    activity["conversation"] = {"id": "emulator-conversation"}
    sent = await teams.send(activity)
    assert {s.conversation for s in sent} == {"emulator-conversation"}
    assert "Welcome, User" in text_of(sent)


async def test_installing_the_app_keeps_the_persons_chat_and_welcomes_them(
    teams: TeamsClient, teams_database: str
) -> None:
    sent = await teams.send(teams.activity("installation_update_add.json"))
    assert "Welcome, Ana Ruiz" in text_of(sent)
    (chat,) = await rows(teams_database, TeamsConversation, teams.tenant)
    assert chat.key == ANA[2]  # the AAD object id: the person, whatever chat they write from
    assert chat.conversation_id == PERSONAL + ANA[0]
    assert chat.user_id == ANA[0]
    again = await teams.say("help")  # welcomed once, ever
    assert "Welcome" not in text_of(again)


async def test_a_mention_in_a_channel_strips_the_bot_and_resolves_people(
    teams: TeamsClient, teams_database: str
) -> None:
    await teams.meet(ANA)
    created = await teams.say("team create Growth", channel=True)
    assert {s.conversation for s in created} == {CHANNEL + ";messageid=1700000000001"}
    # The thread's id travels percent-encoded in the path, as botbuilder sends it: a client
    # that reads `;` as the end of the path (Microsoft's Playground) still finds the thread.
    assert (
        "/v3/conversations/19%3Aa1b2c3d4e5f6%40thread.tacv2%3Bmessageid%3D"
        in (teams.connector.paths[-1])
    )
    # Teams has no ephemeral messages: an answer for Ana alone goes to her chat with the bot.
    assert text_of(created) == CHAT_NOTE
    before = len(teams.connector.to(PERSONAL + ANA[0]))
    await add_ben(teams)
    await teams.deliver()
    said = text_of(teams.connector.to(PERSONAL + ANA[0])[before:])
    assert "Ben Okafor" in said
    assert "Growth" in said
    (seat,) = [
        m for m in await rows(teams_database, Membership, teams.tenant) if m.role == "member"
    ]
    engine = make_engine(teams_database)
    async with make_sessionmaker(engine)() as session:
        workspace = await find_workspace(session, Platform.TEAMS, teams.tenant)
        assert workspace is not None
        ben = await member_by_platform_id(session, workspace.id, BEN[2])
    await engine.dispose()
    assert ben is not None
    assert seat.member_id == ben.id
    chats = {c.key: c for c in await rows(teams_database, TeamsConversation, teams.tenant)}
    assert chats[BEN[2]].user_id == BEN[0]  # enough to open a chat with Ben later
    assert chats[BEN[2]].member_id == ben.id  # so forgetting Ben forgets it too


async def test_a_dm_goes_out_proactively_through_the_outbox(
    teams: TeamsClient, teams_database: str
) -> None:
    await teams.meet(ANA)
    await teams.say("team create Growth", channel=True)
    await add_ben(teams)
    targets = [r.target for r in await rows(teams_database, Outbox, teams.tenant)]
    assert BEN[2] in targets  # "you were added" waits in the outbox, for Ben
    await teams.deliver()
    (opened,) = teams.connector.created  # Ben never wrote to the bot: a chat is opened
    assert opened["members"] == [{"id": BEN[0]}]
    assert opened["channelData"]["tenant"]["id"] == teams.tenant
    (to_ben,) = teams.connector.to(f"a:chat-with-{BEN[0]}")
    assert to_ben.reply_to is None  # a new message, not a reply
    assert "Ana Ruiz added you to Growth" in to_ben.text
    statuses = {r.status for r in await rows(teams_database, Outbox, teams.tenant)}
    assert statuses == {OutboxStatus.SENT}
    chats = {c.key: c for c in await rows(teams_database, TeamsConversation, teams.tenant)}
    assert chats[BEN[2]].conversation_id == f"a:chat-with-{BEN[0]}"  # kept for next time


async def test_a_failed_answer_loses_none_of_the_messages_for_others(
    teams: TeamsClient, teams_database: str
) -> None:
    await teams.meet(ANA)
    await teams.say("team create Growth")  # in her chat: the channel has not heard from her
    teams.connector.refuse[CHANNEL + ";messageid=1700000000001"] = [403]  # the thread refuses
    await add_ben(teams)
    assert teams.connector.refused  # the answer in the thread failed...
    targets = [r.target for r in await rows(teams_database, Outbox, teams.tenant)]
    assert BEN[2] in targets  # ...and Ben's "you were added" was queued before it


async def test_a_channel_post_starts_a_new_thread_in_the_kept_channel(
    teams: TeamsClient, teams_database: str
) -> None:
    await teams.send(teams.activity("conversation_update_members_added.json"))
    await teams.meet(ANA)
    await queue(teams_database, teams.tenant, ANA[2], "Kudos to Ana.", channel=CHANNEL)
    await teams.deliver()
    (post,) = teams.connector.to(CHANNEL)[1:]  # after the hello
    assert post.reply_to is None
    assert "Kudos to Ana." in post.text
    (row,) = await rows(teams_database, Outbox, teams.tenant)
    assert row.status is OutboxStatus.SENT


async def test_a_person_who_blocked_the_bot_is_marked_unreachable_not_retried(
    teams: TeamsClient, teams_database: str
) -> None:
    await teams.send(teams.activity("installation_update_add.json"))
    await queue(teams_database, teams.tenant, ANA[2], "Your check-in is open.")
    teams.connector.refuse[PERSONAL + ANA[0]] = [403]
    await teams.deliver()
    (row,) = await rows(teams_database, Outbox, teams.tenant)
    assert row.status is OutboxStatus.FAILED
    assert "blocked" in (row.last_error or "")
    (chat,) = await rows(teams_database, TeamsConversation, teams.tenant)
    assert chat.unreachable
    assert "blocked" in chat.unreachable
    await queue(teams_database, teams.tenant, ANA[2], "Another nudge.", key="second")
    await teams.deliver()
    assert teams.connector.refused == [(PERSONAL + ANA[0], 403)]  # not tried again
    # Writing to the bot again makes the chat reachable.
    await teams.say("help")
    (chat,) = await rows(teams_database, TeamsConversation, teams.tenant)
    assert chat.unreachable is None


async def test_a_busy_teams_is_retried_with_backoff(
    teams: TeamsClient, teams_database: str
) -> None:
    await teams.send(teams.activity("installation_update_add.json"))
    teams.connector.refuse[PERSONAL + ANA[0]] = [429, 502]
    said = await teams.say("team")  # a reply inside the turn: retried there
    assert "no team yet" in text_of(said)
    assert [status for _, status in teams.connector.refused] == [429, 502]

    await queue(teams_database, teams.tenant, ANA[2], "Your check-in is open.")
    teams.connector.refuse[PERSONAL + ANA[0]] = [504]
    await teams.deliver()
    (row,) = [r for r in await rows(teams_database, Outbox, teams.tenant)]
    assert row.status is OutboxStatus.PENDING  # the worker's backoff decides when
    assert row.attempts == 1
    assert "504" in (row.last_error or "")


async def test_an_action_execute_gets_an_invoke_response(teams: TeamsClient) -> None:
    await teams.meet(ANA)
    activity = teams.activity("invoke_adaptive_card_action.json")
    response = await teams.post(activity)
    assert response.status == 200
    body = await response.json()
    assert body["statusCode"] == 200
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    assert "older message" in json.dumps(body["value"])

    activity["value"]["action"]["data"] = {"kpicoach_run": "team"}
    body = await (await teams.post(activity)).json()
    assert "no team yet" in json.dumps(body["value"])


async def test_an_export_is_offered_as_a_file_and_uploaded_once_accepted(
    teams: TeamsClient,
) -> None:
    await teams.meet(ANA)
    sent = await teams.say("me export")
    (consent,) = [
        a
        for s in sent
        for a in s.activity.get("attachments") or []
        if a["contentType"] == "application/vnd.microsoft.teams.card.file.consent"
    ]
    accept = teams.activity("invoke_adaptive_card_action.json")
    accept["name"] = "fileConsent/invoke"
    accept["value"] = {
        "type": "fileUpload",
        "action": "accept",
        "context": consent["content"]["acceptContext"],
        "uploadInfo": {
            "name": consent["name"],
            "uploadUrl": f"{teams.connector.url}upload/{consent['name']}",
            "contentUrl": f"https://contoso.sharepoint.com/{consent['name']}",
            "uniqueId": "1150D938-8870-4044-9F2C-5BBDEBA70C8C",
            "fileType": "json",
        },
    }
    response = await teams.post(accept)
    assert response.status == 200
    exported = json.loads(teams.connector.uploads[consent["name"]])
    assert exported["tables"]["member"][0]["display_name"] == "Ana Ruiz"
    shown = teams.connector.sent[-1].activity["attachments"][0]
    assert shown["contentType"] == "application/vnd.microsoft.teams.card.file.info"


async def test_an_export_asked_for_in_a_channel_comes_to_the_persons_chat(
    teams: TeamsClient,
) -> None:
    await teams.meet(ANA)
    in_thread = await teams.say("me export", channel=True)
    assert text_of(in_thread) == CHAT_NOTE
    await teams.deliver()
    chat = teams.connector.to(PERSONAL + ANA[0])
    kinds = [a["contentType"] for s in chat for a in s.activity.get("attachments") or []]
    assert kinds[-1] == "application/vnd.microsoft.teams.card.file.consent"
    assert "Everything kpi-coach holds about you" in text_of(chat)


async def test_malformed_activities_get_a_400_and_unknown_types_are_ignored(
    teams: TeamsClient,
) -> None:
    assert (await teams.post("{not json")).status == 400
    assert (await teams.post(json.dumps([1, 2]))).status == 400
    assert (await teams.post(json.dumps({"text": "no type"}))).status == 400
    for part in ("conversation", "from", "recipient", "serviceUrl"):
        odd = teams.activity("message_personal.json")
        odd[part] = "not an object" if part != "serviceUrl" else ""
        assert (await teams.post(odd)).status == 400, part
        del odd[part]
        assert (await teams.post(odd)).status == 400, part
    before = len(teams.connector.sent)
    strange = teams.activity("message_personal.json")
    strange["type"] = "somethingNew"
    response = await teams.post(strange)
    assert response.status in (200, 201)
    assert len(teams.connector.sent) == before


async def test_a_failure_reaches_the_person_as_one_short_line(
    teams: TeamsClient, caplog: pytest.LogCaptureFixture
) -> None:
    await teams.meet(ANA)
    bot = teams.http.server.app[TEAMS_KEY]

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the database fell over")

    bot.dispatcher.handle_text = broken  # type: ignore[method-assign]
    said = text_of(await teams.say("help"))
    assert "Something went wrong on our side" in said
    assert "Traceback" not in said
    assert "fell over" not in said
    assert any(r.exc_info and "fell over" in str(r.exc_info[1]) for r in caplog.records)


@pytest.fixture
def guarded(
    teams_database: str, config: AppConfig, clock: FixedClock, connector: MockConnector
) -> Callable[..., Awaitable[int]]:
    """A message to a server configured with `env`, arriving from `remote`."""

    async def post(
        remote: str, env: dict[str, str], headers: dict[str, str] | None = None, **changes: Any
    ) -> int:
        app = make_app(teams_settings(teams_database, **env), config, clock)

        @web.middleware
        async def seen_from(request: web.Request, handler: Any) -> web.StreamResponse:
            return await handler(request.clone(remote=remote))

        app.middlewares.append(seen_from)
        async with TestClient(TestServer(app)) as client:
            teams = TeamsClient(client, connector)
            activity = {**teams.activity("message_personal.json"), **changes}
            return (await teams.post(activity, headers)).status

    return post


async def test_with_an_app_id_an_unsigned_request_is_refused_with_401(
    guarded: Callable[..., Awaitable[int]], connector: MockConnector
) -> None:
    env = {"MicrosoftAppId": "5f1e7a1c-0d2b-4c9e-8f3a-2b1c0d9e8f7a", "MicrosoftAppPassword": "x"}
    assert await guarded("127.0.0.1", env) == 401
    assert connector.sent == []


async def test_with_an_app_id_only_teams_activities_naming_tenant_and_person(
    guarded: Callable[..., Awaitable[int]], connector: MockConnector
) -> None:
    env = {"MicrosoftAppId": "5f1e7a1c-0d2b-4c9e-8f3a-2b1c0d9e8f7a", "MicrosoftAppPassword": "x"}
    assert await guarded("127.0.0.1", env, channelId="directline") == 400
    no_tenant = {"id": "a:1", "conversationType": "personal"}
    assert await guarded("127.0.0.1", env, channelData={}, conversation=no_tenant) == 400
    assert await guarded("127.0.0.1", env, **{"from": {"id": "29:x", "name": "X"}}) == 400
    assert connector.sent == []


async def test_without_an_app_id_only_loopback_is_served(
    guarded: Callable[..., Awaitable[int]], connector: MockConnector
) -> None:
    assert await guarded("203.0.113.9", {}) == 403
    # Whatever header a proxy added, the request came from elsewhere.
    for header in (
        "X-Forwarded-For",
        "Forwarded",
        "X-Real-IP",
        "X-Forwarded-Host",
        "True-Client-IP",
        "CF-Connecting-IP",
    ):
        assert await guarded("127.0.0.1", {}, headers={header: "203.0.113.9"}) == 403, header
    # The body names where replies go: only to this machine, or it would be an open relay,
    # and no address two parsers could read as different hosts.
    port = connector.url.rsplit(":", 1)[1].rstrip("/")
    for service_url in (
        "https://example.org/",
        f"http://evil.example\\@127.0.0.1:{port}/",
        f"http://evil.example@127.0.0.1:{port}/",
        f"http://127.0.0.1:{port}\\@evil.example/",
        "gopher://127.0.0.1:5432/",
        f"ftp://127.0.0.1:{port}/",
        f"http://127.0.0.1:{port}/ x",
    ):
        assert await guarded("127.0.0.1", {}, serviceUrl=service_url) == 400, service_url
    assert connector.sent == []
    assert await guarded("127.0.0.1", {}) in (200, 201)


async def queue(
    database_url: str, tenant: str, aad: str, text: str, key: str = "first", channel: str = ""
) -> None:
    """A nudge to a person (or a post to `channel`) in the outbox, due now."""
    engine = make_engine(database_url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            workspace = await find_workspace(session, Platform.TEAMS, tenant)
            assert workspace is not None
            member = await member_by_platform_id(session, workspace.id, aad)
            assert member is not None
            message = dm(Mention(aad, member.display_name), text)
            if channel:
                message = Message(message.blocks, Audience.CHANNEL, channel_id=channel)
            row = OutboxRow(
                workspace.id,
                Platform.TEAMS,
                channel or aad,
                "checkin",
                f"test:{tenant}:{key}",
                stored(message),
                LONG_AGO,
                member_id=None if channel else member.id,
            )
            await enqueue(session, [row])
    finally:
        await engine.dispose()


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"MicrosoftAppId": "5f1e7a1c-0d2b-4c9e-8f3a-2b1c0d9e8f7a"}, "MicrosoftAppPassword"),
        (
            {
                "MicrosoftAppId": "5f1e7a1c-0d2b-4c9e-8f3a-2b1c0d9e8f7a",
                "MicrosoftAppPassword": "x",
                "MicrosoftAppType": "SingleTenant",
            },
            "MicrosoftAppTenantId",
        ),
    ],
)
def test_teams_settings_name_what_is_missing(
    teams_database: str, config: AppConfig, clock: FixedClock, env: dict[str, str], named: str
) -> None:
    with pytest.raises(ConfigError, match=named):
        make_app(teams_settings(teams_database, **env), config, clock)


@pytest.mark.parametrize("env", [{"TEAMS_LOOPBACK": "true"}, {"MicrosoftAppPassword": "x"}])
def test_teams_without_botbuilder_installed_is_refused_at_start(
    teams_database: str,
    config: AppConfig,
    clock: FixedClock,
    env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """botbuilder loads only at the first activity, so its absence is found at start without
    loading it, rather than at every request after."""
    monkeypatch.setattr(bot.teams, "find_spec", lambda name: None)
    if "MicrosoftAppPassword" in env:
        env = {**env, "MicrosoftAppId": "5f1e7a1c-0d2b-4c9e-8f3a-2b1c0d9e8f7a"}
    with pytest.raises(ConfigError, match="Teams needs botbuilder-core"):
        make_app(teams_settings(teams_database, **env), config, clock)
