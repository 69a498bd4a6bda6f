"""The built-in catalogue of example KPIs per role: a KRA/KPI builder to start from.

Each example names an outcome (not effort) and the kind of growth it can feed, so a team starts
from metrics that pass our own rules.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal

from storage.models import Cadence, Direction


class RoleFamily(enum.StrEnum):
    SALES = "sales"
    MARKETING = "marketing"
    OPERATIONS = "operations"
    ENGINEERING = "engineering"
    SUPPORT = "support"
    PEOPLE = "people"


@dataclass(frozen=True)
class Example:
    kra: str  # the key result area the KPI belongs to
    name: str
    target: Decimal
    unit: str
    cadence: Cadence
    growth: str  # how this metric can fuel someone's career
    direction: Direction  # which way it gets better: a proposal infers the same from its name


def _e(
    kra: str,
    name: str,
    target: str,
    unit: str,
    cadence: Cadence,
    growth: str,
    direction: Direction = Direction.HIGHER,
) -> Example:
    return Example(kra, name, Decimal(target), unit, cadence, growth, direction)


W, M, Q = Cadence.WEEKLY, Cadence.MONTHLY, Cadence.QUARTERLY
LOWER = Direction.LOWER

CATALOGUE: dict[RoleFamily, tuple[Example, ...]] = {
    RoleFamily.SALES: (
        _e("Pipeline", "Qualified leads", "10", "leads", W, "discovery and qualification skills"),
        _e("Closing", "Win rate", "25", "%", M, "negotiation and closing"),
        _e("Retention", "Net revenue retention", "105", "%", Q, "account management"),
    ),
    RoleFamily.MARKETING: (
        _e("Demand", "Marketing-qualified leads", "120", "leads", M, "campaign design"),
        _e("Brand", "Share of branded search", "30", "%", Q, "positioning and storytelling"),
        _e("Content", "Trial sign-ups from content", "80", "sign-ups", M, "writing for a market"),
    ),
    RoleFamily.OPERATIONS: (
        _e("Delivery", "Orders shipped on time", "97", "%", W, "process design"),
        _e("Cost", "Cost per order", "4.5", "EUR", M, "supplier negotiation", LOWER),
        _e("Quality", "Error-free orders", "99", "%", M, "root-cause analysis"),
    ),
    RoleFamily.ENGINEERING: (
        _e("Flow", "Lead time for changes", "2", "days", W, "delivery practices", LOWER),
        _e("Reliability", "Change failure rate", "10", "%", M, "testing and operations", LOWER),
        _e("Recovery", "Time to restore service", "60", "minutes", M, "incident leadership", LOWER),
    ),
    RoleFamily.SUPPORT: (
        _e("Resolution", "First-contact resolution", "75", "%", W, "product expertise"),
        _e("Satisfaction", "Customer satisfaction", "90", "%", M, "customer empathy"),
        _e("Knowledge", "Tickets solved by help articles", "30", "%", M, "technical writing"),
    ),
    RoleFamily.PEOPLE: (
        _e("Hiring", "Offer acceptance rate", "85", "%", Q, "employer branding"),
        _e("Retention", "Regretted attrition", "5", "%", Q, "coaching managers", LOWER),
        _e("Growth", "People with a growth plan", "100", "%", Q, "career development design"),
    ),
}
