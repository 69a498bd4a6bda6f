"""Numbers, the quarterly review and the purpose workshop through the real CloudAdapter.

The trend chart arrives inline in its card as an Adaptive Card `Image` whose url is a PNG data
URI, two years of weekly values included (small enough for the card); the
review form comes back with a kill's missing reason on top and every answer kept, and retires
the KPI once answered right; the purpose workshop reaches each member proactively in their chat
with the bot, through the outbox and the mock Bot Connector.
"""

from __future__ import annotations

import base64
from datetime import timedelta
from decimal import Decimal
from typing import Any

from bot.teams.replies import FILE_CONSENT
from rituals.core.periods import period_of
from storage.engine import make_engine, make_sessionmaker
from storage.models import Cadence, KpiValue, Platform
from storage.people import find_workspace, member_by_platform_id
from tests.bot.teams.conftest import ANA, BEN, LEA, PERSONAL, TeamsClient, text_of
from tests.bot.teams.mock_connector import Sent
from tests.bot.teams.support import (
    DATA_URI,
    active_kpi,
    answer,
    chat_of,
    filled,
    form_of,
    growth,
    images,
    news,
    runs,
    words_of,
)
from tests.conftest import NOW
from tests.support import PNG_SIGNATURE, assert_valid_png
from tests.support import about as what_about

PURPOSE = "we help small shops sell online"


def offered(sent: list[Sent]) -> list[dict[str, Any]]:
    """The file consent cards among the replies: a file Teams hands over once accepted."""
    return [
        a
        for s in sent
        for a in s.activity.get("attachments") or []
        if a.get("contentType") == FILE_CONSENT
    ]


