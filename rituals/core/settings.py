"""Settings the rituals read: app.yaml's defaults, each team's choices, each person's own.

Every check that can refuse a setting lives here, so a form in Slack, a card in Teams and a
line in the console are refused for the same reason in the same words.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Mapping
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, available_timezones

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from rituals.core.amounts import budget_text
from rituals.core.spec import PromptKind, RitualName, registered, switchable

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class Day(enum.StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"


class Switch(enum.StrEnum):
    ON = "on"
    OFF = "off"


class Language(enum.StrEnum):
    EN = "en"
    DE = "de"
    FR = "fr"
    ES = "es"
    PT = "pt"


WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def ritual_titles() -> dict[str, str]:
    """The rituals a team can switch on, with what each does, for the checklist and the
    settings: the registry's, asked for when needed (the registry imports this module)."""
    return {r.name: r.title for r in switchable()}


def grace_defaults() -> dict[str, int]:
    """How late each kind of nudge may still go out (hours), as its ritual says."""
    hours = {p.kind: p.grace_hours for r in registered() for p in r.prompts}
    hours |= {p.kind: p.grace_hours for r in registered() for p in r.reminders}
    return {kind.value: hours[kind] for kind in PromptKind if kind in hours}


@functools.cache
def _zones() -> dict[str, str]:
    return {z.lower(): z for z in available_timezones() | {"UTC"}}


def time_zone_name(name: str) -> str:
    """The IANA name, spelled as IANA spells it ("europe/berlin" -> "Europe/Berlin")."""
    canonical = _zones().get(name.strip().lower())
    if canonical is None:
        raise ValueError(
            f"there is no time zone called {name!r}; use a name like Europe/Berlin or "
            "America/New_York"
        )
    ZoneInfo(canonical)
    return canonical


