"""Deferrals and commitments as people really type them, judged by what a commitment has: an
action verb and what it acts on, not by the list of vague phrases alone."""

from __future__ import annotations

import pytest

from rituals.checkins.vague import deferral
from rituals.core.settings import VAGUE_PHRASES
from tests.support import Chat

# Answers that put the obstacle off. Most use no phrase from the list.
DEFERRALS = [
    "Let me think on it",
    "I'll consider it",
    "I'll get to it",
    "Will take a look",
    "will check",
    "Lemme get back to u",
    "I'll think about it",
    "Let me get back to you on that",
    "Will look into it ASAP",
    "Let me mull it over",
    "I'll have a look",
    "Will have a think",
    "I'll give it some thought",
    "Will give it a shot",
    "I'll take a stab at it",
    "Let me check on that",
    "Checking",
    "On it",
    "Noted",
    "Got it, will do",
    "will do!",
    "Sure thing",
    "ok will see",
    "We'll see how it goes",
    "Let me see what I can do",
    "I'll try",
    "I'll try my best",
    "Working on it",
    "I'll work on it",
    "Will sort it out",
    "I'll figure it out",
    "I'll deal with it next week",
    "Let me handle it",
    "I'll handle that",
    "Leave it with me",
    "Will follow up",
    "I'll follow up later",
    "Will circle back",
    "Let's revisit this next month",
    "Let's wait and see",
    "Waiting on it",
    "I'll keep an eye on it",
    "Keep it in mind",
    "I'll keep that in mind",
    "Will ponder it",
    "Let me reflect on that",
    "Gonna think it through",
    "I wanna look at it first",
    "Will look at it tomorrow",
    "Need to check",
    "Need to think about this more",
    "I'll consider it over the weekend",
    "Let me sleep on it",
    "I'll get back to you by Friday",
    "Lemme check n get back 2 u",
    "pls give me a moment",
    "Give me a minute",
    "TBD",
    "soon",
    "Later",
    "Maybe next week",
    "I'll get round to it",
    "Will get on it",
    "Let me explore it",
    "Let me ask around",
    "I'll look into this and get back to you",
    "Sure, I'll take a look at it soon",
]

# Commitments: a step someone can do, some beside a soft word.
COMMITMENTS = [
    "Pair with Ben on the EU test data",
    "Send the signed contract to legal",
    "Book a room for the pricing review",
    "Call Sam",
    "Ask IT for a second monitor",
    "Email the vendor the revised quote",
    "Draft the onboarding checklist and share it in #growth",
    "Schedule a call with the Berlin team",
    "Order two more test devices",
    "Move the standup to 10:00",
    "Review Ana's pull request",
    "Check the EU test data for duplicates",
    "Fix the flaky login test",
    "Write the release notes for 2.3",
    "Merge the pricing branch",
    "Update the forecast sheet with Q3 numbers",
    "Cancel the unused Zoom licences",
    "Buy a license for the design tool",
    "Invite Lea to the roadmap meeting",
    "Set up a shared inbox for support",
    "Create a Jira ticket for the export bug",
    "Hire a contractor for the migration",
    "Escalate the outage to the vendor's support",
    "Reserve the demo laptop for Thursday",
    "Run the load test on staging",
    "Publish the FAQ on the wiki",
    "Share the dashboard with marketing",
    "Print the handouts for the workshop",
    "Get the signed NDA from legal",
    "Get back to legal with the signed NDA",
    "Give Ana access to the repo",
    "Take the broken laptop to IT",
    "Have the deck ready for Monday",
    "Do the data migration dry run",
    "Make a one-page summary of the survey",
    "I'll send Ana the vendor list by Friday",
    "We'll hire a temp for the busy season",
    "Ben will book the venue",
    "I will ping finance about the budget code",
    "Tomorrow I'll sign the purchase order",
    "Let me forward the invoice to accounts",
    "Lemme send u the doc",
    "Gonna ship the fix on Thursday",
    "Think through the pricing options with Sam and send a plan",
    "I'll look into it and send Ana the vendor list by Friday",
    "Take a look at the deck and send comments to Ana",
    "We'll see the vendor on Tuesday and bring back two quotes",
    "See Sam about the budget",
    "Check with legal whether the template is approved",
    "Follow up with legal on the NDA",
    "Talk to HR about the hiring freeze",
    "Meet the customer success lead on Wednesday",
    "Clean up the backlog before planning",
    "Back up the sales database",
    "Test the new checkout flow on Android",
    "Deploy the hotfix to production",
    "Rewrite the intro of the proposal",
    "Add the EU holidays to the team calendar",
    "Remove the old API keys",
    "Approve Ben's travel request",
    "Reply to the customer's complaint",
    "Renew the SSL certificate",
    "Train Zoe on the CRM",
    "Document the release process",
    "Ask Sam for the pricing sheet and send it to Ana",
    "Pull the churn numbers for March",
]


def test_the_corpus_holds_sixty_real_phrasings_each_way() -> None:
    assert len(set(DEFERRALS)) >= 60
    assert len(set(COMMITMENTS)) >= 60


@pytest.mark.parametrize("action", DEFERRALS)
def test_a_deferral_is_refused(action: str) -> None:
    assert deferral(action, VAGUE_PHRASES) is not None


@pytest.mark.parametrize("action", COMMITMENTS)
def test_a_commitment_is_accepted(action: str) -> None:
    assert deferral(action, VAGUE_PHRASES) is None


def test_a_deferral_outside_the_phrase_list_is_caught_by_what_it_lacks() -> None:
    assert deferral("I'll consider it", ("think about it",)) == ""
    assert deferral("Will take a look", ()) is not None


async def test_a_lead_answering_with_a_deferral_hears_what_a_commitment_needs(
    chat: Chat,
) -> None:
    said = await chat.text("ana", "obstacle legal has not approved the contract template")
    number = int(said.split("#")[1].split(".")[0].split(" ")[0])
    refused = await chat.text("lea", f'commit {number} "I\'ll consider it" due fri')
    assert '"I\'ll consider it" puts it off' in refused
    assert "Send the signed contract to legal" in refused
    accepted = await chat.text(
        "lea", f'commit {number} "Send the signed contract to legal" due fri'
    )
    assert "Committed #" in accepted
