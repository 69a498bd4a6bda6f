"""A wins-first one-on-one script, written from what the store holds about a pair.

Wins open it (KPI gains, kudos received, commitments kept, experiments finished), then the
dips with the "Why did this dip?" ladder, then the talking points and the next steps. It opens
with what the last one-on-one agreed, and asks what came of each. Every section says so when
it has nothing yet, and asks its question anyway: a script with no data is still a good
conversation.
"""

from __future__ import annotations

from rituals.checkins.store import CommitmentRow
from rituals.core.amounts import amount
from rituals.core.command import mention_text
from rituals.core.dates import format_date
from rituals.core.messages import (
    Actions,
    Block,
    Bullets,
    Button,
    Heading,
    Mention,
    Note,
    Paragraph,
    Rich,
    Strong,
    rich,
)
from rituals.one_on_ones.store import Change, ScriptData
from storage.models import Direction

NEXT_QUESTIONS = (
    "What will you try before our next check-in?",
    "What progress have you made, and what support do you need?",
)
WHY_AGAIN = "And why was that?"
DIP_QUESTION = "Why did this dip?"


def change_text(change: Change) -> str:
    """ "Time to restore fell from 90 to 20 minutes": the move as it was, whichever way is
    better for this KPI (a dip of one where lower is better is a rise)."""
    if change.value == change.previous:
        moved = f"{change.kpi} stayed at {amount(change.value, change.unit)} ({change.period})"
    else:
        verb = "rose" if change.value > change.previous else "fell"
        moved = (
            f"{change.kpi} {verb} from {amount(change.previous, change.unit)} to "
            f"{amount(change.value, change.unit)} ({change.period})"
        )
    return f"{moved}: {change.note}" if change.note else moved


def commitment_text(row: CommitmentRow, language: str) -> str:
    return f"{row.owner.display_name}: {row.action} (due {format_date(row.due, language)})"


def _wins(data: ScriptData, language: str) -> list[Rich]:
    items: list[Rich] = [rich(change_text(c)) for c in data.gains]
    for kudos in data.kudos:
        helped = f" (helped {kudos.kpi})" if kudos.kpi else ""
        items.append(rich(f"Kudos from {kudos.giver}{helped}: {kudos.story}"))
    for row in data.kept:
        items.append(rich(f"Commitment kept by {row.owner.display_name}: {row.action}"))
    for experiment in data.experiments:
        result = f" What happened: {experiment.result}" if experiment.result else ""
        items.append(
            rich(f"Experiment finished on {experiment.kpi}: {experiment.hypothesis}.{result}")
        )
    for done in data.stretches:
        items.append(
            rich(
                f"Stretch done toward {done.kpi}: {done.what}. How it went: {done.outcome} "
                f"Learned: {done.learned}"
            )
        )
    for sprint in data.sprints:
        what = (
            f"Mentorship sprint on {sprint.skill} with {sprint.partner}"
            if sprint.learned
            else f"Mentored {sprint.partner} on {sprint.skill}; they can now"
        )
        items.append(rich(f"{what}: {sprint.lookback}"))
    return items


def _why(change: Change) -> str:
    """The dip question in the KPI's own terms: a KPI where lower is better dips by rising."""
    return "Why did this rise?" if change.direction is Direction.LOWER else DIP_QUESTION


def _dip(change: Change) -> list[Block]:
    blocks: list[Block] = [Paragraph(rich(change_text(change), f". {_why(change)}"))]
    if change.whys:
        asked = [DIP_QUESTION] + [WHY_AGAIN] * (len(change.whys) - 1)
        blocks.append(
            Bullets(tuple(rich(f"{q} {a}") for q, a in zip(asked, change.whys, strict=True)))
        )
    return blocks


def build(
    data: ScriptData, lead: Mention, member: Mention, team: str, viewer_is_lead: bool, language: str
) -> list[Block]:
    """The script, as the lead or the member reads it."""
    other = member if viewer_is_lead else lead
    since = format_date(data.since.date(), language)
    blocks: list[Block] = [
        Heading(f"One-on-one script: {member.display_name} with {lead.display_name} ({team})"),
    ]
    if data.last is not None:
        steps = [s.strip() for s in data.last.next_steps.splitlines() if s.strip()]
        blocks.append(
            Paragraph(
                rich(
                    f"Last time ({format_date(data.last.held_at.date(), language)}) you noted: ",
                    data.last.notes,
                )
            )
        )
        if steps:
            blocks += [
                Paragraph(rich("You agreed these next steps. What came of each?")),
                Bullets(tuple(rich(s) for s in steps)),
            ]
    blocks.append(Paragraph(rich(Strong("1. Wins first"), f" (since {since})")))
    wins = _wins(data, language)
    if wins:
        blocks.append(Bullets(tuple(wins)))
    else:
        blocks.append(
            Paragraph(
                rich(
                    "Nothing recorded yet: no KPI gains, kudos, kept commitments, finished "
                    "experiments, stretches or mentorship sprints since then. Open with: what "
                    "went well, however small?"
                )
            )
        )
    blocks.append(Paragraph(rich(Strong("2. Dips"))))
    if data.dips:
        for change in data.dips:
            blocks += _dip(change)
        blocks.append(
            Actions(
                tuple(
                    Button(f"{DIP_QUESTION} ({c.kpi})"[:75], f"dip {c.kpi_id}")
                    for c in data.dips[:5]
                )
            )
        )
    else:
        blocks.append(Paragraph(rich("No KPI fell since then. Is anything about to?")))
    if data.overdue:
        blocks += [
            Paragraph(rich(Strong("Overdue commitments"))),
            Bullets(tuple(rich(commitment_text(r, language)) for r in data.overdue)),
        ]
    blocks.append(Paragraph(rich(Strong("Talking points"))))
    if data.points:
        blocks.append(Bullets(tuple(rich(f"{p.author}: {p.text}") for p in data.points)))
    else:
        blocks.append(Paragraph(rich("None yet. Either of you can add one before you meet.")))
    blocks += [
        Paragraph(rich(Strong("3. Next steps, together"))),
        Bullets(tuple(rich(q) for q in NEXT_QUESTIONS)),
    ]
    with_other = f" with {mention_text(other.platform_user_id)}" if viewer_is_lead else ""
    blocks += [
        Actions(
            (
                Button("Add a talking point", f"point{with_other}"),
                Button("Write notes after", f"notes{with_other}"),
            )
        ),
        Note("Only the two of you see this script."),
    ]
    return blocks


def _win_count(data: ScriptData) -> int:
    return (
        len(data.gains)
        + len(data.kudos)
        + len(data.kept)
        + len(data.experiments)
        + len(data.stretches)
        + len(data.sprints)
    )


def summary(data: ScriptData, member: Mention) -> Rich:
    """One line per report in a lead's nudge: what their script holds."""
    counts = [
        (_win_count(data), "win"),
        (len(data.dips), "dip"),
        (len(data.points), "talking point"),
        (len(data.overdue), "overdue commitment"),
    ]
    said = [f"{n} {word}{'' if n == 1 else 's'}" for n, word in counts if n]
    return rich(member, ": ", ", ".join(said) if said else "nothing recorded yet")
