"""`monitor add-source URL`: find out what a URL is (monitor.source_detect), try it once, show what the
monitor would take from it, and append a `[[sources]]` block to config.toml without touching anything else.
"""

from __future__ import annotations

import ipaddress
import os
import re
import sys
import tempfile
import tomllib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import tomlkit

from monitor.config import MIN_INTERVAL, SOURCE_TYPES, MonitorSettings, load_config, parse_duration
from monitor.errors import ConfigError, MonitorError
from monitor.page_signals import source_name
from monitor.source_detect import Detection, detect, robots_allows, root_element

# root_element, detect and Detection are re-exported: they were defined here before source_detect.py.
__all__ = ["Detection", "add_source", "detect", "insert_block", "root_element", "source_block", "suggest_name"]

_ENV_MISSING = "environment variable"
# Services that host many sites' feeds and blogs under their own domain: their name is not the site's.
GENERIC_SITES = frozenset(("feedburner", "feedblitz", "feedpress", "feedly", "rss", "medium", "substack",
                           "wordpress", "blogspot", "blogger", "tumblr", "ghost", "livejournal", "localhost"))


# -- config.toml -----------------------------------------------------------------------------------
def suggest_name(url: str, taken: set[str], site_name: str | None = None, *, telegram: bool = False) -> str:
    """A source name from the site's domain (svaboda for www.svaboda.org), or tg-NAME for a Telegram channel,
    unique among `taken` (any case).

    On a bare IP address or a generic host (localhost, a feed or blog service) the domain says nothing,
    so the site's own name is used when the page gives one (`site_name`, e.g. its og:site_name).
    """
    from monitor.urls import telegram_channel
    from spiders import site_of

    channel = telegram_channel(url) if telegram else None
    if channel is not None:
        return _unique(f"tg-{channel.name.lower()}", taken)
    host = (urlsplit(url).hostname or "source").lower()
    site = site_of(url)
    base = site if re.fullmatch(r"[\d.]+|[\da-f:]+", site) else site.split(".")[0]
    sub = host.removesuffix(site).rstrip(".").split(".")[-1] if host != site else ""
    if sub and sub not in ("www", "m", "news", "rss", "feeds", "feed"):
        base = f"{base}-{sub}"  # ru.belsat.eu and en.belsat.eu are different sources
    if site_name and source_name(site_name) and _is_generic_host(host, site):
        base = source_name(site_name)
    base = re.sub(r"[^A-Za-z0-9_.-]+", "-", base).strip("-") or "source"
    return _unique(base, taken)


def _unique(base: str, taken: set[str]) -> str:
    folded = {t.casefold() for t in taken}
    name, number = base, 2
    while name.casefold() in folded:
        name, number = f"{base}-{number}", number + 1
    return name


def _is_generic_host(host: str, site: str) -> bool:
    """A host whose name is not the site's: an IP address, a one-label name, a feed or blog service."""
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        pass
    return "." not in host or site.split(".")[0] in GENERIC_SITES


def source_block(detection: Detection, name: str, interval: str | None, note: str) -> str:
    """The `[[sources]]` block as TOML text (tomlkit quotes and escapes the values), with a comment above."""
    table = tomlkit.table()
    table.add("name", name)
    table.add("url", detection.url)
    table.add("type", detection.type)
    if interval:
        table.add("interval", interval)
    document = tomlkit.document()
    document.add("sources", tomlkit.aot())
    document["sources"].append(table)
    comment = " ".join(note.split())
    return f"# {comment}\n{tomlkit.dumps(document).strip()}\n"


