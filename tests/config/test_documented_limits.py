"""The limits the README tables and the shipped config.toml's comments state are the ones the validator enforces,
and every duration or size with a lower limit says so in the README (issue 16, item 12)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from monitor.config.durations import parse_duration, parse_size
from monitor.config.fields import MONITOR_FIELDS, SOURCE_FIELDS, WATCHLIST_FIELDS
from monitor.config.loader import load_config
from monitor.errors import ConfigError
from tests.paths import REPO

# README section heading → the config table its rows describe
SECTIONS = {"### `[monitor]`": "monitor", "### `[[sources]]`": "sources", "### `[watchlists.NAME]`": "watchlists"}
FIELDS = {"monitor": MONITOR_FIELDS, "sources": SOURCE_FIELDS, "watchlists": WATCHLIST_FIELDS}
_ROW = re.compile(r"^\| `(?P<key>\w+)` \|(?P<rest>.*)\|\s*$")
_README_LIMIT = re.compile(r'minimum (?:is )?`"(?P<limit>[^"]+)"`')
_COMMENT_LIMIT = re.compile(r'^(?P<key>\w+)\s*=.*#.*\bat least "(?P<limit>[^"]+)"')
_TABLE = re.compile(r"^\s*\[\[?\s*(?P<name>[\w.-]+)")


def readme_limits() -> dict[tuple[str, str], str]:
    """(table, key) → the minimum the README's configuration tables state."""
    limits: dict[tuple[str, str], str] = {}
    table = None
    for line in (REPO / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            table = next((t for heading, t in SECTIONS.items() if line.startswith(heading)), None)
        elif table and (row := _ROW.match(line)) and (limit := _README_LIMIT.search(row["rest"])):
            limits[(table, row["key"])] = limit["limit"]
    return limits


def shipped_config_limits() -> dict[tuple[str, str], str]:
    """(table, key) → the minimum a comment in the shipped config.toml states ("at least ...")."""
    limits: dict[tuple[str, str], str] = {}
    table = ""
    for line in (REPO / "config.toml").read_text(encoding="utf-8").splitlines():
        if header := _TABLE.match(line):
            table = header["name"].split(".")[0]
        elif comment := _COMMENT_LIMIT.match(line):
            limits[(table, comment["key"])] = comment["limit"]
    return limits


def config_with(tmp_path: Path, table: str, key: str, value: str | int) -> Path:
    literal = f'"{value}"' if isinstance(value, str) else str(value)
    tables = {
        "monitor": f"[monitor]\n{key} = {literal}\n",
        "sources": f'[[sources]]\nname = "a"\nurl = "https://example.org/rss"\n{key} = {literal}\n',
        "watchlists": f'[watchlists.a]\nterms = ["Ihar Losik"]\n{key} = {literal}\n',
    }
    path = tmp_path / "config.toml"
    path.write_text(tables[table], encoding="utf-8")
    return path


def just_below(limit: str) -> str | int:
    """The largest value under a documented minimum, in the same kind: "59s" under "1m", 1023 under "1KB"."""
    try:
        return f"{parse_duration(limit) - 1:g}s"
    except ValueError:
        return parse_size(limit) - 1  # a bare integer counts bytes


def refusal(tmp_path: Path, table: str, key: str, value: str | int) -> str | None:
    """The validator's message for this value, None when it is accepted."""
    try:
        load_config(config_with(tmp_path, table, key, value), environ={})
    except ConfigError as exc:
        return exc.message
    return None


def test_the_readme_and_the_shipped_config_state_limits():
    assert readme_limits()[("monitor", "interval")] == "1s"
    assert shipped_config_limits()[("monitor", "interval")]


def test_readme_and_shipped_config_agree_on_every_limit_both_state():
    readme, shipped = readme_limits(), shipped_config_limits()
    for place, limit in shipped.items():
        assert place in readme, f"config.toml states a minimum for {place} that the README does not"
        assert readme[place] == limit, f"{place}: config.toml says at least {limit!r}, the README {readme[place]!r}"


@pytest.mark.parametrize(("place", "limit"), sorted({**readme_limits(), **shipped_config_limits()}.items()),
                         ids=lambda value: ".".join(value) if isinstance(value, tuple) else value)
def test_every_documented_limit_is_the_validators(tmp_path, place, limit):
    table, key = place
    assert key in FIELDS[table], f"the docs state a limit for unknown key {table}.{key}"
    assert refusal(tmp_path, table, key, limit) is None, f"{table}.{key} = {limit!r} is documented as allowed"
    below = just_below(limit)
    message = refusal(tmp_path, table, key, below)
    assert message is not None, f"{table}.{key} = {below!r} is under the documented minimum {limit!r}, yet accepted"
    assert f"must be at least {limit}" in message


@pytest.mark.parametrize("table", sorted(FIELDS))
def test_every_duration_and_size_with_a_minimum_documents_it(tmp_path, table):
    documented = readme_limits()
    for key in FIELDS[table]:
        message = _probe(tmp_path, table, key)
        if message is None:
            continue
        limit = re.search(r"must be at least (\S+),", message)
        assert limit, message
        assert documented.get((table, key)) == limit[1], (
            f'{table}.{key} must be at least {limit[1]}: the README should say (minimum `"{limit[1]}"`)')


def _probe(tmp_path: Path, table: str, key: str) -> str | None:
    """The refusal of the smallest duration and size ("0"), for keys that take one; None for the others."""
    try:
        load_config(config_with(tmp_path, table, key, "0"), environ={})
    except ConfigError as exc:
        return exc.message if "must be at least" in exc.message else None
    return None
