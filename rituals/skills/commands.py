"""The skills heat-map: a team's short list of skills, each person's private rating of
themselves, and the map the team sees.

The seed's off-site heat-map is for growth, not judgement. So a person rates only themselves
(there is no way to name someone else, a lead included), their ratings stay theirs, and the
team's map shows by default only who can teach what, which is what anyone needs to find a
mentor. Each person may choose to show their whole row; rows are listed by name, never sorted
by how much anyone knows.
"""

from __future__ import annotations

import asyncio
import enum
import re
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from rituals.core.command import CLEAN, ONE_LINE, Command, Name
from rituals.core.context import Ctx
from rituals.core.messages import (
    Actions,
    Block,
    Bullets,
    Button,
    Code,
    FormRequest,
    Heading,
    Image,
    Message,
    Note,
    Paragraph,
    Reply,
    counted,
    rich,
    say,
)
from rituals.core.refusal import Refusal
from rituals.core.syntax import ROLE_WORDS
from rituals.skills.picture import heat_map_png, heat_map_sketch
from rituals.skills.sprint_store import mentored_now
from rituals.skills.store import (
    LEVELS,
    TEACH,
    MapData,
    add_skill,
    find_skill,
    heat_map,
    level_word,
    rate,
    set_sharing,
    team_skills,
)
from rituals.team.gate import form_offered, team_gate
from rituals.team.teams import TEAM
from storage.models import Skill, Team

SkillName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=2, max_length=40), CLEAN, ONE_LINE
]
PRIVATE = (
    "Your ratings are yours: the team sees where you can teach, and your whole row only if you "
    "choose to show it. Nobody, your lead included, can rate you."
)
SCALE = ", ".join(f"{n} {word}" for n, word in enumerate(LEVELS, start=1))
# What only a team's own people do, for the gate's refusal.
SEE = "see its skills"


def _level(value: str) -> str:
    """A level as typed, its number or its word ("solid", "can teach", "teach"), as its
    number; anything else refused with the scale."""
    word = " ".join(value.casefold().replace("practicing", "practising").split())
    words = {w: str(n) for n, w in enumerate(LEVELS, start=1)} | {"teach": str(TEACH)}
    if word in words.values():
        return word
    if word not in words:
        raise ValueError(f"rate yourself with a number from 1 to {TEACH}: {SCALE}")
    return words[word]


Level = Annotated[str, StringConstraints(max_length=20), AfterValidator(_level)]


class Showing(enum.StrEnum):
    ON = "on"
    OFF = "off"


class ShowSkills(Command):
    team: Name | None = Field(None, title="Team", description="its name; yours if empty")


class AddSkill(Command):
    name: SkillName = Field(title="Skill", description='a skill, like "Discovery calls"')
    team: Name | None = TEAM


class RemoveSkill(Command):
    name: SkillName = Field(title="Skill", description="its name or number on the list")
    team: Name | None = TEAM


class SkillExamples(Command):
    role: str | None = Field(None, title="Role", max_length=40)


class RateSkill(Command):
    skill: SkillName | None = Field(None, title="Skill", description="its name or number")
    level: Level | None = Field(None, title="Your level", description=SCALE)
    team: Name | None = TEAM


class ShareRow(Command):
    on: Showing = Field(title="Show my row", description="on to show it to the team, off to hide")
    team: Name | None = TEAM


async def skills_of(ctx: Ctx, team: Team) -> list[Skill]:
    """The team's skills, refused with how to add one while there are none."""
    skills = await team_skills(ctx.session, team.id)
    if not skills:
        raise no_skills(team)
    return skills


def no_skills(team: Team) -> Refusal:
    return Refusal(
        say(
            f"{team.name} has no skills on its list yet. Anyone on it adds one: ",
            Code('skill add "Discovery calls"'),
            ", or starts from ",
            Code("skill examples"),
            ".",
        )
    )


