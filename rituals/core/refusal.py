"""A command that cannot go ahead is refused by raising, never by returning a different type.

The dispatcher catches `Refusal`, rolls back whatever the command wrote, and answers with its
replies. When the command came from a form, or the ritual names one, the same form comes back
with the person's values and the problem on top, so nothing they typed is lost.
"""

from __future__ import annotations

from rituals.core.messages import FormRequest, Message, Reply


class Refusal(Exception):
    """Why a command was refused, in words for the person, and what to type instead."""

    def __init__(self, *replies: Reply, form: FormRequest | None = None, field: str = "") -> None:
        if not replies:
            raise ValueError("a refusal needs at least one reply that says why")
        super().__init__(" ".join(r.text for r in replies if isinstance(r, Message)))
        self.replies: tuple[Reply, ...] = replies
        # The form to show again (prefilled with what the person gave), when there is one.
        self.form = form
        # The command's field refused, when it is one: shown again in the form, even where
        # the form had it hidden because a button or the typed command already knew it.
        self.field = field

    @property
    def problem(self) -> str:
        """The refusal as one line of text, to stand on top of a form shown again."""
        return str(self)
