"""Read config.toml into frozen dataclasses; refuse anything invalid with the file, line, key and what is expected."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from monitor.config.durations import format_duration, format_size, parse_duration, parse_size
from monitor.config.fields import (
    CONFIG_KEYS,
    MIN_INTERVAL,
    MONITOR_FIELDS,
    SOURCE_FIELDS,
    SOURCE_TYPES,
    TOP_LEVEL,
    WATCHLIST_FIELDS,
    apprise_config_tags,
    is_valid_apprise_config,
)
from monitor.config.locate import ConfigReader, KeyPath
from monitor.config.secrets import redact
from monitor.config.targets import masked_url
from monitor.errors import ConfigError
from monitor.models import Source, Watchlist
from monitor.urls import TELEGRAM_ORIGIN, telegram_channel, telegram_url_problem

# Also re-exported from config_fields.py and durations.py: callers know them as monitor.config.loader names.
__all__ = [
    "CONFIG_KEYS", "MIN_INTERVAL", "SOURCE_TYPES", "Config", "MonitorSettings", "config_summary", "default_config_path",
    "is_valid_apprise_config", "load_config", "parse_duration", "parse_size",
]

CONFIG_ENV = "MONITOR_CONFIG"
DEFAULT_CONFIG = "config.toml"
DEFAULT_MAX_ITEMS = 2000  # per source and cycle: bounds the first crawl of a huge sitemap

_WATCHLIST_NAME = re.compile(r"[\w.-]+")  # \w: a newsroom may name its lists in Belarusian or Russian
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


@dataclass(frozen=True)
class MonitorSettings:
    """The [monitor] table: daemon-wide settings and the defaults every source inherits."""

    database: Path = Path("monitor.db")  # load_config resolves it against the config file's folder
    interval: float = 1800.0  # seconds
    user_agent: str = "news-monitor/0.1 (+https://github.com/news-monitor/news-monitor)"
    download_timeout: float = 30.0
    max_page_size: int = 10 * 1024 * 1024  # bytes
    concurrency_per_domain: int = 2
    obey_robots: bool = True
    timezone: str = "UTC"  # IANA name, checked with zoneinfo
    backfill: float = 86400.0  # on a source's first run, only articles this recent alert; 0 = none
    max_age: float = 7 * 86400.0  # articles older than this (by publication date) never alert
    admin_notify: tuple[str, ...] = ()  # apprise URLs, secrets resolved
    alert_retry_for: float = 86400.0
    alert_retry_delay: float = 30.0  # first retry after this; doubles per attempt up to an hour
    unhealthy_after: int = 3
    quiet_after: float = 86400.0  # a source is quiet only after at least this long without a new article; 0 = off
    redis_url: str | None = None  # None = single process
    workers: int = 0  # 0 = one per CPU core
    templates: Path | None = None  # folder whose alert templates replace the built-in ones


@dataclass(frozen=True)
class Config:
    """A validated config.toml."""

    path: Path  # absolute, so a reload finds the same file whatever the working directory
    monitor: MonitorSettings
    sources: tuple[Source, ...]
    watchlists: tuple[Watchlist, ...]


def default_config_path() -> Path:
    """The config file every command uses without --config: $MONITOR_CONFIG, else ./config.toml."""
    return Path(os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG)


def load_config(path: str | Path, *, environ: Mapping[str, str] | None = None) -> Config:
    """Read and validate `path`; ${VAR} comes from `environ` (default os.environ). Raises ConfigError."""
    path = Path(path)
    text = _read_text(path)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _TOML_LINE.search(str(exc))
        raise ConfigError(str(path), "", f"invalid TOML: {exc}", int(line.group(1)) if line else None) from None
    reader = ConfigReader(path, text, os.environ if environ is None else environ)
    reader.table((), raw, TOP_LEVEL)
    monitor = _read_monitor(reader, raw.get("monitor", {}))
    sources = _read_sources(reader, raw.get("sources", []), monitor)
    watchlists = _read_watchlists(reader, raw.get("watchlists", {}))
    return Config(path=path.absolute(), monitor=monitor, sources=sources, watchlists=watchlists)


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(str(path), "", "no such file; copy the shipped config.toml or pass --config PATH") from None
    except IsADirectoryError:
        raise ConfigError(str(path), "", "is a folder, expected a config.toml file") from None
    except OSError as exc:
        raise ConfigError(str(path), "", f"cannot read: {exc.strerror}") from None
    try:
        return data.decode("utf-8-sig")  # -sig: Windows editors like to add a byte-order mark
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(str(path), "", "is not UTF-8 text; save it as UTF-8", line) from None


def _read_monitor(r: ConfigReader, raw: object) -> MonitorSettings:
    fields = r.fields(("monitor",), raw, MONITOR_FIELDS, "a [monitor] table")
    fields.setdefault("database", r.folder / MonitorSettings.database)
    return MonitorSettings(**fields)


def _read_sources(r: ConfigReader, raw: object, monitor: MonitorSettings) -> tuple[Source, ...]:
    if not isinstance(raw, list):
        raise r.expected(("sources",), "an array of tables, written [[sources]]", raw)
    sources: list[Source] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(raw):
        path: KeyPath = ("sources", index)
        fields = r.fields(path, item, SOURCE_FIELDS, "a [[sources]] table")
        for required in ("name", "url"):
            if required not in fields:
                raise r.error(path, f'missing required key "{required}"')
        name = fields["name"]
        if name.casefold() in seen:
            first = seen[name.casefold()]
            raise r.error((*path, "name"), f"duplicate source name {name!r}: sources[{first}] has it already "
                          "(names are compared ignoring case)")
        seen[name.casefold()] = index
        kind = fields.setdefault("type", "feed")
        for key, needs in (("urls", "page"), ("article_pattern", "listing")):
            if fields.get(key) and kind != needs:  # silently ignoring it would hide a mistyped type
                raise r.error((*path, key), f'is only used with type = "{needs}", this source is type = "{kind}"')
        channel = telegram_channel(fields["url"])
        if kind == "telegram" and channel is None:
            raise r.error((*path, "url"), f"{telegram_url_problem(fields['url'])}; got {fields['url']!r}")
        if kind != "telegram" and channel is not None and channel.origin == TELEGRAM_ORIGIN:
            raise r.error((*path, "type"), f'{fields["url"]} is a Telegram channel: write type = "telegram"')
        fields.setdefault("interval", monitor.interval)
        extra: dict[str, object] = {"max_items": fields.pop("max_items", DEFAULT_MAX_ITEMS)}
        sources.append(Source(**fields, extra=extra))
    return tuple(sources)


def _read_watchlists(r: ConfigReader, raw: object) -> tuple[Watchlist, ...]:
    if not isinstance(raw, dict):
        raise r.expected(("watchlists",), "tables written [watchlists.NAME]", raw)
    watchlists: list[Watchlist] = []
    seen: dict[str, str] = {}
    for name, item in raw.items():
        path: KeyPath = ("watchlists", name)
        if not _WATCHLIST_NAME.fullmatch(name):
            raise r.error(path, "a watchlist name may hold letters, digits, '_', '.' and '-' (no spaces)")
        if name.casefold() in seen:
            raise r.error(path, f"duplicate watchlist name: {seen[name.casefold()]!r} differs only in case")
        seen[name.casefold()] = name
        fields = r.fields(path, item, WATCHLIST_FIELDS, "a [watchlists.NAME] table")
        if not fields.get("terms") and not fields.get("queries"):
            raise r.error(path, 'has no terms and no queries; add terms = ["Name"] or queries = [...]')
        if fields.get("mode") == "digest" and "digest" not in fields:
            raise r.error((*path, "mode"), 'mode = "digest" needs a schedule: digest = "daily 08:00"')
        _check_tags(r, path, fields)
        watchlists.append(Watchlist(name=name, **fields))
    return tuple(watchlists)


def _check_tags(r: ConfigReader, path: KeyPath, fields: dict[str, Any]) -> None:
    """notify_tags select services from notify_config: a tag no service carries would silence alerts."""
    tags = fields.get("notify_tags", ())
    if tags and not fields.get("notify_config"):
        raise r.error((*path, "notify_tags"), "selects services from notify_config, which is not set")
    if not tags:
        return
    known = set().union(*apprise_config_tags(Path(fields["notify_config"])))
    for index, tag in enumerate(tags):
        if tag.casefold() not in known:
            listed = ", ".join(sorted(known)) or "none"
            message = f"no service in {fields['notify_config']} has tag {tag!r} (tags there: {listed})"
            raise r.error((*path, "notify_tags", index), message)


def config_summary(config: Config) -> str:
    """What `monitor check-config` prints: sources, watchlists and masked destinations, never a secret."""
    m = config.monitor
    lines = [
        f"config: {config.path}",
        f"database: {m.database}",
        f"defaults: check every {format_duration(m.interval)}, backfill {format_duration(m.backfill)}, "
        f"max age {format_duration(m.max_age)}, time zone {m.timezone}, "
        f"robots.txt {'obeyed' if m.obey_robots else 'IGNORED'}, {m.concurrency_per_domain} requests per domain, "
        f"timeout {format_duration(m.download_timeout)}, pages up to {format_size(m.max_page_size)}",
        f"operator notices: {', '.join(masked_url(u) for u in m.admin_notify) or 'none (logged only)'}",
        f"scale-out: {redact(m.redis_url) if m.redis_url else 'off (one process)'}",
        f"sources: {len(config.sources)} ({sum(s.enabled for s in config.sources)} enabled)",
    ]
    width = max((len(s.name) for s in config.sources), default=0)
    for s in config.sources:
        state = "" if s.enabled else "  [disabled]"
        more = f" (+{len(s.urls)} URLs)" if s.urls else ""
        lines.append(f"  {s.name:<{width}}  {s.type:<7}  every {format_duration(s.interval):<6}  {s.url}{more}{state}")
    lines.append(f"watchlists: {len(config.watchlists)}")
    for w in config.watchlists:
        overflow = f", overflow to digest {w.digest}" if w.digest else ""
        schedule = f"digest {w.digest}" if w.mode == "digest" else f"instant{overflow}"
        limit = f", at most {w.max_per_hour}/hour" if w.max_per_hour else ""
        lines.append(f"  {w.name}: {_count(len(w.terms), 'term')}, {_count(len(w.queries), 'query')}, "
                     f"{_count(len(w.exclude), 'exclude')}; {schedule}{limit}")
        targets = [masked_url(u) for u in w.notify]
        if w.notify_config:
            tags = f" (tags: {', '.join(w.notify_tags)})" if w.notify_tags else ""
            targets.append(f"{w.notify_config}{tags}")
        lines.append(f"    notify: {', '.join(targets) or 'none (hits are recorded, no alerts sent)'}")
    return redact("\n".join(lines))


def _count(n: int, noun: str) -> str:
    plural = "queries" if noun == "query" else f"{noun}s"
    return f"{n} {noun if n == 1 else plural}"
