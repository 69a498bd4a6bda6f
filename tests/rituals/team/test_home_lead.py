"""A lead's home shows what waits on them: KPIs ready to activate, obstacles with no
commitment yet; each with the button that does it, and gone once done."""

from __future__ import annotations

import re

from tests.support import Chat, buttons_of, proposed_kpi, text_of


async def test_a_leads_home_lists_what_waits_on_her_and_forgets_it_once_done(chat: Chat) -> None:
    kpi = await proposed_kpi(chat)
    assert "ready to activate" not in await chat.text("lea", "home")  # not exciting anyone yet
    await chat.say("ana", f'why {kpi} "every lead is a conversation I learn from"')
    # Put to the team's vote (in DMs: Growth has no channel), it waits for the team first.
    assert "ready to activate" not in await chat.text("lea", "home")
    await chat.say("ben", f"vote {kpi} back")
    home = await chat.say("lea", "home")
    assert f"#{kpi} Qualified leads is ready to activate." in text_of(home)
    assert f"activate {kpi}" in [b.command for b in buttons_of(home)]
    assert "ready to activate" not in await chat.text("ana", "home")  # only the lead's

    raised = await chat.text("ana", 'obstacle "The CRM export breaks every morning"')
    found = re.search(r"obstacle #(\d+)", raised)
    assert found, raised
    obstacle = found.group(1)
    home = await chat.say("lea", "home")
    assert "Ana's obstacle on Growth waits for a commitment." in text_of(home)
    assert f"commit {obstacle}" in [b.command for b in buttons_of(home)]

    assert "Active" in await chat.text("lea", f"activate {kpi}")
    await chat.say(
        "lea", f'commit {obstacle} "Ask IT to fix the nightly CRM export" owner @lea due fri'
    )
    after = await chat.text("lea", "home")
    assert "ready to activate" not in after
    assert "waits for a commitment" not in after
