"""The conversation the Teams end-to-end check drives through the Playground's web UI.

Every step types (or presses) what a person would, waits for the bot's card that answers it,
and saves a screenshot of that card. After each step the page is read for anything that says
it failed: a console error, an error line in the Playground's log panel, our "Something went
wrong" card, a placeholder that lost its angle brackets, or a raw Teams id on screen.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from playwright.sync_api import ConsoleMessage, Locator, Page, sync_playwright

from e2e.teams.failures import CHROMIUM, CHROMIUM_ARGS, COLLEAGUES, FAILED, RAW_ID, WAIT_MS, Failed

CHANNEL = "My Team - General"
CHAT_NOTE = "I answered you in our chat"
BOT = "Test Bot"  # what the Playground calls the bot it talks to
EDITOR = '[data-lexical-editor="true"]'
CARD = ".ac-adaptiveCard"
# Placeholders are written ‹name› in Teams: the client drops anything in angle brackets.
PLACEHOLDER = "team create ‹name›"


class Conversation:
    def __init__(self, page: Page, out: Path) -> None:
        self.page = page
        self.out = out
        self.errors: list[str] = []
        self.shots: list[tuple[str, str]] = []
        self.seen = 0
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))

    def _console(self, message: ConsoleMessage) -> None:
        # The Playground loads fonts and telemetry from the internet; the run is offline and
        # blocks them, so only errors of the page itself count.
        offline = ("Failed to load", "net::ERR")
        if message.type == "error" and not any(mark in message.text for mark in offline):
            self.errors.append(f"console: {message.text}")

    # --- where -------------------------------------------------------------------------------

    def open(self, place: str) -> None:
        self.page.get_by_role("treeitem", name=place).click()
        self.page.wait_for_timeout(300)
        self.seen = 0  # another conversation: its cards are counted afresh

    # --- saying ------------------------------------------------------------------------------

    def say(self, text: str, *mentions: str) -> None:
        """Type into the composer and send: in a channel a new post, which mentions the bot
        first (Teams hands a bot only the channel posts that mention it)."""
        self.mark()
        editor = self.page.locator(EDITOR).first
        editor.click()
        post = self.page.get_by_role("button", name="Post")
        in_channel = post.count() > 0 and post.first.is_visible()
        if in_channel:
            self.mention(BOT)
        self.page.keyboard.type(text)
        for name in mentions:
            self.mention(name)
        if in_channel:
            post.first.click()
        else:
            self.page.keyboard.press("Enter")

    def mention(self, name: str) -> None:
        """@ and the first name, then the person picked from the Playground's suggestions."""
        self.page.keyboard.type(f" @{name.split()[0]}")
        self.page.get_by_role("menuitem", name=name).first.click()
        self.page.keyboard.type(" ")

    def mark(self) -> None:
        """From here on, only cards that arrive later answer: a form's own text (what was
        typed into it) must not pass for the bot's answer to it."""
        self.seen = self.page.locator(CARD).count()

    def card(self, saying: str) -> Locator:
        """The first card since the last mark that says `saying`, once it has arrived."""
        cards = self.page.locator(CARD)
        deadline = time.monotonic() + WAIT_MS / 1000
        while time.monotonic() < deadline:
            for index in range(self.seen, cards.count()):
                found = cards.nth(index)
                if saying in found.inner_text():
                    self.check()
                    return found
            self.page.wait_for_timeout(200)
        self.shot("failed-waiting")
        last = "\n---\n".join(cards.all_inner_texts()[-3:])
        raise Failed(f"no card saying {saying!r} arrived; the last cards:\n{last}")

    def shot(self, name: str, card: Locator | None = None, what: str = "") -> None:
        path = self.out / f"{len(self.shots) + 1:02d}-{name}.png"
        if card is not None:
            card.scroll_into_view_if_needed()
            card.screenshot(path=str(path))
        else:
            self.page.screenshot(path=str(path), full_page=True)
        self.shots.append((path.name, what))

    def check(self) -> None:
        """Anything on screen or in the logs that says this step went wrong."""
        shown = self.page.locator("body").inner_text()
        problems = list(self.errors)
        problems += [f"shown: {line}" for line in shown.splitlines() if FAILED.search(line)]
        cards = "\n".join(self.page.locator(CARD).all_inner_texts())
        problems += [f"raw id shown: {m}" for m in RAW_ID.findall(cards)]
        if problems:
            self.shot("failed")
            raise Failed("\n".join(problems))

    # --- forms -------------------------------------------------------------------------------

    def fill(self, card: Locator, label: str, value: str) -> None:
        """The input labelled `label`; a choice set (a combobox here) takes the first option
        that contains `value`, picked from its list as a person would."""
        field = card.get_by_label(label, exact=False).first
        if field.get_attribute("role") == "combobox":
            field.click()
            options = self.page.get_by_role("option")
            options.first.wait_for(state="visible", timeout=WAIT_MS)
            chosen = options.filter(has_text=re.compile(re.escape(value), re.I))
            if not chosen.count():
                raise Failed(f"{label!r} offers no {value!r}: {options.all_inner_texts()}")
            chosen.first.click()
        else:
            field.fill(value)

    def pick(self, card: Locator, label: str, *values: str) -> None:
        """Several people picked in the list labelled `label`, one after another, as a person
        would: the list opened (by a click, else the arrow key) for each, or a checkbox each."""
        field = card.get_by_label(label, exact=False).first
        options = self.page.locator("[role=option], [role=menuitemcheckbox]")
        for value in values:
            if field.get_attribute("role") != "combobox":
                card.get_by_label(value, exact=False).first.check()
                continue
            for opening in (field.click, lambda: field.press("ArrowDown")):
                if not options.first.is_visible():
                    opening()
            try:
                options.first.wait_for(state="visible", timeout=WAIT_MS)
            except Exception as exc:
                html = field.evaluate("e => e.parentElement.parentElement.outerHTML")
                raise Failed(f"{label!r} did not open its list: {html[:2000]}") from exc
            chosen = options.filter(has_text=re.compile(re.escape(value), re.I))
            if not chosen.count():
                raise Failed(f"{label!r} offers no {value!r}: {options.all_inner_texts()}")
            chosen.first.click()
        self.page.keyboard.press("Escape")

    def press(self, card: Locator, title: str) -> None:
        self.mark()
        card.get_by_role("button", name=title).first.click()

    def submit(self, form: Locator) -> None:
        """A form's own button: the last one on its card."""
        self.mark()
        form.get_by_role("button").last.click()


