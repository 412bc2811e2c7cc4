"""The only sqlite-utils user: connection, crawl state, articles, hits, alerts and the delivery outbox."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlite_utils

from monitor.config import masked_url
from monitor.errors import StorageError
from monitor.models import Article, Hit, Source
from monitor.store.health import HealthRecords, this_host
from monitor.store.schema import migrate
from monitor.store.story_lookup import StoryLookups
from monitor.store.times import iso, iso_local, utcnow

BUSY_TIMEOUT_S = 30  # a reader such as datasette never blocks us; a second writer waits this long
# A post is short, so its alert shows all of it (with the names marked); a very long one up to this.
POST_TEXT_SHOWN = 3000


def target_key(url: str) -> str:
    """A stable id for a notification URL that reveals nothing of it (the DB never holds secrets)."""
    return hashlib.sha256(url.encode()).hexdigest()[:16]


@lru_cache(maxsize=64)
def _upsert_sql(table: str, pk: str, columns: tuple[str, ...]) -> str:
    names = ", ".join(f"[{c}]" for c in columns)
    updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in columns if c != pk)
    marks = ", ".join("?" * len(columns))
    return f"INSERT INTO [{table}] ({names}) VALUES ({marks}) ON CONFLICT([{pk}]) DO UPDATE SET {updates}"  # noqa: S608 (our table and column names; values are bound)


@lru_cache(maxsize=64)
def _insert_ignore_sql(table: str, columns: tuple[str, ...]) -> str:
    names = ", ".join(f"[{c}]" for c in columns)
    marks = ", ".join("?" * len(columns))
    return f"INSERT OR IGNORE INTO [{table}] ({names}) VALUES ({marks})"  # noqa: S608 (our names; values are bound)


class RunState:
    """The spiders' crawl state for one run: reads go to the store, new validators wait for `commit()`.

    A feed answered with 304 is not read again, so its validators may be stored only once every
    article it listed has been handled; after a crash or a failed article they are dropped and the
    next run fetches the feed in full (known articles are still skipped).
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.pending: dict[str, tuple[str | None, str | None]] = {}
        self.cursors: dict[str, str] = {}

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """Stored ETag and Last-Modified."""
        return self.store.validators(url)

    def remember(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Hold a 200 response's validators until the run is known to be complete."""
        self.pending[url] = (etag, last_modified)

    def is_known(self, url: str, lastmod: datetime | None = None) -> bool:
        """See Store.is_known."""
        return self.store.is_known(url, lastmod)

    def cursor(self, key: str) -> str | None:
        """How far the source has read (this run's advance included)."""
        return self.cursors.get(key) or self.store.cursor(key)

    def advance_cursor(self, key: str, value: str) -> None:
        """Hold a new cursor until the run is known to be complete, like validators."""
        self.cursors[key] = value

    def commit(self) -> None:
        """The run handled everything it fetched: keep its validators and cursors."""
        if self.pending:
            self.store.remember_many(self.pending)
            self.pending = {}
        if self.cursors:
            self.store.set_cursors(self.cursors)
            self.cursors = {}


@dataclass(frozen=True)
class NewAlert:
    """An alert created by `Store.save_article`: which watchlist, which new terms."""

    id: int
    watchlist: str
    terms: tuple[str, ...]


class Store(StoryLookups, HealthRecords):
    """One SQLite file in WAL mode; every write is a short BEGIN IMMEDIATE transaction."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
            self.db = sqlite_utils.Database(conn)
            self.db.enable_wal()
            self.db.execute("PRAGMA synchronous = NORMAL")  # safe in WAL: a crash loses no committed tx
            self.db.execute("PRAGMA foreign_keys = ON")
            migrate(self.db)
        except sqlite3.DatabaseError as exc:
            raise StorageError(f"{self.path}: cannot open the database: {exc}") from exc

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    @contextmanager
    def writing(self) -> Iterator[sqlite_utils.Database]:
        """A write transaction that takes the lock up front (WAL's stale-snapshot rule bites deferred ones)."""
        if self.db.conn.in_transaction:  # nested: the outer transaction already holds the lock
            yield self.db
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.conn.rollback()
            raise
        self.db.execute("COMMIT")

    @contextmanager
    def savepoint(self) -> Iterator[sqlite_utils.Database]:
        """Inside a write transaction, a part that fails alone: on an exception its writes are undone and the rest
        of the transaction stands (outside one, a write transaction of its own)."""
        if not self.db.conn.in_transaction:
            with self.writing() as db:
                yield db
            return
        self.db.execute("SAVEPOINT part")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK TO part")
            self.db.execute("RELEASE part")
            raise
        self.db.execute("RELEASE part")

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        """Rows of a read-only query as dicts."""
        return list(self.db.query(sql, params))

    # -- crawl state (the spiders' CrawlState protocol) ------------------------------------------
    def validators(self, url: str) -> tuple[str | None, str | None]:
        """The ETag and Last-Modified stored for `url`."""
        row = self.db.execute("SELECT etag, last_modified FROM validators WHERE url = ?", [url]).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def remember(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Store the validators of a 200 response."""
        with self.writing():
            self.db.table("validators").upsert(
                {"url": url, "etag": etag, "last_modified": last_modified, "checked": iso(utcnow())}, pk="url"
            )

    def remember_many(self, validators: dict[str, tuple[str | None, str | None]]) -> None:
        """Store the validators collected by one run in one transaction."""
        now = iso(utcnow())
        with self.writing():
            self.db.table("validators").upsert_all(
                ({"url": url, "etag": etag, "last_modified": modified, "checked": now}
                 for url, (etag, modified) in validators.items()), pk="url")

    def is_known(self, url: str, lastmod: datetime | None = None) -> bool:
        """True when the article is stored and not updated (by `lastmod`) since we fetched it."""
        row = self.db.execute("SELECT fetched FROM articles WHERE url = ?", [url]).fetchone()
        if row is None:
            return False
        return lastmod is None or (iso(lastmod) or "") <= row[0]

    def cursor(self, key: str) -> str | None:
        """How far a paged source has read (a Telegram channel's newest post id), None before its first run."""
        row = self.db.execute("SELECT value FROM cursors WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def advance_cursor(self, key: str, value: str) -> None:
        """Store one cursor now (the store used directly as a crawl state has no run to wait for)."""
        self.set_cursors({key: value})

    def set_cursors(self, cursors: dict[str, str]) -> None:
        """Store the cursors one complete run reached."""
        now = iso(utcnow())
        with self.writing():
            for key, value in cursors.items():
                self._upsert("cursors", "key", {"key": key, "value": value, "updated": now})

    # -- sources and runs ------------------------------------------------------------------------
    def sync_sources(self, sources: Iterable[Source]) -> None:
        """Record the configured sources (new ones start without a baseline)."""
        now = iso(utcnow())
        with self.writing():
            for source in sources:
                table = self.db.table("sources")
                if self.db.execute("SELECT 1 FROM sources WHERE name = ?", [source.name]).fetchone():
                    table.update(source.name, {"url": source.url, "type": source.type})
                    # `monitor fix-source` (or a hand edit) followed the source's move
                    self.db.execute("UPDATE sources SET moved_to = NULL WHERE name = ? AND moved_to = ?",
                                    [source.name, source.url])
                else:
                    table.insert({"name": source.name, "url": source.url, "type": source.type, "first_seen": now})

    def is_baseline_done(self, source: str) -> bool:
        """False until a source's first run completed: its backlog is recorded, not alerted."""
        row = self.db.execute("SELECT baseline_done FROM sources WHERE name = ?", [source]).fetchone()
        return bool(row and row[0])

    def start_run(self, source: str) -> int:
        """Open a `runs` row for one crawl of `source`."""
        now = iso(utcnow())
        with self.writing():
            run_id = self.db.table("runs").insert({"source": source, "started": now, "status": "running",
                                                   "host": this_host(), "pid": os.getpid()}).last_pk
            self.db.execute("UPDATE sources SET last_run_started = ? WHERE name = ?", [now, source])
        return int(run_id or 0)

    def finish_run(self, run_id: int, source: str, counts: dict[str, int], status: str, error: str | None,
                   stats: dict[str, Any]) -> int:
        """Close a run, update the source's health; returns the number of failed runs in a row."""
        now = utcnow()
        with self.writing():
            run = self.db.table("runs").get(run_id)
            duration = (now - datetime.fromisoformat(run["started"])).total_seconds()
            self.db.table("runs").update(run_id, {"finished": iso(now), "status": status, "error": error,
                                            "stats": json.dumps(stats, default=str), **counts})
            row = self.db.execute("SELECT failures_in_row FROM sources WHERE name = ?", [source]).fetchone()
            failures = 0 if status == "ok" else (row[0] if row else 0) + 1
            update = {"last_run_finished": iso(now), "last_status": status, "last_error": error,
                      "last_duration": round(duration, 3), "failures_in_row": failures,
                      **{f"last_{k.replace('new_articles', 'new')}": v for k, v in counts.items()
                         if k in ("pages", "new_articles", "hits", "errors")}}
            if status == "ok":
                update["baseline_done"] = 1
            self.db.table("sources").update(source, update)
        self.prune_runs_hourly(now)
        return failures

    def set_health(self, source: str, healthy: bool) -> None:
        """Mark a source healthy or unhealthy (reported to the operator on each change)."""
        with self.writing():
            self.db.table("sources").update(source, {"healthy": int(healthy)})

    def set_next_run(self, source: str, when: datetime | None) -> None:
        """Record when the scheduler will run a source next (for `monitor status`)."""
        with self.writing():
            self.db.table("sources").update(source, {"next_run": iso(when)})

    # -- articles, hits, alerts ------------------------------------------------------------------
    def content_hash(self, url: str) -> str | None:
        """The stored content hash of an article, None when new."""
        row = self.db.execute("SELECT content_hash FROM articles WHERE url = ?", [url]).fetchone()
        return row[0] if row else None

    def touch_article(self, url: str) -> None:
        """Note that an unchanged article was fetched again (so `is_known` stays true)."""
        with self.writing():
            self.db.execute("UPDATE articles SET fetched = ? WHERE url = ?", [iso(utcnow()), url])

    def story_of(self, url: str) -> str | None:
        """The story a stored article belongs to."""
        row = self.db.execute("SELECT story FROM articles WHERE url = ?", [url]).fetchone()
        return row[0] if row else None

    def recent_signatures(self, since: datetime) -> Iterator[tuple[str, str, bytes, str]]:
        """(url, story, signature, source) of articles stored since `since`, to rebuild the story index."""
        yield from self.db.execute(
            "SELECT s.url, s.story, s.signature, a.source FROM signatures s JOIN articles a ON a.url = s.url "
            "WHERE s.created >= ?", [iso(since)])

    def save_article(self, article: Article, content_hash: str, story: str, hits: Sequence[Hit], *,
                     alertable: bool, targets: dict[str, tuple[str, ...]], modes: dict[str, str] | None = None,
                     signature: bytes | None = None, limits: dict[str, int | None] | None = None,
                     ) -> list[NewAlert]:
        """Store an article with its hits and, in the same transaction, the alerts it causes.

        Exactly-once rule: a (story, watchlist, term) alerts once; an alert is created only for terms
        the story has not alerted on yet, with one pending delivery per notification target.
        """
        now = iso(utcnow())
        created: list[NewAlert] = []
        with self.writing():
            self._upsert("articles", "url", {
                "url": article.url, "canonical_url": article.canonical_url, "source": article.source,
                "title": article.title, "published": iso_local(article.published),
                "updated": iso_local(article.updated), "author": article.author, "language": article.language,
                "fetched": now, "changed": now, "content_hash": content_hash, "story": story, "text": article.text,
                "authors": json.dumps(list(article.authors), ensure_ascii=False), "credits": article.credits,
                "kind": article.kind, "links_to": article.links_to,
            })
            if signature is not None:
                self._upsert("signatures", "url", {"url": article.url, "story": story, "signature": signature,
                                                   "created": now})
            self.db.execute("DELETE FROM hits WHERE article_url = ?", [article.url])
            self._insert_ignore("hits", [
                {"article_url": article.url, "watchlist": h.watchlist, "term": h.term, "found": h.found,
                 "field": h.field, "start": h.start, "end": h.end, "snippet": h.snippet, "reason": h.reason,
                 "found_at": now} for h in hits])
            if alertable:
                for watchlist, terms in _terms_by_watchlist(hits).items():
                    mode = (modes or {}).get(watchlist, "instant")
                    if mode == "instant" and self._over_limit(watchlist, (limits or {}).get(watchlist)):
                        mode = "digest"  # folded into the next digest, never dropped
                    alert = self._create_alert(article, story, watchlist, terms, hits, targets.get(watchlist, ()),
                                               mode, now)
                    if alert:
                        created.append(alert)
        return created

    def add_hits(self, article: Article, story: str, hits: Sequence[Hit], *, targets: tuple[str, ...],
                 mode: str = "instant", limit: int | None = None, folded: bool = False) -> NewAlert | None:
        """Add hits for terms a stored article was not matched against (a look back), and their alert.

        The same exactly-once rule as `save_article`: a (story, watchlist, term) alerts once. `folded`
        holds the deliveries for one message with the look back's other alerts (see `folded_deliveries`).
        """
        if not hits:
            return None
        now = iso(utcnow())
        watchlist = hits[0].watchlist
        with self.writing():
            self._insert_ignore("hits", [
                {"article_url": article.url, "watchlist": h.watchlist, "term": h.term, "found": h.found,
                 "field": h.field, "start": h.start, "end": h.end, "snippet": h.snippet, "reason": h.reason,
                 "found_at": now} for h in hits])
            if mode == "instant" and not folded and self._over_limit(watchlist, limit):
                mode = "digest"  # folded into the next digest, never dropped
            status = "folded" if folded and mode == "instant" else None
            return self._create_alert(article, story, watchlist, _terms_by_watchlist(hits)[watchlist], hits, targets,
                                      mode, now, status)

    def unalerted_terms(self, story: str, watchlist: str, terms: Sequence[str]) -> list[str]:
        """Those of `terms` that `story` has not alerted on for `watchlist` yet."""
        done = {r[0] for r in self.db.execute(
            "SELECT term FROM alerted_terms WHERE story = ? AND watchlist = ?", [story, watchlist])}
        return [t for t in terms if t not in done]

    # Every page goes through save_article, and sqlite-utils' upsert/insert_all read the table's columns
    # back (PRAGMA table_info) on each call: half the cost of storing an article. These two write the
    # same rows with statements built once; the schema itself stays sqlite-utils' (monitor.store.schema).
    def _upsert(self, table: str, pk: str, row: dict[str, Any]) -> None:
        self.db.execute(_upsert_sql(table, pk, tuple(row)), list(row.values()))

    def _insert_ignore(self, table: str, rows: list[dict[str, Any]]) -> None:
        if rows:
            self.db.conn.executemany(_insert_ignore_sql(table, tuple(rows[0])), [list(r.values()) for r in rows])

    def _over_limit(self, watchlist: str, per_hour: int | None) -> bool:
        if not per_hour:
            return False
        since = iso(utcnow() - timedelta(hours=1))
        sent = self.db.execute("SELECT count(*) FROM alerts WHERE watchlist = ? AND mode = 'instant' AND created > ?",
                               [watchlist, since]).fetchone()[0]
        return bool(sent >= per_hour)

    def _create_alert(self, article: Article, story: str, watchlist: str, terms: list[str], hits: Sequence[Hit],
                      targets: tuple[str, ...], mode: str, now: str | None,
                      status: str | None = None) -> NewAlert | None:
        new_terms = self.unalerted_terms(story, watchlist, terms)
        if not new_terms:
            return None
        shown = {"kind": "post", "text": article.text[:POST_TEXT_SHOWN]} if article.kind == "post" else {}
        payload = {
            "article": {"url": article.url, "title": article.title, "source": article.source,
                        "published": iso_local(article.published), "author": article.author,
                        "authors": list(article.authors), **shown},
            "new_terms": new_terms,
            "also_reported_by": [r[0] for r in self.db.execute(
                "SELECT DISTINCT source FROM articles WHERE story = ? AND url != ? AND source != ?",
                [story, article.url, article.source])],
            "hits": [{"term": h.term, "found": h.found, "field": h.field, "snippet": h.snippet,
                      "reason": h.reason, "start": h.start, "end": h.end}
                     for h in hits if h.watchlist == watchlist],
        }
        row_id = self.db.table("alerts").insert({
            "watchlist": watchlist, "story": story, "article_url": article.url, "terms": json.dumps(new_terms),
            "payload": json.dumps(payload, ensure_ascii=False), "created": now, "mode": mode,
        }).last_pk
        alert_id = int(row_id or 0)
        self._insert_ignore("alerted_terms", [
            {"story": story, "watchlist": watchlist, "term": t, "alert_id": alert_id} for t in new_terms])
        status = status or ("pending" if mode == "instant" else "digest")
        self._insert_ignore("deliveries", [
            {"alert_id": alert_id, "target": target_key(url), "target_masked": masked_url(url), "status": status,
             "attempts": 0, "next_try": now} for url in targets])
        return NewAlert(alert_id, watchlist, tuple(new_terms))

    # -- the outbox ------------------------------------------------------------------------------
    def due_deliveries(self, now: datetime, limit: int = 100, after: int = 0) -> list[dict[str, Any]]:
        """Pending deliveries whose next try is due, oldest first, with their alert (ids above `after`)."""
        return self.query(
            "SELECT d.*, a.watchlist, a.payload, a.created AS alert_created FROM deliveries d "
            "JOIN alerts a ON a.id = d.alert_id WHERE d.status = 'pending' AND d.next_try <= ? AND d.id > ? "
            "ORDER BY d.id LIMIT ?", [iso(now), after, limit])

    def digest_deliveries(self, watchlist: str) -> list[dict[str, Any]]:
        """Deliveries waiting for a watchlist's next digest, oldest first."""
        return self.query(
            "SELECT d.*, a.watchlist, a.payload, a.story, a.created AS alert_created FROM deliveries d "
            "JOIN alerts a ON a.id = d.alert_id WHERE d.status = 'digest' AND a.watchlist = ? ORDER BY d.id",
            [watchlist])

    def folded_deliveries(self, now: datetime) -> list[dict[str, Any]]:
        """Deliveries of a look back's alerts, due now, to be sent as one message per watchlist and target."""
        return self.query(
            "SELECT d.*, a.watchlist, a.payload, a.story, a.created AS alert_created FROM deliveries d "
            "JOIN alerts a ON a.id = d.alert_id WHERE d.status = 'folded' AND d.next_try <= ? ORDER BY d.id",
            [iso(now)])

    def mark_many(self, delivery_ids: Sequence[int], *, status: str, error: str | None = None,
                  next_try: datetime | None = None) -> None:
        """Record one outcome for several deliveries (a digest) in one transaction."""
        now = iso(utcnow())
        with self.writing():
            for delivery_id in delivery_ids:
                self.db.execute(
                    "UPDATE deliveries SET status = ?, attempts = attempts + 1, last_error = ?, "
                    "first_try = coalesce(first_try, ?), sent_at = CASE WHEN ? = 'sent' THEN ? END, "
                    "next_try = coalesce(?, next_try) WHERE id = ?",
                    [status, error, now, status, now, iso(next_try), delivery_id])

    def mark_delivery(self, delivery_id: int, *, status: str, error: str | None = None,
                      next_try: datetime | None = None) -> None:
        """Record the outcome of one send attempt."""
        now = iso(utcnow())
        with self.writing():
            row = self.db.table("deliveries").get(delivery_id)
            update: dict[str, Any] = {"status": status, "attempts": row["attempts"] + 1, "last_error": error,
                                      "first_try": row["first_try"] or now}
            if status == "sent":
                update["sent_at"] = now
            if next_try is not None:
                update["next_try"] = iso(next_try)
            self.db.table("deliveries").update(delivery_id, update)


def _terms_by_watchlist(hits: Sequence[Hit]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for hit in hits:
        terms = grouped.setdefault(hit.watchlist, [])
        if hit.term not in terms:
            terms.append(hit.term)
    return grouped
