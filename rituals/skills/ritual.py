"""The skills heat-map and micro-mentorship sprints as the engine sees them: their name, their
switch (off until a team's lead switches them on, like the tension pulse), their commands and
the sprint's reminders."""

from __future__ import annotations

from rituals.core.spec import Ritual, RitualName
from rituals.core.syntax import TEAM_ONLY_IN, Param, Syntax
from rituals.skills import commands as skills
from rituals.skills import looking_back, sprints
from rituals.skills.prompt import MENTORSHIP

TOPIC = "Skills and mentorship"
SWITCH = (
    "Off until the team's lead switches it on: settings set rituals "
    "checkin,one_on_one,kudos,review,skills."
)

COMMANDS = (
    Syntax(
        names=("skills",),
        model=skills.ShowSkills,
        handler=skills.show,
        topic=TOPIC,
        summary="the team's skills heat-map: who can teach what, and the rows people show",
        params=(Param("team", "in", placeholder="team", positional=True),),
        examples=("skills", "skills Growth"),
        details=f"{skills.PRIVATE} {SWITCH}",
    ),
    Syntax(
        names=("skill add",),
        model=skills.AddSkill,
        handler=skills.add,
        topic=TOPIC,
        summary="add a skill to the team's short list (anyone on the team)",
        params=(Param("name", placeholder="skill"), TEAM_ONLY_IN),
        examples=('skill add "Discovery calls"', "skill add SQL"),
        form_title="Add a skill",
    ),
    Syntax(
        names=("skill remove",),
        model=skills.RemoveSkill,
        handler=skills.remove,
        topic=TOPIC,
        summary="take a skill off the team's list, with its ratings (lead)",
        params=(Param("name", placeholder="skill"), TEAM_ONLY_IN),
        examples=("skill remove SQL",),
    ),
    Syntax(
        names=("skill examples",),
        model=skills.SkillExamples,
        handler=skills.examples,
        topic=TOPIC,
        summary="example skills per role, to start the team's list from",
        params=(Param("role", placeholder="sales|engineering|..."),),
        examples=("skill examples", "skill examples sales"),
    ),
    Syntax(
        names=("rate",),
        model=skills.RateSkill,
        handler=skills.rate_self,
        topic=TOPIC,
        summary="rate yourself on a skill: 1 learning, 2 practising, 3 solid, 4 can teach",
        params=(
            Param("skill", placeholder="skill"),
            Param("level", "as", placeholder="1-4", positional=True),
            TEAM_ONLY_IN,
        ),
        examples=("rate SQL as 3", 'rate "Discovery calls" as can teach', "rate"),
        details=f"Update it any time; only you ever rate yourself. {skills.PRIVATE}",
        form_title="Rate yourself",
    ),
    Syntax(
        names=("skills share",),
        model=skills.ShareRow,
        handler=skills.share,
        topic=TOPIC,
        summary="show your whole row on the team's heat-map, or hide it (on|off)",
        params=(Param("on", placeholder="on|off"), TEAM_ONLY_IN),
        examples=("skills share on", "skills share off"),
    ),
    Syntax(
        names=("learn",),
        model=sprints.NameGap,
        handler=sprints.name_gap,
        topic=TOPIC,
        summary="name a gap to close: someone who can teach it mentors you for two weeks",
        params=(
            Param("skill", placeholder="skill"),
            Param("goal", "goal", placeholder="what you want to be able to do", positional=True),
            TEAM_ONLY_IN,
        ),
        examples=('learn SQL goal "write the weekly pipeline query on my own"', "learn"),
        details=(
            "The bot asks, privately, someone who rates themselves can teach it (never your "
            "lead or your report, never someone mentoring already); anyone who can teach it "
            f"may claim it too. {sprints.NEVER_TOLD}"
        ),
        form_title="Name a gap to close",
    ),
    Syntax(
        names=("mentor",),
        model=sprints.ClaimGap,
        handler=sprints.claim,
        topic=TOPIC,
        summary="claim a gap you can teach: a two-week sprint starts today",
        params=(Param("sprint", placeholder="number"),),
        examples=("mentor 4",),
    ),
    Syntax(
        names=("mentor decline",),
        model=sprints.DeclineGap,
        handler=sprints.decline,
        topic=TOPIC,
        summary="say no to mentoring a gap the bot asked you about (nobody is told)",
        params=(Param("sprint", placeholder="number"),),
        examples=("mentor decline 4",),
    ),
    Syntax(
        names=("sprints",),
        model=looking_back.ShowSprints,
        handler=looking_back.show,
        topic=TOPIC,
        summary="your gaps and sprints, and the gaps others want to close",
        params=(Param("team", "in", placeholder="team", positional=True),),
        examples=("sprints",),
    ),
    Syntax(
        names=("lookback", "look back"),
        model=looking_back.LookBack,
        handler=looking_back.look_back,
        topic=TOPIC,
        summary=f"look back on a sprint: {sprints.LOOK_BACK.lower()}",
        params=(Param("sprint", placeholder="number"), Param("words", placeholder="your words")),
        examples=('lookback 4 "I write the pipeline query alone and explain it to others"',),
        details="The look-back is a win in both people's next one-on-one.",
        form_title=sprints.LOOK_BACK,
    ),
)

RITUAL = Ritual(
    name=RitualName.SKILLS,
    title="skills heat-map and mentorship sprints",
    label="the skills heat-map",
    switchable=True,
    commands=COMMANDS,
    reminders=(MENTORSHIP,),
)