def insert_block(text: str, block: str) -> str:
    """`text` with `block` placed after the last [[sources]] table's own lines, every other byte unchanged."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    headers = [i for i, line in enumerate(lines) if re.match(r"\s*\[\[\s*sources\s*\]\]", line)]
    if headers:
        end = headers[-1] + 1
        while end < len(lines) and not re.match(r"\s*\[", lines[end]):
            end += 1
        # Step back over the blank lines and comment blocks that introduce what follows.
        while end > headers[-1] + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1
        end = _keep_trailing_comments(lines, end)
    else:
        tables = [i for i, line in enumerate(lines) if re.match(r"\s*\[(?!\s*monitor\s*\])", line)]
        end = tables[0] if tables else len(lines)
        while end > 0 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")) and tables:
            end -= 1
    before, after = lines[:end], lines[end:]
    if before and not before[-1].endswith(("\n", "\r")):
        before[-1] += newline
    chunk = [newline] if before and before[-1].strip() else []
    chunk += [line + newline for line in block.rstrip("\n").split("\n")]
    if after and after[0].strip():
        chunk.append(newline)
    return "".join(before + chunk + after)


def _keep_trailing_comments(lines: list[str], end: int) -> int:
    """Comment lines right under a source's last key (no blank between) still belong to that source."""
    while end < len(lines) and lines[end].lstrip().startswith("#") and not re.match(r"\s*#\s*\[", lines[end]):
        end += 1
    return end


def _appended(text: str, block: str) -> str:
    """Insert `block` as text; if that fails to give exactly one more source, append it with tomlkit instead."""
    old = tomllib.loads(text)
    wanted = tomllib.loads(block)["sources"][0]
    candidate = insert_block(text, block)
    if _adds_exactly(old, candidate, wanted):
        return candidate
    document = tomlkit.parse(text)  # an unusual layout (inline `sources = [...]`, odd tables): let tomlkit place it
    table = tomlkit.parse(block)["sources"][0]
    if "sources" in document:
        document["sources"].append(table)
    else:
        document["sources"] = tomlkit.aot()
        document["sources"].append(table)
    candidate = tomlkit.dumps(document)
    if not _adds_exactly(old, candidate, wanted):
        raise MonitorError("could not add the source to config.toml without changing anything else; add it by hand")
    return candidate


def _adds_exactly(old: dict[str, Any], text: str, wanted: dict[str, Any]) -> bool:
    try:
        new = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False
    expected = {**old, "sources": [*old.get("sources", []), wanted]}
    return new == expected


def _current(path: Path) -> tuple[MonitorSettings, dict[str, str], str | None]:
    """The config's settings and {source name: url}; lenient when only ${VARS} are missing in this shell."""
    try:
        config = load_config(path)
        return config.monitor, {s.name: s.url for s in config.sources}, None
    except ConfigError as exc:
        if _ENV_MISSING not in exc.message:
            raise
        problem = str(exc)
    raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    agent = raw.get("monitor", {}).get("user_agent")
    settings = MonitorSettings(user_agent=agent) if isinstance(agent, str) and "${" not in agent else MonitorSettings()
    sources = {str(s.get("name")): str(s.get("url")) for s in raw.get("sources", []) if isinstance(s, dict)}
    return settings, sources, problem


def _check(path: Path, text: str, lenient: bool) -> None:
    """Load the new config.toml as the daemon will (only its sources when ${VARS} are missing here)."""
    if lenient:
        text = tomlkit.dumps({"sources": tomllib.loads(text).get("sources", [])})
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        load_config(temp)
    except ConfigError as exc:
        raise MonitorError(f"the new source would make {path} invalid: {exc.message}") from None
    finally:
        Path(temp).unlink(missing_ok=True)


def _write(path: Path, text: str) -> None:
    """Replace the file atomically, keeping its permissions and owner (it may hold secrets; a daemon reads it)."""
    target = path.resolve()  # a symlinked config stays a symlink
    stat = target.stat()
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(temp, stat.st_mode & 0o7777)
        if hasattr(os, "chown") and os.geteuid() == 0:
            os.chown(temp, stat.st_uid, stat.st_gid)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


