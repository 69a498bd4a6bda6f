"""The reason for killing a KPI is the review's only free text: it needs no keyword."""

from __future__ import annotations

from rituals.core.messages import Form
from tests.support import Chat, active_kpi


async def test_a_kill_takes_its_reason_without_the_word_why(chat: Chat) -> None:
    kpi = await active_kpi(chat)
    replies = await chat.say("lea", f'review {kpi} kill "we measure revenue instead"')
    (form,) = replies
    assert isinstance(form, Form), replies
    values = {f.name: f.value for f in form.fields}
    assert values["why"] == "we measure revenue instead"
    assert values["verdict"] == "kill"
    said = await chat.text(
        "lea", f'review {kpi} kill relevant no motivating no "we measure revenue instead"'
    )
    assert "we measure revenue instead" in said
