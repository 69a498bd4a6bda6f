"""Every ritual the bot runs, in the order help lists them. A new ritual is one line here."""

from __future__ import annotations

from rituals.budgets.ritual import RITUAL as BUDGETS
from rituals.checkins.ritual import RITUAL as CHECKINS
from rituals.core.spec import Ritual
from rituals.debates.ritual import RITUAL as DEBATES
from rituals.fails.ritual import RITUAL as FAILS
from rituals.kpis.ritual import RITUAL as KPIS
from rituals.kudos.ritual import RITUAL as KUDOS
from rituals.numbers.ritual import RITUAL as NUMBERS
from rituals.one_on_ones.ritual import RITUAL as ONE_ON_ONES
from rituals.pulse.ritual import RITUAL as PULSE
from rituals.purpose.ritual import RITUAL as PURPOSE
from rituals.raw.ritual import RITUAL as RAW
from rituals.reviews.ritual import RITUAL as REVIEWS
from rituals.skills.ritual import RITUAL as SKILLS
from rituals.stretch.ritual import RITUAL as STRETCH
from rituals.team.ritual import RITUAL as TEAM

RITUALS: tuple[Ritual, ...] = (
    TEAM,
    KPIS,
    NUMBERS,
    REVIEWS,
    PURPOSE,
    CHECKINS,
    ONE_ON_ONES,
    KUDOS,
    FAILS,
    PULSE,
    STRETCH,
    BUDGETS,
    SKILLS,
    RAW,
    DEBATES,
)
