"""Each zone's local date and week at the tick's moment, worked out once rather than per
person: thousands of people share a handful of zones."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from rituals.core.schedule import week_name


@dataclass
class Calendar:
    _dates: dict[str, date] = field(default_factory=dict)
    _weeks: dict[str, str] = field(default_factory=dict)
    _at: datetime | None = None

    def today(self, zone: str, now: datetime) -> date:
        if self._at != now:
            self._dates, self._weeks, self._at = {}, {}, now
        if zone not in self._dates:
            self._dates[zone] = now.astimezone(ZoneInfo(zone)).date()
        return self._dates[zone]

    def budget_week(self, zone: str, now: datetime) -> str:
        """The recipient's week now: the budget is counted in their own weeks."""
        today = self.today(zone, now)  # first: it starts afresh when `now` moved
        if zone not in self._weeks:
            self._weeks[zone] = week_name(today)
        return self._weeks[zone]
