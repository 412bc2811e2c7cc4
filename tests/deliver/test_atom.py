"""Atom feeds of alerts: valid Atom (feedparser and RFC 4287's required elements), one entry per story, stable ids."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from monitor.config.loader import load_config
from monitor.deliver.atom import ATOM_NS, entry_id, open_readonly, story_entries, write_feed
from monitor.errors import MonitorError, StorageError
from monitor.models import Article, Hit
from monitor.store.database import Store

WATCHLIST = "political-prisoners"
HOSTILE_TITLE = 'Court <script>alert("x")</script> & “Kalesnikava”\x0b verdict'
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
A = f"{{{ATOM_NS}}}"


def article(url: str, source: str, title: str, day: int, text: str = "Maria Kalesnikava was moved.") -> Article:
    return Article(url=url, title=title, text=text, source=source, published=datetime(2026, 11, day, 9, tzinfo=UTC))


def hit(term: str, found: str, snippet: str, watchlist: str = WATCHLIST) -> Hit:
    return Hit(watchlist, term, found, "text", 0, len(found), snippet)


def save(store: Store, art: Article, story: str, hits: list[Hit]) -> None:
    store.save_article(art, f"hash-{art.url}", story, hits, alertable=True, targets={})


@pytest.fixture
def config(tmp_path: Path):
    (tmp_path / "config.toml").write_text(
        '[monitor]\ndatabase = "monitor.db"\n\n[[sources]]\nname = "svaboda"\nurl = "https://www.svaboda.org/rss"\n\n'
        f'[watchlists.{WATCHLIST}]\nterms = ["Maria Kalesnikava", "Ales Bialiatski"]\n\n'
        '[watchlists.journalists]\nterms = ["Ihar Losik"]\n', encoding="utf-8")
    store = Store(tmp_path / "monitor.db")
    kalesnikava = hit("Maria Kalesnikava", "Марыя Калеснікава", "суд, дзе Марыя Калеснікава сказала")
    save(store, article("https://svaboda.example/1", "svaboda", "Kalesnikava moved", 20), "story-1", [kalesnikava])
    # A copy of story-1 on another site, which names a second person: same entry, now with both names.
    bialiatski = hit("Ales Bialiatski", "Ales Bialiatski", "and Ales Bialiatski, too")
    save(store, article("https://zerkalo.example/9", "zerkalo", "Kalesnikava moved (copy)", 21), "story-1",
         [kalesnikava, bialiatski])
    save(store, article("https://nashaniva.example/2", "nashaniva", HOSTILE_TITLE, 22), "story-2",
         [hit("Maria Kalesnikava", "Kalesnikava", "the <b>verdict</b> for Kalesnikava & others")])
    save(store, article("https://svaboda.example/3", "svaboda", "Losik released", 22), "story-3",
         [hit("Ihar Losik", "Ihar Losik", "Ihar Losik was released", watchlist="journalists")])
    store.close()
    return load_config(tmp_path / "config.toml")


def assert_valid_atom(xml: str) -> feedparser.FeedParserDict:
    """feedparser reads it without complaint, and RFC 4287's required elements are all there, once."""
    parsed = feedparser.parse(xml.encode("utf-8"))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    root = etree.fromstring(xml.encode("utf-8"))
    assert root.tag == f"{A}feed"
    for element in [root, *root.findall(f"{A}entry")]:
        for required in ("id", "title", "updated"):
            assert len(element.findall(f"{A}{required}")) == 1, (element.tag, required)
        assert re.match(r"^[a-z][a-z0-9+.-]*:", element.findtext(f"{A}id")), "ids are absolute IRIs"
        assert RFC3339.match(element.findtext(f"{A}updated"))
        for published in element.findall(f"{A}published"):
            assert RFC3339.match(published.text)
        alternates = [link for link in element.findall(f"{A}link") if link.get("rel", "alternate") == "alternate"]
        assert len({(link.get("type"), link.get("hreflang")) for link in alternates}) == len(alternates)
    entries = root.findall(f"{A}entry")
    if root.find(f"{A}author") is None:
        assert all(e.find(f"{A}author") is not None for e in entries)
    for entry in entries:  # an entry without <content> needs an alternate link (4.1.1)
        assert entry.find(f"{A}content") is not None or entry.find(f"{A}link") is not None
    return parsed


