"""The Adaptive Card renderer: valid cards, Teams' limits kept, user text inert, forms and back."""

from __future__ import annotations

import base64
import json
import os
import re
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.grammar import NeedsForm, Parsed, build_grammar
from bot.teams.cards import MAX_CARD_BYTES, Upload, render_message
from bot.teams.forms import render_form
from bot.teams.markdown import escape
from bot.teams.submissions import FORM_KEY, HIDDEN_KEY, RUN_KEY, Submission, submission
from rituals.core import messages as m
from tests.bot.teams.conftest import CHANNEL
from tests.bot.teams.support import VALIDATOR, phone_height, valid
from tests.support import FIXTURES

ZWJ = "\u200d"
# An <at> tag in any spelling Teams might read as one.
AT_TAG = re.compile(r"<\s*/?\s*at\b", re.IGNORECASE)


def texts(card: dict[str, Any]) -> list[str]:
    return [e["text"] for e in card["body"] if e["type"] == "TextBlock"]


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text, flags=re.DOTALL)


def png(path: Path, width: int, height: int, noise: bool = False) -> Path:
    """A real RGB PNG; with noise it does not compress, so its size is about 3 bytes a pixel."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    def row() -> bytes:
        return os.urandom(width * 3) if noise else b"\x20\x80\xc0" * width

    raw = b"".join(b"\x00" + row() for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )
    return path


def everything(image: Path) -> m.Message:
    """A message with every block kind, every inline kind and every button style."""
    styles = list(m.ButtonStyle)
    buttons = tuple(
        m.Button(f"{style.value} {i}", f"kpis {i}", style) for style in styles for i in range(9)
    )
    return m.Message(
        (
            m.Heading("Your KPIs"),
            m.Paragraph(
                m.rich(
                    "Thanks ",
                    m.Mention("6be2a34f-4e1a-4b1f-9d2c-1a2b3c4d5e6f", "Ana Ruiz"),
                    " for ",
                    m.Strong("Qualified leads"),
                    "; type ",
                    m.Code('/kpi propose "Leads" target 10'),
                    " or post in ",
                    m.ChannelLink("19:a1b2c3d4e5f6@thread.tacv2"),
                    ".",
                )
            ),
            m.Bullets(
                (
                    m.rich("first ", m.Strong("bold")),
                    m.rich(m.Mention("29:ben", "Ben Okafor"), " owns it"),
                    m.rich(m.Code("/kpi help")),
                )
            ),
            m.Fields((("Target", "10 leads"), ("Cadence", "weekly"), ("Owner", "@ana"))),
            m.Note("Nudges stop when you are away."),
            m.Actions(buttons, prompt="Pick one"),
            m.Image(
                image.name,
                image.read_bytes(),
                alt="A chart of qualified leads",
                title="This quarter",
            ),
            m.File("kpicoach-export.json", b'{"kpis": []}', "application/json"),
        ),
        audience=m.Audience.DM,
        to=m.Mention("29:ana", "Ana Ruiz"),
    )


# --- escaping ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "escaped"),
    [
        ("[click](http://evil)", r"\[click\](http://evil)"),
        ("**x**", r"\*\*x\*\*"),
        ("_x_ `code` a\\b", r"\_x\_ \`code\` a\\b"),
        ("<at>Boss</at>", f"<{ZWJ}at>Boss<{ZWJ}/at>"),
        ("< AT >", f"<{ZWJ} AT >"),
        ("a (b) > c", "a (b) > c"),
        (
            "# one\n- two\n  + three\n12. four\n> five",
            "\\# one\n\\- two\n  \\+ three\n12\\. four\n\\> five",
        ),
        ("a - b #3 1. x", "a - b #3 1. x"),
        ("x\r-y", "x\r\\-y"),
    ],
)
def test_escape_leaves_nothing_markdown_or_teams_could_act_on(typed: str, escaped: str) -> None:
    assert escape(typed) == escaped


def test_escape_mid_line_leaves_a_leading_dash_alone_but_not_one_after_a_line_break() -> None:
    assert escape("- and more\n- x", line_start=False) == "- and more\n\\- x"


MARKUPISH = st.text(alphabet=st.sampled_from([*"<>/atAT *_[]()`#-+.19 \n\r\t\\", ZWJ]))


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=200), MARKUPISH), st.booleans())
def test_escaped_text_has_no_at_tag_and_unescapes_to_what_was_typed(
    text: str, line_start: bool
) -> None:
    escaped = escape(text, line_start=line_start)
    assert not AT_TAG.search(escaped)
    assert unescape(escaped).replace(ZWJ, "") == text.replace(ZWJ, "")


@settings(max_examples=200, deadline=None)
@given(MARKUPISH, MARKUPISH)
def test_typed_text_around_a_real_mention_never_adds_a_mention(before: str, after: str) -> None:
    message = m.say(before, m.Mention("29:ana", "Ana"), after)
    (card,) = render_message(message).cards
    assert AT_TAG.findall(json.dumps(card["body"])) == ["<at", "</at"]
    assert card["msteams"]["entities"] == [
        {"type": "mention", "text": "<at>Ana</at>", "mentioned": {"id": "29:ana", "name": "Ana"}}
    ]


def test_forged_mentions_links_and_emphasis_show_as_typed() -> None:
    rendered = render_message(m.say("<at>Boss</at> [click](http://evil) **x**"))
    (card,) = rendered.cards
    valid(card)
    (text,) = texts(card)
    assert "entities" not in card["msteams"]
    assert "<at>" not in text
    assert "[click](" not in text
    assert "**" not in text
    assert unescape(text).replace(ZWJ, "") == "<at>Boss</at> [click](http://evil) **x**"
    assert "<at>" not in rendered.text
    assert "<at>" not in card["fallbackText"]


# --- messages ---------------------------------------------------------------------------------


def test_every_block_kind_renders_a_valid_1_2_card(tmp_path: Path) -> None:
    picture = png(tmp_path / "chart.png", 4, 3)
    rendered = render_message(everything(picture))
    (card,) = rendered.cards
    valid(card)
    assert card["version"] == "1.2"
    assert card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    assert "actions" not in card
    body = card["body"]
    kinds = [e["type"] for e in body]
    assert kinds[:5] == ["TextBlock", "TextBlock", "TextBlock", "FactSet", "TextBlock"]

    heading, paragraph, bullets, facts, note, prompt = body[:6]
    assert heading == {
        "type": "TextBlock",
        "text": "Your KPIs",
        "wrap": True,
        "size": "large",
        "weight": "bolder",
    }
    assert paragraph["text"] == (
        'Thanks <at>Ana Ruiz</at> for **Qualified leads**; type **/kpi propose "Leads" target 10**'
        " or post in the team channel."
    )
    assert bullets["text"] == "- first **bold**\n- <at>Ben Okafor</at> owns it\n- **/kpi help**"
    assert facts["facts"] == [
        {"title": "Target", "value": "10 leads"},
        {"title": "Cadence", "value": "weekly"},
        {"title": "Owner", "value": "@ana"},
    ]
    assert note == {
        "type": "TextBlock",
        "text": "Nudges stop when you are away.",
        "wrap": True,
        "isSubtle": True,
        "size": "small",
    }
    assert prompt["text"] == "Pick one"

    sets = [e for e in body if e["type"] == "ActionSet"]
    assert [len(s["actions"]) for s in sets] == [3] * 9  # 27 short labels, three to a row
    actions = [a for s in sets for a in s["actions"]]
    assert [a["title"] for a in actions[:2]] == ["default 0", "default 1"]
    assert all(a["type"] == "Action.Submit" for a in actions)
    assert {a.get("style") for a in actions} == {None, "positive", "destructive"}
    assert actions[9] == {
        "type": "Action.Submit",
        "title": "primary 0",
        "data": {RUN_KEY: "kpis 0"},
        "style": "positive",
    }
    assert actions[18]["style"] == "destructive"

    before, image, ready = body[-3:]
    # The chart draws its title ("This quarter") itself: no caption says it again.
    assert before["type"] == "ActionSet"
    assert "This quarter" not in json.dumps(body)
    assert image["type"] == "Image"
    assert image["altText"] == "A chart of qualified leads"
    prefix = "data:image/png;base64,"
    assert image["url"].startswith(prefix)
    assert base64.b64decode(image["url"][len(prefix) :]) == picture.read_bytes()
    assert ready["text"] == "kpicoach-export.json is ready: I'll offer it to you as a file."
    assert rendered.uploads == [Upload("kpicoach-export.json", b'{"kpis": []}', "application/json")]

    assert card["msteams"]["entities"] == [
        {
            "type": "mention",
            "text": "<at>Ana Ruiz</at>",
            "mentioned": {"id": "6be2a34f-4e1a-4b1f-9d2c-1a2b3c4d5e6f", "name": "Ana Ruiz"},
        },
        {
            "type": "mention",
            "text": "<at>Ben Okafor</at>",
            "mentioned": {"id": "29:ben", "name": "Ben Okafor"},
        },
    ]
    # The notification's text is the message's, a channel said by name rather than by its id.
    assert rendered.text == everything(picture).text.replace(f"#{CHANNEL}", "the team channel")
    assert "19:" not in rendered.text
    assert card["fallbackText"].startswith("Your KPIs\nThanks @Ana Ruiz for Qualified leads")


def test_a_button_press_reads_back_as_its_command(tmp_path: Path) -> None:
    (card,) = render_message(everything(png(tmp_path / "c.png", 1, 1))).cards
    pressed = [
        submission(a["data"])
        for e in card["body"]
        if e["type"] == "ActionSet"
        for a in e["actions"]
    ]
    assert pressed[3] == Submission("kpis 3", {}, is_form=False)
    assert len(pressed) == 27


def test_the_same_person_mentioned_twice_has_one_entity() -> None:
    ana = m.Mention("29:ana", "Ana")
    (card,) = render_message(
        m.Message((m.Paragraph((ana, " and ", ana)), m.Bullets(((ana,),))))
    ).cards
    valid(card)
    assert len(card["msteams"]["entities"]) == 1


def test_a_display_name_cannot_close_its_mention_or_carry_markdown() -> None:
    person = m.Mention("29:x", "x</at> <at>Boss [y](http://evil) *z*")
    (card,) = render_message(m.say("hi ", person)).cards
    valid(card)
    (entity,) = card["msteams"]["entities"]
    assert entity["text"] == "<at>x /at at Boss y (http://evil) z</at>"
    assert entity["mentioned"] == {"id": "29:x", "name": person.display_name}
    assert texts(card) == ["hi " + entity["text"]]


def test_empty_blocks_leave_no_empty_elements_and_an_empty_message_is_still_a_card() -> None:
    (card,) = render_message(m.Message((m.Paragraph(()), m.Bullets(()), m.Fields(())))).cards
    assert valid(card)["body"] == []
    (card,) = render_message(m.Message(())).cards
    assert valid(card)["fallbackText"] == "kpi-coach"


def test_a_long_message_is_split_into_cards_under_the_budget_in_order() -> None:
    paragraphs = tuple(m.Paragraph((f"paragraph {i} " + "word " * 400,)) for i in range(60))
    rendered = render_message(m.Message(paragraphs))
    assert 2 <= len(rendered.cards) <= 4
    for card in rendered.cards:
        valid(card)
    shown = [t for card in rendered.cards for t in texts(card)]
    assert [t.split(" ")[1] for t in shown] == [str(i) for i in range(60)]
    assert rendered.cards[1]["fallbackText"] == "(continued)"
    assert "cut" not in json.dumps(rendered.cards[-1])


def test_a_very_long_message_is_cut_at_four_cards_with_a_note() -> None:
    ana = m.Mention("29:ana", "Ana")
    paragraphs = tuple(m.Paragraph((ana, f" paragraph {i} " + "word " * 400)) for i in range(400))
    rendered = render_message(m.Message(paragraphs))
    assert len(rendered.cards) == 4
    for card in rendered.cards:
        valid(card)
        assert card["msteams"]["entities"][0]["text"] == "<at>Ana</at>"
    shown = sum(len(card["body"]) for card in rendered.cards) - 1
    last = rendered.cards[-1]["body"][-1]
    assert last["text"] == f"{400 - shown} more blocks were cut: this was too long."
    assert last["isSubtle"] is True


def test_one_block_too_big_for_a_card_is_clipped_with_an_ellipsis() -> None:
    huge = "word " * 30_000  # about 150 KB
    rendered = render_message(m.Message((m.Paragraph((m.Mention("29:ana", "Ana"), " " + huge)),)))
    (card,) = rendered.cards
    valid(card)
    (text,) = texts(card)
    assert text.startswith("<at>Ana</at> word word")
    assert text.endswith("…")
    assert len(json.dumps(card).encode()) > MAX_CARD_BYTES * 0.9
    facts = render_message(m.Message((m.Fields((("Big", "é" * 40_000),)),))).cards
    (fact,) = valid(facts[0])["body"][0]["facts"]
    assert fact["value"].endswith("…")


def test_many_fields_and_buttons_split_without_parting_a_prompt_from_its_buttons() -> None:
    message = m.Message(
        (
            m.Paragraph(("x" * 70_000,)),
            m.Fields(tuple((f"label {i}", f"value {i}") for i in range(45))),
            m.Actions(tuple(m.Button(f"b{i}", f"kpis {i}") for i in range(13)), prompt="Pick"),
        )
    )
    cards = render_message(message).cards
    for card in cards:
        valid(card)
    sets = [len(e["facts"]) for c in cards for e in c["body"] if e["type"] == "FactSet"]
    assert sets == [20, 20, 5]
    last = cards[-1]["body"]
    # The prompt and its 13 buttons, three to a row on a phone, in one card.
    assert [e["type"] for e in last[-6:]] == ["TextBlock"] + ["ActionSet"] * 5
    assert [len(e["actions"]) for e in last[-5:]] == [3, 3, 3, 3, 1]


def test_buttons_go_in_rows_a_phone_shows_whole() -> None:
    """340 px wide, Teams gives each button of a row the same width: three short labels fit a
    row, two of up to 16 characters, and a longer one has a row to itself."""
    labels = ("1 crushing", "2 heavy", "3 okay", "4 good", "5 energising", "Answer with a word")
    buttons = tuple(m.Button(label, f"kpis {i}") for i, label in enumerate(labels))
    more = (m.Button("Yes, share it", "a"), m.Button("No, keep it private", "b"))
    short = tuple(m.Button(label, label) for label in ("Back it", "Log", "Skip", "Done"))
    (card,) = render_message(
        m.Message((m.Actions(buttons), m.Actions(more), m.Actions(short)))
    ).cards
    valid(card)
    rows = [[a["title"] for a in e["actions"]] for e in card["body"] if e["type"] == "ActionSet"]
    assert rows == [
        ["1 crushing", "2 heavy"],
        ["3 okay", "4 good"],
        ["5 energising"],
        ["Answer with a word"],
        ["Yes, share it"],
        ["No, keep it private"],
        ["Back it", "Log", "Skip"],
        ["Done"],
    ]


def test_a_picture_too_large_for_a_card_is_offered_as_a_file(tmp_path: Path) -> None:
    picture = png(tmp_path / "big.png", 200, 200, noise=True)  # about 120 KB
    rendered = render_message(
        m.Message((m.Image(picture.name, picture.read_bytes(), alt="Leads by week"),))
    )
    (card,) = rendered.cards
    valid(card)
    assert "Image" not in [e["type"] for e in card["body"]]
    assert texts(card) == [
        "Leads by week (the picture is too large for a card: I'll offer it as a file)"
    ]
    assert rendered.uploads == [Upload("big.png", picture.read_bytes(), "image/png")]


# --- forms ------------------------------------------------------------------------------------


def every_field_form() -> m.Form:
    return m.Form(
        title="Propose a KPI",
        command="propose",
        intro="Most KPIs *fail* quietly: say why this one matters.",
        submit_label="Propose",
        hidden={"kpi": "3", "origin": "home"},
        fields=(
            m.FormField("name", "KPI name", hint='e.g. "Qualified leads"', max_length=80),
            m.FormField(
                "why",
                "What excites you?",
                m.FieldKind.LONG_TEXT,
                required=False,
                max_length=500,
                value="I get to " + "x" * 600,
            ),
            m.FormField("target", "Target", m.FieldKind.NUMBER, value="12%"),
            m.FormField(
                "cadence",
                "Cadence",
                m.FieldKind.CHOICE,
                options=("weekly", "monthly"),
                value="monthly",
                hint="how often",
            ),
            m.FormField(
                "role",
                "Role",
                m.FieldKind.CHOICE,
                required=False,
                options=tuple(f"role{i}" for i in range(120)),
            ),
            m.FormField("owner", "Owner", m.FieldKind.PERSON, required=False, hint="you if empty"),
            m.FormField("colour", "Colour", m.FieldKind.CHOICE, value="red"),
        ),
    )


def test_a_form_with_every_field_kind_is_a_valid_1_3_card() -> None:
    card = valid(render_form(every_field_form()))
    assert card["version"] == "1.3"
    body = card["body"]
    assert body[0]["text"] == "Propose a KPI"
    assert body[0]["size"] == "large"
    assert body[1]["text"] == "Most KPIs \\*fail\\* quietly: say why this one matters."
    inputs = {e["id"]: e for e in body if e["type"].startswith("Input.")}
    assert list(inputs) == ["name", "why", "target", "cadence", "role", "owner", "colour"]
    assert inputs["name"] == {
        "type": "Input.Text",
        "maxLength": 80,
        "id": "name",
        "label": "KPI name",
        "isRequired": True,
        "errorMessage": "KPI name is needed",
    }
    hint = body[body.index(inputs["name"]) + 1]
    assert hint["text"] == 'e.g. "Qualified leads"'
    assert hint["isSubtle"] is True
    assert hint["spacing"] == "none"
    assert inputs["why"]["isMultiline"] is True
    assert inputs["why"]["isRequired"] is False
    assert "errorMessage" not in inputs["why"]
    assert len(inputs["why"]["value"]) == 500
    assert inputs["target"]["type"] == "Input.Text"
    assert inputs["target"]["placeholder"] == "a number"
    assert inputs["target"]["value"] == "12%"
    assert inputs["cadence"]["type"] == "Input.ChoiceSet"
    assert inputs["cadence"]["style"] == "compact"
    assert inputs["cadence"]["value"] == "monthly"
    assert inputs["cadence"]["choices"] == [
        {"title": "weekly", "value": "weekly"},
        {"title": "monthly", "value": "monthly"},
    ]
    assert len(inputs["role"]["choices"]) == 100
    assert "value" not in inputs["role"]
    assert inputs["owner"]["placeholder"] == "@name"
    assert inputs["colour"]["type"] == "Input.Text"  # a choice with no options is typed
    assert card["actions"] == [
        {
            "type": "Action.Submit",
            "title": "Propose",
            "style": "positive",
            "data": {FORM_KEY: "propose", HIDDEN_KEY: {"kpi": "3", "origin": "home"}},
        }
    ]
    assert card["fallbackText"] == "Propose a KPI"


def test_a_submitted_form_reads_back_with_hidden_values_and_no_empty_inputs() -> None:
    (submit,) = render_form(every_field_form())["actions"]
    # What Teams sends: the action's data with every input's value beside it.
    value = {
        **submit["data"],
        "name": "Qualified leads",
        "why": "",
        "target": 12,
        "ratio": 2.5,
        "round": 10.0,
        "cadence": "weekly",
        "owner": "   ",
        "flag": True,
        "nested": {"x": 1},
        "listed": [1, 2],
        "nothing": None,
    }
    assert submission(value) == Submission(
        "propose",
        {
            "kpi": "3",
            "origin": "home",
            "name": "Qualified leads",
            "target": "12",
            "ratio": "2.5",
            "round": "10",
            "cadence": "weekly",
            "flag": "true",
        },
        is_form=True,
    )


def test_hidden_values_win_over_an_input_of_the_same_name() -> None:
    sent = submission({FORM_KEY: "retire", HIDDEN_KEY: {"kpi": "3"}, "kpi": "7"})
    assert sent is not None
    assert sent.values == {"kpi": "3"}


@pytest.mark.parametrize(
    "value",
    [
        json.loads((FIXTURES / "teams" / "message_card_submit.json").read_text())["value"],
        {"form": "obstacle_form", "obstacle": "x"},
        {},
        {RUN_KEY: ""},
        {RUN_KEY: 5},
        {FORM_KEY: ""},
        {FORM_KEY: ["propose"]},
        {"action": {"type": "Action.Execute", "verb": "fotm_vote", "data": {"nomination": 42}}},
    ],
)
def test_a_value_that_is_not_ours_is_none(value: dict[str, Any]) -> None:
    assert submission(value) is None


@pytest.mark.parametrize("hidden", ["kpi=3", ["kpi", "3"], 3, None, {"kpi": {"id": 3}}])
def test_hidden_values_that_are_not_a_dict_of_scalars_are_ignored(hidden: object) -> None:
    sent = submission({FORM_KEY: "retire", HIDDEN_KEY: hidden, "reason": "done with it"})
    assert sent == Submission("retire", {"reason": "done with it"}, is_form=True)


def test_a_form_round_trip_through_the_real_grammar_runs_the_command() -> None:
    grammar = build_grammar("/kpi")
    retire = grammar.find("retire")
    assert retire is not None
    card = valid(render_form(grammar.form_for(retire, {"kpi": "3"}, intro="")))
    (submit,) = card["actions"]
    sent = submission({**submit["data"], "reason": "We stopped selling that product"})
    assert sent is not None
    outcome = grammar.from_form(sent.command, sent.values)
    assert isinstance(outcome, Parsed)
    assert outcome.text == 'retire 3 "We stopped selling that product"'


# --- everything the grammar can produce ------------------------------------------------------

GRAMMAR = build_grammar("/kpi")
WITH_FIELDS = [s for s in GRAMMAR.syntaxes if s.model.model_fields]


def test_every_syntax_that_offers_a_form_is_covered() -> None:
    offering = {s.name for s in GRAMMAR.syntaxes if s.form_title}
    assert offering
    assert offering <= {s.name for s in WITH_FIELDS}


@pytest.mark.parametrize("syntax", WITH_FIELDS, ids=lambda s: s.name)
def test_every_command_form_is_a_valid_card(syntax: Any) -> None:
    fields = {
        name
        for name, info in syntax.model.model_fields.items()
        if not (
            isinstance(info.json_schema_extra, dict) and info.json_schema_extra.get("typed_only")
        )
    }
    known = {"kpi": "3"} if "kpi" in fields else {}
    for values in ({}, known):
        card = valid(render_form(GRAMMAR.form_for(syntax, values, intro="Fill this in.")))
        inputs = [e for e in card["body"] if e["type"].startswith("Input.")]
        assert {e["id"] for e in inputs} == set(fields) - set(values)
        # Labels and validation need 1.3; a form left with only its button does not.
        assert card["version"] == ("1.3" if inputs else "1.2")


def test_a_command_missing_its_values_asks_for_a_form_that_renders() -> None:
    outcome = GRAMMAR.parse("/kpi growth 3")
    assert isinstance(outcome, NeedsForm)
    card = valid(render_form(outcome.form))
    assert card["actions"][0]["data"] == {
        FORM_KEY: "growth",
        HIDDEN_KEY: {"kpi": "3", "_shown": "goal"},
    }


HELP_TOPICS = [
    None,
    *sorted({s.topic for s in GRAMMAR.syntaxes}),
    *(s.name for s in GRAMMAR.syntaxes),
]


@pytest.mark.parametrize("topic", [*HELP_TOPICS, "no such thing"])
def test_every_help_message_renders_valid_cards(topic: str | None) -> None:
    rendered = render_message(GRAMMAR.help(topic))
    for card in rendered.cards:
        assert valid(card)["version"] == "1.2"
    assert rendered.uploads == []


def test_help_fits_a_phone_screen_or_three_by_topic() -> None:
    """The one help card stood about 2,950 px tall at a phone's 340 px; by topic, the overview
    is about two screens and no topic is more than a screen and a half."""
    (overview,) = render_message(GRAMMAR.help(None)).cards
    assert phone_height(overview) <= 1_200, phone_height(overview)
    for topic in sorted({s.topic for s in GRAMMAR.syntaxes}):
        (card,) = render_message(GRAMMAR.help(topic)).cards
        assert phone_height(card) <= 900, (topic, phone_height(card))
    # The measure is not vacuous: a card of every command's usage line would not pass.
    every = m.Message(tuple(m.Paragraph((GRAMMAR.usage(s),)) for s in GRAMMAR.syntaxes))
    assert phone_height(render_message(every).cards[0]) > 2_000


def test_the_schema_check_is_not_vacuous() -> None:
    (card,) = render_message(m.say("hello")).cards
    valid(card)
    broken = {**card, "body": [{**card["body"][0], "colour": "red"}]}
    assert not VALIDATOR.is_valid(broken)
    assert not VALIDATOR.is_valid({**card, "msteams": {"width": "Wide"}})
