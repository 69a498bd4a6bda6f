"""The Block Kit renderer as it was built with slack_sdk's model objects: the yardstick the
plain-dict renderer (bot/slack/render.py) must match byte for byte.

slack_sdk's `to_dict()` also checks Slack's length limits on the way out, so rendering a broad
set of messages through this copy re-checks every limit the dict renderer clips to.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
    UserMultiSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.slack.render import (
    BUTTON_TEXT,
    BUTTON_VALUE,
    BUTTONS_PER_BLOCK,
    FALLBACK_TEXT,
    FIELD_TEXT,
    FIELDS_PER_SECTION,
    FORM_CALLBACK,
    HEADER_TEXT,
    HINT_TEXT,
    INPUT_MAX,
    LABEL_TEXT,
    MAX_PARTS,
    MENTION,
    MESSAGE_BLOCKS,
    MODAL_TITLE,
    OPTION_TEXT,
    OPTION_VALUE,
    OPTIONS,
    SECTION_TEXT,
    VALUE_ACTION,
    VIEW_BLOCKS,
    FormOrigin,
    Rendered,
    SlackMessage,
    Upload,
    _users,
    chunks,
    clip,
    escape,
    mrkdwn,
)
from rituals.core import messages as m


def _md(text: str) -> MarkdownTextObject:
    return MarkdownTextObject(text=text, verbatim=True)


def _sections(text: str) -> list[Block]:
    return [SectionBlock(text=_md(piece)) for piece in chunks(text, SECTION_TEXT)]


def render_blocks(blocks: Sequence[m.Block], uploads: list[Upload]) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        out.extend(_render_block(block, uploads))
    return out


def _render_block(block: m.Block, uploads: list[Upload]) -> list[Block]:
    match block:
        case m.Heading(text=text):
            return [HeaderBlock(text=PlainTextObject(text=clip(text, HEADER_TEXT)))]
        case m.Paragraph(parts=parts):
            return _sections(mrkdwn(parts))
        case m.Bullets(items=items):
            return _sections("\n".join(f"• {mrkdwn(item)}" for item in items))
        case m.Fields(items=items):
            texts = [clip(f"*{escape(k)}*\n{escape(v)}", FIELD_TEXT) for k, v in items]
            return [
                SectionBlock(fields=[_md(t) for t in texts[i : i + FIELDS_PER_SECTION]])
                for i in range(0, len(texts), FIELDS_PER_SECTION)
            ]
        case m.Note(text=text):
            return [ContextBlock(elements=[_md(piece)]) for piece in chunks(escape(text), 3000)]
        case m.Actions(buttons=buttons, prompt=prompt):
            return _actions(buttons, prompt)
        case m.Image(name=name, data=data, alt=alt, title=title):
            uploads.append(Upload(name, title or alt, data))
            return [ContextBlock(elements=[_md(escape(clip(f"{alt} (attached below)", 3000)))])]
        case m.File(name=name, data=data):
            uploads.append(Upload(name, name, data))
            return [ContextBlock(elements=[_md(escape(f"{name} is attached below."))])]
    raise TypeError(f"not a block: {block!r}")


def _actions(buttons: Sequence[m.Button], prompt: str | None) -> list[Block]:
    out: list[Block] = _sections(escape(prompt)) if prompt else []
    elements: list[ButtonElement] = []
    for button in buttons:
        if len(button.command) > BUTTON_VALUE:
            continue
        style = None if button.style is m.ButtonStyle.DEFAULT else button.style.value
        elements.append(
            ButtonElement(
                text=PlainTextObject(text=clip(button.label, BUTTON_TEXT)),
                action_id=f"run-{len(elements)}",
                value=button.command,
                style=style,
            )
        )
    for i in range(0, len(elements), BUTTONS_PER_BLOCK):
        out.append(ActionsBlock(elements=elements[i : i + BUTTONS_PER_BLOCK]))
    return out


def render_message(message: m.Message) -> Rendered:
    uploads: list[Upload] = []
    blocks = render_blocks(message.blocks, uploads)
    fallback = clip(escape(message.text), FALLBACK_TEXT) or "kpi-coach"
    room = MESSAGE_BLOCKS * MAX_PARTS
    if len(blocks) > room:
        cut = len(blocks) - room + 1
        blocks = blocks[: room - 1]
        blocks.append(
            ContextBlock(elements=[_md(f"_{cut} more blocks were cut: this was too long._")])
        )
    parts = [
        SlackMessage(
            text=fallback if i == 0 else "(continued)",
            blocks=[b.to_dict() for b in blocks[i : i + MESSAGE_BLOCKS]],
        )
        for i in range(0, len(blocks), MESSAGE_BLOCKS)
    ]
    return Rendered(parts or [SlackMessage(fallback, [])], uploads)


def render_home(message: m.Message) -> dict[str, Any]:
    blocks = render_blocks(message.blocks, [])
    if len(blocks) > VIEW_BLOCKS:
        blocks = blocks[: VIEW_BLOCKS - 1]
        blocks.append(ContextBlock(elements=[_md("_There is more than the Home tab can show._")]))
    return View(type="home", blocks=blocks).to_dict()


def render_modal(form: m.Form, origin: FormOrigin) -> dict[str, Any]:
    blocks: list[Block] = _sections(escape(form.intro)) if form.intro else []
    blocks += [_input(f) for f in form.fields]
    return View(
        type="modal",
        callback_id=FORM_CALLBACK,
        title=PlainTextObject(text=clip(form.title, MODAL_TITLE)),
        submit=PlainTextObject(text=clip(form.submit_label, MODAL_TITLE)),
        close=PlainTextObject(text="Cancel"),
        blocks=blocks[:VIEW_BLOCKS],
        private_metadata=origin.encode(),
    ).to_dict()


def render_unreadable_form(values: dict[str, str], slash: str) -> dict[str, Any]:
    intro = (
        "This form could not be read (it may come from an older version of the bot), so "
        f"nothing was saved. What you typed is below: copy it, then type {slash} help to "
        "start again."
    )
    blocks: list[Block] = _sections(escape(intro))
    for value in values.values():
        blocks += _sections(escape(value))
    return View(
        type="modal",
        title=PlainTextObject(text="Form not read"),
        close=PlainTextObject(text="Close"),
        blocks=blocks[:VIEW_BLOCKS],
    ).to_dict()


def _input(f: m.FormField) -> InputBlock:
    element: Any
    person = MENTION.fullmatch(f.value or "")
    if f.kind is m.FieldKind.CHOICE and f.options:
        options = [
            Option(text=PlainTextObject(text=clip(o, OPTION_TEXT)), value=o[:OPTION_VALUE])
            for o in f.options[:OPTIONS]
        ]
        initial = next((o for o in options if o.value == f.value), None)
        element = StaticSelectElement(
            action_id=VALUE_ACTION, options=options, initial_option=initial
        )
    elif f.kind is m.FieldKind.PERSON and (f.value is None or person):
        initial_user = person.group(1) if person else None
        element = UserSelectElement(action_id=VALUE_ACTION, initial_user=initial_user)
    elif f.kind is m.FieldKind.PEOPLE and (users := _users(f.value)) is not None:
        element = UserMultiSelectElement(
            action_id=VALUE_ACTION,
            initial_users=users or None,
            max_selected_items=f.max_length,
        )
    else:
        limit = INPUT_MAX if f.kind is m.FieldKind.PEOPLE else min(f.max_length, INPUT_MAX)
        element = PlainTextInputElement(
            action_id=VALUE_ACTION,
            multiline=f.kind is m.FieldKind.LONG_TEXT,
            max_length=limit,
            initial_value=clip(f.value, limit) if f.value else None,
        )
    return InputBlock(
        block_id=f.name,
        label=PlainTextObject(text=clip(f.label, LABEL_TEXT)),
        hint=PlainTextObject(text=clip(f.hint, HINT_TEXT)) if f.hint else None,
        element=element,
        optional=not f.required,
    )
