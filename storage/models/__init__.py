"""The typed ORM models. The schema only changes through an Alembic migration.

Every row that holds team data carries its workspace, and rows that point at a member or a team
do so with a composite key that includes the workspace, so the database itself refuses a row that
would link two workspaces.

One module per domain; this package imports them all, so `Base.metadata` holds every table as
soon as `storage.models` is imported (Alembic and the privacy export rely on it), and every model
is importable from here.
"""

from storage.models.base import NAMING_CONVENTION, Base
from storage.models.budgets import BudgetRequest, BudgetState
from storage.models.checkins import (
    Commitment,
    CommitmentStatus,
    Misstep,
    MisstepFeedback,
    Obstacle,
)
from storage.models.debates import (
    Debate,
    DebateDecision,
    DebateSeat,
    DebateVolunteer,
    SeatAnswer,
    Side,
)
from storage.models.delivery import (
    Nudge,
    NudgeOutcome,
    Outbox,
    OutboxStatus,
    SendPace,
    TeamsConversation,
)
from storage.models.kpis import (
    Cadence,
    Direction,
    Experiment,
    Kpi,
    KpiChange,
    KpiReview,
    KpiStatus,
    KpiValue,
    KpiVote,
    ReviewVerdict,
)
from storage.models.one_on_ones import DipLadder, OneOnOne, TalkingPoint
from storage.models.people import (
    JoinRequest,
    Member,
    Membership,
    Platform,
    Role,
    Team,
    Workspace,
)
from storage.models.pulse import Pulse, PulseRespondent
from storage.models.purpose import Purpose, PurposeAnswer
from storage.models.raw import RawOptOut
from storage.models.recognition import (
    Consent,
    FailMonth,
    FailNomination,
    FailVote,
    Kudos,
    KudosRecipient,
)
from storage.models.skills import (
    MentorDecline,
    Mentorship,
    Skill,
    SkillRating,
    SkillShare,
    SprintStatus,
)
from storage.models.stretch import Stretch, StretchState
from storage.models.web import WebSignIn

__all__ = [
    "NAMING_CONVENTION",
    "Base",
    "BudgetRequest",
    "BudgetState",
    "Cadence",
    "Commitment",
    "CommitmentStatus",
    "Consent",
    "Debate",
    "DebateDecision",
    "DebateSeat",
    "DebateVolunteer",
    "DipLadder",
    "Direction",
    "Experiment",
    "FailMonth",
    "FailNomination",
    "FailVote",
    "JoinRequest",
    "Kpi",
    "KpiChange",
    "KpiReview",
    "KpiStatus",
    "KpiValue",
    "KpiVote",
    "Kudos",
    "KudosRecipient",
    "Member",
    "Membership",
    "MentorDecline",
    "Mentorship",
    "Misstep",
    "MisstepFeedback",
    "Nudge",
    "NudgeOutcome",
    "Obstacle",
    "OneOnOne",
    "Outbox",
    "OutboxStatus",
    "Platform",
    "Pulse",
    "PulseRespondent",
    "Purpose",
    "PurposeAnswer",
    "RawOptOut",
    "ReviewVerdict",
    "Role",
    "SeatAnswer",
    "SendPace",
    "Side",
    "Skill",
    "SkillRating",
    "SkillShare",
    "SprintStatus",
    "Stretch",
    "StretchState",
    "TalkingPoint",
    "Team",
    "TeamsConversation",
    "WebSignIn",
    "Workspace",
]
