"""Form cards already sent: each is one person's, and does its work once.

Teams keeps a card live after its Action.Submit, and a double click or a slow client sends the
same values twice; run twice, an obstacle is raised twice and its lead told twice. A submit
carries the id of the card it came from (`replyToId`), so the first claims the card, and the
card is then replaced by what was done. The claims live in this process: the replaced card is
what stops a later submit, the claim only the ones already on their way.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

from rituals.core.messages import Message, Note, Outgoing, Paragraph, rich

# Claims kept; the oldest go first, long after their card was replaced.
MAX_CLAIMS = 10_000
SHOWN = 300  # characters of the answer shown in place of the form

Claim = tuple[str, str, str]  # conversation, card id, person


class SentForms:
    def __init__(self, most: int = MAX_CLAIMS) -> None:
        self.most = most
        self._claims: OrderedDict[Claim, None] = OrderedDict()

    def claim(self, key: Claim) -> bool:
        """True for the first submit of a card by its person; False for any repeat."""
        if key in self._claims:
            return False
        self._claims[key] = None
        while len(self._claims) > self.most:
            self._claims.popitem(last=False)
        return True

    def release(self, key: Claim) -> None:
        """The form came back refused: it may be fixed and sent again."""
        self._claims.pop(key, None)


def done(replies: Sequence[Outgoing]) -> Message:
    """What a sent form's card becomes: the first line of what it did."""
    said = next((r.text for r in replies if isinstance(r, Message) and r.text.strip()), "")
    first = said.strip().splitlines()[0] if said.strip() else "Done."
    if len(first) > SHOWN:
        first = first[: SHOWN - 1].rstrip() + "…"
    return Message((Paragraph(rich(first)), Note("Sent. This form has done its work.")))
