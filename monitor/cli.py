"""The `monitor` command line: turns MonitorError into a message on stderr and an exit code."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from monitor.errors import MonitorError, PageRejected

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def command(name: str) -> Callable[[Callable[[argparse.Namespace], int]], Callable[[argparse.Namespace], int]]:
    """Register a sub-command handler under `name` (the explicit registry the parser is built from)."""
    def register(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        COMMANDS[name] = handler
        return handler
    return register


def _config_path(args: argparse.Namespace) -> Path:
    from monitor.config import default_config_path

    return Path(args.config) if args.config else default_config_path()


def _load(args: argparse.Namespace) -> Any:
    from monitor.config import load_config

    return load_config(_config_path(args))


@command("run")
def cmd_run(args: argparse.Namespace) -> int:
    from monitor.crawl import run_in_reactor
    from monitor.run import run_daemon

    path = _config_path(args)
    _load(args)  # fail fast, before the reactor starts, with exit code 2
    return run_in_reactor(lambda: run_daemon(path, once=args.once))


@command("demo")
def cmd_demo(args: argparse.Namespace) -> int:
    from monitor.demo import run_demo

    return run_demo(keep=args.keep)


@command("check-config")
def cmd_check_config(args: argparse.Namespace) -> int:
    from monitor.config import config_summary

    config = _load(args)
    print(config_summary(config))
    print(f"{config.path}: OK")
    return 0


def _article_json(article: Any, source: str) -> dict[str, Any]:
    data = asdict(article)
    for key, value in data.items():
        if isinstance(value, datetime):
            data[key] = value.isoformat()
    return {"source": source, **data}


@command("clean")
def cmd_clean(args: argparse.Namespace) -> int:
    from monitor.clean import clean_page
    from monitor.inputs import InputError, read_input

    status = 0
    for name in args.inputs:
        try:
            page = read_input(name)
            article = clean_page(page)
        except PageRejected as exc:  # the page's metadata is shown even when its body was refused
            status = 1
            if args.json:
                found = _article_json(exc.metadata, name) if exc.metadata is not None else {"source": name}
                print(json.dumps({**found, "error": str(exc), "reason": exc.reason}, ensure_ascii=False))
            else:
                print(f"{name}: {exc}", file=sys.stderr)
                if exc.metadata is not None:
                    print(_article_text(exc.metadata), file=sys.stderr)
            continue
        except MonitorError as exc:
            status = 1
            reason = exc.detail if isinstance(exc, InputError) else str(exc)  # InputError's text names it already
            if args.json:
                print(json.dumps({"source": name, "error": reason}, ensure_ascii=False))
            else:
                print(f"{name}: {reason}", file=sys.stderr)
            continue
        if args.json:
            print(json.dumps(_article_json(article, name), ensure_ascii=False))
        else:
            print(_article_text(article))
    return status


def _article_text(article: Any) -> str:
    """An article as `monitor clean` prints it: headline, date and URL, authors and credits, then the text."""
    published = article.published.isoformat() if article.published else "no date"
    lines = [f"# {article.title}", f"{published} · {article.url}"]
    if article.authors:
        lines.append(f"by {', '.join(article.authors)}")
    if article.credits:
        lines.extend(f"credit: {line}" for line in article.credits.split("\n"))
    return "\n".join(lines) + (f"\n\n{article.text}\n" if article.text else "\n")


@command("match")
def cmd_match(args: argparse.Namespace) -> int:
    from monitor.clean import clean_page
    from monitor.inputs import read_input
    from monitor.match import Matcher
    from monitor.models import Term, Watchlist

    if args.watch:
        watchlists: tuple[Watchlist, ...] = (Watchlist("command-line", tuple(Term(w) for w in args.watch)),)
    else:
        watchlists = _load(args).watchlists
    matcher = Matcher.build(watchlists)
    total = 0
    for name in args.inputs:
        article = clean_page(read_input(name))
        hits = matcher.find_hits(article)
        total += len(hits)
        print(f"{name}: {article.title!r}: {len(hits)} hit(s)")
        for hit in hits:
            print(f"  [{hit.watchlist}] {hit.term} ← “{hit.found}” ({hit.reason}, {hit.field} {hit.start}-{hit.end})")
            print(f"      {hit.snippet}")
        for miss in matcher.explain(article.title, article.text):
            print(f"  not counted: [{miss.watchlist}] {miss.term} ≠ “{miss.found}” ({miss.field} "
                  f"{miss.start}-{miss.end}): {miss.why}")
    return 0 if total else 1


@command("send-digest")
def cmd_send_digest(args: argparse.Namespace) -> int:
    from monitor.deliver import Dispatcher, watch_targets
    from monitor.store import Store

    config = _load(args)
    names = [args.watchlist] if args.watchlist else [w.name for w in config.watchlists]
    store = Store(config.monitor.database)
    try:
        dispatcher = Dispatcher(store, lambda: watch_targets(config.watchlists),
                                retry_for=config.monitor.alert_retry_for)
        for name in names:
            print(f"{name}: {asyncio.run(dispatcher.send_digest(name))} stories sent")
    finally:
        store.close()
    return 0


@command("alerts")
def cmd_alerts(args: argparse.Namespace) -> int:
    from monitor.reports import alerts_report

    print(alerts_report(_load(args), failed=args.failed, limit=args.limit))
    return 0


@command("status")
def cmd_status(args: argparse.Namespace) -> int:
    from monitor.reports import status_report

    print(status_report(_load(args)))
    return 0


@command("test-notify")
def cmd_test_notify(args: argparse.Namespace) -> int:
    from monitor.config import masked_url
    from monitor.deliver import Message, send_message

    config = _load(args)
    watchlist = next((w for w in config.watchlists if w.name == args.watchlist), None)
    if watchlist is None:
        names = ", ".join(w.name for w in config.watchlists)
        raise MonitorError(f"no watchlist {args.watchlist!r} in {config.path} (have: {names})")
    if not watchlist.notify:
        raise MonitorError(f"watchlist {watchlist.name!r} has no notify URLs")
    text = f"Test message from news-monitor for watchlist {watchlist.name}."
    message = Message(f"news-monitor test: {watchlist.name}", text, text, f"<p>{text}</p>")
    failures = 0
    for url in watchlist.notify:
        ok, error = asyncio.run(send_message(url, message))
        print(f"{masked_url(url)}: {'sent' if ok else 'FAILED: ' + error}")
        failures += not ok
    return 1 if failures else 0


@command("ui")
def cmd_ui(args: argparse.Namespace) -> int:
    from monitor.ui import run_ui

    return run_ui(_load(args), port=args.port, open_browser=args.open_browser, host=args.host)


@command("feed")
def cmd_feed(args: argparse.Namespace) -> int:
    from monitor.deliver import write_feed

    text = write_feed(_load(args), args.watchlist, args.output, self_url=args.url, limit=args.limit)
    if args.output is None:
        sys.stdout.write(text)
    return 0


@command("add-source")
def cmd_add_source(args: argparse.Namespace) -> int:
    from monitor.add_source import add_source

    # the path, not the loaded config: a source can be added while a ${VAR} secret is unset in this shell
    return add_source(_config_path(args), args.url, name=args.name, type=args.type, dry_run=args.dry_run,
                      interval=args.interval)


@command("fix-source")
def cmd_fix_source(args: argparse.Namespace) -> int:
    from monitor.fix_source import fix_source

    return fix_source(_config_path(args), args.name, url=args.url, dry_run=args.dry_run)


@command("rescan")
def cmd_rescan(args: argparse.Namespace) -> int:
    from monitor.config import parse_duration
    from monitor.run import rescan, rescan_report

    try:
        since = parse_duration(args.since) if args.since else None
    except ValueError as exc:
        raise MonitorError(f"--since: {exc}") from None
    print(rescan_report(rescan(_load(args), args.watchlist, since, dry_run=args.dry_run), dry_run=args.dry_run))
    return 0


@command("worker")
def cmd_worker(args: argparse.Namespace) -> int:
    from monitor.scaleout import run_worker

    config = _load(args)
    if not config.monitor.redis_url:
        raise MonitorError(f"{config.path}: set [monitor] redis_url to run a scale-out worker")
    return run_worker(config)


def _add_global_options(parser: argparse.ArgumentParser, prefix: str = "") -> None:
    """--config, -v, -q and --log-format; `prefix` keeps the sub-command's copies apart from the main ones."""
    group = parser.add_argument_group("options every command takes (before or after the command)")
    group.add_argument("--config", dest=f"{prefix}config", default=None, metavar="PATH",
                       help="config file (default: $MONITOR_CONFIG or ./config.toml)")
    group.add_argument("-v", "--verbose", dest=f"{prefix}verbose", action="count", default=0,
                       help="more logging (-vv: libraries too)")
    group.add_argument("-q", "--quiet", dest=f"{prefix}quiet", action="store_true", help="warnings and errors only")
    group.add_argument("--log-format", dest=f"{prefix}log_format", choices=("text", "json"), default=None,
                       help="log line format (default: text)")


