"""Numbers with context over the real grammar, dispatcher and store, on a clock that moves:
periods across year ends, logging and correcting, questioned values, the trend chart,
celebrated declines and the experiments they start."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import AppConfig
from bot.dispatch import Dispatcher
from bot.grammar import build_grammar
from rituals.core.messages import Audience, Form, Image, Message, Outgoing
from rituals.core.periods import describe_period, from_index, parse_period, period_of
from rituals.kpis.visibility import TEAM_SEES_NUMBERS
from rituals.numbers.declines import WILD_IDEA, detect
from storage.models import Cadence, Experiment, Kpi, KpiValue, Team
from tests.conftest import NOW
from tests.support import (
    Chat,
    MovingClock,
    about,
    active_kpi,
    assert_valid_png,
    buttons_of,
    dms_to,
    proposed_kpi,
    seed_people,
    text_of,
)

W, M, Q = Cadence.WEEKLY, Cadence.MONTHLY, Cadence.QUARTERLY

# --- periods ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cadence", "day", "name", "start", "before", "after"),
    [
        (W, date(2026, 12, 31), "2026-W53", date(2026, 12, 28), "2026-W52", "2027-W01"),
        (W, date(2027, 1, 3), "2026-W53", date(2026, 12, 28), "2026-W52", "2027-W01"),
        (W, date(2025, 12, 29), "2026-W01", date(2025, 12, 29), "2025-W52", "2026-W02"),
        (W, date(2024, 12, 31), "2025-W01", date(2024, 12, 30), "2024-W52", "2025-W02"),
        (M, date(2026, 12, 31), "2026-12", date(2026, 12, 1), "2026-11", "2027-01"),
        (M, date(2027, 1, 1), "2027-01", date(2027, 1, 1), "2026-12", "2027-02"),
        (Q, date(2026, 12, 31), "2026-Q4", date(2026, 10, 1), "2026-Q3", "2027-Q1"),
        (Q, date(2027, 1, 1), "2027-Q1", date(2027, 1, 1), "2026-Q4", "2027-Q2"),
    ],
)
def test_periods_across_year_ends(
    cadence: Cadence, day: date, name: str, start: date, before: str, after: str
) -> None:
    period = period_of(cadence, day)
    assert (period.name, period.start) == (name, start)
    assert period.shifted(-1).name == before
    assert period.shifted(1).name == after
    assert period.start <= day <= period.end
    assert period.shifted(1).start == period.end + timedelta(days=1)
    assert parse_period(cadence, name, day) == period


def test_consecutive_periods_tile_the_calendar_without_gaps() -> None:
    for cadence in Cadence:
        first = period_of(cadence, date(2023, 6, 15))
        for steps in range(0, 120):
            one, two = from_index(cadence, first.index + steps), first.shifted(steps + 1)
            assert two.start == one.end + timedelta(days=1), (cadence, one)
            assert period_of(cadence, one.end) == one


@pytest.mark.parametrize(
    ("cadence", "typed"),
    [(W, "2027-W53"), (W, "2026-W00"), (M, "2026-13"), (Q, "2026-Q5"), (W, "2026-11"), (M, "soon")],
)
def test_a_period_that_does_not_exist_says_how_to_write_one(cadence: Cadence, typed: str) -> None:
    with pytest.raises(ValueError, match="write it like"):
        parse_period(cadence, typed, date(2026, 11, 23))


def test_last_and_this_are_relative_to_today() -> None:
    today = date(2027, 1, 2)
    assert parse_period(W, "last", today).name == "2026-W52"
    assert parse_period(M, "last", today).name == "2026-12"
    assert parse_period(Q, "this", today).name == "2027-Q1"
    assert describe_period(period_of(W, today)) == "the week of 28 December 2026"
    assert describe_period(period_of(M, today)) == "January 2027"
    assert describe_period(period_of(Q, today)) == "Q1 2027"


# --- the decline rule -------------------------------------------------------------------------


def _history(cadence: Cadence, now: date, values: list[float | None]) -> list:
    """Values for the periods before `now`'s, oldest first; None is a period nobody logged."""
    current = period_of(cadence, now)
    count = len(values)
    return [
        (current.shifted(i - count), Decimal(str(v))) for i, v in enumerate(values) if v is not None
    ]


