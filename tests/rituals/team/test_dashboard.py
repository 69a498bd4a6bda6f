"""`dashboard`: a link to the web page, to the asker alone, once the page has an address."""

from __future__ import annotations

from bot.config import AppConfig
from bot.dispatch import Dispatcher
from rituals.core.messages import Audience, Message
from tests.support import Chat, who
from web.app import with_address


async def test_without_an_address_the_dashboard_is_refused_in_plain_words(chat: Chat) -> None:
    said = await chat.text("ana", "dashboard")
    assert "The dashboard is not served here" in said
    assert "`home` shows the same in chat" in said


async def test_the_link_goes_to_the_asker_and_says_how_long_it_lasts(
    dispatcher: Dispatcher, config: AppConfig, chat: Chat
) -> None:
    dispatcher.settings = with_address(config, "https://kpi.example.org/")
    replies = await dispatcher.handle_text(who("ben", channel="C1"), "dashboard")
    (message,) = replies
    assert isinstance(message, Message)
    assert message.audience is Audience.DM
    assert message.to is not None
    assert message.to.platform_user_id == "ben"
    assert "https://kpi.example.org/dashboard/sign-in/" in message.text
    assert f"within {config.dashboard.link_minutes} minutes" in message.text
