"""The `kpicoach` command."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from aiohttp import web

from bot.config import AppConfig, ConfigError, Settings, load_app_config, load_settings
from bot.console.chat import ConsoleChat, ConsoleSender, stdin_reader
from bot.console.demo import seed_demo
from bot.outbox_report import outbox_report
from bot.scheduler import scheduling
from bot.server import describe_platforms, make_app
from bot.slack.manifest import manifest_yaml
from bot.teams.package import write_package
from bot.wiring import check_schema, make_dispatcher
from rituals.core.context import ShiftedClock, SystemClock
from rituals.core.settings import parse_window
from storage.engine import make_engine, make_sessionmaker
from storage.models import Platform
from storage.outbox import resend
from web.app import make_dashboard, with_address
from web.local import address, local_socket, served

DESCRIPTION = """\
kpi-coach: a Slack and Teams bot for humane KPI coaching rituals.

commands:
  start          what `make run` calls: serve Slack/Teams when their credentials are set,
                 otherwise open the console
  console        chat with the bot in this terminal as a member of a demo workspace
                 (works with piped input too: kpicoach console < script.txt)
  serve          serve HTTP on PORT: /healthz, and the Slack and Teams endpoints
  migrate        upgrade the database (DATABASE_URL) to the newest schema
  outbox         messages waiting to be sent, failed ones with their reason, recent ones
  new-migration  (developers) autogenerate a migration from the models
  slack-manifest print the Slack app manifest (YAML) to paste at api.slack.com/apps
  teams-package  write the Microsoft Teams app zip (manifest and icons) to upload in Teams