async def two_years_of_values(teams: TeamsClient, database_url: str, kpi: str) -> None:
    """104 weeks of uneven values for Ana's KPI, written as `log` would write them."""
    engine = make_engine(database_url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            workspace = await find_workspace(session, Platform.TEAMS, teams.tenant)
            assert workspace is not None
            ana = await member_by_platform_id(session, workspace.id, ANA[2])
            assert ana is not None
            this_week = period_of(Cadence.WEEKLY, NOW.date())
            for back in range(104):
                period = this_week.shifted(-back)
                session.add(
                    KpiValue(
                        workspace_id=workspace.id,
                        kpi_id=int(kpi),
                        period=period.name,
                        period_start=period.start,
                        value=Decimal((back * 37) % 21),
                        logged_by_id=ana.id,
                        logged_at=NOW - timedelta(weeks=back),
                    )
                )
    finally:
        await engine.dispose()


async def test_the_trend_is_a_card_with_the_chart_inline_as_a_png_data_uri(
    teams: TeamsClient,
) -> None:
    await growth(teams)
    kpi = await active_kpi(teams)
    said = text_of(await answer(teams, f'log {kpi} 12 "two demos moved up"', ANA))
    assert f"Logged 12 leads for #{kpi} Qualified leads" in said

    sent = await answer(teams, f"trend {kpi}", ANA)
    assert {s.conversation for s in sent} == {PERSONAL + ANA[0]}
    (image,) = images(sent)
    assert image["url"].startswith(DATA_URI)
    data = base64.b64decode(image["url"].removeprefix(DATA_URI), validate=True)
    assert data[:8] == PNG_SIGNATURE
    assert assert_valid_png(data) == (800, 400)
    assert "latest 12 leads, target 10 leads" in image["altText"]
    shown = text_of(sent)
    assert f"#{kpi} Qualified leads (Ana Ruiz)" in shown
    # Said once in words (the heading); the chart draws it too, so no caption repeats it.
    words = [e["text"] for s in sent for c in s.cards for e in c["body"] if "text" in e]
    assert sum("Qualified leads (Ana Ruiz)" in w for w in words) == 1, words
    assert "- 1\\. 2026-W48: two demos moved up" in shown  # a bullet, not a numbered list
    # It fit in the card: nothing is offered as a file instead.
    assert not [
        a
        for s in sent
        for a in s.activity.get("attachments") or []
        if "consent" in a["contentType"]
    ]
    # Ben is on Growth, but Ana's numbers are hers and her lead's.
    refused = await answer(teams, f"trend {kpi}", BEN)
    assert images(refused) == []
    assert "You can't see Ana Ruiz's numbers" in text_of(refused)


async def test_the_review_form_keeps_a_kill_without_a_reason_then_retires_the_kpi(
    teams: TeamsClient,
) -> None:
    await growth(teams)
    kpi = await active_kpi(teams)
    card, fields, data = form_of(await answer(teams, f"review {kpi}", ANA))
    assert data["kpicoach_form"] == "review"
    assert what_about(data["kpicoach_hidden"]) == {"kpi": kpi}
    assert {k: f["isRequired"] for k, f in fields.items()} == {
        "relevant": True,
        "motivating": True,
        "verdict": True,
        "target": False,
        "name": False,
        "why": False,
    }
    assert [c["value"] for c in fields["verdict"]["choices"]] == ["keep", "adjust", "kill"]
    about = f"#{kpi} Qualified leads: 10 leads per week."
    assert about in words_of(card)

    # Kill, with no reason: the same form again, the problem first, every answer kept.
    kill = filled(fields, data, relevant="no", motivating="no", verdict="kill")
    card, fields, data = form_of(await teams.submit(kill, ANA))
    said = words_of(card)
    assert "Say why it goes: a retired KPI keeps its reason for good." in said
    assert said.index("Say why it goes") < said.index(about)
    assert {k: f.get("value") for k, f in fields.items()} == {
        "relevant": "no",
        "motivating": "no",
        "verdict": "kill",
        "target": None,
        "name": None,
        "why": None,
    }
    assert data["kpicoach_form"] == "review"
    assert what_about(data["kpicoach_hidden"]) == {"kpi": kpi}

    why = "we measure booked demos instead"
    said = text_of(await teams.submit(filled(fields, data, why=why), ANA))
    assert f"Killed #{kpi} Qualified leads. It stays in the history with the reason: {why}" in said
    retired = text_of(await answer(teams, f"log {kpi} 3", ANA))
    assert f"was retired (killed in the Q4 2026 review: {why})" in retired


async def test_purpose_start_reaches_each_member_proactively_with_an_answer_button(
    teams: TeamsClient,
) -> None:
    await growth(teams)
    said = text_of(await answer(teams, f'purpose start "{PURPOSE}" until fri', LEA))
    assert "Asked 2 people on Growth how their role moves the needle" in said
    assert "on Friday 27 November 2026 at" in said

    to_ana = await news(teams, ANA, "wrote our purpose")  # a new message, not a reply
    assert f"<at>Lea Hart</at> wrote our purpose: {PURPOSE}" in to_ana.text
    assert "How does your role move the needle on our purpose?" in to_ana.text
    assert runs(to_ana) == {"Answer": 'purpose answer in "Growth"'}
    await news(teams, BEN, "wrote our purpose")
    assert not [s for s in chat_of(teams, LEA) if "wrote our purpose" in s.text]

    # Ana presses Answer: a form with the purpose in its intro; her words are kept.
    card, fields, data = form_of(await teams.submit({"kpicoach_run": runs(to_ana)["Answer"]}, ANA))
    assert f"Our purpose: {PURPOSE}" in words_of(card)
    mine = "every shop I onboard sells in its first week"
    said = text_of(await teams.submit(filled(fields, data, text=mine), ANA))
    assert "Saved. Every answer is posted together when the workshop closes." in said
    assert f"Your answer: {mine}" in text_of(await answer(teams, "purpose", ANA))


async def test_a_two_year_chart_sits_inside_the_card(
    teams: TeamsClient, teams_database: str
) -> None:
    await growth(teams)
    kpi = await active_kpi(teams)
    await two_years_of_values(teams, teams_database, kpi)
    sent = await answer(teams, f"trend {kpi}", ANA)
    (image,) = images(sent)
    assert "104 values from 2024-W49 to 2026-W48" in image["altText"]
    shown = [base64.b64decode(i["url"].removeprefix(DATA_URI)) for i in images(sent)]
    files = [base64.b64decode(a["content"]["acceptContext"]["data"]) for a in offered(sent)]
    assert "more than Teams lets me hand over" not in text_of(sent)
    assert files == []
    (png,) = shown  # small enough (a 64-colour palette) to need no file
    assert png[:8] == PNG_SIGNATURE
    assert_valid_png(png)