def test_a_sharp_fall_from_last_period_is_a_decline() -> None:
    current = period_of(W, date(2026, 11, 23))
    found = detect(current, Decimal(7), _history(W, date(2026, 11, 23), [10, 10]), 20)
    assert found is not None
    assert (found.against, found.percent, found.reference) == ("last week", 30, Decimal(10))


def test_a_first_value_is_never_a_decline() -> None:
    current = period_of(W, date(2026, 11, 23))
    assert detect(current, Decimal(0), [], 20) is None


def test_missing_periods_are_unknown_not_zero() -> None:
    day = date(2026, 11, 23)
    current = period_of(W, day)
    # One value three weeks back and nothing since: no previous, no trend to fall from.
    assert detect(current, Decimal(5), _history(W, day, [10, None, None]), 20) is None
    # A gap last week, but a steady trend before it: a fall against the trend still counts.
    found = detect(current, Decimal(5), _history(W, day, [10, 10, 10, None]), 20)
    assert found is not None
    assert found.against == "the trend of the last 3 weeks"


def test_a_rise_after_a_gap_is_a_recovery_not_a_fall_against_the_trend() -> None:
    day = date(2026, 11, 23)
    current = period_of(W, day)
    assert detect(current, Decimal(5), _history(W, day, [10, 10, 10, 4, None]), 20) is None


def test_small_falls_rises_and_recoveries_are_not_declines() -> None:
    day = date(2026, 11, 23)
    current = period_of(W, day)
    assert detect(current, Decimal(8), _history(W, day, [10, 10]), 20) is None  # exactly 20%
    assert detect(current, Decimal(12), _history(W, day, [10, 10]), 20) is None
    # Below the trend but up on last week: recovering, not declining.
    assert detect(current, Decimal(6), _history(W, day, [20, 20, 20, 2]), 20) is None
    # From zero or below there is no percent to fall.
    assert detect(current, Decimal(-5), _history(W, day, [0, 0]), 20) is None


def test_values_far_back_do_not_make_a_trend() -> None:
    day = date(2026, 11, 23)
    current = period_of(M, day)
    old = _history(M, day, [100, 100, 100, None, None, None, None, None, None, None])
    assert detect(current, Decimal(10), old, 20) is None


# --- logging ----------------------------------------------------------------------------------


@pytest.fixture
def moving() -> MovingClock:
    return MovingClock(NOW)


@pytest.fixture
async def talk(
    sessions: async_sessionmaker[AsyncSession], moving: MovingClock, config: AppConfig
) -> Chat:
    async with sessions() as session, session.begin():
        await seed_people(session, moving)
    return Chat(Dispatcher(sessions, build_grammar(config.commands.slash), moving, config))


async def _values(sessions: async_sessionmaker[AsyncSession]) -> list[KpiValue]:
    async with sessions() as session:
        return list((await session.scalars(select(KpiValue).order_by(KpiValue.id))).all())