def test_feed_is_valid_atom_with_one_entry_per_story(config):
    parsed = assert_valid_atom(write_feed(config, WATCHLIST, None))
    assert [e.link for e in parsed.entries] == ["https://nashaniva.example/2", "https://svaboda.example/1"]
    assert parsed.feed.title == f"{WATCHLIST}: news-monitor alerts"


def test_story_entry_lists_every_name_its_copies_and_the_context(config):
    entry = assert_valid_atom(write_feed(config, WATCHLIST, None)).entries[1]
    assert entry.title == "Maria Kalesnikava, Ales Bialiatski: Kalesnikava moved"
    assert [t.term for t in entry.tags] == ["Maria Kalesnikava", "Ales Bialiatski"]
    assert "Марыя Калеснікава" in entry.summary
    assert "суд, дзе Марыя Калеснікава сказала" in entry.summary
    assert "also reported by: zerkalo" in entry.content[0].value
    related = [link.href for link in entry.links if link.rel == "related"]
    assert related == ["https://zerkalo.example/9"]
    assert entry.author == "svaboda"
    assert entry.published.startswith("2026-11-20T09:00:00")


def test_article_text_cannot_inject_markup(config):
    xml = write_feed(config, WATCHLIST, None)
    entry = assert_valid_atom(xml).entries[0]
    root = etree.fromstring(xml.encode("utf-8"))
    title = root.find(f"{A}entry").findtext(f"{A}title")
    assert title == "Maria Kalesnikava: " + HOSTILE_TITLE.replace("\x0b", "")  # XML 1.0 cannot hold \x0b
    assert root.find(f".//{A}script") is None
    content = entry.content[0].value
    assert "<script>" not in content
    assert "&lt;b&gt;verdict&lt;/b&gt;" in content


def test_watchlists_do_not_see_each_others_alerts(config):
    parsed = assert_valid_atom(write_feed(config, "journalists", None))
    assert [e.title for e in parsed.entries] == ["Ihar Losik: Losik released"]


def test_entry_ids_are_stable_and_updated_moves_when_a_story_alerts_again(config):
    store = Store(config.monitor.database)
    store.db.execute("UPDATE alerts SET created = '2026-11-22T12:00:00+00:00'")  # so the next alert is newer
    first = {e.id: e.updated for e in assert_valid_atom(write_feed(config, WATCHLIST, None)).entries}
    assert entry_id(WATCHLIST, "story-2") in first
    save(store, article("https://nashaniva.example/2", "nashaniva", HOSTILE_TITLE, 22), "story-2",
         [hit("Maria Kalesnikava", "Kalesnikava", "x"), hit("Ales Bialiatski", "Bialiatski", "y")])
    store.close()
    again = assert_valid_atom(write_feed(config, WATCHLIST, None)).entries
    assert {e.id for e in again} == set(first)
    assert again[0].id == entry_id(WATCHLIST, "story-2")
    assert again[0].updated > first[again[0].id]


def test_empty_watchlist_gives_a_valid_feed_without_entries(config):
    store = Store(config.monitor.database)
    store.db.execute("DELETE FROM alerts WHERE watchlist = 'journalists'")
    store.close()
    assert assert_valid_atom(write_feed(config, "journalists", None)).entries == []


def test_write_feed_writes_the_file_it_returns(config, tmp_path):
    out = tmp_path / "public" / "feed.atom"
    text = write_feed(config, WATCHLIST, out, self_url="https://desk.example/feed.atom")
    assert out.read_text(encoding="utf-8") == text
    assert [p.name for p in out.parent.iterdir()] == ["feed.atom"]  # no temporary file left behind
    assert assert_valid_atom(text).feed.links[0].href == "https://desk.example/feed.atom"


def test_unknown_watchlist_is_refused_with_a_suggestion(config):
    with pytest.raises(MonitorError, match="did you mean 'political-prisoners'"):
        write_feed(config, "political-prisoner", None)


def test_missing_database_is_a_clear_error(tmp_path):
    with pytest.raises(StorageError, match="no database yet"):
        open_readonly(tmp_path / "nothing.db")


def test_feed_is_read_through_a_read_only_connection(config):
    conn = open_readonly(config.monitor.database)
    try:
        assert len(story_entries(conn, WATCHLIST)) == 2
        with pytest.raises(Exception, match="readonly"):
            conn.execute("DELETE FROM alerts")
    finally:
        conn.close()
