"""An experiment's reply names the day its look-back nudge really comes: one due on a
non-working day is asked on the owner's next working day, as the tick sends it."""

from __future__ import annotations

from tests.support import Chat, active_kpi


async def test_a_look_back_on_a_sunday_is_promised_for_the_monday_the_nudge_comes(
    chat: Chat,
) -> None:
    kpi = await active_kpi(chat)
    said = await chat.text("ana", f'experiment {kpi} "call back every lost lead" review 2026-11-29')
    assert "I'll ask what happened on Monday 30 November 2026." in said
    # A working day stays as it was typed.
    said = await chat.text("ana", f'experiment {kpi} "send the case study first" review 2026-11-27')
    assert "I'll ask what happened on Friday 27 November 2026." in said


async def test_a_look_back_is_promised_for_the_day_the_owners_own_hours_bring_it(
    chat: Chat,
) -> None:
    kpi = await active_kpi(chat)
    # A night shift, quiet until half past midnight: a Friday's nudge comes early on Friday.
    assert "Saved" in await chat.text("ana", "me set hours 01:00-08:00 quiet 08:30-00:30")
    said = await chat.text("ana", f'experiment {kpi} "call back every lost lead" review 2026-11-27')
    assert "I'll ask what happened on Friday 27 November 2026." in said
