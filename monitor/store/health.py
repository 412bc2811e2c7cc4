"""What the store keeps about the monitor's own health: which processes use the database (heartbeats), runs
cut short by a kill, each source's quiet/broken/moved state, and rejected pages per reason."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlite_utils

from monitor.store.times import iso, utcnow

# A process row older than this is history nobody asks about any more.
PROCESS_HISTORY = timedelta(days=30)
# Runs are kept this long (a source's rhythm looks 4 weeks back, status and the UI one day); each source's last
# run that found new articles is kept however old, because "quiet since" is measured from it. A daemon polling
# 50 sources every 5 minutes writes ~14,000 runs a day, which would otherwise grow the database for ever.
RUN_HISTORY = timedelta(days=90)
# A run's Scrapy stats (its counters as JSON, for looking into a recent problem) are kept this long.
RUN_STATS_HISTORY = timedelta(days=14)
PRUNE_EVERY = timedelta(hours=1)
INTERRUPTED = "the process running it ended without finishing it (killed or crashed)"
# The source columns that `set_source_health` may write.
HEALTH_COLUMNS = frozenset({"problem", "problem_detail", "problem_since", "quiet_since", "usual_gap", "moved_to",
                            "newest_item"})


def this_host() -> str:
    """This machine's name, as the heartbeat records it."""
    return socket.gethostname()


