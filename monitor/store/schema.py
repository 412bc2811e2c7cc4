"""The database schema and its migrations, one numbered step per schema version."""

from __future__ import annotations

import logging
from collections.abc import Callable

import sqlite_utils

from monitor.errors import StorageError

logger = logging.getLogger(__name__)


def _v1(db: sqlite_utils.Database) -> None:
    """The first schema: sources, crawl validators, articles (+FTS), hits, alerts and their deliveries."""
    db.table("sources").create(
        {
            "name": str, "url": str, "type": str, "first_seen": str, "baseline_done": int,
            "last_run_started": str, "last_run_finished": str, "last_status": str, "last_error": str,
            "last_duration": float, "last_pages": int, "last_new": int, "last_hits": int,
            "last_errors": int, "failures_in_row": int, "healthy": int, "next_run": str,
        },
        pk="name", not_null={"url", "type"}, defaults={"baseline_done": 0, "failures_in_row": 0, "healthy": 1},
    )
    # ETag / Last-Modified of every fetched URL, for conditional GET on the next cycle.
    db.table("validators").create({"url": str, "etag": str, "last_modified": str, "checked": str}, pk="url")
    db.table("articles").create(
        {
            "url": str, "canonical_url": str, "source": str, "title": str, "published": str,
            "updated": str, "author": str, "language": str, "fetched": str, "changed": str,
            "content_hash": str, "story": str, "text": str,
        },
        pk="url", not_null={"source", "fetched", "content_hash"},
    )
    db.table("articles").create_index(["source"])
    db.table("articles").create_index(["story"])
    db.table("articles").create_index(["published"])
    db.table("articles").enable_fts(["title", "text"], create_triggers=True, tokenize="unicode61 remove_diacritics 2")
    db.table("hits").create(
        {
            "id": int, "article_url": str, "watchlist": str, "term": str, "found": str, "field": str,
            "start": int, "end": int, "snippet": str, "reason": str, "found_at": str,
        },
        pk="id", not_null={"article_url", "watchlist", "term"},
    )
    db.table("hits").create_index(["article_url", "watchlist", "term", "field", "start"], unique=True)
    db.table("hits").create_index(["term"])
    db.table("alerts").create(
        {
            "id": int, "watchlist": str, "story": str, "article_url": str, "terms": str, "payload": str,
            "created": str, "mode": str, "digest_due": str,
        },
        pk="id", not_null={"watchlist", "story", "article_url", "payload", "created"},
    )
    db.table("alerts").create_index(["watchlist", "created"])
    # Which watched terms a story has already alerted on: the exactly-once key for alerts.
    db.table("alerted_terms").create({"story": str, "watchlist": str, "term": str, "alert_id": int},
                                     pk=("story", "watchlist", "term"))
    # One row per alert and destination: each is delivered (or fails) on its own.
    db.table("deliveries").create(
        {
            "id": int, "alert_id": int, "target": str, "target_masked": str, "status": str,
            "attempts": int, "next_try": str, "first_try": str, "sent_at": str, "last_error": str,
        },
        pk="id", not_null={"alert_id", "target", "status"}, defaults={"attempts": 0},
    )
    db.table("deliveries").create_index(["alert_id", "target"], unique=True)
    db.table("deliveries").create_index(["status", "next_try"])
    db.table("runs").create(
        {
            "id": int, "source": str, "started": str, "finished": str, "status": str, "pages": int,
            "new_articles": int, "hits": int, "errors": int, "rejected": int, "error": str, "stats": str,
        },
        pk="id",
    )
    db.table("runs").create_index(["source", "started"])


def _v2(db: sqlite_utils.Database) -> None:
    """MinHash signatures of recent articles, so story grouping survives a restart."""
    db.table("signatures").create({"url": str, "story": str, "signature": bytes, "created": str}, pk="url")
    db.table("signatures").create_index(["created"])


def _v3(db: sqlite_utils.Database) -> None:
    """Channel posts: each article's kind, the page a post shares (story grouping), and each channel's cursor."""
    db.table("articles").add_column("kind", str, not_null_default="article")
    db.table("articles").add_column("links_to", str)
    db.table("articles").create_index(["links_to"])
    # How far a source has read a paged stream, e.g. a Telegram channel's newest post id.
    db.table("cursors").create({"key": str, "value": str, "updated": str}, pk="key")


def _v4(db: sqlite_utils.Database) -> None:
    """Silent failures (issue 15): quiet, broken and moved sources; the daemon's heartbeat; rejections per reason."""
    for column, kind in (("problem", str), ("problem_detail", str), ("problem_since", str), ("quiet_since", str),
                         ("usual_gap", float), ("moved_to", str), ("newest_item", str)):
        db.table("sources").add_column(column, kind)
    db.table("runs").add_column("baseline", int)
    db.table("runs").add_column("host", str)  # the process running it: a run left `running` by a dead one
    db.table("runs").add_column("pid", int)  # is closed as interrupted at the next start
    db.table("articles").create_index(["content_hash"])  # the same text under another URL of a source
    # One row per daemon (or `run --once`) process that opened this database, beating while it runs.
    db.table("daemons").create({"host": str, "pid": int, "mode": str, "started": str, "beat": str, "stopped": str},
                               pk=("host", "pid"))
    # Pages skipped, per source, day (UTC) and reason: what `monitor status` sums up.
    db.table("rejections").create({"source": str, "day": str, "reason": str, "pages": int},
                                  pk=("source", "day", "reason"))


def _v5(db: sqlite_utils.Database) -> None:
    """The terms and queries each watchlist had when the monitor last read the config: one added later is
    matched against recent stored articles (a look back)."""
    db.table("watched_terms").create({"watchlist": str, "term": str, "first_seen": str}, pk=("watchlist", "term"))


def _v6(db: sqlite_utils.Database) -> None:
    """Articles keep their authors (a JSON list of people) and credits (byline and credit lines, one per line).

    From this version `published` and `updated` keep the page's own UTC offset (its calendar day); older rows
    are in UTC, which is the same instant.
    """
    db.table("articles").add_column("authors", str)
    db.table("articles").add_column("credits", str)


def _v7(db: sqlite_utils.Database) -> None:
    """Runs by start time alone: old runs are forgotten hourly (monitor/store/health.py, `prune_runs`)."""
    db.table("runs").create_index(["started"], index_name="runs_started", if_not_exists=True)


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1, _v2, _v3, _v4, _v5, _v6, _v7]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(db: sqlite_utils.Database) -> int:
    """Bring the database up to SCHEMA_VERSION, one transaction per step; returns the version reached."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StorageError(f"database schema version {version} is newer than this program knows ({SCHEMA_VERSION}): "
                           "upgrade news-monitor")
    for number in range(version + 1, SCHEMA_VERSION + 1):
        logger.info("migrating database schema to version %s", number)
        with db.atomic():
            MIGRATIONS[number - 1](db)
            db.execute(f"PRAGMA user_version = {number}")
    return SCHEMA_VERSION