def conversation(c: Conversation) -> None:
    """The run itself, in the order a new lead meets the bot."""
    c.open("Personal Chat")
    welcome = c.card("Welcome")
    c.shot("welcome", welcome, "the welcome card in the personal chat")

    c.say("help")
    c.shot("help", c.card("by topic"), "help: the five commands and the topics")
    c.say("help team create")
    c.shot("help-command", c.card(PLACEHOLDER), "help for one command, its placeholder shown")

    c.open(CHANNEL)
    c.say("team create Growth")
    c.open("Personal Chat")
    created = c.card("Created Growth")
    c.shot("team-create", created, "team create Growth, asked in General, answered in the chat")

    c.open(CHANNEL)
    c.say("team add", *COLLEAGUES)
    c.open("Personal Chat")
    added = c.card("to Growth")
    c.shot("team-add", added, "two colleagues added by mention in the channel")
    c.open(CHANNEL)
    c.mark()
    notes = c.page.get_by_text(CHAT_NOTE).count()
    if notes > 1:
        raise Failed(f"the channel shows {CHAT_NOTE!r} {notes} times: once at most")
    c.shot("channel", None, "the General channel after two commands: no noise per command")

    c.open("Personal Chat")
    c.press(c.card("Welcome"), "Propose a KPI")
    form = c.card("Propose a KPI")
    c.fill(form, "KPI name", "Qualified leads")
    c.fill(form, "Target", "10")
    c.fill(form, "Unit", "leads")
    c.fill(form, "Cadence", "week")
    c.fill(form, "growth goal", "run discovery calls alone by spring")
    c.fill(form, "excites you", "seeing a lead turn into a first call")
    c.shot("propose-form", form, "the propose form, opened by the welcome card's button")
    c.submit(form)
    proposed = c.card("Proposed #")
    c.shot("proposed", proposed, "what the propose form answered")
    number = re.search(r"Proposed #(\d+)", proposed.inner_text())
    assert number is not None
    # The team's vote is posted in the channel: backed there with its card's button.
    c.open(CHANNEL)
    vote = c.card("Back it")
    c.shot("vote", vote, "the KPI put to the team's vote in the channel")
    c.press(vote, "Back it")
    c.open("Personal Chat")
    c.card("You back")
    c.say(f"activate {number[1]}")  # the lead's word: kudos name an active KPI
    c.shot("active", c.card("Active"), "the KPI activated by its lead")

    c.say("obstacle")
    form = c.card("in your way")
    c.fill(form, "Your answer", "the pricing page waits on legal review since Monday")
    c.shot("obstacle-form", form, "the obstacle form")
    c.submit(form)
    c.shot("obstacle", c.card("Saved as obstacle"), "the obstacle, as its sender sees it")

    c.say("kudos")
    form = c.card("Kudos")
    c.pick(form, "Who you recognise", *COLLEAGUES)  # the people the bot knows, listed
    c.fill(form, "The KPI it helped", number[1])
    c.fill(form, "How you served", "I paired on the pricing page, so Megan shipped it a week early")
    c.shot("kudos-form", form, "the kudos form naming two people by their full names")
    c.submit(form)
    c.shot("kudos", c.card("sent to Megan Bowen and Adele Vance"), "the kudos, as its giver hears")
    c.open(CHANNEL)
    c.shot("kudos-post", c.card("shipped it a week early"), "the kudos card in the channel")
    c.open("Personal Chat")

    c.say("digest")
    c.shot("digest", c.card("Growth"), "the lead's digest")
    c.check()


def converse(url: str, out: Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            # Offline: only the Playground itself; its fonts and telemetry stay unloaded.
            page.route(
                "**/*",
                lambda route: (
                    route.continue_() if route.request.url.startswith(url) else route.abort()
                ),
            )
            page.goto(url)
            c = Conversation(page, out)
            try:
                conversation(c)
            finally:
                log = page.locator("body").inner_text()
                (out / "page-text.txt").write_text(log)
                (out / "screenshots.txt").write_text(
                    "".join(f"{name}: {what}\n" for name, what in c.shots)
                )
        finally:
            browser.close()
