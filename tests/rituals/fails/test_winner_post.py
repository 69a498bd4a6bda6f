"""The Fail of the Month winner post: on a small team the tally would tell who voted for whom,
so below five voters it names the winner without it; and its bold labels render on Slack."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.slack.render import mrkdwn
from rituals.core.messages import Block, Paragraph, Strong, plain_text
from rituals.fails.commands import Vote, ballot_blocks, closing_blocks
from rituals.fails.store import Story
from storage.models import Consent, FailNomination, Member

VOTE = Vote(
    "2026-11",
    datetime(2026, 11, 28, tzinfo=UTC),
    datetime(2026, 12, 1, 10, tzinfo=UTC),
)


def _story(number: int, name: str, votes: int) -> Story:
    nomination = FailNomination(
        id=number,
        misstep="promised a date to a customer before checking",
        learned="ask the team before promising",
        consent=Consent.GIVEN,
        votes=votes,
    )
    return Story(nomination, Member(id=number, platform_user_id=name.lower(), display_name=name))


def _said(blocks: list[Block]) -> str:
    return " ".join(plain_text(b.parts) for b in blocks if isinstance(b, Paragraph))


def test_three_voters_hear_who_won_not_the_tally() -> None:
    said = _said(closing_blocks("Growth", VOTE, [_story(1, "Ben", 2)]))
    assert "🏆 @Ben" in said
    assert "vote" not in said.replace("Nobody voted", "")


def test_a_tie_among_four_voters_shows_no_tally_either() -> None:
    said = _said(closing_blocks("Growth", VOTE, [_story(1, "Ana", 2), _story(2, "Ben", 2)]))
    assert "A shared trophy" in said
    assert "(2 votes)" not in said


def test_five_voters_or_more_see_the_tally() -> None:
    said = _said(closing_blocks("Growth", VOTE, [_story(1, "Ben", 5)]))
    assert "🏆 @Ben (5 votes)" in said


def _strong(blocks: list[Block]) -> list[Strong]:
    return [
        part
        for b in blocks
        if isinstance(b, Paragraph)
        for part in b.parts
        if isinstance(part, Strong)
    ]


def test_bold_labels_hold_no_space_at_their_edges_so_slack_renders_them() -> None:
    story = _story(1, "Ben", 5)
    now = datetime(2026, 11, 29, tzinfo=UTC)
    blocks = [*closing_blocks("Growth", VOTE, [story]), *ballot_blocks([story], VOTE, 2, now)]
    strong = _strong(blocks)
    assert strong
    assert all(s.text == s.text.strip() for s in strong), strong
    shown = " ".join(mrkdwn(b.parts) for b in blocks if isinstance(b, Paragraph))
    assert "*What happened:* promised a date" in shown
    assert "*What was learned:* ask the team" in shown
    assert "*#1* <@ben>" in shown
