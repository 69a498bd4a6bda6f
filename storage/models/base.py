"""What every model shares: the declarative base whose naming convention gives constraints
stable names (migrations refer to them), how an enum is stored, and the composite foreign keys
that keep a row inside its own workspace."""

from __future__ import annotations

import enum

from sqlalchemy import Enum, ForeignKeyConstraint, MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def stored_enum(cls: type[enum.Enum], name: str) -> Enum:
    # Store the readable value, not the Python name, and keep it a plain string column so adding
    # a value later is a one-line migration on every engine.
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=False,
        length=20,
        values_callable=lambda e: [m.value for m in e],
    )


def member_fk(column: str, *, cascade: bool = True) -> ForeignKeyConstraint:
    """A column naming a member of the row's own workspace."""
    return ForeignKeyConstraint(
        ["workspace_id", column],
        ["member.workspace_id", "member.id"],
        ondelete="CASCADE" if cascade else None,
    )


def team_fk() -> ForeignKeyConstraint:
    """The row's `team_id`, a team of its own workspace; the row goes when the team does."""
    return ForeignKeyConstraint(
        ["workspace_id", "team_id"], ["team.workspace_id", "team.id"], ondelete="CASCADE"
    )
