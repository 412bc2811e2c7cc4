"""A Telegram channel through scale-out: a `monitor worker` reads the preview and ships the posts, and the
channel's cursor travels from the worker to the coordinator's database and back with the next job."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from tests.paths import REPO
from tests.receivers import SmtpSink
from tests.scaleout.test_scaleout import redis_server  # noqa: F401 (the module's redis-server fixture)
from tests.servers import NewsSite
from tests.telegram_pages import ChannelPost, serve_channel

NOW = datetime.now(UTC).replace(microsecond=0)


def _run_once(config, env) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "monitor", "--config", str(config), "run", "--once"],
                          capture_output=True, text=True, cwd=REPO, env=env, timeout=240)


def test_a_channel_crawled_by_a_worker_alerts_once_and_keeps_its_cursor(redis_server, tmp_path):  # noqa: F811
    posts = [ChannelPost(i, f"Notice {i}: the office is open on weekdays.", NOW - timedelta(minutes=90 - i))
             for i in range(1, 31)]
    posts[29] = ChannelPost(30, "Maria Kalesnikava's lawyer was allowed to see her.", NOW - timedelta(minutes=60))
    with NewsSite() as site, SmtpSink() as smtp:
        paths = serve_channel(site, "viasna_test", "Viasna (test)", posts)
        config = tmp_path / "config.toml"
        config.write_text(f"""[monitor]
database = "monitor.db"
download_timeout = "5s"
workers = 1
redis_url = "{redis_server.url}"

[[sources]]
name = "tg-viasna"
url = "{site.url('/s/viasna_test')}"
type = "telegram"

[watchlists.political-prisoners]
terms = ["Maria Kalesnikava", "Ales Bialiatski"]
notify = ["{smtp.url()}"]
""", encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        with (tmp_path / "worker.log").open("wb") as log:
            worker = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(config), "worker"],
                                      stdout=log, stderr=log, cwd=REPO, env=env, start_new_session=True)
        try:
            first = _run_once(config, env)
            assert first.returncode == 0, first.stderr
            assert site.count(paths[1]) == 1, "the first run reads back through backfill"
            posts.append(ChannelPost(31, "Ales Bialiatski wrote a letter from prison.", NOW))
            serve_channel(site, "viasna_test", "Viasna (test)", posts)
            site.clear_requests()
            second = _run_once(config, env)
            assert second.returncode == 0, second.stderr
            assert site.count(paths[0]) == 1
            assert site.count(f"/s/viasna_test?before={min(p.id for p in posts[-20:])}") == 0, \
                "the worker knew the cursor: no older page"
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(40)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
        subjects = sorted(str(m["Subject"]) for m in smtp.messages)
    assert subjects == ["Ales Bialiatski: Ales Bialiatski wrote a letter from prison.",
                        "Maria Kalesnikava: Maria Kalesnikava's lawyer was allowed to see her."]
    db = sqlite3.connect(tmp_path / "monitor.db")
    assert db.execute("SELECT value FROM cursors").fetchone()[0] == "31"
    assert db.execute("SELECT count(*) FROM articles WHERE kind = 'post'").fetchone()[0] == 31