class HealthRecords:
    """Mixed into Store: heartbeats, interrupted runs, source health state and rejection counts."""

    db: sqlite_utils.Database

    if TYPE_CHECKING:  # Store's, which mixes this in
        def writing(self) -> AbstractContextManager[sqlite_utils.Database]: ...

        def query(self, sql: str, params: Any = ()) -> list[dict[str, Any]]: ...

    # -- processes ---------------------------------------------------------------------------------
    def register_process(self, mode: str) -> None:
        """Record that this process (`daemon` or `once`) now uses the database; forget old history."""
        now = utcnow()
        with self.writing():
            self.db.execute("DELETE FROM daemons WHERE beat < ?", [iso(now - PROCESS_HISTORY)])
            self.db.table("daemons").upsert({"host": this_host(), "pid": os.getpid(), "mode": mode,
                                             "started": iso(now), "beat": iso(now), "stopped": None},
                                            pk=("host", "pid"))

    def beat(self) -> None:
        """The heartbeat: this process is alive now."""
        with self.writing():
            self.db.execute("UPDATE daemons SET beat = ? WHERE host = ? AND pid = ?",
                            [iso(utcnow()), this_host(), os.getpid()])

    def process_stopped(self) -> None:
        """This process is ending in an orderly way."""
        now = iso(utcnow())
        with self.writing():
            self.db.execute("UPDATE daemons SET beat = ?, stopped = ? WHERE host = ? AND pid = ?",
                            [now, now, this_host(), os.getpid()])

    def processes(self) -> list[dict[str, Any]]:
        """Every process row, the latest heartbeat first."""
        return self.query("SELECT * FROM daemons ORDER BY beat DESC, started DESC")

    def running_runs(self) -> list[dict[str, Any]]:
        """Runs still marked `running`, with the host and pid of the process that started them."""
        return self.query("SELECT id, source, started, host, pid FROM runs WHERE status = 'running'")

    def mark_interrupted(self, run_ids: list[int]) -> None:
        """Close runs whose process is gone (killed or crashed)."""
        now = iso(utcnow())
        with self.writing():
            for run_id in run_ids:
                self.db.execute("UPDATE runs SET status = 'interrupted', error = ?, finished = ? "
                                "WHERE id = ? AND status = 'running'", [INTERRUPTED, now, run_id])

    def prune_runs(self, now: datetime | None = None, *, since: datetime | None = None) -> int:
        """Forget runs older than RUN_HISTORY but each source's last arrival, and the stats of runs older than
        RUN_STATS_HISTORY (only those started after `since` minus that, when given: what the last pruning left);
        returns how many runs were forgotten."""
        now = now or utcnow()
        stats_cut = now - RUN_STATS_HISTORY
        with self.writing():
            deleted = self.db.execute(
                "DELETE FROM runs WHERE started < ? AND NOT (coalesce(new_articles, 0) > 0 AND coalesce(baseline, 0) = 0 "
                "AND NOT EXISTS (SELECT 1 FROM runs AS later WHERE later.source = runs.source "
                "AND later.started > runs.started AND later.new_articles > 0 AND coalesce(later.baseline, 0) = 0))",
                [iso(now - RUN_HISTORY)]).rowcount
            lower = "" if since is None else iso(since - RUN_STATS_HISTORY)  # "": from the first run on
            self.db.execute("UPDATE runs SET stats = NULL WHERE started < ? AND started >= ? AND stats IS NOT NULL",
                            [iso(stats_cut), lower])
        return int(deleted)

    def prune_runs_hourly(self, now: datetime) -> None:
        """prune_runs, at most once every PRUNE_EVERY in this process (the first time over all the history)."""
        last: datetime | None = getattr(self, "_runs_pruned", None)
        if last is not None and now - last < PRUNE_EVERY:
            return
        self._runs_pruned = now
        self.prune_runs(now, since=last)

    # -- sources -----------------------------------------------------------------------------------
    def source_health(self, source: str) -> dict[str, Any]:
        """A source's row (health columns included); empty for an unknown source."""
        rows = self.query("SELECT * FROM sources WHERE name = ?", [source])
        return rows[0] if rows else {}

    def set_source_health(self, source: str, fields: Mapping[str, Any]) -> None:
        """Write some of a source's health columns (HEALTH_COLUMNS)."""
        unknown = set(fields) - HEALTH_COLUMNS
        if unknown:
            raise ValueError(f"not a health column: {', '.join(sorted(unknown))}")
        if fields:
            with self.writing():
                self.db.table("sources").update(source, dict(fields))

    def arrivals(self, source: str, since: datetime) -> list[tuple[datetime, int]]:
        """(run start, new articles) of the source's runs since `since` that found new articles, oldest first;
        a first run's backlog is no arrival."""
        rows = self.db.execute(
            "SELECT started, new_articles FROM runs WHERE source = ? AND started >= ? AND new_articles > 0 "
            "AND coalesce(baseline, 0) = 0 ORDER BY started", [source, iso(since)])
        return [(datetime.fromisoformat(started), int(count)) for started, count in rows]

    def last_arrival(self, source: str) -> datetime | None:
        """When a run of the source last found new articles (a first run's backlog aside)."""
        row = self.db.execute("SELECT started FROM runs WHERE source = ? AND new_articles > 0 AND "
                              "coalesce(baseline, 0) = 0 ORDER BY started DESC LIMIT 1", [source]).fetchone()
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    # -- the same text under many URLs -------------------------------------------------------------
    def has_same_text(self, source: str, url: str, content_hash: str) -> bool:
        """Whether another article of this source has exactly this text (a wall served instead of articles)."""
        row = self.db.execute("SELECT 1 FROM articles WHERE content_hash = ? AND source = ? AND url != ? LIMIT 1",
                              [content_hash, source, url]).fetchone()
        return row is not None

    def texts_since(self, source: str, since: datetime) -> Iterator[tuple[str, str]]:
        """(url, text) of the source's articles stored or fetched since `since` that have no hits."""
        yield from self.db.execute(
            "SELECT url, text FROM articles WHERE source = ? AND fetched >= ? AND NOT EXISTS "
            "(SELECT 1 FROM hits WHERE hits.article_url = articles.url)", [source, iso(since)])

    def forget_articles(self, urls: list[str]) -> None:
        """Drop stored articles (a wall's text stored as articles), so their URLs are fetched again."""
        with self.writing():
            for url in urls:
                self.db.execute("DELETE FROM signatures WHERE url = ?", [url])
                self.db.execute("DELETE FROM articles WHERE url = ?", [url])

    # -- rejected pages ----------------------------------------------------------------------------
    def add_rejections(self, source: str, counts: Mapping[str, int]) -> None:
        """Add one run's rejected pages, per reason, to today's counts."""
        day = iso(utcnow())[:10]  # type: ignore[index]
        if not any(counts.values()):
            return
        with self.writing():
            for reason, pages in counts.items():
                if pages:
                    self.db.execute(
                        "INSERT INTO rejections (source, day, reason, pages) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT (source, day, reason) DO UPDATE SET pages = pages + excluded.pages",
                        [source, day, reason, int(pages)])

    def rejections(self, since: datetime) -> Iterator[tuple[str, str, int]]:
        """(source, reason, pages) summed since the day of `since`, most pages first."""
        yield from self.db.execute(
            "SELECT source, reason, sum(pages) AS n FROM rejections WHERE day >= ? GROUP BY source, reason "
            "ORDER BY source, n DESC, reason", [(iso(since) or "")[:10]])
