"""Per-source progress, drawn for people at a terminal; run --once in a pseudo-terminal shows it."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from rich.console import Console

from monitor.run.progress import Row, rows_table
from tests.daemon_process import REPO, _env, belarus_page, write_config
from tests.servers import NewsSite, rss_feed


def test_table_shows_each_source_with_its_counts():
    buffer = io.StringIO()
    Console(file=buffer, width=120).print(rows_table({"a": Row("done", 5, 3, 2, 1), "b": Row("crawling", 1)}))
    text = buffer.getvalue()
    assert "a" in text
    assert "done" in text
    assert "crawling" in text
    assert "5" in text


def test_run_once_in_a_terminal_draws_progress_and_plain_logs_otherwise(tmp_path):
    now = datetime.now(UTC)
    with NewsSite() as site:
        site.add_robots("User-agent: *\nAllow: /\n")
        site.add_page("/news/a.html", belarus_page(site.url(), now - timedelta(hours=1)))
        site.add_page("/feed.xml", rss_feed(site.url(), [("/news/a.html", "A", now)]),
                      content_type="application/rss+xml")
        config = write_config(tmp_path, [("loopback", site.url("/feed.xml"), "feed")], [])
        command = [sys.executable, "-m", "monitor", "--config", str(config), "run", "--once"]
        leader, follower = pty.openpty()
        proc = subprocess.Popen(command, stdout=follower, stderr=subprocess.DEVNULL, env=_env(), cwd=REPO)
        os.close(follower)
        chunks = []
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        assert proc.wait(60) == 0
        os.close(leader)
        shown = b"".join(chunks).decode("utf-8", "replace")
        piped = subprocess.run(command, capture_output=True, text=True, env=_env(), cwd=REPO, timeout=60)
    assert "news-monitor: one cycle" in shown
    assert "loopback" in shown
    assert "done" in shown
    assert "one cycle" not in piped.stdout
    assert "source loopback: ok" in piped.stderr
