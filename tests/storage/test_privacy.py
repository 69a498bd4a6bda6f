"""Export and forget for someone who used every ritual: the file parses and holds their rows,
and after forgetting, no column of any table (JSON ones included: the outbox's messages) holds
their name, their id or their words."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.dispatch import Identity
from rituals.core.context import FixedClock
from rituals.core.messages import File, Message, Outgoing
from storage.models import (
    BudgetRequest,
    BudgetState,
    Experiment,
    Member,
    OneOnOne,
    Outbox,
    OutboxStatus,
    Platform,
    TalkingPoint,
    Team,
)
from tests.rituals.budgets.support import number as stretch_number
from tests.support import Chat, active_kpi, every_text, member, text_of, who

NAME, USER = "Zelda Quixote", "uzq1"
OBSTACLE = "the staging database keeps timing out under quixotic load"


def _who() -> Identity:
    return replace(who(USER), display_name=NAME)


async def _zelda_everywhere(chat: Chat, sessions: async_sessionmaker[AsyncSession]) -> None:
    """Zelda joins Growth and uses the rituals: a KPI with a value, leave, an obstacle the
    lead commits to, a kudos; and the lead's digest naming her sits in the outbox, sent."""
    say = chat.dispatcher.handle_text
    await say(_who(), "help")
    await chat.say("lea", f"team add <@{USER}> to Growth")
    await say(_who(), f'propose "Pipeline" target 5 per week growth "{NAME} leads a team"')
    await say(_who(), 'why "Pipeline" "every deal starts with a conversation I enjoy"')
    await chat.say("ben", 'vote "Pipeline" back')  # put to Growth's vote by her answer
    assert "Active" in text_of(await chat.say("lea", 'activate "Pipeline"'))
    await say(_who(), 'log "Pipeline" 4 "two demos moved to January"')
    await say(_who(), "away until 2027-01-20")
    await say(_who(), "back")
    raised = text_of(await say(_who(), f'obstacle "{OBSTACLE}"'))
    assert "Saved as obstacle" in raised, raised
    await say(_who(), 'propose "Demos" target 2 per week growth "run demos alone"')
    async with sessions() as session, session.begin():
        zelda = await session.scalar(select(Member).where(Member.platform_user_id == USER))
        assert zelda is not None
        lea = await session.scalar(select(Member).where(Member.platform_user_id == "lea"))
        assert lea is not None
        now = chat.dispatcher.clock.now()
        session.add(
            Outbox(
                workspace_id=zelda.workspace_id,
                platform=Platform.SLACK,
                member_id=lea.id,
                target="lea",
                ritual="digest",
                dedupe_key="digest:test:lea",
                payload={
                    "blocks": [
                        {
                            "paragraph": [
                                {"mention": USER, "name": NAME},
                                f": {OBSTACLE}",
                            ]
                        }
                    ]
                },
                status=OutboxStatus.SENT,
                next_attempt_at=now,
                sent_at=now + timedelta(minutes=1),
                created_at=now,
            )
        )