Secrets and deployment settings come from the environment or .env (DATABASE_URL, PORT,
SLACK_*, Microsoft*); everything else from app.yaml (APP_CONFIG to use another file).
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kpicoach",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    sub.add_parser("start", help="serve when Slack/Teams are configured, else the console")
    console = sub.add_parser("console", help="chat with the bot in this terminal")
    console.add_argument(
        "--as", dest="speaker", default="ana", help="who you are at first (default: ana)"
    )
    sub.add_parser("serve", help="serve HTTP on PORT")
    migrate = sub.add_parser("migrate", help="upgrade the database to the newest schema")
    migrate.add_argument("--revision", default="head", help="target revision (default: head)")
    outbox = sub.add_parser("outbox", help="pending, failed and recently sent messages")
    outbox.add_argument("--limit", type=int, default=20, help="rows per section (default: 20)")
    outbox.add_argument(
        "--resend",
        type=int,
        metavar="ID",
        help="send a row in doubt (or failed) again, once you have checked it did not arrive",
    )
    new = sub.add_parser("new-migration", help="autogenerate a migration from the models")
    new.add_argument("message", help="what the migration changes")
    slack = sub.add_parser("slack-manifest", help="print the Slack app manifest (YAML)")
    slack.add_argument(
        "--url", help="the public https address of `serve` (default: PUBLIC_URL from the env)"
    )
    slack.add_argument(
        "--socket-mode", action="store_true", help="for Socket Mode: no request URLs"
    )
    teams = sub.add_parser("teams-package", help="write the Microsoft Teams app zip")
    teams.add_argument(
        "--out",
        type=Path,
        default=Path("kpi-coach-teams.zip"),
        help="where to write it (default: kpi-coach-teams.zip)",
    )
    teams.add_argument(
        "--url", help="the public https address of `serve` (default: PUBLIC_URL from the env)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # The console is a conversation: only warnings may interrupt it.
    level = logging.INFO if args.command in {"serve", "new-migration"} else logging.WARNING
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        settings = load_settings()
        config = load_app_config(settings.app_config)
        return _run(args, settings, config)
    except ConfigError as exc:
        print(f"kpicoach: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _run(args: argparse.Namespace, settings: Settings, config: AppConfig) -> int:
    if args.command in ("migrate", "new-migration"):
        return _migrate(args, settings)
    if args.command == "outbox":
        if args.resend is not None:
            print(asyncio.run(resend_row(settings, args.resend)))
            return 0
        print(asyncio.run(show_outbox(settings, max(1, args.limit))))
        return 0
    if args.command == "slack-manifest":
        print(manifest_yaml(config, args.url or settings.public_url, args.socket_mode), end="")
        return 0
    if args.command == "teams-package":
        written = write_package(config, settings, args.out, args.url)
        print(
            f"Wrote {written}: upload it in Teams under Apps -> Manage your apps -> Upload an app."
        )
        return 0
    if args.command == "serve" or (
        args.command == "start" and (settings.slack_configured or settings.teams_served)
    ):
        return serve(settings, config)
    if args.command == "start":
        print("No Slack or Teams credentials found, so here is the console.")
        for line in describe_platforms(settings):
            print(line)
    return asyncio.run(console(settings, config, getattr(args, "speaker", "ana")))


def _migrate(args: argparse.Namespace, settings: Settings) -> int:
    # Alembic (with mako and pygments) is loaded here only: a serving process never needs it.
    from bot.migrate import migrate, new_revision

    if args.command == "migrate":
        print(migrate(settings.database_url, args.revision))
    else:
        new_revision(settings.database_url, args.message)
    return 0


def serve(settings: Settings, config: AppConfig) -> int:
    for line in describe_platforms(settings):
        print(line)
    app = make_app(settings, config, SystemClock())
    # Everything imported so far lives as long as the process: keep it out of the collector's
    # sweeps, and sweep less often. With Python's defaults, collection pauses under a burst of
    # commands pushed the 99th-percentile Slack ack from 23 ms to 126 ms (bench/slack_ack.py).
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
    # No access log: a line per Slack request costs the acks time and says little; our own
    # log lines name each request that failed.
    web.run_app(app, host=settings.host, port=settings.port, access_log=None)
    return 0


async def resend_row(settings: Settings, row_id: int) -> str:
    """An operator's word that a row in doubt did not arrive: the next worker round sends it."""
    engine = make_engine(settings.database_url)
    try:
        await check_schema(engine)
        async with make_sessionmaker(engine)() as session, session.begin():
            if await resend(session, row_id, SystemClock().now()):
                return f"Outbox row {row_id} will be sent at the worker's next round."
        return (
            f"Outbox row {row_id} is not in doubt or failed (see `kpicoach outbox`); "
            "nothing changed."
        )
    finally:
        await engine.dispose()


async def show_outbox(settings: Settings, limit: int) -> str:
    engine = make_engine(settings.database_url)
    try:
        await check_schema(engine)
        async with make_sessionmaker(engine)() as session:
            return await outbox_report(session, limit)
    finally:
        await engine.dispose()


async def console(settings: Settings, config: AppConfig, speaker: str) -> int:
    engine = make_engine(settings.database_url)
    try:
        await check_schema(engine)
        clock = ShiftedClock(SystemClock())  # `:clock +7d` moves it
        working_days = ",".join(config.people.working_days)
        async with make_sessionmaker(engine)() as session, session.begin():
            await seed_demo(session, clock, working_days, parse_window(config.people.work_hours))
        # The dashboard on this machine: `dashboard` in the chat prints a link to it.
        sock = local_socket(settings.port)
        config = with_address(config, address(sock))
        dispatcher = make_dispatcher(engine, config, clock)
        chat = ConsoleChat(
            dispatcher,
            stdin_reader(),
            sys.stdout,
            speaker=speaker,
            working_days=working_days,
            default_time_zone=config.people.default_time_zone,
            echo=not sys.stdin.isatty(),
            clock=clock,
        )
        senders = {Platform.CONSOLE: ConsoleSender(chat)}
        page = served(sock, lambda: make_dashboard(settings, config, dispatcher, clock))
        async with page, scheduling(engine, config, senders, clock) as running:
            chat.rhythm = running
            await chat.run()
    finally:
        await engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