def named_skill(skills: list[Skill], typed: str, team: Team) -> Skill:
    found = find_skill(skills, typed)
    if found is None:
        names = ", ".join(f"{n} {s.name}" for n, s in enumerate(skills, start=1))
        raise Refusal(
            say(
                f"{team.name} has no skill called “{typed}”. Its skills: {names}. "
                "Name one of them, or add it: ",
                Code(f'skill add "{typed}"'),
            )
        )
    return found


async def show(ctx: Ctx, cmd: ShowSkills) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, members_only=SEE)
    data = await heat_map(ctx.session, team, ctx.actor.member_id)
    if not data.skills:
        raise no_skills(team)
    toggle = (
        "To hide your row: skills share off."
        if data.own_shown
        else "To show yours: skills share on."
    )
    title = f"{team.name}: skills"
    picture = await asyncio.to_thread(heat_map_png, title, data)
    shown = counted(data.shown, "person shows", "people show")
    skills = counted(len(data.skills), "skill", "skills")
    alt = (
        f"{skills}; {shown} their whole row, of {data.people} on {team.name}; the rest only "
        "where they can teach."
    )
    teach = tuple(
        rich(f"{skill}: ", ", ".join(names) if names else "nobody can teach it yet")
        for skill, names in zip(data.skills, data.teachers, strict=True)
    )
    blocks: list[Block] = [
        Heading(f"Skills heat-map: {team.name}"),
        Image("skills.png", picture, alt, title, heat_map_sketch(data)),
        Paragraph(rich("Who can teach what:")),
        Bullets(teach),
        Paragraph(rich(_mine(data))),
        Note(f"{PRIVATE} Rows go by name: the map is for growth, not for judgement. {toggle}"),
        Actions(
            (
                Button("Rate myself", "rate"),
                Button("Name a gap to close", "learn"),
                Button("Sprints", "sprints"),
            )
        ),
    ]
    return [Message(tuple(blocks))]


def _mine(data: MapData) -> str:
    """The asker's own ratings, for their eyes: the reply is theirs alone."""
    rated = [
        f"{skill} {level} ({level_word(level)})"
        for skill, level in zip(data.skills, data.own, strict=True)
        if level is not None
    ]
    if not rated:
        return f"You have not rated yourself yet ({SCALE}): rate SQL as 2."
    return "Your ratings (only you see them here): " + ", ".join(rated) + "."


async def add(ctx: Ctx, cmd: AddSkill) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, members_only="add to its skills")
    skills = await team_skills(ctx.session, team.id)
    if find_skill(skills, cmd.name) is not None and not cmd.name.isdigit():
        raise Refusal(say(f"{team.name} has {cmd.name} on its list already."))
    if cmd.name.removeprefix("#").isdigit():
        raise Refusal(say("A skill's name needs words, not only a number: say what the skill is."))
    most = ctx.settings.skills.max_per_team
    if len(skills) >= most:
        raise Refusal(
            say(
                f"{team.name} has {most} skills already, the most a list keeps so the map stays "
                "readable. Its lead can take one off first: ",
                Code(f"skill remove {skills[0].name}"),
                ".",
            )
        )
    skill = await add_skill(ctx.session, team, cmd.name, ctx.actor.member_id, ctx.clock.now())
    return [
        Message(
            (
                Paragraph(rich(f"Added {skill.name} to {team.name}'s skills ({len(skills) + 1}).")),
                Actions(
                    tuple(
                        Button(f"{n} {word}", f'rate "{skill.name}" as {n}')
                        for n, word in enumerate(LEVELS, start=1)
                    ),
                    prompt="Where are you on it?",
                ),
            )
        )
    ]


