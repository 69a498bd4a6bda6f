"""What one tick did, for the log and the benchmark."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class TickReport:
    queued: int = 0  # prompts put in the outbox
    messages: int = 0  # outbox rows (merged prompts share one)
    held: int = 0  # due, but the person's weekly budget is spent: they wait
    skipped: int = 0
    missed: int = 0
    seconds: float = 0.0
