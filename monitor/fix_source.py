"""`monitor fix-source NAME`: point a source whose address moved (a permanent redirect the daemon recorded) at
its new URL in config.toml. Only that one value changes: every other line stays as it was, comments included.
The new file is validated and replaced the way `add-source` does it (monitor/add_source.py)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import tomlkit

from monitor.add_source import _check, _current, _refuse_known, _write
from monitor.errors import ConfigError, MonitorError


def fix_source(config_path: Path, name: str, *, url: str | None = None, dry_run: bool = False) -> int:
    """Rewrite one source's `url` (to `url`, or to where it was seen to move); returns an exit code."""
    config_path = Path(config_path)
    _, sources, problem = _current(config_path)
    match = next((n for n in sources if n.casefold() == name.casefold()), None)
    if match is None:
        raise ConfigError(str(config_path), "sources", f"no source named {name!r} (have: {', '.join(sources)})")
    old_url = sources[match]
    new_url = url or recorded_move(config_path, match)
    if not new_url:
        raise MonitorError(f"source {match!r} has not been seen to move (no permanent redirect recorded); "
                           "give the new address with --url")
    parts = urlsplit(new_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise MonitorError(f"expected an http(s) URL, got {new_url!r}")
    if new_url == old_url:
        print(f"source {match}: already at {new_url}; nothing to change")
        return 0
    _refuse_known(config_path, new_url, {n: u for n, u in sources.items() if n != match})
    with config_path.open(encoding="utf-8-sig", newline="") as handle:  # newline="": keep CRLF files CRLF
        text = handle.read()
    new_text = replace_url(text, match, new_url)
    _check(config_path, new_text, lenient=problem is not None)
    print(f"{config_path}: source {match}: url {old_url} → {new_url}"
          f"{' (dry run: nothing written)' if dry_run else ''}")
    if not dry_run:
        _write(config_path, new_text)
        print("The running daemon picks it up on its next config check.")
    return 0


def replace_url(text: str, name: str, new_url: str) -> str:
    """`text` with the url of source `name` replaced; refuses if anything else would change."""
    document = tomlkit.parse(text)
    tables: Any = document.get("sources", [])
    table = next((t for t in tables if str(t.get("name", "")).casefold() == name.casefold()), None)
    if table is None:
        raise MonitorError(f"source {name!r} is not a [[sources]] table in config.toml; edit its url by hand")
    table["url"] = new_url
    candidate = tomlkit.dumps(document)
    old, new = tomllib.loads(text), tomllib.loads(candidate)
    expected = [dict(s, url=new_url) if s.get("name") == table.get("name") else s for s in old["sources"]]
    changed = [pair for pair in zip(text.splitlines(), candidate.splitlines(), strict=False) if pair[0] != pair[1]]
    same_shape = len(text.splitlines()) == len(candidate.splitlines()) and len(changed) == 1
    if new != {**old, "sources": expected} or not same_shape:
        raise MonitorError("could not change the url without touching other lines of config.toml; edit it by hand")
    return candidate


def recorded_move(config_path: Path, name: str) -> str | None:
    """Where the daemon saw the source's URL permanently redirect to, from the database (None: not seen)."""
    database = _database(config_path)
    if not database.exists():
        return None
    from monitor.store import Store

    store = Store(database)
    try:
        row = store.source_health(name)
    finally:
        store.close()
    return str(row["moved_to"]) if row.get("moved_to") else None


def _database(config_path: Path) -> Path:
    """The database file the config names (read leniently: a ${VAR} unset in this shell doesn't matter here)."""
    raw = tomllib.loads(config_path.read_text(encoding="utf-8-sig"))
    database = raw.get("monitor", {}).get("database", "monitor.db")
    return config_path.parent / Path(str(database)).expanduser()
