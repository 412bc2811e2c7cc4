"""A daemon left running for months keeps a bounded run history, and never forgets when a source last had news."""

from __future__ import annotations

from datetime import timedelta

from monitor.models import Source
from monitor.store import Store, utcnow
from monitor.store.health import PRUNE_EVERY, RUN_HISTORY, RUN_STATS_HISTORY
from monitor.store.times import iso


def _run(store: Store, source: str, days_ago: float, new: int, *, baseline: int = 0) -> int:
    """A finished run of `source` started `days_ago` days ago that found `new` articles."""
    run_id = store.start_run(source)
    store.finish_run(run_id, source, {"pages": 3, "new_articles": new}, "ok", None, {"downloader/request_count": 3})
    store.db.execute("UPDATE runs SET started = ?, baseline = ? WHERE id = ?",
                     [iso(utcnow() - timedelta(days=days_ago)), baseline, run_id])
    return run_id


def _store(path, *names: str) -> Store:
    store = Store(path / "monitor.db")
    store.sync_sources([Source(n, f"https://{n}.example/rss", "feed", 300.0) for n in names])
    return store


def _ids(store: Store) -> set[int]:
    return {row[0] for row in store.db.execute("SELECT id FROM runs")}


def test_old_runs_are_forgotten_but_each_sources_last_news_is_kept(tmp_path):
    store = _store(tmp_path, "quiet", "busy")
    old_days = RUN_HISTORY.days + 10
    # "quiet" last had news 200 days ago and has been polled without news ever since
    quiet_news = _run(store, "quiet", 200, 4)
    quiet_old_empty = _run(store, "quiet", old_days, 0)
    quiet_recent = _run(store, "quiet", 1, 0)
    # "busy" has news all the time: its old arrival is not its last one
    busy_old_news = _run(store, "busy", old_days, 2, baseline=0)
    busy_first_run = _run(store, "busy", old_days + 5, 40, baseline=1)  # a first run's backlog is no arrival
    busy_recent_news = _run(store, "busy", 2, 1)
    interrupted = store.start_run("busy")  # cut by a kill long ago: no counts at all
    store.db.execute("UPDATE runs SET started = ?, status = 'interrupted' WHERE id = ?",
                     [iso(utcnow() - timedelta(days=old_days)), interrupted])
    last_news = store.last_arrival("quiet")

    forgotten = store.prune_runs()

    assert _ids(store) == {quiet_news, quiet_recent, busy_recent_news}
    assert forgotten == len({quiet_old_empty, busy_old_news, busy_first_run, interrupted})
    assert store.last_arrival("quiet") == last_news  # "quiet since" is still measured from the same run
    assert store.prune_runs() == 0


def test_old_runs_lose_their_crawl_stats_first(tmp_path):
    store = _store(tmp_path, "s")
    older = _run(store, "s", RUN_STATS_HISTORY.days + 1, 1)
    newer = _run(store, "s", RUN_STATS_HISTORY.days - 1, 1)
    store.prune_runs()
    stats = dict(store.db.execute("SELECT id, stats FROM runs").fetchall())
    assert stats[older] is None
    assert "request_count" in (stats[newer] or "")
    assert set(stats) == {older, newer}  # the rows themselves stay


def test_finishing_runs_prunes_at_most_once_an_hour(tmp_path):
    store = _store(tmp_path, "s")
    now = utcnow()
    store.prune_runs_hourly(now)  # this process's first pruning
    stale = _run(store, "s", RUN_HISTORY.days + 1, 0)
    _run(store, "s", 0, 1)
    store.prune_runs_hourly(now + PRUNE_EVERY / 2)
    assert stale in _ids(store)  # within the hour: not looked at again
    store.prune_runs_hourly(now + PRUNE_EVERY)
    assert stale not in _ids(store)


def test_a_run_that_finishes_prunes_the_history(tmp_path):
    store = _store(tmp_path, "s")
    stale = _run(store, "s", 0, 0)
    store.db.execute("UPDATE runs SET started = ? WHERE id = ?",
                     [iso(utcnow() - RUN_HISTORY - timedelta(days=1)), stale])
    reopened = Store(tmp_path / "monitor.db")  # a new process: its first finished run prunes
    run_id = reopened.start_run("s")
    reopened.finish_run(run_id, "s", {"new_articles": 0}, "ok", None, {})
    assert _ids(reopened) == {run_id}
