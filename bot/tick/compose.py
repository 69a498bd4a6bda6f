"""A tick's messages, composed once per kind of message and filled in per person.

Ten thousand people due a check-in get a hundred different messages (one per team) that
differ only in whom they greet; composing and encoding each person's from scratch was a
quarter of the tick. A template, the JSON text an outbox row holds, is made per message (the
prompts' kinds, team, lead, reports and details, and whether the month's footer goes with
it) for a stand-in recipient once a second person gets that message, checked against the
real thing, and filled with each person's name and id.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field, replace

from bot.payload import STAND_IN, Template, stored, template
from rituals.core.nudges import Prompt, compose


@dataclass
class Composer:
    """The templates of one tick. A message seen once is composed as it is (most people's
    check-in with last week's commitments is theirs alone); from its second recipient on, a
    template serves it, or None when its text does more with the recipient's name than say
    it, and it is composed per person."""

    _once: set[Hashable] = field(default_factory=set)
    _made: dict[Hashable, Template | None] = field(default_factory=dict)

    def payload(self, prompts: Sequence[Prompt], manners: bool) -> str:
        """The stored JSON text of the message these prompts to one person make."""
        key = (manners, *((p.spec, p.team, p.lead, p.reports, p.details) for p in prompts))
        if key not in self._made:
            if key not in self._once:
                self._once.add(key)
                return stored(compose(prompts, manners=manners))
            self._made[key] = self._make(prompts, manners)
        made = self._made[key]
        if made is None:
            return stored(compose(prompts, manners=manners))
        return made.fill(prompts[0].to)

    @staticmethod
    def _make(prompts: Sequence[Prompt], manners: bool) -> Template | None:
        stand_ins = [replace(p, to=STAND_IN) for p in prompts]
        made = template(compose(stand_ins, manners=manners))
        real = stored(compose(prompts, manners=manners))
        return made if made.fill(prompts[0].to) == real else None