async def test_a_value_is_logged_for_the_current_period_with_its_note(
    talk: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    kpi = await active_kpi(talk)
    said = await talk.text("ana", f'log {kpi} 12 "two demos moved up"')
    assert f"Logged 12 leads for #{kpi} Qualified leads, the week of 23 November 2026." in said
    (row,) = await _values(sessions)
    assert (row.period, row.period_start, row.value, row.note) == (
        "2026-W48",
        date(2026, 11, 23),
        Decimal(12),
        "two demos moved up",
    )


async def test_the_unit_typed_after_the_number_is_checked_and_not_kept_as_the_note(
    talk: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    kpi = await active_kpi(talk)
    assert "Logged 9 leads" in await talk.text("ana", f"log {kpi} 9 leads")
    (row,) = await _values(sessions)
    assert row.note is None
    (form,) = await talk.say("ana", f"log {kpi} 9%")
    assert isinstance(form, Form)
    assert "is counted in leads, not in %" in form.intro
    assert len(await _values(sessions)) == 1


async def test_a_correction_keeps_the_old_value_in_history(
    talk: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    kpi = await active_kpi(talk)
    await talk.text("ana", f"log {kpi} 10")
    said = await talk.text("ana", f"log {kpi} 12")
    assert (
        f"Corrected #{kpi} Qualified leads for the week of 23 November 2026: 10 leads is now 12"
        in (said)
    )
    assert [r.value for r in await _values(sessions)] == [Decimal(10), Decimal(12)]
    (reply,) = await talk.say("ana", f"trend {kpi}")
    assert "Corrected: 2026-W48 10 leads to 12 leads." in text_of([reply])


async def test_earlier_periods_by_name_and_not_the_future(
    talk: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    kpi = await active_kpi(talk)
    assert "the week of 16 November 2026" in await talk.text("ana", f"log {kpi} 8 period last")
    assert "the week of 9 November 2026" in await talk.text("ana", f"log {kpi} 8 period 2026-W46")
    (form,) = await talk.say("ana", f"log {kpi} 8 period 2026-W50")
    assert isinstance(form, Form)
    assert "has not begun" in form.intro
    (form,) = await talk.say("ana", f"log {kpi} 8 period 2026-11")
    assert isinstance(form, Form)
    assert "write it like 2026-W48" in form.intro
    (form,) = await talk.say("ana", f"log {kpi} 8 period 2020-W01")
    assert isinstance(form, Form)
    assert "values go back 156 weeks at most" in form.intro
    assert len(await _values(sessions)) == 2


async def test_with_no_value_a_form_opens_about_the_kpi(talk: Chat) -> None:
    kpi = await active_kpi(talk)
    (form,) = await talk.say("ana", f"log {kpi}")
    assert isinstance(form, Form)
    assert about(form.hidden) == {"kpi": str(kpi)}
    assert {f.name: f.required for f in form.fields} == {
        "value": True,
        "note": False,
        "period": False,
    }
    replies = await talk.submit("ana", form, {"value": "11", "note": "quiet week"})
    assert "Logged 11 leads" in text_of(replies)


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("abc", "must be a number"),
        ("12345678901234567", "digits"),
        ("1.23456", "too many digits"),
        ("nan", "must be a number"),
    ],
)
async def test_bad_numbers_are_refused_with_the_reason(
    talk: Chat, sessions: async_sessionmaker[AsyncSession], typed: str, problem: str
) -> None:
    kpi = await active_kpi(talk)
    said = await talk.text("ana", f"log {kpi} {typed}")
    assert problem in said
    assert await _values(sessions) == []


async def test_a_too_long_note_is_refused(
    talk: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    kpi = await active_kpi(talk)
    said = await talk.text("ana", f'log {kpi} 5 "{"x" * 201}"')
    assert "200" in said
    assert await _values(sessions) == []


async def test_a_share_over_the_whole_is_questioned_and_stored_only_when_confirmed(
    talk: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    kpi = await active_kpi(talk, "Win rate", "25%")
    replies = await talk.say("ana", f"log {kpi} 340%")
    assert "340% is outside 0 to 100%" in text_of(replies)
    assert await _values(sessions) == []
    yes, change = buttons_of(replies)
    assert yes.label == "Yes, log 340%"
    assert change.command == f"log {kpi}"
    assert "Logged 340%" in await talk.text("ana", yes.command)
    assert [r.value for r in await _values(sessions)] == [Decimal(340)]


async def test_a_value_ten_times_anything_before_is_questioned(
    talk: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    kpi = await active_kpi(talk)
    replies = await talk.say("ana", f'log {kpi} 1,200 "big fair"')
    assert "more than 10 times the target" in text_of(replies)
    assert "(the largest is 10 leads)" in text_of(replies)
    yes, _ = buttons_of(replies)
    assert yes.command == f'log {kpi} 1,200 "big fair" period 2026-W48 --confirmed'
    replies = await talk.say("ana", f"log {kpi} -3")
    assert "below zero" in text_of(replies)
    assert await _values(sessions) == []


async def test_the_confirm_button_keeps_a_note_with_quotes_and_its_period(
    talk: Chat, moving: MovingClock, sessions: async_sessionmaker[AsyncSession]
) -> None:
    kpi = await active_kpi(talk)
    note = 'he said "wow" today'
    replies = await talk.say("ana", f"log {kpi} 1200 '{note}'")
    yes, _ = buttons_of(replies)
    assert await _values(sessions) == []
    moving.move_to(NOW + timedelta(weeks=1))  # clicked a week later: still the week asked about
    assert "the week of 23 November 2026" in await talk.text("ana", yes.command)
    (row,) = await _values(sessions)
    assert (row.note, row.period) == (note, "2026-W48")
    # A note that merely says "confirmed" is a note, not a way past the question.
    said = await talk.text("ana", f"log {kpi} 99999 order confirmed by the client")
    assert "more than 10 times" in said
    assert len(await _values(sessions)) == 1


async def test_only_the_owner_and_their_lead_log_and_only_active_kpis(
    talk: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    kpi = await active_kpi(talk)
    assert "You can't log Ana's numbers" in await talk.text("ben", f"log {kpi} 3")
    assert f"There is no KPI #{kpi} here" in await talk.text("zed", f"log {kpi} 3", "T2")
    replies = await talk.say("lea", f'log {kpi} 9 "from the CRM export"')
    assert "Logged 9 leads" in text_of(replies)
    (to_ana,) = dms_to(replies, "ana")
    assert "Lea logged 9 leads for Qualified leads" in to_ana.text
    assert "Context: from the CRM export" in to_ana.text
    said = await talk.text("ana", 'propose "Demos" target 3 demos per week')
    proposed = int(said.split("#")[1].split(":")[0])
    assert "still a proposal" in await talk.text("ana", f"log {proposed} 3")
    await talk.text("ana", f"retire {kpi} we measure demos now")
    assert "was retired (we measure demos now)" in await talk.text("ana", f"log {kpi} 3")
    assert len(await _values(sessions)) == 1


# --- celebrated declines and experiments ------------------------------------------------------


async def test_a_sharp_fall_asks_for_a_wild_idea_once_per_period(
    talk: Chat, moving: MovingClock, sessions: async_sessionmaker[AsyncSession]
) -> None:
    kpi = await active_kpi(talk)
    await talk.text("ana", f"log {kpi} 10 period last")
    replies = await talk.say("ana", f'log {kpi} 6 "two reps out sick"')
    said = text_of(replies)
    assert "Qualified leads fell 40% against last week (10 leads to 6 leads)." in said
    assert WILD_IDEA in said
    assert f"experiment {kpi}" in [b.command for b in buttons_of(replies)]
    # A correction in the same week that still falls is not asked again.
    assert WILD_IDEA not in await talk.text("ana", f"log {kpi} 5")
    assert [r.decline_asked for r in await _values(sessions)] == [False, True, False]


async def test_a_fall_in_an_old_period_logged_late_is_history_not_news(talk: Chat) -> None:
    kpi = await active_kpi(talk)
    await talk.text("ana", f"log {kpi} 10 period 2026-W40")
    assert WILD_IDEA not in await talk.text("ana", f"log {kpi} 2 period 2026-W41")
    await talk.text("ana", f"log {kpi} 10 period 2026-W46")
    assert WILD_IDEA in await talk.text("ana", f"log {kpi} 2 period last")


async def test_the_lead_sees_the_teams_falls_at_a_glance(talk: Chat) -> None:
    kpi = await active_kpi(talk)
    other = await active_kpi(talk, "Demos", "3 demos", owner="ben")
    assert "No KPI on Growth fell more than 20%" in await talk.text("lea", "falls")
    for number, before, now in ((kpi, 10, 4), (other, 3, 3)):
        await talk.text("lea", f"log {number} {before} period last")
        await talk.text("lea", f"log {number} {now}")
    replies = await talk.say("lea", "falls")
    said = text_of(replies)
    assert f"#{kpi} Qualified leads: 60% down against last week" in said
    assert "Demos" not in said
    assert [b.command for b in buttons_of(replies)] == [f"trend {kpi}"]
    assert "Only the lead of Growth or an admin" in await talk.text("ana", "falls")


async def test_the_owner_hears_of_a_decline_their_lead_logged(talk: Chat) -> None:
    kpi = await active_kpi(talk)
    await talk.text("ana", f"log {kpi} 10 period last")
    replies = await talk.say("lea", f"log {kpi} 2")
    assert WILD_IDEA not in text_of([r for r in replies if r not in dms_to(replies, "ana")])
    (to_ana,) = dms_to(replies, "ana")
    assert WILD_IDEA in to_ana.text


async def test_a_decline_on_a_shared_kpi_is_celebrated_in_the_team_channel(
    talk: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    kpi = await active_kpi(talk)
    async with sessions() as session, session.begin():
        row = await session.get(Kpi, kpi)
        assert row is not None
        row.shared = True
        team = await session.get(Team, row.team_id)
        assert team is not None
        team.channel_id = "C-GROWTH"
    await talk.text("ana", f"log {kpi} 10 period last")
    replies = await talk.say("ana", f"log {kpi} 4")
    posts = [r for r in replies if isinstance(r, Message) and r.audience is Audience.CHANNEL]
    assert posts, text_of(replies)
    assert WILD_IDEA in posts[0].text


async def test_the_decline_threshold_is_the_teams_setting(talk: Chat) -> None:
    kpi = await active_kpi(talk)
    await talk.text("lea", "settings set decline 50")
    await talk.text("ana", f"log {kpi} 10 period last")
    assert WILD_IDEA not in await talk.text("ana", f"log {kpi} 6")


async def test_an_experiment_starts_from_the_wild_idea_and_finishes_as_a_win(
    talk: Chat, moving: MovingClock, sessions: async_sessionmaker[AsyncSession]
) -> None:
    kpi = await active_kpi(talk)
    (form,) = await talk.say("ana", f"experiment {kpi}")
    assert isinstance(form, Form)
    assert form.title == WILD_IDEA
    replies = await talk.submit("ana", form, {"idea": "call back every lost lead in an hour"})
    said = text_of(replies)
    assert "on Qualified leads" in said
    tried = int(said.split("Experiment #")[1].split(" ")[0])
    assert "Monday 30 November 2026" in said
    (form,) = await talk.say("ana", f'experiment {kpi} "try a bolder thing" review yesterday')
    assert isinstance(form, Form)
    assert "Look back on" in form.intro
    (form,) = await talk.say(
        "ana", f'experiment {kpi} "call back lost leads fast" review 2027-06-01'
    )
    assert isinstance(form, Form)
    assert "within 8 weeks" in form.intro
    assert "someone else's" in await talk.text("ben", f'result {tried} "it worked out very well"')
    (form,) = await talk.say("ana", f"result {tried}")
    assert isinstance(form, Form)
    assert "call back every lost lead" in form.intro
    replies = await talk.submit("ana", form, {"result": "three lost leads came back to us"})
    assert "Trying was the win" in text_of(replies)
    assert "finished already" in await talk.text(
        "ana", f'result {tried} "again and again and again"'
    )
    async with sessions() as session:
        (row,) = (await session.scalars(select(Experiment))).all()
        assert row.result == "three lost leads came back to us"
        assert row.finished_at == NOW
    moving.move_to(NOW + timedelta(days=1))
    script = await talk.text("lea", "script with @ana")
    assert "Experiment finished on Qualified leads: call back every lost lead in an hour." in script
    listed = await talk.text("ana", "experiments")
    assert "Result: three lost leads came back to us" in listed


async def test_experiments_on_someone_elses_unshared_kpi_are_refused(talk: Chat) -> None:
    kpi = await active_kpi(talk)
    said = await talk.text("ben", f'experiment {kpi} "a bold idea to try"')
    assert "You can't start an experiment on Ana" in said
    assert "There is no experiment #9 here" in await talk.text("ana", "result 9")


# --- the trend --------------------------------------------------------------------------------


async def test_the_trend_is_a_png_with_its_notes_and_a_sketch(
    talk: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    kpi = await active_kpi(talk)
    async with sessions() as session, session.begin():
        row = await session.get(Kpi, kpi)
        assert row is not None
        start = period_of(W, NOW.date())
        for back in range(104):
            period = start.shifted(-back)
            session.add(
                KpiValue(
                    workspace_id=row.workspace_id,
                    kpi_id=kpi,
                    period=period.name,
                    period_start=period.start,
                    value=Decimal(8 + back % 5),
                    note="fair week" if back == 3 else None,
                    logged_by_id=row.owner_id,
                    logged_at=NOW - timedelta(weeks=back),
                )
            )
    (reply,) = await talk.say("ana", f"trend {kpi}")
    assert isinstance(reply, Message)
    (image,) = [b for b in reply.blocks if isinstance(b, Image)]
    width, height = assert_valid_png(image.data)
    assert 600 <= width <= 1200
    assert 300 <= height <= 800
    assert len(image.sketch) == 52
    assert "104 values from 2024-W49 to 2026-W48" in image.alt
    assert "1. 2026-W45: fair week" in reply.text
    assert "Only you and your lead see these numbers." in reply.text  # Ana's own
    assert "Only Ana and their lead see these numbers." in await talk.text("lea", f"trend {kpi}")
    assert "Image" not in await talk.text("ben", f"trend {kpi}")
    assert "You can't see Ana's numbers" in await talk.text("ben", f"trend {kpi}")
    (lead_view,) = await talk.say("lea", f"trend {kpi}")
    assert any(isinstance(b, Image) for b in lead_view.blocks)  # type: ignore[union-attr]


async def test_a_trend_with_no_values_offers_to_log_one(talk: Chat) -> None:
    kpi = await active_kpi(talk)
    replies = await talk.say("ana", f"trend {kpi}")
    assert "has no values yet" in text_of(replies)
    assert [b.command for b in buttons_of(replies)] == [f"log {kpi}"]


async def test_a_trend_of_a_proposal_or_a_retired_kpi_offers_no_log_that_would_be_refused(
    talk: Chat,
) -> None:
    proposal = await proposed_kpi(talk)
    replies = await talk.say("ana", f"trend {proposal}")
    assert "still a proposal, and numbers are logged once a lead activates it" in text_of(replies)
    assert buttons_of(replies) == []
    retired = await active_kpi(talk, "Demos booked", "5 demos")
    await talk.text("ana", f"retire {retired} we measure calls now")
    replies = await talk.say("ana", f"trend {retired}")
    assert "was retired with no values logged" in text_of(replies)
    assert buttons_of(replies) == []


async def test_a_trend_offers_to_log_only_to_whoever_log_takes_a_value_from(
    talk: Chat,
) -> None:
    """Ana shares her numbers: Ben, her teammate, sees the trend, but a value of hers is hers
    or her lead's to log, so he gets no button that `log` would refuse."""
    kpi = await active_kpi(talk)
    assert "Growth can now see" in await talk.text("ana", f"share {kpi}")
    replies = await talk.say("ben", f"trend {kpi}")
    assert "has no values yet" in text_of(replies)
    assert buttons_of(replies) == []
    await talk.text("ana", f"log {kpi} 8")
    replies = await talk.say("ben", f"trend {kpi}")
    assert "Latest" in text_of(replies)
    assert buttons_of(replies) == []
    assert "You can't log Ana's numbers" in await talk.text("ben", f"log {kpi} 9")
    for allowed in ("ana", "lea"):  # the owner, and her lead
        replies = await talk.say(allowed, f"trend {kpi}")
        assert [(b.label, b.command) for b in buttons_of(replies)] == [
            ("Log a value", f"log {kpi}")
        ]


async def test_a_fall_reaches_the_channel_only_when_its_owner_shared_the_kpi(
    talk: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    private = await active_kpi(talk)
    opened = await active_kpi(talk, "Demos booked", "5 demos", owner="ben")
    async with sessions() as session, session.begin():
        row = await session.get(Kpi, private)
        assert row is not None
        team = await session.get(Team, row.team_id)
        assert team is not None
        team.channel_id = "C-GROWTH"
    assert "Growth can now see" in await talk.text("ben", f"share {opened}")
    async with sessions() as session:
        seen = await session.scalars(select(Kpi.id).where(TEAM_SEES_NUMBERS))
        assert list(seen) == [opened]  # the SQL side of the rule agrees with the row's

    def posted(replies: list[Outgoing]) -> list[Message]:
        return [r for r in replies if isinstance(r, Message) and r.audience is Audience.CHANNEL]

    for owner, kpi in (("ana", private), ("ben", opened)):
        await talk.text(owner, f"log {kpi} 10 period last")
    assert posted(await talk.say("ana", f"log {private} 4")) == []  # hers alone: no post
    (post,) = posted(await talk.say("ben", f"log {opened} 4"))
    assert WILD_IDEA in post.text


async def test_someone_on_no_team_with_the_owner_hears_the_kpi_does_not_exist(chat: Chat) -> None:
    """Zed, new and on no team, types a number at random: the answer for Ana's KPI reads as
    for one that does not exist, and never names her."""
    kpi = await active_kpi(chat)
    assert "Welcome" in await chat.text("zzz", "help")
    for command in (f"log {kpi} 5", f"trend {kpi}"):
        said = await chat.text("zzz", command)
        assert said == f"There is no KPI #{kpi} here. kpis lists yours.", said
    said = await chat.text("zzz", 'trend "Qualified leads"')
    assert said == 'No KPI is called "Qualified leads". kpis lists yours with their numbers.', said