async def test_the_export_of_someone_who_used_every_ritual_parses_and_holds_their_rows(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await _zelda_everywhere(chat, sessions)
    (message,) = await chat.dispatcher.handle_text(_who(), "me export")
    assert isinstance(message, Message), message
    (file,) = [b for b in message.blocks if isinstance(b, File)]
    tables = json.loads(file.data)["tables"]
    assert {k["name"] for k in tables["kpi"]} == {"Pipeline", "Demos"}
    assert [v["note"] for v in tables["kpi_value"]] == ["two demos moved to January"]
    assert [o["text"] for o in tables["obstacle"]] == [OBSTACLE]
    # Dates (a period's first day, a leave's end) come out as ISO text.
    assert all(isinstance(v["period_start"], str) for v in tables["kpi_value"]), tables
    assert tables["member"][0]["display_name"] == NAME


async def test_forgetting_leaves_no_name_id_or_words_in_any_column_the_outbox_included(
    chat: Chat, sessions: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    await _zelda_everywhere(chat, sessions)
    before = await every_text(sessions)
    assert OBSTACLE in before  # the search would find them
    assert NAME in before
    done = await chat.dispatcher.handle_text(_who(), "me forget confirm")
    assert "you are forgotten" in text_of(done)
    everything = await every_text(sessions)
    assert NAME not in everything
    assert "Zelda" not in everything
    assert "quixotic" not in everything
    assert f'"{USER}"' not in everything
    assert USER not in everything.split()


OUTCOME, LEARNED = "two clients signed up", "I can open a room full of strangers"
ANA_WORDS, LEA_WORDS = "Ana wrote this privately", "Lea wrote this privately"


async def _pair_rows(session: AsyncSession, kpi: int, now: datetime) -> None:
    """A one-on-one and a talking point written by each of Lea and Ana, and Ana's budget ask
    that Lea questioned and Ana answered."""
    ana, lea = await member(session, "ana"), await member(session, "lea")
    team = await session.scalar(select(Team).where(Team.name == "Growth"))
    assert team is not None
    pair = {"workspace_id": ana.workspace_id, "team_id": team.id, "lead_id": lea.id}
    for writer, words in ((ana, ANA_WORDS), (lea, LEA_WORDS)):
        session.add(
            OneOnOne(
                **pair,
                member_id=ana.id,
                notes=words,
                next_steps=words,
                written_by_id=writer.id,
                held_at=now,
            )
        )
        session.add(
            TalkingPoint(**pair, member_id=ana.id, author_id=writer.id, text=words, created_at=now)
        )
    experiment = Experiment(
        workspace_id=ana.workspace_id,
        kpi_id=kpi,
        owner_id=ana.id,
        hypothesis="calls",
        started_on=now.date(),
        review_on=now.date(),
        created_at=now,
    )
    session.add(experiment)
    await session.flush()
    session.add(
        BudgetRequest(
            workspace_id=ana.workspace_id,
            team_id=team.id,
            experiment_id=experiment.id,
            member_id=ana.id,
            amount=Decimal(3),
            unit="hours",
            scope="twenty calls",
            look_back=now.date(),
            quarter="2026-Q4",
            state=BudgetState.APPROVED,
            question=LEA_WORDS,
            answer=ANA_WORDS,
            decided_by_id=lea.id,
            decided_at=now,
            spent_note=ANA_WORDS,
            created_at=now,
        )
    )


def _exported(message: Outgoing) -> dict[str, list[dict[str, object]]]:
    assert isinstance(message, Message), message
    (file,) = [b for b in message.blocks if isinstance(b, File)]
    tables: dict[str, list[dict[str, object]]] = json.loads(file.data)["tables"]
    return tables


async def test_a_supporter_lead_or_other_of_a_pair_exports_the_row_but_not_the_others_words(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Ben supports Ana's stretch and Lea opened it: each export holds the row, and only Ana's
    holds how it went and what she learned. The same for a one-on-one's notes, a talking point
    and a budget's answer: the pair or the lead see the row, the words stay their writer's."""
    assert "Saved" in await chat.text("lea", "settings set rituals stretch,one_on_one in Growth")
    kpi = await active_kpi(chat)
    assert "Logged" in await chat.text("ana", f"log {kpi} 4")
    said = await chat.text(
        "lea", f'stretch @ana {kpi} "run the workshop" by 2026-12-14 support @ben'
    )
    n = stretch_number(said, "stretch")
    assert "is yours" in await chat.text("ana", f"stretch answer {n} yes")
    done = f'stretch done {n} outcome "{OUTCOME}" learned "{LEARNED}"'
    assert "done" in await chat.text("ana", done)
    async with sessions() as session, session.begin():
        await _pair_rows(session, kpi, chat.dispatcher.clock.now())

    for user in ("ben", "lea"):
        tables = _exported((await chat.dispatcher.handle_text(who(user), "me export"))[0])
        (stretch,) = tables["stretch"]
        assert stretch["what"] == "run the workshop"
        assert stretch["outcome"] == stretch["learned"] == "(not yours to export)", user
        assert OUTCOME not in json.dumps(tables)
        assert LEARNED not in json.dumps(tables)
    lea_said = json.dumps(
        _exported((await chat.dispatcher.handle_text(who("lea"), "me export"))[0])
    )
    assert ANA_WORDS not in lea_said
    assert LEA_WORDS in lea_said
    ana_tables = _exported((await chat.dispatcher.handle_text(who("ana"), "me export"))[0])
    assert ana_tables["stretch"][0]["learned"] == LEARNED
    ana_said = json.dumps(ana_tables)
    assert ANA_WORDS in ana_said
    assert LEA_WORDS not in ana_said
    assert len(ana_tables["one_on_one"]) == 2
    assert len(ana_tables["talking_point"]) == 2


def _export_of(tables: dict[str, list[dict[str, object]]], table: str) -> dict[str, object]:
    (row,) = tables[table]
    return row


async def _exports(chat: Chat, *users: str) -> dict[str, dict[str, list[dict[str, object]]]]:
    return {
        user: _exported((await chat.dispatcher.handle_text(who(user), "me export"))[0])
        for user in users
    }


BEN_REASON = "the vendor fixed the timeout themselves"
LEA_REASON = "we moved the demo to a hosted sandbox"


async def test_why_a_commitment_was_dropped_is_exported_only_to_whoever_dropped_it(
    chat: Chat,
) -> None:
    """Lea commits Ben to clear Ana's obstacle, and Ben drops it with his reason: all three
    export the commitment and its action (the subject each was told), and only Ben its reason.
    Dropped by Lea instead, the reason is hers alone."""
    for dropper, reason in (("ben", BEN_REASON), ("lea", LEA_REASON)):
        said = await chat.text("ana", f'obstacle "{OBSTACLE}"')
        obstacle = int(said.split("obstacle #")[1].split(".")[0])
        said = await chat.text(
            "lea", f'commit {obstacle} "Ben reruns the load test" owner @ben due fri'
        )
        number = int(said.split("Committed #")[1].split(" ")[0].rstrip(":."))
        assert "Dropped" in await chat.text(dropper, f'drop {number} "{reason}"')
        exports = await _exports(chat, "ana", "ben", "lea")
        for user, tables in exports.items():
            row = next(r for r in tables["commitment"] if r["id"] == number)
            assert row["action"] == "Ben reruns the load test", user
            assert row["reason"] == (reason if user == dropper else "(not yours to export)"), user
            assert (reason in json.dumps(tables)) is (user == dropper), user


NOMINATOR_SAYS = "Ben sent the renewal quote to the wrong client"
NOMINATOR_LEARNED = "he reads the address line out loud before sending"


async def test_a_fail_of_the_month_story_is_its_tellers_words_and_the_consent_its_nominees(
    chat: Chat,
) -> None:
    """Ana tells Ben's misstep and he keeps it private: her export holds her story but not his
    answer, his holds his answer but not her words. A story he tells of himself is all his."""
    assert "Saved" in await chat.text("lea", "settings set rituals fail_of_month in Growth")
    said = await chat.text(
        "ana", f'fail nominate @ben "{NOMINATOR_SAYS}" learned "{NOMINATOR_LEARNED}"'
    )
    story = int(said.split("(#")[1].split(")")[0])
    assert "Kept private" in await chat.text("ben", f"fail consent {story} no")
    exports = await _exports(chat, "ana", "ben")
    anas, bens = (_export_of(exports[u], "fail_nomination") for u in ("ana", "ben"))
    assert (anas["misstep"], anas["learned"]) == (NOMINATOR_SAYS, NOMINATOR_LEARNED)
    assert anas["consent"] == "(not yours to export)"
    assert bens["consent"] == "declined"
    assert bens["misstep"] == "(not yours to export)"
    assert bens["learned"] == "(not yours to export)"
    assert "wrong client" not in json.dumps(exports["ben"])

    own = "I promised a date without asking the team"
    said = await chat.text("ben", f'fail nominate me "{own}" learned "I ask the team first"')
    assert "Your story is on Growth's ballot" in said, said
    ben_rows = (await _exports(chat, "ben"))["ben"]["fail_nomination"]
    assert [r["misstep"] for r in ben_rows if r["nominator_id"] == r["nominee_id"]] == [own]
