"""Broken without an error, quiet, moved: each found from one run's stats and reported once per change (issue
15); and whether a daemon is alive, from its heartbeat rows."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.crawl import RunCounts
from monitor.models import Source
from monitor.run.health import MIN_PAGES, Finding, SourceHealth, choose, diagnose
from monitor.run.heartbeat import daemon_state, orphaned_runs
from monitor.store import Store, iso

NOW = datetime(2025, 6, 10, 12, 0, tzinfo=UTC)
WEEK = 7 * 86400.0
FEED = Source("news", "https://news.example/feed.xml", "feed", 600.0)
LISTING = Source("section", "https://news.example/politics/", "listing", 600.0, article_pattern=r"/\d{4}/")
PAGE = Source("list", "https://news.example/detainees.html", "page", 600.0)


def _kinds(findings: list[Finding]) -> dict[str, bool | None]:
    return {f.kind: f.applies for f in findings}


def test_a_run_where_every_page_has_the_same_text_is_broken():
    stats = {"monitor/pages/fetched": 6, "monitor/same_text/pages": 6, "monitor/pages/rejected": 5,
             "monitor/same_text/sample": "We value your privacy", "monitor/rejected/same_text": 5}
    findings = diagnose(FEED, stats, None, NOW, WEEK)
    assert _kinds(findings)["same_text"] is True
    chosen = choose(findings, None)
    assert chosen is not None
    assert chosen.kind == "same_text"
    assert "We value your privacy" in chosen.detail


def test_same_text_needs_enough_pages_and_most_of_them():
    few = {"monitor/pages/fetched": MIN_PAGES - 1, "monitor/same_text/pages": MIN_PAGES - 1}
    assert _kinds(diagnose(FEED, few, None, NOW, WEEK))["same_text"] is None
    mixed = {"monitor/pages/fetched": 10, "monitor/same_text/pages": 3}
    assert _kinds(diagnose(FEED, mixed, None, NOW, WEEK))["same_text"] is False


def test_most_pages_rejected_names_the_reasons_of_article_pages_only():
    stats = {"monitor/pages/fetched": 10, "monitor/pages/rejected": 8, "monitor/rejected/no_article": 7,
             "monitor/rejected/not_html": 1, "monitor/rejected/no_link": 4}
    finding = choose(diagnose(FEED, stats, None, NOW, WEEK), None)
    assert finding is not None
    assert finding.kind == "rejected"
    assert finding.detail == "8 of 10 pages rejected (no_article 7, not_html 1)"
    healthy = {"monitor/pages/fetched": 10, "monitor/pages/rejected": 2}
    assert _kinds(diagnose(FEED, healthy, None, NOW, WEEK))["rejected"] is False


def test_a_page_source_whose_only_page_is_rejected_is_broken():
    stats = {"monitor/pages/fetched": 1, "monitor/pages/rejected": 1, "monitor/rejected/no_article": 1}
    assert _kinds(diagnose(PAGE, stats, None, NOW, WEEK))["rejected"] is True
    assert _kinds(diagnose(FEED, stats, None, NOW, WEEK))["rejected"] is None  # one page of many: can't tell


def test_a_listing_whose_pattern_matches_no_link_is_broken():
    stats = {"monitor/listing/pages": 1, "monitor/listing/candidates": 57, "monitor/listing/links": 0}
    finding = choose(diagnose(LISTING, stats, None, NOW, WEEK), None)
    assert finding is not None
    assert finding.kind == "no_links"
    assert finding.detail == r"article_pattern '/\d{4}/' matched none of the 57 links on https://news.example/politics/"
    stats["monitor/listing/links"] = 12
    assert _kinds(diagnose(LISTING, stats, None, NOW, WEEK))["no_links"] is False


def test_a_feed_without_items_and_a_stale_feed_are_broken():
    empty = {"monitor/documents": 1, "monitor/items": 0}
    assert _kinds(diagnose(FEED, empty, None, NOW, WEEK))["no_items"] is True
    old = iso(NOW - timedelta(days=60))
    assert _kinds(diagnose(FEED, {}, old, NOW, WEEK))["stale"] is True
    # older than max_age, but not yet for days
    assert _kinds(diagnose(FEED, {}, iso(NOW - timedelta(days=8)), NOW, WEEK))["stale"] is False
    assert _kinds(diagnose(FEED, {}, None, NOW, WEEK))["stale"] is None


def test_a_run_that_cannot_tell_keeps_the_problem_and_one_that_can_clears_it():
    unknown = diagnose(FEED, {"monitor/not_modified": 1}, None, NOW, WEEK)
    kept = choose(unknown, "same_text")
    assert kept is not None
    assert kept.kind == "same_text"
    cleared = diagnose(FEED, {"monitor/pages/fetched": 5, "monitor/same_text/pages": 1}, None, NOW, WEEK)
    assert choose(cleared, "same_text") is None


def _run(stats: dict[str, object], new: int = 0) -> RunCounts:
    return RunCounts(new_articles=new, stats={"monitor/start_ok": 1, **stats})


def test_each_change_of_state_is_reported_once(tmp_path: Path):
    store = Store(tmp_path / "monitor.db")
    store.sync_sources([FEED])
    notices: list[str] = []
    health = SourceHealth(store, lambda title, body: notices.append(title))
    empty = _run({"monitor/documents": 1, "monitor/items": 0})
    for _ in range(3):
        health.after_run(FEED, empty, status="ok", started=NOW, baseline=False, quiet_after=86400, max_age=WEEK)
    assert notices == ["news-monitor: source news is broken: the feed or sitemap lists nothing"]
    health.after_run(FEED, _run({"monitor/not_modified": 1}), status="ok", started=NOW, baseline=False,
                     quiet_after=86400, max_age=WEEK)
    assert len(notices) == 1
    fixed = _run({"monitor/documents": 1, "monitor/items": 5, "monitor/newest_item": iso(datetime.now(UTC))})
    health.after_run(FEED, fixed, status="ok", started=NOW, baseline=False, quiet_after=86400, max_age=WEEK)
    assert notices[1:] == ["news-monitor: source news works again"]
    moved = _run({"monitor/documents": 1, "monitor/items": 5, "monitor/moved_to": "https://news.example/rss"})
    for _ in range(2):
        health.after_run(FEED, moved, status="ok", started=NOW, baseline=False, quiet_after=86400, max_age=WEEK)
    assert notices[2:] == ["news-monitor: source news has moved"]
    assert store.source_health("news")["moved_to"] == "https://news.example/rss"
    store.close()


def test_rejections_are_counted_per_source_and_reason(tmp_path: Path):
    store = Store(tmp_path / "monitor.db")
    store.sync_sources([FEED])
    store.add_rejections("news", {"no_article": 3, "not_html": 1, "empty": 0})
    store.add_rejections("news", {"no_article": 2})
    assert list(store.rejections(datetime.now(UTC) - timedelta(days=1))) == [("news", "no_article", 5),
                                                                               ("news", "not_html", 1)]
    store.close()


# -- is a daemon alive? ------------------------------------------------------------------------------
def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _row(pid: int, *, host: str = "here", beat: timedelta = timedelta(0), stopped: bool = False,
         mode: str = "daemon") -> dict[str, object]:
    moment = iso(NOW - beat)
    return {"host": host, "pid": pid, "mode": mode, "started": iso(NOW - timedelta(days=1)), "beat": moment,
            "stopped": moment if stopped else None}


def test_a_live_daemon_is_running():
    state = daemon_state([_row(os.getpid(), beat=timedelta(seconds=5))], "here", NOW)
    assert state.running
    assert state.text.startswith(f"running: pid {os.getpid()} on here, since 2025-06-09 12:00:00 UTC")


@pytest.mark.parametrize(("row", "expected"), [
    ("killed", "no daemon running since 2025-06-10 11:59:55 UTC (pid {pid} on here ended without stopping: "
               "killed or crashed)"),
    ("stopped", "no daemon running since 2025-06-10 11:59:55 UTC (pid {pid} on here stopped)"),
    ("silent elsewhere", "no daemon running since 2025-06-10 11:50:00 UTC (pid {pid} on there ended without "
                         "stopping: killed or crashed)"),
])
def test_a_daemon_that_stopped_or_died_is_not_running(row, expected):
    pid = _dead_pid()
    rows = {"killed": _row(pid, beat=timedelta(seconds=5)),
            "stopped": _row(os.getpid(), beat=timedelta(seconds=5), stopped=True),
            "silent elsewhere": _row(os.getpid(), host="there", beat=timedelta(minutes=10))}
    chosen = rows[row]
    state = daemon_state([chosen], "here", NOW)
    assert not state.running
    assert state.text == expected.format(pid=chosen["pid"])


def test_no_daemon_yet_and_run_once_processes_do_not_count():
    state = daemon_state([_row(os.getpid(), mode="once")], "here", NOW)
    assert not state.running
    assert state.text.startswith("no daemon has run on this database")


def test_only_runs_whose_process_is_gone_are_orphaned():
    me, dead, parent = os.getpid(), _dead_pid(), os.getppid()
    processes = [_row(me), _row(dead), _row(parent, mode="once"), _row(7, host="there", beat=timedelta(seconds=10)),
                 _row(8, host="there", beat=timedelta(minutes=5))]
    runs = [{"id": 1, "host": "here", "pid": dead}, {"id": 2, "host": "here", "pid": parent},
            {"id": 3, "host": "there", "pid": 7}, {"id": 4, "host": "there", "pid": 8},
            {"id": 5, "host": "here", "pid": me}, {"id": 6, "host": None, "pid": None}]
    assert orphaned_runs(runs, processes, "here", me, NOW) == [1, 4]
    # runs from before runs recorded their process are orphaned when nobody else runs
    assert orphaned_runs(runs[5:], [_row(me), _row(dead)], "here", me, NOW) == [6]


def test_runs_left_running_are_marked_interrupted(tmp_path: Path):
    store = Store(tmp_path / "monitor.db")
    store.sync_sources([FEED])
    left = store.start_run("news")
    done = store.start_run("news")
    store.finish_run(done, "news", {"pages": 1}, "ok", None, {})
    assert [(r["id"], r["pid"]) for r in store.running_runs()] == [(left, os.getpid())]
    store.mark_interrupted([left, done])
    statuses = {r["id"]: (r["status"], r["error"]) for r in store.query("SELECT * FROM runs")}
    assert statuses[left][0] == "interrupted"
    assert "killed or crashed" in statuses[left][1]
    assert statuses[done] == ("ok", None)  # a finished run is never touched
    store.close()