# -- the command -----------------------------------------------------------------------------------
def add_source(config_path: Path, url: str, *, name: str | None = None, type: str | None = None,
               dry_run: bool = False, interval: str | None = None) -> int:
    """Detect, try and show a source, then append it to config.toml (unless dry_run). Returns an exit code."""
    config_path = Path(config_path)
    settings, sources, problem = _current(config_path)
    _check_arguments(config_path, url, name, type, interval, sources)
    detection = detect(url, settings, type=type)
    _refuse_known(config_path, detection.url, sources)
    name = name or suggest_name(detection.url, set(sources), detection.site_name,
                                telegram=detection.type == "telegram")
    if settings.obey_robots and not robots_allows(_fetched_url(detection), settings):
        detection.notes.append("robots.txt forbids this URL to our User-Agent: with obey_robots = true the "
                               "monitor will not fetch it")
    for line in _describe(detection):
        print(line)
    note = f"Added by `monitor add-source` on {datetime.now(UTC):%Y-%m-%d}: {detection.how}"
    block = source_block(detection, name, interval, note)
    with config_path.open(encoding="utf-8-sig", newline="") as handle:  # newline="": keep CRLF files CRLF
        text = handle.read()
    new_text = _appended(text, block)
    _check(config_path, new_text, lenient=problem is not None)
    verb = "Would append to" if dry_run else "Appended to"
    print(f"\n{verb} {config_path}{' (dry run: nothing written)' if dry_run else ''}:\n")
    print("".join(f"  {line}\n" for line in block.splitlines()), end="")
    if problem:
        print(f"\nnote: {problem}\n      (only the sources were checked; set the variable before `monitor run`)")
    if not dry_run:
        _write(config_path, new_text)
        print("\nThe running daemon picks it up on its next config check; `monitor check-config` validates it.")
    return 0


def _fetched_url(detection: Detection) -> str:
    """The URL the daemon will fetch for this source (a channel's preview, not its address)."""
    from monitor.urls import telegram_channel

    channel = telegram_channel(detection.url) if detection.type == "telegram" else None
    return channel.preview_url if channel is not None else detection.url


def _check_arguments(path: Path, url: str, name: str | None, type: str | None, interval: str | None,
                     sources: dict[str, str]) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise MonitorError(f"expected an http(s) URL, got {url!r}")
    if type is not None and type not in SOURCE_TYPES:
        raise MonitorError(f"--type must be one of {', '.join(SOURCE_TYPES)}, got {type!r}")
    if name is not None:
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
            raise MonitorError(f"--name may hold letters, digits, '_', '.' and '-' only, got {name!r}")
        if name.casefold() in {n.casefold() for n in sources}:
            raise ConfigError(str(path), "sources", f"a source named {name!r} exists already; choose another --name")
    if interval is not None:
        try:
            seconds = parse_duration(interval)
        except ValueError as exc:
            raise MonitorError(f"--interval: {exc}") from None
        if seconds < MIN_INTERVAL:
            raise MonitorError(f"--interval must be at least {MIN_INTERVAL:g}s, got {interval!r}")
    _refuse_known(path, url, sources)


def _refuse_known(path: Path, url: str, sources: dict[str, str]) -> None:
    from monitor.urls import TELEGRAM_ORIGIN, canonical_url, telegram_channel

    def identity(address: str) -> str:  # t.me/NAME and t.me/s/NAME are one channel, whatever the case
        channel = telegram_channel(address)
        if channel is not None and channel.origin == TELEGRAM_ORIGIN:
            return channel.address.casefold()
        return canonical_url(address)

    for existing, existing_url in sources.items():
        if identity(existing_url) == identity(url):
            raise ConfigError(str(path), "sources", f"{url} is already configured as source {existing!r}")


def _describe(detection: Detection) -> Iterator[str]:
    """What the user sees before anything is written."""
    yield f"{detection.url}: {detection.how}"
    count = detection.total
    entries = f"{count} entr{'y' if count == 1 else 'ies'}"
    heading = {
        "feed": f"{entries}; the newest, which the monitor would fetch as articles:",
        "sitemap": f"{entries}; the newest, which the monitor would fetch:",
        "listing": f"{count} article link{'' if count == 1 else 's'}; the first, which the monitor would fetch:",
        "page": "The monitor would fetch this page itself; its article:",
        "telegram": f"{count} post{'' if count == 1 else 's'} on its newest page; the newest, which the monitor "
                    "would read:",
    }
    yield heading[detection.type]
    for sample in detection.samples:
        date = f"{sample.date:%Y-%m-%d %H:%M}" if sample.date else "no date"
        yield f"  {date:<16}  {' '.join((sample.title or '(no title)').split())[:100]}"
        yield f"  {'':<16}  {sample.url}"
    if detection.total > len(detection.samples) > 0:
        yield f"  … and {detection.total - len(detection.samples)} more"
    for note in detection.notes:
        yield f"note: {note}"
    sys.stdout.flush()