def _clock_time(value: str) -> str:
    hours, sep, minutes = value.strip().partition(":")
    if not (sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValueError(f"{value!r} is not a time; write it as 24-hour HH:MM, like 09:30")
    if not (0 <= int(hours) <= 23 and 0 <= int(minutes) <= 59):
        raise ValueError(f"{value!r} is not a time of day; hours go 00-23, minutes 00-59")
    return f"{int(hours):02d}:{minutes}"


def ritual_names(value: str) -> str:
    """ "checkin, pulse" -> "checkin,pulse", refusing rituals that do not exist."""
    names = [n.strip().lower().replace("-", "_") for n in value.replace(" ", ",").split(",")]
    known = ritual_titles()
    for name in filter(None, names):
        if name not in known:
            raise ValueError(
                f"there is no ritual called {name!r}; the rituals are {', '.join(known)}"
            )
    return ",".join(dict.fromkeys(filter(None, names)))


def _window_text(value: str) -> str:
    return "-".join(parse_window(value))


def _days_text(value: str) -> str:
    return ",".join(parse_days(value))


TimeZoneName = Annotated[str, AfterValidator(time_zone_name)]
ClockTime = Annotated[str, AfterValidator(_clock_time)]
Window = Annotated[str, AfterValidator(_window_text)]
Days = Annotated[str, AfterValidator(_days_text)]
RitualNames = Annotated[str, AfterValidator(ritual_names)]
BudgetText = Annotated[str, AfterValidator(budget_text)]


def parse_window(value: str) -> tuple[str, str]:
    """ "18:00-09:00" -> ("18:00", "09:00"); a window may run past midnight."""
    start, sep, end = value.replace("–", "-").partition("-")
    if not sep:
        raise ValueError(f"{value!r} is not a window; write it as HH:MM-HH:MM, like 18:00-09:00")
    return _clock_time(start), _clock_time(end)


def _minutes(window: tuple[str, str]) -> set[int]:
    """The minutes of the day a window covers, wrapping past midnight."""
    start, end = (int(t[:2]) * 60 + int(t[3:]) for t in window)
    if start < end:
        return set(range(start, end))
    return set(range(start, 24 * 60)) | set(range(0, end))


def parse_days(value: str) -> tuple[Weekday, ...]:
    """ "mon-fri", "mon,wed,fri", "mon tue" -> weekdays in order."""
    text = value.lower().replace(" ", ",")
    days: list[Weekday] = []
    for part in filter(None, text.split(",")):
        first, sep, last = part.partition("-")
        if first not in WEEKDAYS or (sep and last not in WEEKDAYS):
            raise ValueError(
                f"{part!r} is not a day; use mon, tue, wed, thu, fri, sat, sun, or a range "
                "like mon-fri"
            )
        i = WEEKDAYS.index(first)  # type: ignore[arg-type, unused-ignore]
        j = WEEKDAYS.index(last) if sep else i  # type: ignore[arg-type, unused-ignore]
        if j < i:
            raise ValueError(f"{part!r} runs backwards; write ranges like mon-fri")
        days += [d for d in WEEKDAYS[i : j + 1] if d not in days]
    if not days:
        raise ValueError("name at least one working day, like mon-fri")
    return tuple(sorted(days, key=WEEKDAYS.index))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KpiSettings(_Strict):
    """app.yaml's `kpis` section: the registry's rules."""

    max_per_member: int = Field(5, ge=1, le=50)
    effort_terms: tuple[str, ...] = ()
    outcome_terms: tuple[str, ...] = ()
    # A KPI whose name or unit says one of these gets better as it falls, unless it also says
    # one of `higher_terms` ("Error-free orders", "Cost saved").
    lower_terms: tuple[str, ...] = ()
    higher_terms: tuple[str, ...] = ()

    @field_validator("effort_terms", "outcome_terms", "lower_terms", "higher_terms")
    @classmethod
    def _lowercase(cls, terms: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(t.strip().lower() for t in terms if t.strip())


class PeopleDefaults(_Strict):
    """app.yaml's `people` section: used until a person sets their own."""

    default_time_zone: TimeZoneName = "UTC"
    working_days: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri")
    work_hours: str = "09:00-17:00"
    quiet_hours: str = "18:00-09:00"

    @field_validator("working_days")
    @classmethod
    def _some_days(cls, days: tuple[Weekday, ...]) -> tuple[Weekday, ...]:
        if not days:
            raise ValueError("name at least one working day")
        return days

    @field_validator("work_hours", "quiet_hours")
    @classmethod
    def _window(cls, value: str) -> str:
        return "-".join(parse_window(value))


class TeamRituals(_Strict):
    """A team's ritual settings; app.yaml's `rituals` section gives every new team its start."""

    enabled: tuple[str, ...] = (
        RitualName.CHECKIN,
        RitualName.ONE_ON_ONE,
        RitualName.KUDOS,
        RitualName.REVIEW,
    )
    checkin_day: Weekday = "mon"
    checkin_time: ClockTime = "10:00"
    one_on_one_weeks: int = Field(2, ge=1, le=8)
    one_on_one_day: Weekday = "wed"
    one_on_one_time: ClockTime = "10:00"
    # The Fail of the Month vote opens this many days before the month ends, at check-in time.
    vote_days: int = Field(3, ge=1, le=10)
    # The tension pulse opens on the check-in day every this many weeks, when switched on.
    pulse_weeks: int = Field(2, ge=1, le=8)
    pulse_threshold: int = Field(3, ge=3, le=50)
    # Where kudos are posted; the team's home channel when not set.
    recognition_channel: str | None = Field(None, max_length=80)
    decline_threshold_percent: int = Field(20, ge=5, le=90)
    # Each person's experiment budget a quarter: money in a currency, or hours.
    experiment_budget: BudgetText = "8 hours"
    # KPI Raw, the weekly newsletter, goes to the team's channel on this day at this time.
    raw_day: Weekday = "fri"
    raw_time: ClockTime = "16:00"

    @field_validator("enabled", mode="before")
    @classmethod
    def _known(cls, value: object) -> object:
        if isinstance(value, list | tuple):
            value = ",".join(str(v) for v in value)
        return (
            tuple(filter(None, ritual_names(value).split(","))) if isinstance(value, str) else value
        )


def with_overrides(defaults: TeamRituals, overrides: Mapping[str, object]) -> TeamRituals:
    """A team's ritual settings: its own choices over app.yaml's. Raises ValidationError when
    the mix is not allowed."""
    return TeamRituals.model_validate({**defaults.model_dump(), **overrides})


class NudgeSettings(_Strict):
    """app.yaml's `nudges` section: how much the bot may interrupt a person, and how late."""

    # Unprompted DMs a person gets in one week, across every ritual and team.
    weekly_budget: int = Field(3, ge=1, le=20)
    # A prompt missed while the bot was down still goes out this many hours late, not later.
    grace_hours: dict[str, int] = Field(default_factory=grace_defaults)

    @field_validator("grace_hours")
    @classmethod
    def _known_rituals(cls, grace: dict[str, int]) -> dict[str, int]:
        known = grace_defaults()
        for name, hours in grace.items():
            if name not in known:
                raise ValueError(f"{name!r} is not a scheduled ritual; they are {', '.join(known)}")
            if not 0 < hours <= 24 * 14:
                raise ValueError(f"{name}: give between 1 and {24 * 14} hours")
        return {**known, **grace}


# Answers that put an obstacle off instead of clearing it. app.yaml's list replaces this one.
VAGUE_PHRASES: tuple[str, ...] = (
    "think about it",
    "think it over",
    "get back to you",
    "get back to",
    "come back to you",
    "look into it",
    "look in to it",
    "maybe later",
    "we will see",
    "wait and see",
    "let us see",
    "let me see",
    "we shall see",
    "circle back",
    "keep an eye on it",
    "sleep on it",
    "when i get a chance",
    "when i have time",
    "at some point",
    "see what i can do",
    "see what we can do",
    "to be decided",
    "tbd",
)


class CheckinSettings(_Strict):
    """app.yaml's `checkins` section: what a commitment must be."""

    # An obstacle's answer made only of these (and filler like "I'll", "later") is refused.
    vague_phrases: tuple[str, ...] = VAGUE_PHRASES
    # A commitment is due within this many days: an obstacle cleared later is not being cleared.
    longest_commitment_days: int = Field(90, ge=7, le=364)

    @field_validator("vague_phrases")
    @classmethod
    def _some(cls, phrases: tuple[str, ...]) -> tuple[str, ...]:
        kept = tuple(p.strip() for p in phrases if p.strip())
        if not kept:
            raise ValueError("name at least one vague phrase")
        return kept


# Praise that says nothing of how anyone was served. app.yaml's list replaces this one.
GENERIC_PRAISE: tuple[str, ...] = (
    "great job",
    "good job",
    "nice job",
    "great work",
    "good work",
    "nice work",
    "well done",
    "awesome",
    "amazing",
    "great",
    "thanks",
    "thank you",
    "thx",
    "kudos",
    "you rock",
    "rock star",
    "rockstar",
    "legend",
    "keep it up",
    "keep up the good work",
    "shout out",
    "shoutout",
    "for everything",
    "as always",
    "you are the best",
    "you're the best",
    "incredible",
    "fantastic",
    "superb",
    "brilliant",
    "outstanding",
    "wow",
    "truly",
)


class RecognitionSettings(_Strict):
    """app.yaml's `recognition` section: what a kudos must say, and what it may come with."""

    # Small, symbolic rewards a kudos may name; never money.
    rewards: tuple[str, ...] = (
        "a handwritten note",
        "a team lunch",
        "first pick of the next project",
    )
    # A story made only of these (and filler) is generic praise, refused with a request for
    # how the giver served the recipient.
    generic_praise: tuple[str, ...] = GENERIC_PRAISE

    @field_validator("rewards", "generic_praise")
    @classmethod
    def _some(cls, items: tuple[str, ...]) -> tuple[str, ...]:
        kept = tuple(dict.fromkeys(i.strip() for i in items if i.strip()))
        if not kept:
            raise ValueError("name at least one")
        if any(len(i) > 80 for i in kept):
            raise ValueError("keep each to 80 characters")
        return kept


class DashboardSettings(_Strict):
    """app.yaml's `dashboard` section: how long a sign-in link and a browser session last."""

    # A link sent by `dashboard` opens the page once, within this many minutes.
    link_minutes: int = Field(10, ge=1, le=60)
    # A browser session opened by a link lasts this many hours (or until signing out).
    session_hours: int = Field(8, ge=1, le=24 * 7)
    # The page's address, as people reach it. Unset, `serve` uses PUBLIC_URL and the console
    # the address it serves on this machine.
    url: str | None = Field(None, pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$", max_length=200)


class SkillSettings(_Strict):
    """app.yaml's `skills` section: a small catalogue of skills per role for a team's list to
    start from (like the KPI examples), and how long that list may grow."""

    # A short list keeps the heat-map readable at a chat's width, and the ratings honest.
    max_per_team: int = Field(15, ge=3, le=30)
    catalogue: dict[str, tuple[str, ...]] = {
        "sales": ("Discovery calls", "Negotiation", "Forecasting", "Objection handling"),
        "engineering": ("Code review", "Testing", "System design", "Incident response"),
        "support": ("De-escalation", "Troubleshooting", "Writing help articles"),
    }

    @field_validator("catalogue")
    @classmethod
    def _short_names(cls, catalogue: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        if not catalogue:
            raise ValueError("name at least one role with its skills")
        for role, skills in catalogue.items():
            if not skills:
                raise ValueError(f"{role}: name at least one skill")
            if any(not 2 <= len(s.strip()) <= 40 for s in skills):
                raise ValueError(f"{role}: keep each skill's name to 2-40 characters")
        return {
            role.lower(): tuple(s.strip() for s in skills) for role, skills in catalogue.items()
        }


class RitualSettings(_Strict):
    """Everything non-secret the rituals need, as app.yaml states it."""

    people: PeopleDefaults = PeopleDefaults()
    kpis: KpiSettings = KpiSettings()
    rituals: TeamRituals = TeamRituals()
    # Built when settings are read, not at import: its defaults come from the registry.
    nudges: NudgeSettings = Field(default_factory=NudgeSettings)
    checkins: CheckinSettings = CheckinSettings()
    recognition: RecognitionSettings = RecognitionSettings()
    dashboard: DashboardSettings = DashboardSettings()
    skills: SkillSettings = SkillSettings()


def check_personal_hours(work_hours: tuple[str, str], quiet_hours: tuple[str, str]) -> str | None:
    """Why a person's hours cannot work together, or None when they can."""
    if quiet_hours[0] == quiet_hours[1]:
        return (
            f"quiet hours {quiet_hours[0]}-{quiet_hours[1]} would cover the whole day. "
            "To stop every nudge, pause them instead"
        )
    if work_hours[0] == work_hours[1]:
        return "working hours must start and end at different times"
    if _minutes(work_hours) <= _minutes(quiet_hours):
        return (
            f"quiet hours {'-'.join(quiet_hours)} cover all your working hours "
            f"{'-'.join(work_hours)}, so the bot could never reach you. To stop every nudge, "
            "pause them instead"
        )
    return None
