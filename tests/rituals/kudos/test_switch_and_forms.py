"""Kudos where a team switched them off, and a refused kudos form: every command is refused
with who can switch kudos on and nothing written; a form the ritual refuses comes back as the
same form, the story kept."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rituals.core.messages import FieldKind, Form
from rituals.kudos.ritual import RITUAL
from tests.rituals.kudos import new_kpi
from tests.rituals.switching import every_row, refused_by_switch
from tests.support import Chat, about

STORY = "I sat in on her first three discovery calls and wrote up the objections"


async def test_switched_off_kudos_refuse_every_command(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await chat.say("lea", "settings set rituals checkin,one_on_one")
    tried = await refused_by_switch(chat, sessions, RITUAL, "ana", "Growth")
    assert tried == sum(len(s.examples) for s in RITUAL.commands) >= 3


async def test_on_two_teams_the_one_named_with_kudos_off_refuses_them(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await chat.say("lea", "team create Sales")
    await chat.say("lea", 'team add <@ana> <@ben> in "Sales"')
    await chat.say("lea", 'settings set rituals checkin in "Sales"')
    await new_kpi(sessions, "ben")
    await refused_by_switch(chat, sessions, RITUAL, "ana", "Sales", name_team=True)
    # Growth, where kudos are on, still takes them: the form opens.
    (form,) = await chat.say("ana", 'kudos in "Growth"')
    assert isinstance(form, Form)


async def _kudos_form(chat: Chat, sessions: async_sessionmaker[AsyncSession]) -> Form:
    """The form opened by a bare `kudos`, on a team where Ben has an active KPI."""
    await new_kpi(sessions, "ben")
    (form,) = await chat.say("ana", "kudos")
    assert isinstance(form, Form)
    return form


def _shape(form: Form, carried: tuple[str, ...] = ()) -> tuple[object, ...]:
    """What makes a form the same form: its command, title, fields (their kinds, choices and
    whether each is required), but for those `carried` hidden once known."""
    fields = tuple(
        (f.name, f.kind, f.required, f.options) for f in form.fields if f.name not in carried
    )
    return form.command, form.title, fields


async def test_a_kudos_form_whose_kpi_does_not_exist_comes_back_with_the_story(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    form = await _kudos_form(chat, sessions)
    before = await every_row(sessions)
    typed = {"people": "<@ben>", "kpi": "99", "story": STORY, "reward": "a team lunch"}
    (again,) = await chat.submit("ana", form, typed)
    assert isinstance(again, Form)
    # The problem on top of the form's own intro, which asks how they were served.
    assert again.intro.startswith("The KPI: There is no KPI #99 here.")
    assert form.intro in again.intro
    assert _shape(again) == _shape(form)
    values = {f.name: f.value for f in again.fields}
    assert values["story"] == STORY
    assert values["people"] == "<@ben>"
    assert values["reward"] == "a team lunch"
    assert values["kpi"] is None  # to be named again
    assert {f.name: f.kind for f in again.fields}["reward"] is FieldKind.CHOICE
    assert await every_row(sessions) == before


async def test_a_kudos_form_to_oneself_comes_back_with_everything_kept(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    form = await _kudos_form(chat, sessions)
    before = await every_row(sessions)
    (again,) = await chat.submit("ana", form, {"people": "<@ana>", "kpi": "7", "story": STORY})
    assert isinstance(again, Form)
    assert again.intro.startswith("Kudos are for someone else: name who you served.")
    assert _shape(again) == _shape(form)  # every field it showed, the KPI typed in it too
    assert {f.name: f.value for f in again.fields}["story"] == STORY
    assert {f.name: f.value for f in again.fields}["kpi"] == "7"
    assert about(again.hidden) == {}
    # Typed rather than submitted, the same refusal opens the form with what was typed,
    # the KPI given riding along hidden.
    (typed,) = await chat.say("ana", f'kudos <@ana> kpi 7 how "{STORY}"')
    assert isinstance(typed, Form)
    assert typed.intro == again.intro
    assert _shape(typed) == _shape(again, carried=("kpi",))
    assert about(typed.hidden) == {"kpi": "7"}
    assert await every_row(sessions) == before