async def remove(ctx: Ctx, cmd: RemoveSkill) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, lead_only="take a skill off its list")
    skill = named_skill(await skills_of(ctx, team), cmd.name, team)
    if await mentored_now(ctx.session, skill.id):
        raise Refusal(
            say(
                f"Someone is learning {skill.name} in a sprint, or waiting for a mentor: it stays "
                "on the list until that sprint is looked back on."
            )
        )
    await ctx.session.delete(skill)
    await ctx.session.flush()
    return [
        say(
            f"Took {skill.name} off {team.name}'s skills, with everyone's ratings of it and its "
            "finished sprints."
        )
    ]


def _role(ctx: Ctx, typed: str | None) -> str | None:
    catalogue = ctx.settings.skills.catalogue
    if typed is None:
        return None
    word = typed.strip().casefold()
    word = ROLE_WORDS.get(word, word)
    if word not in catalogue:
        raise Refusal(
            say(f"There are no example skills for “{typed}”. Roles: {', '.join(catalogue)}.")
        )
    return word


async def examples(ctx: Ctx, cmd: SkillExamples) -> list[Reply]:
    await form_offered(ctx)  # no team named: refused only where every team has it off
    role = _role(ctx, cmd.role)
    catalogue = ctx.settings.skills.catalogue
    if role is None:
        roles = tuple(Button(r.capitalize(), f"skill examples {r}") for r in catalogue)
        return [Message((Actions(roles, prompt="Example skills for which role?"),))]
    skills = catalogue[role]
    return [
        Message(
            (
                Heading(f"Example skills for {role}"),
                Bullets(tuple(rich(s) for s in skills)),
                Actions(tuple(Button(f"Add {s}", f'skill add "{s}"') for s in skills)),
                Note("A short list works best: the few skills the team's KPIs lean on most."),
            )
        )
    ]


_TRAILING_LEVEL = re.compile(r"^(?P<skill>.+?)\s+(?P<level>[1-4])$")


async def rate_self(ctx: Ctx, cmd: RateSkill) -> list[Reply]:
    if cmd.skill is not None and cmd.skill.startswith(("@", "<@")):
        raise Refusal(
            say(
                "Each person rates only themselves, and nobody, a lead included, rates someone "
                "else. Rate yourself: ",
                Code("rate SQL as 3"),
                ".",
            )
        )
    team = await team_gate(ctx, cmd.team, members_only="rate themselves on its skills")
    skills = await skills_of(ctx, team)
    skill_text, level = cmd.skill, int(cmd.level) if cmd.level else None
    trailing = _TRAILING_LEVEL.match(skill_text or "")
    if level is None and trailing and find_skill(skills, skill_text or "") is None:
        skill_text, level = trailing["skill"], int(trailing["level"])
    if skill_text is None or level is None:
        values = {k: v for k, v in (("skill", skill_text), ("level", level)) if v is not None}
        names = ", ".join(s.name for s in skills)
        return [
            FormRequest(
                "rate",
                {k: str(v) for k, v in values.items()},
                f"{team.name}'s skills: {names}. {SCALE}. {PRIVATE}",
                required=("skill", "level"),
            )
        ]
    skill = named_skill(skills, skill_text, team)
    await rate(ctx.session, skill, ctx.actor.member_id, level, ctx.clock.now())
    after = (
        "The team sees you can teach it; anyone naming it as a gap may be paired with you."
        if level == TEACH
        else "Only you see it, unless you show your row (skills share on)."
    )
    return [say(f"Rated yourself {level} ({level_word(level)}) on {skill.name}. {after}")]


async def share(ctx: Ctx, cmd: ShareRow) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, members_only="show a row on its heat-map")
    on = cmd.on is Showing.ON
    changed = await set_sharing(ctx.session, team, ctx.actor.member_id, on, ctx.clock.now())
    if on:
        said = "Your whole row shows on" if changed else "Your row shows already on"
        return [say(f"{said} {team.name}'s heat-map. Hide it any time: skills share off.")]
    said = "Your row is hidden from" if changed else "Your row was not shown on"
    return [say(f"{said} {team.name}'s heat-map; the team sees only the skills you can teach.")]
