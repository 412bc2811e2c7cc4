"""Atom feeds of a watchlist's alerts: one entry per story, with the names found and where they were written.

Built with lxml's element API, so every title, name and snippet taken from a news site is escaped by the
XML library, never by string concatenation. Used by `monitor feed` (a file) and by `monitor ui` (served
live by the Datasette plugin in monitor/ui/datasette_plugins/feeds.py).
"""

from __future__ import annotations

import difflib
import json
import os
import re
import sqlite3
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from lxml import etree

from monitor.config import Config
from monitor.deliver.alerts import names_found, render_html, subject_for
from monitor.errors import MonitorError, StorageError

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
FEED_LIMIT = 50  # stories per feed: readers keep what they saw, so the feed only needs the recent ones
# Atom ids must never change: a reader shows an entry whose id it has not seen as new. uuid5 of the
# watchlist and the story is stable across runs and machines, and needs no domain we would have to own.
_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/news-monitor/news-monitor/atom")
# XML 1.0 forbids most control characters; lxml refuses them rather than writing an invalid document.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass
class StoryEntry:
    """Every alert one story raised for one watchlist, merged into what a feed entry shows."""

    story: str
    first_alert: str  # ISO time of the story's first alert
    last_alert: str
    payload: dict[str, Any]  # an alert payload (monitor.store.database) with the names and hits of all the alerts
    copies: list[dict[str, Any]] = field(default_factory=list)  # url, title, source of every stored copy


def open_readonly(path: str | Path) -> sqlite3.Connection:
    """A read-only connection to the monitor's database (the daemon may be writing to it meanwhile)."""
    path = Path(path)
    if not path.is_file():
        raise StorageError(f"{path}: no database yet; `monitor run --once` creates it")
    try:
        conn = sqlite3.connect(f"file:{quote(str(path.absolute()))}?mode=ro", uri=True, timeout=30)
        conn.execute("SELECT 1 FROM alerts LIMIT 1")
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"{path}: cannot read the monitor's database: {exc}") from exc
    return conn


def story_entries(conn: sqlite3.Connection, watchlist: str, limit: int = FEED_LIMIT) -> list[StoryEntry]:
    """The `limit` stories of a watchlist whose latest alert is newest, newest first."""
    rows = conn.cursor()
    rows.row_factory = sqlite3.Row  # on the cursor: the connection may be Datasette's, left as it is
    stories = rows.execute(
        "SELECT story, min(created) AS first, max(created) AS last FROM alerts WHERE watchlist = ? "
        "GROUP BY story ORDER BY last DESC, max(id) DESC LIMIT ?", [watchlist, limit]).fetchall()
    entries = []
    for row in stories:
        payloads = [json.loads(r[0]) for r in rows.execute(
            "SELECT payload FROM alerts WHERE watchlist = ? AND story = ? ORDER BY id", [watchlist, row["story"]])]
        copies = [dict(r) for r in rows.execute(
            "SELECT url, title, source, published FROM articles WHERE story = ? "
            "ORDER BY datetime(coalesce(published, fetched)), url", [row["story"]])]
        entries.append(StoryEntry(row["story"], row["first"], row["last"], _merge(payloads, copies), copies))
    return entries


def _merge(payloads: list[dict[str, Any]], copies: list[dict[str, Any]]) -> dict[str, Any]:
    """One payload for a story: the first alert's article, every name any alert was about, all copies' sources."""
    first = payloads[0]
    terms: list[str] = []
    hits: list[dict[str, Any]] = []
    for payload in payloads:
        terms.extend(t for t in payload.get("new_terms", []) if t not in terms)
        hits.extend(payload.get("hits", []))
    source = first["article"].get("source")
    others = [p for payload in payloads for p in payload.get("also_reported_by") or []]
    others += [c["source"] for c in copies]
    also = [s for s in dict.fromkeys(others) if s and s != source]
    return {**first, "new_terms": terms, "hits": hits, "also_reported_by": also}


def feed_id(watchlist: str) -> str:
    """The permanent Atom id of a watchlist's feed."""
    return uuid.uuid5(_ID_NAMESPACE, f"feed:{watchlist}").urn


def entry_id(watchlist: str, story: str) -> str:
    """The permanent Atom id of a story's entry in a watchlist's feed."""
    return uuid.uuid5(_ID_NAMESPACE, f"story:{watchlist}:{story}").urn


def _text(value: object) -> str:
    return _NOT_XML.sub("", str(value or ""))


