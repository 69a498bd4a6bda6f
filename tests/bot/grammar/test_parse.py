"""Reading typed text: typed commands out, and every bad input explained, never raised."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.grammar import MAX_COMMAND_LENGTH, NeedsForm, Parsed, Problem, parse_people
from rituals.core.command import KpiRef, PersonRef
from rituals.kpis.commands import ActivateKpi, ListKpis, ProposeKpi, RetireKpi, ShowExamples
from storage.models import Cadence
from tests.bot.grammar import grammar, parsed, problem


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'propose "Qualified leads" target 10 leads per week',
            ProposeKpi(
                name="Qualified leads", target=Decimal(10), unit="leads", cadence=Cadence.WEEKLY
            ),
        ),
        (
            "/kpi propose Qualified leads target 10 per week",
            ProposeKpi(name="Qualified leads", target=Decimal(10), cadence=Cadence.WEEKLY),
        ),
        (
            "kpi PROPOSE “Win rate” target 25% per month owner <@U0ANA|ana>",
            ProposeKpi(
                name="Win rate",
                target=Decimal(25),
                unit="%",
                cadence=Cadence.MONTHLY,
                owner=PersonRef(platform_user_id="U0ANA"),
            ),
        ),
        (
            "propose 'Cost per order' target $4.50 per quarter owner @ben",
            ProposeKpi(
                name="Cost per order",
                target=Decimal("4.50"),
                unit="$",
                cadence=Cadence.QUARTERLY,
                owner=PersonRef(name="ben"),
            ),
        ),
        (
            "propose Revenue target 1,250,000 EUR per monthly "
            'why "it pays us all" growth "run a P&L myself"',
            ProposeKpi(
                name="Revenue",
                target=Decimal(1250000),
                unit="EUR",
                cadence=Cadence.MONTHLY,
                why="it pays us all",
                growth="run a P&L myself",
            ),
        ),
        ("activate #12", ActivateKpi(kpi=KpiRef(id=12))),
        ('activate "Win rate"', ActivateKpi(kpi=KpiRef(name="Win rate"))),
        ("retire 3 we don't need it", RetireKpi(kpi=KpiRef(id=3), reason="we don't need it")),
        ("kpis", ListKpis()),
        ("list @ana all", ListKpis(person=PersonRef(name="ana"), all=True)),
        ("examples HR", ShowExamples(role="people")),
    ],
)
def test_commands_parse_to_typed_commands(text: str, expected: object) -> None:
    assert parsed(text) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("frobnicate", 'I don\'t know the command "frobnicate"'),
        ("propse", "Did you mean /kpi propose"),
        ('propose "Qualified leads', "is not closed"),
        (
            "propose Leads target ten per week",
            'Target must be a number, like 10 or 2.5 (got "ten")',
        ),
        (
            "propose Leads target 10 per fortnight",
            'Cadence (after "per") must be one of: weekly, monthly, quarterly',
        ),
        ("propose Revenue per customer target 1 per week", '"per" appears twice'),
        ("propose Leads target 10 per week owner", '"owner" needs a value after it'),
        ("propose L target 10 per week", "KPI name is too short"),
        (
            "propose " + "x" * 81 + " target 1 per week",
            "KPI name is too long (81 characters); keep it to 80",
        ),
        (
            "propose Leads target 10 per week why meh",
            'What excites you about it (after "why") is too short; say a little more (at least 12',
        ),
        ("propose Leads target NaN per week", "Target must be a number"),
        ("propose Leads target 1e999 per week", "Target has too many digits"),
        ("activate", "KPI is missing"),
        ("activate 3 please", 'I don\'t know what to do with "please"'),
        ("examples astronaut", "must be one of: sales, marketing"),
        ("kpis @ana everything", 'I don\'t know what to do with "everything"'),
        (
            "propose Leads target 10 per week why I get to own growth conversations",
            '"growth" came in the middle of what you wrote after "why"',
        ),
        (
            "propose Leads target 1 per week growth become a better owner of my pipeline",
            '"owner" came in the middle of what you wrote after "growth"',
        ),
        ("propose Growth rate target 5% per month", '"Growth" is a keyword here'),
        ("propose Owner retention target 90% per quarter", "put the whole name in quotes"),
        ('propose "Qualified\nleads" target 1 per week', "KPI name: must be one line"),
        ('propose "Win\u202erate" target 1 per week', "invisible character (U+202E)"),
        ("kpis @", "Whose is empty"),
        ("team add @ana @", "People is empty"),
        # A field is named by words the person recognises, not a keyword or a placeholder.
        ("team add @ana in G", 'Team (after "in") is too short'),
        ("kudos @ana how " + "x" * 1200, "How you served them is too long (1200 characters)"),
        ("pulse answer 9 fine pulse 3", 'How it feels must be 5 or less (got "9")'),
        ("notes @ana hi", "Notes is too short"),
        ("obstacle hi", "What is in your way is too short"),
    ],
)
def test_bad_input_names_the_problem_and_shows_the_right_form(text: str, says: str) -> None:
    reply = problem(text)
    assert says in reply
    assert "Traceback" not in reply


NASTY = [
    "",
    "   ",
    "x" * 10_000,
    '"',
    "'",
    '""',
    "“unbalanced",
    "propose \"a\" 'b' “c” «d»",
    "😀🔥💯",
    "propose 😀😀 target 5 per week",
    "اقتراح مؤشر target 5 per week",
    "propose \u202eevil\u202c target 1 per week",
    "<!channel>",
    "propose <!here> target 1 per week",
    "propose <@U123|boss> target 1 per week owner <@U123|boss>",
    "propose x\x00y target 1 per week",
    "retire 1 \x07bell",
    "help " + "a" * 5000,
    "\n\n\t",
    "propose Leads target -0 per week",
    "activate #99999999999999999999",
    "kpis @",
    "propose Leads target 10 per week owner @@@",
    "per per per",
    "help propose propose",
]


@pytest.mark.parametrize("text", NASTY)
def test_nasty_strings_never_raise(text: str) -> None:
    outcome = grammar.parse(text)
    assert isinstance(outcome, Parsed | Problem | NeedsForm)
    if isinstance(outcome, Problem):
        assert grammar.problem_reply(outcome).text


def test_empty_text_is_help() -> None:
    assert parsed("") == parsed("help")


def test_ten_thousand_characters_are_refused_with_the_limit() -> None:
    assert f"keep it under {MAX_COMMAND_LENGTH:,}" in problem("propose " + "x" * 10_000)


def test_control_characters_are_refused_not_stored() -> None:
    assert "control characters" in problem("propose x\x00y target 1 per week")


def test_mentions_and_channel_pings_stay_plain_text() -> None:
    command = parsed("propose <!channel> target 1 per week")
    assert isinstance(command, ProposeKpi)
    assert command.name == "<!channel>"  # stored as typed; renderers escape it


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_to_an_outcome(text: str) -> None:
    outcome = grammar.parse(text)
    assert isinstance(outcome, Parsed | Problem | NeedsForm)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "propose",
                "target",
                "per",
                "owner",
                "why",
                "growth",
                "10",
                "week",
                '"a b"',
                "@x",
                "'",
                "“",
            ]
        ),
        max_size=12,
    )
)
def test_any_arrangement_of_keywords_parses_to_an_outcome(words: list[str]) -> None:
    outcome = grammar.parse(" ".join(words))
    assert isinstance(outcome, Parsed | Problem | NeedsForm)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("@ana @ben", [{"name": "ana"}, {"name": "ben"}]),
        ("<@U1|Ana Lima> <@U2>", [{"platform_user_id": "U1"}, {"platform_user_id": "U2"}]),
        ("@Ana Ruiz, @Ben Okafor", [{"name": "Ana Ruiz"}, {"name": "Ben Okafor"}]),
        (
            "<@U1> <@U2>, Ben Okafor",
            [{"platform_user_id": "U1"}, {"platform_user_id": "U2"}, {"name": "Ben Okafor"}],
        ),
        ("ana,, ben,", [{"name": "ana"}, {"name": "ben"}]),
    ],
)
def test_several_people_split_on_commas_when_there_are_any_so_full_names_survive(
    typed: str, expected: list[dict[str, str]]
) -> None:
    assert parse_people(typed) == expected


# --- suggestions for an unknown command ---------------------------------------------------------

NAME_WORDS = sorted({w for s in grammar.syntaxes for n in s.names for w in n.split()})


def suggested(text: str) -> tuple[str, ...]:
    outcome = grammar.parse(text)
    assert isinstance(outcome, Problem), outcome
    assert outcome.syntax is None, outcome  # no command was recognised
    return outcome.suggestions


def assert_each_is_a_command(suggestions: tuple[str, ...]) -> None:
    for suggestion in suggestions:
        assert grammar.find(suggestion) is not None, suggestion
        outcome = grammar.parse(suggestion)
        unknown = isinstance(outcome, Problem) and outcome.syntax is None
        assert not unknown, suggestion


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("al", "all clear"),  # "all" alone is no command
        ("all", "all clear"),
        ("fail", "fail vote"),  # nor is "fail"
        ("talking", "talking point"),  # nor "talking"
        ("fial vote 4", "fail vote"),
        ("teem add @ana", "team add"),
        ("propse Leads", "propose"),
        ("nothin this week", "nothing this week"),
    ],
)
def test_an_unknown_command_suggests_only_commands_that_exist(typed: str, first: str) -> None:
    suggestions = suggested(typed)
    assert suggestions[0] == first
    assert_each_is_a_command(suggestions)


@st.composite
def misspelt_commands(draw: st.DrawFn) -> str:
    """Words of command names, the first one a letter short (or whole): mostly unknown."""
    words = draw(st.lists(st.sampled_from(NAME_WORDS), min_size=1, max_size=3))
    cut = draw(st.integers(0, len(words[0])))
    words[0] = words[0][:cut] + words[0][cut + 1 :]
    return " ".join(words)


@settings(max_examples=300, deadline=None)
@given(misspelt_commands())
def test_every_suggestion_for_any_unknown_command_is_a_command(text: str) -> None:
    outcome = grammar.parse(text)
    if isinstance(outcome, Problem):
        assert_each_is_a_command(outcome.suggestions)
