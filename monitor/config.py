"""Read config.toml into frozen dataclasses; refuse anything invalid with the file, line, key and what is expected."""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from monitor.config_locate import ConfigReader, Converter, KeyPath
from monitor.durations import format_duration, format_size, parse_digest, parse_duration, parse_size
from monitor.errors import ConfigError, QueryError
from monitor.models import Source, Term, Watchlist
from monitor.notify_urls import is_valid_url, masked_url
from monitor.query import parse_query
from monitor.secrets import redact

__all__ = [
    "CONFIG_KEYS", "Config", "MonitorSettings", "config_summary", "default_config_path", "is_valid_apprise_config",
    "load_config", "parse_duration", "parse_size",
]

CONFIG_ENV = "MONITOR_CONFIG"
DEFAULT_CONFIG = "config.toml"
MIN_INTERVAL = 1.0  # seconds; anything faster is a loop, not a schedule
DEFAULT_MAX_ITEMS = 2000  # per source and cycle: bounds the first crawl of a huge sitemap
SOURCE_TYPES = ("feed", "sitemap", "listing", "page")
MODES = ("instant", "digest")
APPRISE_CONFIG_SUFFIXES = (".yml", ".yaml", ".txt", ".conf")
REDIS_SCHEMES = ("redis", "rediss", "unix")

_SOURCE_NAME = re.compile(r"[A-Za-z0-9_.-]+")  # used in job ids, log lines and database keys
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
    reader.table((), raw, _TOP_LEVEL)
    monitor = _read_monitor(reader, raw.get("monitor", {}))
    sources = _read_sources(reader, raw.get("sources", []), monitor)
    watchlists = _read_watchlists(reader, raw.get("watchlists", {}))
    return Config(path=path.absolute(), monitor=monitor, sources=sources, watchlists=watchlists)


def is_valid_apprise_config(path: Path) -> bool:
    """True when apprise loads at least one notification service from the config file at `path`."""
    return bool(_apprise_config_tags(path))


def _apprise_config_tags(path: Path) -> list[set[str]]:
    """The tag set of each service an apprise config file defines (empty list: none usable)."""
    # apprise otherwise lives only in notify.py; this one check is here because a broken notify_config
    # must stop start-up like any other config error, and notify_urls.py (URLs only) is not ours to extend.
    import apprise

    loader = apprise.AppriseConfig(recursion=0)  # recursion=0: never follow `include` lines to the network
    loader.add(str(path))
    return [{str(tag).casefold() for tag in service.tags} for service in loader.services()]


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


# Converters: one per kind of value, each (reader, key path, raw value) -> checked value.

def _text(r: ConfigReader, path: KeyPath, value: Any, what: str = "a string") -> str:
    text = r.text(path, value, what).strip()
    if not text:
        raise r.error(path, "must not be empty")
    return text


def _boolean(r: ConfigReader, path: KeyPath, value: Any) -> bool:
    if not isinstance(value, bool):
        raise r.expected(path, "true or false", value)
    return value


def _integer(minimum: int) -> Converter:
    def convert(r: ConfigReader, path: KeyPath, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise r.expected(path, f"a whole number (at least {minimum})", value)
        if value < minimum:
            raise r.error(path, f"must be at least {minimum}, got {value}")
        return value
    return convert


def _duration(minimum: float = 0.0) -> Converter:
    def convert(r: ConfigReader, path: KeyPath, value: Any) -> float:
        text = r.text(path, value, 'a duration string like "30s", "10m", "1h30m" or "1d"')
        try:
            seconds = parse_duration(text)
        except ValueError as exc:
            raise r.error(path, str(exc)) from None
        if seconds < minimum:
            raise r.error(path, f"must be at least {format_duration(minimum)}, got {text!r}")
        return seconds
    return convert


def _size(r: ConfigReader, path: KeyPath, value: Any) -> int:
    is_bytes = isinstance(value, int) and not isinstance(value, bool)  # a bare integer counts bytes
    text = str(value) if is_bytes else r.text(path, value, 'a size like "10MB"')
    try:
        size = parse_size(text)
    except ValueError as exc:
        raise r.error(path, str(exc)) from None
    if size < 1024:
        raise r.error(path, f"must be at least 1KB, got {text!r}")
    return size


def _choice(options: tuple[str, ...]) -> Converter:
    def convert(r: ConfigReader, path: KeyPath, value: Any) -> str:
        text = r.text(path, value, f"one of {', '.join(options)}")
        if text not in options:
            close = difflib.get_close_matches(text, options, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise r.error(path, f"expected one of {', '.join(options)}, got {text!r}{hint}")
        return text
    return convert


def _http_url(r: ConfigReader, path: KeyPath, value: Any) -> str:
    url = r.text(path, value, "an http(s) URL").strip()
    try:
        parts = urlsplit(url)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname) and not any(c.isspace() for c in url)
    except ValueError:  # urlsplit refuses e.g. a malformed [IPv6] host
        valid = False
    if not valid:
        raise r.error(path, f"expected an http(s) URL, got {url!r}")
    return url


def _http_urls(r: ConfigReader, path: KeyPath, value: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_http_url(r, item, text) for item, text in r.texts(path, value, "a list of URLs")))


