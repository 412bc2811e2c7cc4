"""What a look back needs from the database: the stored articles of a time window, read on a connection of
their own (a thread matches them while the daemon's loop keeps writing), and the record of watched terms
that tells a term added to a watchlist from one the monitor has matched all along."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from monitor.models import Article, Watchlist
from monitor.store.database import Store
from monitor.store.times import iso, utcnow

BATCH = 200  # rows fetched at a time: a week of a busy newsroom's articles need not sit in memory at once


@dataclass(frozen=True)
class StoredArticle:
    """An article as stored, with the story it belongs to."""

    article: Article
    story: str


def stored_articles(path: str | Path, since: datetime) -> Iterator[StoredArticle]:
    """Articles published (or, without a date, fetched) since `since`, oldest first, on a read-only connection."""
    conn = sqlite3.connect(f"file:{quote(str(Path(path).absolute()))}?mode=ro", uri=True, timeout=30)
    try:
        rows = conn.execute(
            "SELECT url, canonical_url, source, title, text, published, updated, author, language, story "
            # datetime(): published keeps the page's own UTC offset, so compare instants, not text
            "FROM articles WHERE datetime(coalesce(published, fetched)) >= datetime(?) "
            "ORDER BY datetime(coalesce(published, fetched)), url",
            [iso(since)])
        while batch := rows.fetchmany(BATCH):
            for url, canonical, source, title, text, published, updated, author, language, story in batch:
                yield StoredArticle(Article(url=url, title=title or "", text=text or "", published=_time(published),
                                            updated=_time(updated), author=author, language=language,
                                            canonical_url=canonical, source=source), story or url)
    finally:
        conn.close()


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def watched_items(watchlist: Watchlist) -> list[str]:
    """A watchlist's terms and queries, as hits name them."""
    return [term.text for term in watchlist.terms] + list(watchlist.queries)


def gained_terms(store: Store, watchlists: Iterable[Watchlist]) -> dict[str, list[str]]:
    """The terms and queries each watchlist has gained since `record_terms` last ran.

    Before the first record nothing is gained: the monitor has matched every stored article with the
    terms it had. A term removed from the config is forgotten, so adding it back counts as gaining it.
    """
    known = _known(store)
    if not known:
        return {}
    gained = {w.name: [t for t in watched_items(w) if t not in known.get(w.name, {})] for w in watchlists}
    return {name: terms for name, terms in gained.items() if terms}


def record_terms(store: Store, watchlists: Iterable[Watchlist]) -> None:
    """Remember the watchlists' terms and queries (after their look back is done), forgetting removed ones."""
    known = _known(store)
    now = iso(utcnow())
    rows = [(w.name, t, known.get(w.name, {}).get(t, now)) for w in watchlists for t in watched_items(w)]
    with store.writing():
        store.db.execute("DELETE FROM watched_terms")
        store.db.conn.executemany(
            "INSERT OR IGNORE INTO watched_terms (watchlist, term, first_seen) VALUES (?, ?, ?)", rows)


def _known(store: Store) -> dict[str, dict[str, str]]:
    known: dict[str, dict[str, str]] = {}
    for row in store.query("SELECT watchlist, term, first_seen FROM watched_terms"):
        known.setdefault(row["watchlist"], {})[row["term"]] = row["first_seen"]
    return known