# Sub-commands parse the global options into these names; parse_args folds them in.
_SUB = "sub_"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line, with global options from before and after the command merged.

    `monitor -v status -v` is -vv; a value given after the command wins over one given before it.
    """
    args = build_parser().parse_args(argv)
    args.config = getattr(args, f"{_SUB}config", None) or args.config
    args.verbose += getattr(args, f"{_SUB}verbose", 0)
    args.quiet = args.quiet or getattr(args, f"{_SUB}quiet", False)
    args.log_format = getattr(args, f"{_SUB}log_format", None) or args.log_format or "text"
    return args


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command; each takes the global options too."""
    parser = argparse.ArgumentParser(prog="monitor", description="Watch news sources for names and send alerts.")
    _add_global_options(parser)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = sub.add_parser("run", help="run the daemon (or one cycle with --once)")
    run.add_argument("--once", action="store_true", help="run every source once, send alerts, exit")
    demo = sub.add_parser("demo", help="offline demo: a bundled news site, one cycle, the alert it sends")
    demo.add_argument("--keep", action="store_true", help="keep the demo's folder and print its path")
    sub.add_parser("check-config", help="validate config.toml without running")
    clean = sub.add_parser("clean", help="print the cleaned article of files or URLs")
    clean.add_argument("inputs", nargs="+", metavar="FILE_OR_URL")
    clean.add_argument("--json", action="store_true", help="one JSON object per input")
    match = sub.add_parser("match", help="show watchlist hits in files or URLs, and why they matched")
    match.add_argument("--watch", action="append", metavar="NAME", help="a term to try (default: config's watchlists)")
    match.add_argument("inputs", nargs="+", metavar="FILE_OR_URL")
    digest = sub.add_parser("send-digest", help="send waiting digests now (for cron; the daemon sends them itself)")
    digest.add_argument("watchlist", nargs="?", help="one watchlist (default: all)")
    alerts = sub.add_parser("alerts", help="list recent alerts and their delivery")
    alerts.add_argument("--failed", action="store_true", help="only deliveries that failed for good")
    alerts.add_argument("--limit", type=int, default=20)
    sub.add_parser("status", help="sources: last run, result, health, next run; the outbox")
    test_notify = sub.add_parser("test-notify", help="send a test message to a watchlist's notify URLs")
    test_notify.add_argument("watchlist")
    ui = sub.add_parser("ui", help="browse and search the database in Datasette (read-only, 127.0.0.1)")
    ui.add_argument("--port", type=int, default=None, help="default 8001; 0 = any free port")
    ui.add_argument("--host", default="127.0.0.1", help="Datasette has no login: keep it local")
    ui.add_argument("--open", dest="open_browser", action="store_true", help="open the latest alerts in a browser")
    feed = sub.add_parser("feed", help="a watchlist's alerts as an Atom feed")
    feed.add_argument("watchlist")
    feed.add_argument("-o", "--output", type=Path, help="write to this file (default: standard output)")
    feed.add_argument("--url", help="address the feed is published at (rel=self)")
    feed.add_argument("--limit", type=int, default=50)
    add = sub.add_parser("add-source", help="detect a feed, sitemap or listing at URL and add it to config.toml")
    add.add_argument("url")
    add.add_argument("--name")
    add.add_argument("--type", choices=("feed", "sitemap", "listing", "page", "telegram"))
    add.add_argument("--interval")
    add.add_argument("--dry-run", action="store_true", help="show what would be added, write nothing")
    fix = sub.add_parser("fix-source", help="point a moved source at its new URL in config.toml")
    fix.add_argument("name")
    fix.add_argument("--url", help="the new address (default: where the daemon saw it redirect permanently)")
    fix.add_argument("--dry-run", action="store_true", help="show the change, write nothing")
    rescan = sub.add_parser("rescan", help="match watchlists against articles already stored, and alert once")
    rescan.add_argument("watchlist", nargs="?", help="one watchlist (default: all)")
    rescan.add_argument("--since", metavar="DURATION", help='how far back, e.g. "2d" (default: its backfill)')
    rescan.add_argument("--dry-run", action="store_true", help="show what would alert, write nothing")
    sub.add_parser("worker", help="scale-out worker: fetch and clean for the coordinator at [monitor] redis_url")
    for command_parser in sub.choices.values():
        _add_global_options(command_parser, _SUB)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `monitor` console script."""
    from monitor.logs import setup_logging

    try:
        args = parse_args(argv)
        setup_logging(-1 if args.quiet else args.verbose, args.log_format)
        try:
            code = COMMANDS[args.command.replace("_", "-")](args)
        except MonitorError as exc:
            from monitor.config import redact

            print(f"error: {redact(str(exc))}", file=sys.stderr)
            code = exc.exit_code
        sys.stdout.flush()  # here, not at exit: a closed pipe must raise where we can catch it
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `monitor status | head`: the reader has all it wants
        return _output_closed()


def _output_closed() -> int:
    """Point stdout at /dev/null so Python's final flush finds no broken pipe; exit as if killed by SIGPIPE."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return 128 + signal.SIGPIPE
