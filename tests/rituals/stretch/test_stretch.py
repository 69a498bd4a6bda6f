"""Stretch assignments through the real grammar, dispatcher and store: the lead's suggestion,
the person's private yes or no, the outcome in the one-on-one script, the quarter's rotation
as a rule that refuses a second stretch while someone waits for a first, and bad input."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import AppConfig
from rituals.core.messages import Form
from tests.rituals.budgets.support import number as stretch_number
from tests.support import (
    Chat,
    MovingClock,
    active_kpi,
    at,
    buttons_of,
    chat_at,
    dms_to,
    seed_people,
    text_of,
)

ON = "checkin,one_on_one,kudos,review,stretch"
WORKSHOP = "lead the next client workshop"


async def _growth(chat: Chat) -> tuple[int, int]:
    """Growth with stretches on; Ana's and Ben's KPIs both lag their targets (4 and 1 of 10)."""
    assert "Saved" in await chat.text("lea", f"settings set rituals {ON} in Growth")
    ana = await active_kpi(chat)
    ben = await active_kpi(
        chat, "Demos booked", "10 demos", owner="ben", growth="run demos on my own"
    )
    assert "Logged" in await chat.text("ana", f'log {ana} 4 "two calls cancelled"')
    assert "Logged" in await chat.text("ben", f"log {ben} 1")
    return ana, ben


def number(said: str) -> int:
    return stretch_number(said, "stretch")


def _open(person: str, kpi: int, due: str = "2026-12-14", supporter: str = "@ben") -> str:
    return f'stretch {person} {kpi} "{WORKSHOP}" by {due} support {supporter}'


async def test_the_lead_asks_privately_the_person_says_yes_and_the_outcome_opens_the_script(
    chat: Chat,
) -> None:
    ana_kpi, _ = await _growth(chat)
    suggested = await chat.say("lea", "stretch suggest")
    said = text_of(suggested)
    # Ana and Ben both wait for a first; Ana came to the store first.
    assert "Next in Growth's stretch rotation (2026-Q4)" in said
    assert "Ana: no stretch this quarter yet." in said
    assert f"#{ana_kpi} Qualified leads: 4 against a target of 10 leads in 2026-W48" in said
    (button,) = buttons_of(suggested)
    assert button.command.startswith("stretch <@ana>")

    replies = await chat.say("lea", _open("@ana", ana_kpi))
    said = text_of(replies)
    n = number(said)
    assert f"Asked Ana privately whether they take on stretch #{n}" in said
    (ask,) = dms_to(replies, "ana")
    assert "@Lea would like you to take this on, by Monday 14 December 2026" in ask.text
    assert "with Ben to support you" in ask.text
    assert [b.command for b in buttons_of([ask])] == [
        f"stretch answer {n} yes",
        f"stretch answer {n} no",
    ]
    assert not dms_to(replies, "ben")  # the supporter hears once Ana says yes

    replies = await chat.say("ana", f"stretch answer {n} yes")
    assert f"Stretch #{n} is yours" in text_of(replies)
    assert f"Ana takes on stretch #{n}" in dms_to(replies, "lea")[0].text
    assert "You were named to support them" in dms_to(replies, "ben")[0].text
    assert f"You answered stretch #{n} already" in await chat.text("ana", f"stretch answer {n} no")

    form = (await chat.say("ana", f"stretch done {n}"))[0]
    assert isinstance(form, Form)
    said = await chat.text(
        "ana",
        f'stretch done {n} outcome "ran it; two clients signed up for a trial" '
        'learned "I can open a room full of strangers now"',
    )
    assert f"Stretch #{n} done" in said
    script = await chat.text("lea", "script @ana")
    wins = script.split("1. Wins first")[1].split("2. Dips")[0]
    assert (
        f"Stretch done toward Qualified leads: {WORKSHOP}. How it went: ran it; two clients "
        "signed up for a trial Learned: I can open a room full of strangers now" in wins
    )
    assert "Stretch done" not in await chat.text("ben", "script")


async def test_a_no_is_told_only_to_the_lead_and_sits_the_person_out_of_the_quarter(
    chat: Chat,
) -> None:
    ana_kpi, ben_kpi = await _growth(chat)
    n = number(await chat.text("lea", _open("@ana", ana_kpi)))
    replies = await chat.say("ana", f"stretch answer {n} no")
    assert "Nobody else is told" in text_of(replies)
    (told,) = dms_to(replies, "lea")
    assert f"Ana said not this time to stretch #{n}" in told.text
    assert not dms_to(replies, "ben")
    # The rotation moves on to Ben; Ana sits out the quarter.
    assert "Ben: no stretch this quarter yet." in await chat.text("lea", "stretch suggest")
    view = await chat.text("lea", "stretches")
    assert "Still waiting for a first: Ben" in view
    assert "Said not this time: Ana" in view
    # Ben sees only his own stretches, never the rotation.
    assert "No stretch assignments yet" in await chat.text("ben", "stretches")
    assert "Stretch #" not in await chat.text("ben", "stretches")
    assert ben_kpi


async def test_nobody_gets_a_second_before_everyone_who_wanted_one_got_a_first(chat: Chat) -> None:
    ana_kpi, ben_kpi = await _growth(chat)
    # Ana opens one for herself: taken on at once; her lead and her supporter hear of it.
    replies = await chat.say("ana", _open("me", ana_kpi))
    first = number(text_of(replies))
    assert f"Stretch #{first} is yours" in text_of(replies)
    (told,) = dms_to(replies, "lea")
    assert f"Ana takes on a stretch: {WORKSHOP}" in told.text
    assert "They named you to support them" in dms_to(replies, "ben")[0].text
    await chat.say(
        "ana",
        f'stretch done {first} outcome "ran the workshop for six" learned "I can plan a room now"',
    )
    # A second for Ana while Ben waits: refused, naming Ben to the lead only.
    refused = await chat.text("lea", _open("@ana", ana_kpi, "2026-12-21"))
    assert "Not yet: @Ben still wait for a first stretch this quarter on Growth." in refused
    mine = await chat.text("ana", _open("me", ana_kpi, "2026-12-21"))
    assert "1 of your teammates still wait for a first" in mine
    assert "Ben" not in mine  # whose KPI lags is not hers to know
    # Ben is next; once he had his first (he said no), Ana may have a second.
    assert "Ben: no stretch this quarter yet." in await chat.text("lea", "stretch suggest")
    bens = number(await chat.text("lea", _open("@ben", ben_kpi, supporter="@ana")))
    await chat.say("ben", f"stretch answer {bens} no")
    said = await chat.text("ana", _open("me", ana_kpi, "2026-12-21"))
    assert f"Stretch #{bens + 1} is yours" in said


async def test_bad_input_is_answered_in_plain_words_and_the_form_keeps_what_was_typed(
    chat: Chat,
) -> None:
    ana_kpi, ben_kpi = await _growth(chat)
    on_target = await active_kpi(
        chat, "Referrals", "2 referrals", owner="ana", growth="grow my network"
    )
    await chat.say("ana", f"log {on_target} 3")
    refused = await chat.say("lea", _open("@ana", on_target))
    said = text_of(refused)
    assert "does not lag its target by its latest value" in said
    assert f"Lagging its target: #{ana_kpi} Qualified leads" in said
    form = next(r for r in refused if isinstance(r, Form))
    assert {f.name: f.value for f in form.fields}["what"] == WORKSHOP

    assert "is not an active KPI of Ana's" in await chat.text("lea", _open("@ana", ben_kpi))
    assert "is not a day I can read" in await chat.text("lea", _open("@ana", ana_kpi, "someday"))
    assert "within 90 days" in await chat.text("lea", _open("@ana", ana_kpi, "2027-06-01"))
    assert "nobody stretches alone" in await chat.text(
        "lea", _open("@ana", ana_kpi, supporter="@ana")
    )
    said = await chat.text("lea", f'stretch @ana {ana_kpi} "lead it" by fri support @ben')
    assert "What they take on is too short; say a little more (at least 12 characters)" in said
    # A member opens one for themself only; and never in a channel.
    said = await chat.text("ben", _open("@ana", ana_kpi))
    assert "Only the lead of Growth or an admin can open a stretch for someone else" in said
    said = await chat.text("lea", _open("@ana", ana_kpi), channel="C0GROWTH")
    assert "is said in a direct message with me, not in a channel" in said
    assert "There is no stretch #99999 for you here" in await chat.text(
        "ana", "stretch answer 99999 yes"
    )


async def test_a_team_that_switched_stretches_off_is_refused_with_who_can_switch_them_on(
    chat: Chat,
) -> None:
    said = await chat.text("lea", "stretch suggest")
    assert "Growth has switched off stretch assignments" in said
    assert "settings set rituals" in said


async def test_an_unanswered_ask_is_no_first_and_lapses_at_its_day(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    clock = MovingClock(at("2026-11-23 09:30"))  # a Monday
    async with sessions() as session, session.begin():
        await seed_people(session, clock)
    chat = chat_at(sessions, config, clock)
    ana_kpi, _ = await _growth(chat)
    n = number(await chat.text("lea", _open("@ana", ana_kpi, "2026-11-27")))
    shown = await chat.text("lea", "stretches")
    assert "Asked, waiting for a yes: Ana" in shown
    assert "Had a first" not in shown
    clock.move_to(at("2026-12-07 09:30"))
    said = await chat.text("ana", f"stretch answer {n} yes")
    assert "was due by Friday 27 November 2026, and that day has passed" in said
    assert "ask your lead to open it again with a new day" in said
    shown = await chat.text("lea", "stretches")
    assert "lapsed, not answered by its day" in shown
    assert "Still waiting for a first: Ana, Ben" in shown
    # Nothing stays open: the lead may ask again, with a new day.
    assert "Asked Ana privately" in await chat.text("lea", _open("@ana", ana_kpi, "2026-12-18"))


async def test_a_word_that_is_nobody_says_what_stretch_expects_and_refusals_read_cleanly(
    chat: Chat,
) -> None:
    _, ben_kpi = await _growth(chat)
    said = await chat.text("lea", "stretch banana")
    assert said.startswith("stretch starts with who stretches: a teammate as @name, or me")
    assert "I don't know @banana in this workspace yet" in said
    said = await chat.text("lea", _open("@ana", ben_kpi))
    assert "Demos booked is not an active KPI of Ana's. Lagging its target: #" in said
    assert "  " not in said


async def test_a_stretch_due_on_a_sunday_is_asked_about_on_the_next_working_day(
    chat: Chat,
) -> None:
    ana_kpi, ben_kpi = await _growth(chat)
    said = await chat.text("ana", _open("me", ana_kpi, "2026-11-29"))
    assert "I'll ask how it went on Monday 30 November 2026, the next working day." in said
    n = number(await chat.text("lea", _open("@ben", ben_kpi, "2026-12-13", "@ana")))
    said = await chat.text("ben", f"stretch answer {n} yes")
    assert "I'll ask how it went on Monday 14 December 2026, the next working day." in said
