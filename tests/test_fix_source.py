"""`monitor fix-source NAME`: a moved source's url is rewritten in config.toml, and nothing else (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.errors import ConfigError, MonitorError
from monitor.fix_source import fix_source, replace_url
from monitor.models import Source
from monitor.store import Store

CONFIG = """\
# Our newsroom's sources
[monitor]
database = "monitor.db"   # next to this file
user_agent = "newsroom-monitor (+mailto:${DESK_MAIL})"

[[sources]]
name = "svaboda"   # Radio Svaboda
url = "https://www.svaboda.org/api/old-feed"   # the Belarusian feed
type = "feed"
interval = "15m"

[[sources]]
name = "viasna"
url = "https://spring96.org/en/news"
type = "listing"
article_pattern = '/en/news/\\d+'

[watchlists.pp]
terms = ["Ihar Losik"]
"""
NEW = "https://www.svaboda.org/api/new-feed"


def _config(tmp_path: Path, text: str = CONFIG, newline: str = "\n") -> Path:
    path = tmp_path / "config.toml"
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return path


def _record_move(path: Path, name: str, url: str) -> None:
    store = Store(path.parent / "monitor.db")
    store.sync_sources([Source(name, "https://www.svaboda.org/api/old-feed", "feed", 900.0)])
    store.set_source_health(name, {"moved_to": url})
    store.close()


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_the_recorded_move_replaces_the_url_and_every_other_byte_stays(tmp_path, newline, capsys):
    path = _config(tmp_path, newline=newline)
    before = path.read_bytes()
    _record_move(path, "svaboda", NEW)
    assert fix_source(path, "Svaboda") == 0  # names compare ignoring case, as in config.toml
    after = path.read_bytes()
    assert after == before.replace(b"https://www.svaboda.org/api/old-feed", NEW.encode())
    printed = capsys.readouterr().out
    assert "url https://www.svaboda.org/api/old-feed → https://www.svaboda.org/api/new-feed" in printed


def test_a_given_url_wins_and_dry_run_writes_nothing(tmp_path, capsys):
    path = _config(tmp_path)
    assert fix_source(path, "viasna", url="https://spring96.org/en/news/all", dry_run=True) == 0
    assert path.read_text(encoding="utf-8") == CONFIG
    assert "dry run: nothing written" in capsys.readouterr().out
    assert fix_source(path, "viasna", url="https://spring96.org/en/news/all") == 0
    assert path.read_text(encoding="utf-8") == CONFIG.replace('"https://spring96.org/en/news"',
                                                              '"https://spring96.org/en/news/all"')


def test_without_a_recorded_move_or_with_an_unknown_name_it_says_what_to_do(tmp_path):
    path = _config(tmp_path)
    with pytest.raises(MonitorError, match="has not been seen to move .* give the new address with --url"):
        fix_source(path, "svaboda")
    with pytest.raises(ConfigError, match="no source named 'nasha-niva' \\(have: svaboda, viasna\\)"):
        fix_source(path, "nasha-niva", url=NEW)
    with pytest.raises(ConfigError, match="already configured as source 'viasna'"):
        fix_source(path, "svaboda", url="https://spring96.org/en/news")
    assert path.read_text(encoding="utf-8") == CONFIG


def test_sources_written_as_inline_tables_are_edited_in_place():
    text = ('sources = [\n  { name = "a", url = "https://a.example/rss" },'
            ' { name = "b", url = "https://b.example/rss" },\n]\n')
    assert replace_url(text, "b", "https://b.example/feed") == text.replace("https://b.example/rss",
                                                                            "https://b.example/feed")
    with pytest.raises(MonitorError, match="source 'c' is not a"):
        replace_url(text, "c", "https://c.example/feed")
