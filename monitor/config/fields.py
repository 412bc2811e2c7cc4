"""The keys config.toml accepts and how each value is checked: one converter per kind of value."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from monitor.config.durations import format_duration, parse_digest, parse_duration, parse_size
from monitor.config.locate import ConfigReader, Converter, KeyPath
from monitor.config.targets import apprise_silenced, masked_url, url_problem
from monitor.errors import QueryError
from monitor.match import parse_query
from monitor.models import Term

MIN_INTERVAL = 1.0  # seconds; anything faster is a loop, not a schedule
SOURCE_TYPES = ("feed", "sitemap", "listing", "page", "telegram")
MODES = ("instant", "digest")
APPRISE_CONFIG_SUFFIXES = (".yml", ".yaml", ".txt", ".conf")
REDIS_SCHEMES = ("redis", "rediss", "unix")

_SOURCE_NAME = re.compile(r"[A-Za-z0-9_.-]+")  # used in job ids, log lines and database keys


def is_valid_apprise_config(path: Path) -> bool:
    """True when apprise loads at least one notification service from the config file at `path`."""
    return bool(apprise_config_tags(path))


def apprise_config_tags(path: Path) -> list[set[str]]:
    """The tag set of each service an apprise config file defines (empty list: none usable)."""
    # apprise otherwise lives only in notify.py; this one check is here because a broken notify_config
    # must stop start-up like any other config error, and notify_urls.py (URLs only) is not ours to extend.
    import apprise

    loader = apprise.AppriseConfig(recursion=0)  # recursion=0: never follow `include` lines to the network
    with apprise_silenced():  # it logs unusable lines whole, secrets included; our error names the file
        loader.add(str(path))
        return [{str(tag).casefold() for tag in service.tags} for service in loader.services()]


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
        problem = url_problem(url)
        if problem:
            raise r.error(item, f"apprise cannot use {masked_url(url)!r}: {problem}")
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
            fields = r.fields(item_path, item, TERM_FIELDS, "a term")
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


TOP_LEVEL = ("monitor", "sources", "watchlists")
MONITOR_FIELDS: dict[str, Converter] = {
    "database": _database, "interval": _duration(MIN_INTERVAL), "user_agent": _text,
    "download_timeout": _duration(1.0), "max_page_size": _size, "concurrency_per_domain": _integer(1),
    "obey_robots": _boolean, "timezone": _timezone, "backfill": _duration(), "max_age": _duration(60.0),
    "admin_notify": _notify_urls, "alert_retry_for": _duration(),
    "alert_retry_delay": _duration(1.0), "unhealthy_after": _integer(1), "quiet_after": _duration(),
    "redis_url": _redis_url, "workers": _integer(0), "templates": _templates,
}
SOURCE_FIELDS: dict[str, Converter] = {
    "name": _source_name, "url": _http_url, "type": _choice(SOURCE_TYPES), "interval": _duration(MIN_INTERVAL),
    "urls": _http_urls, "article_pattern": _regex, "backfill": _duration(), "max_items": _integer(1),
    "enabled": _boolean,
}
WATCHLIST_FIELDS: dict[str, Converter] = {
    "terms": _terms, "queries": _queries, "exclude": _strings, "notify": _notify_urls,
    "notify_config": _apprise_config, "notify_tags": _strings, "mode": _choice(MODES), "digest": _digest,
    "max_per_hour": _integer(1), "backfill": _duration(), "match_credits": _boolean,
}
TERM_FIELDS: dict[str, Converter] = {"term": _text, "aliases": _strings, "exact": _boolean}
# Every key config.toml accepts, per table: for docs and the test that keeps the shipped file complete.
CONFIG_KEYS: dict[str, tuple[str, ...]] = {
    "": TOP_LEVEL, "monitor": tuple(MONITOR_FIELDS), "sources": tuple(SOURCE_FIELDS),
    "watchlists.NAME": tuple(WATCHLIST_FIELDS), "watchlists.NAME.terms": tuple(TERM_FIELDS),
}