def _notify_urls(r: ConfigReader, path: KeyPath, value: Any) -> tuple[str, ...]:
    urls = []
    for item, url in r.texts(path, value, "a list of apprise URLs"):
        if not is_valid_url(url):
            raise r.error(item, f"apprise cannot use {masked_url(url)!r}: unknown service or malformed URL "
                          "(formats: https://github.com/caronc/apprise/wiki)")
        urls.append(url)
    return tuple(dict.fromkeys(urls))


def _strings(r: ConfigReader, path: KeyPath, value: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(text for _, text in r.texts(path, value, "a list of strings")))


def _regex(r: ConfigReader, path: KeyPath, value: Any) -> str | None:
    pattern = r.text(path, value, "a regular expression")
    if not pattern:
        return None
    try:
        re.compile(pattern)
    except re.error as exc:
        raise r.error(path, f"invalid regular expression: {exc.msg} at position {exc.pos} in {pattern!r}") from None
    return pattern


def _timezone(r: ConfigReader, path: KeyPath, value: Any) -> str:
    name = _text(r, path, value)
    if name == "UTC":  # valid even where the system has no time-zone database
        return name
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        close = difflib.get_close_matches(name, sorted(available_timezones()), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        message = f"unknown time zone {name!r}{hint} (expected an IANA name such as 'Europe/Vilnius')"
        raise r.error(path, message) from None
    return name


def _redis_url(r: ConfigReader, path: KeyPath, value: Any) -> str | None:
    url = r.text(path, value, 'a redis:// URL or ""').strip()
    if url and url.split("://", 1)[0] not in REDIS_SCHEMES:
        raise r.error(path, f'expected a redis://, rediss:// or unix:// URL (or "" for one process), got {url!r}')
    return url or None


def _database(r: ConfigReader, path: KeyPath, value: Any) -> Path:
    return r.folder / Path(_text(r, path, value)).expanduser()


def _templates(r: ConfigReader, path: KeyPath, value: Any) -> Path | None:
    text = r.text(path, value, "a folder of alert templates").strip()
    if not text:
        return None
    folder = r.folder / Path(text).expanduser()
    if not folder.is_dir():
        raise r.error(path, f"no such folder: {folder}")
    return folder


def _digest(r: ConfigReader, path: KeyPath, value: Any) -> str:
    try:
        return str(parse_digest(r.text(path, value, 'a schedule like "daily 08:00"')))
    except ValueError as exc:
        raise r.error(path, str(exc)) from None


def _source_name(r: ConfigReader, path: KeyPath, value: Any) -> str:
    name = r.text(path, value)
    if not _SOURCE_NAME.fullmatch(name):
        fixed = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-").lower()
        hint = f", e.g. {fixed!r}" if fixed else ""
        raise r.error(path, f"expected a name of letters, digits, '_', '.' and '-'{hint}; got {name!r}")
    return name


def _apprise_config(r: ConfigReader, path: KeyPath, value: Any) -> str | None:
    text = r.text(path, value, "the path of an apprise config file").strip()
    if not text:
        return None
    file = r.folder / Path(text).expanduser()
    if file.suffix.lower() not in APPRISE_CONFIG_SUFFIXES:
        endings = ", ".join(APPRISE_CONFIG_SUFFIXES)
        raise r.error(path, f"expected an apprise config file ending in {endings}, got {text!r}")
    if not file.is_file():
        raise r.error(path, f"no such file: {file}")
    if not is_valid_apprise_config(file):
        raise r.error(path, f"apprise found no usable notification URL in {file}")
    return str(file)


def _terms(r: ConfigReader, path: KeyPath, value: Any) -> tuple[Term, ...]:
    """Plain strings or {term, aliases, exact} tables; a term named twice is merged, not refused."""
    if not isinstance(value, list):
        raise r.expected(path, 'a list of terms, e.g. ["Maria Kalesnikava", { term = "BYPOL", exact = true }]', value)
    merged: dict[tuple[str, bool], Term] = {}
    for index, item in enumerate(value):
        item_path = (*path, index)
        if isinstance(item, dict):
            fields = r.fields(item_path, item, _TERM_FIELDS, "a term")
            if "term" not in fields:
                raise r.error(item_path, 'missing "term": write { term = "Name", aliases = [...] }')
            term = Term(fields["term"], fields.get("aliases", ()), fields.get("exact", False))
        else:
            term = Term(_text(r, item_path, item, "a string or a { term = ... } table"))
        key = (term.text.casefold(), term.exact)
        if key in merged:  # same name listed twice: keep one term with the aliases of both
            old = merged[key]
            term = Term(old.text, tuple(dict.fromkeys(old.aliases + term.aliases)), old.exact)
        merged[key] = term
    return tuple(merged.values())


def _queries(r: ConfigReader, path: KeyPath, value: Any) -> tuple[str, ...]:
    queries = []
    for item, text in r.texts(path, value, "a list of queries"):
        _check_query(r, item, text)
        queries.append(text)
    return tuple(dict.fromkeys(queries))


def _check_query(r: ConfigReader, path: KeyPath, text: str) -> None:
    try:
        parse_query(text)
    except QueryError as exc:
        caret = " " * max(exc.position, 0) + "^"
        where = f"{exc.message} at position {exc.position}"
        raise r.error(path, f"invalid query: {where}\n    {text}\n    {caret}") from None


_TOP_LEVEL = ("monitor", "sources", "watchlists")
_MONITOR_FIELDS: dict[str, Converter] = {
    "database": _database, "interval": _duration(MIN_INTERVAL), "user_agent": _text,
    "download_timeout": _duration(1.0), "max_page_size": _size, "concurrency_per_domain": _integer(1),
    "obey_robots": _boolean, "timezone": _timezone, "backfill": _duration(), "max_age": _duration(60.0),
    "admin_notify": _notify_urls, "alert_retry_for": _duration(),
    "alert_retry_delay": _duration(1.0), "unhealthy_after": _integer(1),
    "redis_url": _redis_url, "workers": _integer(0), "templates": _templates,
}
_SOURCE_FIELDS: dict[str, Converter] = {
    "name": _source_name, "url": _http_url, "type": _choice(SOURCE_TYPES), "interval": _duration(MIN_INTERVAL),
    "urls": _http_urls, "article_pattern": _regex, "backfill": _duration(), "max_items": _integer(1),
    "enabled": _boolean,
}
_WATCHLIST_FIELDS: dict[str, Converter] = {
    "terms": _terms, "queries": _queries, "exclude": _strings, "notify": _notify_urls,
    "notify_config": _apprise_config, "notify_tags": _strings, "mode": _choice(MODES), "digest": _digest,
    "max_per_hour": _integer(1),
}
_TERM_FIELDS: dict[str, Converter] = {"term": _text, "aliases": _strings, "exact": _boolean}
# Every key config.toml accepts, per table: for docs and the test that keeps the shipped file complete.
CONFIG_KEYS: dict[str, tuple[str, ...]] = {
    "": _TOP_LEVEL, "monitor": tuple(_MONITOR_FIELDS), "sources": tuple(_SOURCE_FIELDS),
    "watchlists.NAME": tuple(_WATCHLIST_FIELDS), "watchlists.NAME.terms": tuple(_TERM_FIELDS),
}


def _read_monitor(r: ConfigReader, raw: object) -> MonitorSettings:
    fields = r.fields(("monitor",), raw, _MONITOR_FIELDS, "a [monitor] table")
    fields.setdefault("database", r.folder / MonitorSettings.database)
    return MonitorSettings(**fields)


def _read_sources(r: ConfigReader, raw: object, monitor: MonitorSettings) -> tuple[Source, ...]:
    if not isinstance(raw, list):
        raise r.expected(("sources",), "an array of tables, written [[sources]]", raw)
    sources: list[Source] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(raw):
        path: KeyPath = ("sources", index)
        fields = r.fields(path, item, _SOURCE_FIELDS, "a [[sources]] table")
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
        fields = r.fields(path, item, _WATCHLIST_FIELDS, "a [watchlists.NAME] table")
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
    known = set().union(*_apprise_config_tags(Path(fields["notify_config"])))
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
