"""The slash command through the real Bolt app: acks, replies, bad input, mentions, escaping."""

from __future__ import annotations

from typing import Any

from tests.slack.conftest import ANA, BEN, SlackClient


def texts(body: dict[str, Any]) -> str:
    """Every piece of text in a message's blocks, as Slack would receive it."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                out.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(body.get("blocks", []))
    return "\n".join(out)


async def test_help_is_acked_at_once_and_answered_through_the_response_url(
    slack: SlackClient,
) -> None:
    response = await slack.command("help")
    assert response.status == 200
    assert await response.text() == ""
    welcome, call = await slack.api.wait_for("response_url", 2)
    assert "Welcome, Ana" in texts(welcome.args)  # first contact: name from users.info
    assert call.args["response_type"] == "ephemeral"
    assert call.args["replace_original"] is False
    assert "propose" in texts(call.args)
    print([(c.method, c.args) for c in slack.api.calls])