def _rfc3339(moment: str | None) -> str | None:
    """Stored times are ISO-8601 UTC; Atom wants RFC 3339, which needs a time zone."""
    if not moment:
        return None
    try:
        parsed = datetime.fromisoformat(moment)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _add(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ATOM_NS}}}{tag}", {k: _text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _text(text)
    return element


def build_feed(watchlist: str, entries: list[StoryEntry], *, self_url: str | None = None,
               alternate_url: str | None = None, now: datetime | None = None) -> bytes:
    """The Atom 1.0 document (UTF-8 bytes) of a watchlist's story entries."""
    feed = etree.Element(f"{{{ATOM_NS}}}feed", nsmap={None: ATOM_NS})
    _add(feed, "id", feed_id(watchlist))
    _add(feed, "title", f"{watchlist}: news-monitor alerts")
    _add(feed, "subtitle", f"Stories naming people on the {watchlist} watchlist, newest first.")
    latest = max((_rfc3339(e.last_alert) or "" for e in entries), default="")
    _add(feed, "updated", latest or _rfc3339((now or datetime.now(UTC)).isoformat()))
    _add(_add(feed, "author"), "name", "news-monitor")
    _add(feed, "generator", "news-monitor", uri="https://github.com/news-monitor/news-monitor")
    if self_url:
        _add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    if alternate_url:
        _add(feed, "link", rel="alternate", type="text/html", href=alternate_url)
    for entry in entries:
        _add_entry(feed, watchlist, entry)
    document: bytes = etree.tostring(feed, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return document


def _add_entry(feed: etree._Element, watchlist: str, entry: StoryEntry) -> None:
    payload = entry.payload
    article = payload["article"]
    element = _add(feed, "entry")
    _add(element, "id", entry_id(watchlist, entry.story))
    _add(element, "title", subject_for(payload))
    updated = _rfc3339(entry.last_alert) or ""
    _add(element, "updated", updated)
    # The article's own date when the site gave one: that is when the story happened.
    _add(element, "published", min(_rfc3339(article.get("published")) or updated, updated))
    _add(_add(element, "author"), "name", article.get("source") or "unknown source")
    _add(element, "link", rel="alternate", type="text/html", href=article["url"])
    for copy in entry.copies:
        if copy["url"] != article["url"]:
            _add(element, "link", rel="related", type="text/html", href=copy["url"],
                 title=f"{copy['source']}: {copy['title'] or copy['url']}")
    for term, _ in names_found(payload):
        _add(element, "category", term=term, label=term)
    _add(element, "summary", _summary(payload))
    _add(element, "content", render_html(payload), type="html")


def _summary(payload: dict[str, Any]) -> str:
    """Plain text for readers that show no HTML: each name, how it was written, and its first context."""
    lines = []
    for term, spellings in names_found(payload):
        snippet = next((h["snippet"] for h in payload.get("hits", []) if h["term"] == term), "")
        written = f" (written: {', '.join(spellings)})" if spellings and spellings != [term] else ""
        lines.append(f"{term}{written}: “{' '.join(snippet.split())}”" if snippet else f"{term}{written}")
    return "\n".join(lines)


def feed_xml(conn: sqlite3.Connection, watchlist: str, *, self_url: str | None = None,
             alternate_url: str | None = None, limit: int = FEED_LIMIT) -> bytes:
    """The Atom document of a watchlist's latest stories, read through `conn`."""
    return build_feed(watchlist, story_entries(conn, watchlist, limit), self_url=self_url,
                      alternate_url=alternate_url)


def check_watchlist(config: Config, watchlist: str) -> None:
    """Refuse a watchlist name the config does not define, suggesting the closest one."""
    names = [w.name for w in config.watchlists]
    if watchlist in names:
        return
    close = difflib.get_close_matches(watchlist, names, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise MonitorError(f"no watchlist {watchlist!r} in {config.path}{hint} (have: {', '.join(names) or 'none'})")


def write_feed(config: Config, watchlist: str, out: Path | None, *, self_url: str | None = None,
               limit: int = FEED_LIMIT) -> str:
    """The Atom feed of a watchlist's alerts as text; also written (atomically) to `out` when given."""
    check_watchlist(config, watchlist)
    conn = open_readonly(config.monitor.database)
    try:
        document = feed_xml(conn, watchlist, self_url=self_url, limit=limit)
    finally:
        conn.close()
    if out is not None:
        _replace(Path(out), document)
    return document.decode("utf-8")


def _replace(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename, so a web server never serves half a feed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temp, 0o644)  # mkstemp makes it 0600; a feed is meant to be read by the web server
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
