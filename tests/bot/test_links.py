"""A link the bot makes (the dashboard's) is clickable everywhere, and survives the outbox."""

from __future__ import annotations

from bot.console.render import line
from bot.payload import decode, encode
from bot.slack.render import mrkdwn
from bot.teams.markdown import inline
from rituals.core.messages import Link, Message, Paragraph, plain_text, rich

URL = "https://kpi.example.org/dashboard/sign-in/0a1b2c"
PARTS = rich("Here: ", Link(URL, "Open <your> dashboard"))


def test_slack_gets_an_escaped_link_with_words() -> None:
    assert mrkdwn(PARTS) == f"Here: <{URL}|Open &lt;your&gt; dashboard>"


def test_teams_gets_a_markdown_link() -> None:
    entities: list[dict[str, object]] = []
    shown = inline(PARTS, entities)
    assert shown.endswith(f"]({URL})")
    assert "Open" in shown
    assert not entities


def test_the_console_and_plain_text_show_the_address() -> None:
    assert line(PARTS) == f"Here: Open <your> dashboard: {URL}"
    assert plain_text(PARTS) == f"Here: Open <your> dashboard: {URL}"


def test_a_queued_link_comes_back_from_the_outbox_as_it_was() -> None:
    message = Message((Paragraph(PARTS),))
    assert decode(encode(message, None)).blocks == message.blocks
