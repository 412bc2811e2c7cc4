"""Scale-out on a real redis-server: two `monitor worker` processes and the coordinator against a loopback site;
one worker is killed mid-crawl, and still every article is stored once and every alert sent once."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from monitor.models import Term, Watchlist
from tests.paths import REPO
from tests.receivers import SmtpSink, free_port
from tests.servers import NewsSite, article_html, rss_feed

WATCHED = ["Maria Kalesnikava", "Ales Bialiatski", "Viktar Babaryka", "Mikalai Statkevich"]
ARTICLES_PER_SOURCE = 10
HEARTBEAT_MS = 2000  # how soon a killed worker's job is handed on (production: 60 s)
WORDS = ["court", "minister", "river", "council", "budget", "harvest", "station", "bridge", "teacher", "museum", "festival", "weather", "factory", "election", "hospital", "police", "railway", "border", "market", "village", "orchestra", "library", "tax", "winter", "summer"]


class RedisServer:
    """A throw-away redis-server on 127.0.0.1 (no persistence), stopped by its pid."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def __enter__(self) -> RedisServer:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                pass
            time.sleep(0.05)  # polling for the server to accept connections, not a fixed wait
        raise RuntimeError("redis-server did not start")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    missing = [what for what, ok in (("redis-server", shutil.which("redis-server")),
                                     ("dramatiq", _importable("dramatiq")), ("redis", _importable("redis"))) if not ok]
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{', '.join(missing)} missing: .ci/run must install redis-server")
        pytest.skip(f"{', '.join(missing)} not installed (apt-get install redis-server)")
    with RedisServer() as server:
        yield server


def _importable(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def story(rng: random.Random, name: str | None) -> str:
    """Four paragraphs of distinct filler (so stories do not group), with the watched name in one."""
    paragraphs = [" ".join(rng.choice(WORDS) for _ in range(45)).capitalize() + "." for _ in range(4)]
    if name:
        paragraphs[1] = f"{name} was mentioned by the court today. " + paragraphs[1]
    return "\n\n".join(paragraphs)


def build_site(site: NewsSite, sources: int, *, no_validators: tuple[int, ...] = ()) -> list[str]:
    """`sources` feeds of ARTICLES_PER_SOURCE fresh articles; two articles per feed name a watched person. The
    feeds numbered in `no_validators` are sent without ETag and Last-Modified (so never answered with 304)."""
    rng = random.Random(7)
    now = datetime.now(UTC).replace(microsecond=0)
    site.add_robots("User-agent: *\nAllow: /\n")
    names = itertools.cycle(WATCHED)
    feeds = []
    for s in range(sources):
        entries = []
        for a in range(ARTICLES_PER_SOURCE):
            path, when = f"/s{s}/news/2026/article-number-{a}.html", now - timedelta(minutes=5 + a)
            title = f"Report {s}-{a} from the regional desk"
            site.add_page(path, article_html(title, story(rng, next(names) if a in (3, 8) else None), published=when))
            entries.append((path, title, when))
        feeds.append(site.add_page(f"/s{s}/feed.xml", rss_feed(site.url(), entries),
                                   content_type="application/rss+xml", etag=s not in no_validators,
                                   last_modified=s not in no_validators))
    return feeds


def write_config(folder: Path, feeds: list[str], smtp: str, redis_url: str) -> Path:
    sources = "".join(f'\n[[sources]]\nname = "feed-{i}"\nurl = "{u}"\ntype = "feed"\n' for i, u in enumerate(feeds))
    terms = ", ".join(f'"{t}"' for t in WATCHED)
    path = folder / "config.toml"
    path.write_text(f"""[monitor]
database = "monitor.db"
interval = "1m"
download_timeout = "5s"
workers = 1
redis_url = "{redis_url}"
{sources}
[watchlists.political-prisoners]
terms = [{terms}]
notify = ["{smtp}"]
""", encoding="utf-8")
    return path


WORKER = """import sys
from monitor.config.loader import load_config
from monitor.logs import setup_logging
from monitor.scaleout.worker import run_worker
setup_logging(0, "text")
sys.exit(run_worker(load_config(sys.argv[1]), crawls=1,
                    broker_options={"heartbeat_timeout_ms": HEARTBEAT_MS, "maintenance_chance": 1_000_000}))
""".replace("HEARTBEAT_MS", str(HEARTBEAT_MS))


class WorkerProcess:
    """`monitor worker` in a child process, its log in a file."""

    def __init__(self, config: Path, name: str) -> None:
        self.log = config.parent / f"{name}.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen([sys.executable, "-c", WORKER, str(config)], stdout=log, stderr=log,
                                            cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
                                            start_new_session=True)

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def crawling(self) -> str | None:
        """The source this worker took first, once it has logged it."""
        for line in self.text().splitlines():
            if "crawling source" in line:
                return line.split("crawling source ", 1)[1].split()[0]
        return None

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(40)
            except subprocess.TimeoutExpired:
                self.kill()


async def poll(predicate, timeout: float):  # type: ignore[no-untyped-def]
    """Await until predicate() is truthy (polling with a deadline) and return its value."""
    deadline = time.monotonic() + timeout
    while not (value := predicate()):
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await asyncio.sleep(0.05)
    return value


def coordinator_side(config: Any) -> tuple[Any, Any]:
    """The coordinator's store (sources synced) and article processor, as the daemon builds them."""
    from monitor.crawl.pipeline import ArticleProcessor, Rules
    from monitor.match.matcher import Matcher
    from monitor.store.database import Store

    store = Store(config.monitor.database)
    store.sync_sources(config.sources)
    return store, ArticleProcessor(store, Matcher.build(config.watchlists), config.watchlists, rules=Rules())


async def coordinate(config_path: Path, workers: list[WorkerProcess], site: NewsSite, *, kill: bool) -> list:
    """One cycle through the Coordinator (as the daemon drives it); kills workers[0] mid-crawl when asked."""
    from monitor.config.loader import load_config
    from monitor.deliver.notify import Dispatcher, watch_targets
    from monitor.scaleout.coordinator import Coordinator
    from monitor.scaleout.wire import make_broker

    config = load_config(config_path)
    store, processor = coordinator_side(config)
    coordinator = Coordinator(config, broker=make_broker(config.monitor.redis_url, maintenance_chance=1_000_000),
                              crawl_timeout=90)
    try:
        crawls = asyncio.gather(*(coordinator.crawl(s, state=store, processor=processor, baseline=False)
                                  for s in config.sources))
        if kill:
            victim = await poll(workers[0].crawling, 30)
            prefix = f"/s{victim.removeprefix('feed-')}/news/"
            await poll(lambda: sum(p.startswith(prefix) for p in site.paths()) >= 3, 30)
            workers[0].kill()
        counts = await crawls
        await Dispatcher(store, lambda: watch_targets(config.watchlists)).send_due()
        return counts
    finally:
        await coordinator.stop()
        store.close()


def test_killed_worker_loses_nothing_and_duplicates_nothing(tmp_path, redis_server):
    with NewsSite() as site, SmtpSink() as smtp:
        feeds = build_site(site, sources=2)
        config = write_config(tmp_path, feeds, smtp.url(), redis_server.url)
        workers = [WorkerProcess(config, "worker-1"), WorkerProcess(config, "worker-2")]
        try:
            counts = asyncio.run(coordinate(config, workers, site, kill=True))
            victim = workers[0].crawling()
            assert [c.finish_reason for c in counts] == ["finished", "finished"], workers[1].text()
            assert f"crawling source {victim}" in workers[1].text(), "the killed worker's job was not picked up"

            db = sqlite3.connect(tmp_path / "monitor.db")
            stored = [r[0] for r in db.execute("SELECT url FROM articles")]
            assert len(stored) == len(set(stored)) == 2 * ARTICLES_PER_SOURCE
            assert db.execute("SELECT count(*) FROM alerts").fetchone()[0] == 4
            assert db.execute("SELECT count(*) FROM deliveries WHERE status = 'sent'").fetchone()[0] == 4
            assert len(smtp.messages) == 4
            assert sorted(w for m in smtp.messages for w in WATCHED if w in str(m["Subject"])) == sorted(WATCHED)

            # A second cycle costs feeds only: known articles are skipped, feeds answer 304, nothing alerts again.
            site.clear_requests()
            counts = asyncio.run(coordinate(config, workers[1:], site, kill=False))
            assert [c.finish_reason for c in counts] == ["finished", "finished"]
            assert sorted(p for p in site.paths() if p != "/robots.txt") == ["/s0/feed.xml", "/s1/feed.xml"]
            assert [c.not_modified for c in counts] == [1, 1]
            assert len(smtp.messages) == 4
        finally:
            for worker in workers:
                worker.stop()


def test_monitor_run_once_with_redis_url_and_a_monitor_worker_command(redis_server, tmp_path):
    """The commands as users type them: `monitor worker` on one side, `monitor run --once` on the other."""
    with NewsSite() as site, SmtpSink() as smtp:
        feeds = build_site(site, 1)
        config = write_config(tmp_path, feeds, smtp.url(), redis_server.url)
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        with (tmp_path / "cli-worker.log").open("wb") as log:
            worker = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(config), "worker"],
                                      stdout=log, stderr=log, cwd=REPO, env=env, start_new_session=True)
        try:
            run = subprocess.run([sys.executable, "-m", "monitor", "--config", str(config), "run", "--once"],
                                 capture_output=True, text=True, cwd=REPO, env=env, timeout=240)
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(40)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
        assert run.returncode == 0, run.stderr
        assert len(smtp.messages) == 2, run.stderr
    db = sqlite3.connect(tmp_path / "monitor.db")
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == ARTICLES_PER_SOURCE


def _lonely_crawl(tmp_path: Path, redis_url: str, *, with_heartbeat: bool) -> tuple[str, int, int]:
    """One Coordinator crawl with no consumer on the crawl queue; a worker's Heartbeat beats when asked.
    Returns (finish_reason, live workers seen during the crawl, live workers after the heartbeat stopped)."""
    import uuid

    from monitor.config.loader import load_config
    from monitor.scaleout.coordinator import Coordinator
    from monitor.scaleout.wire import CRAWL_QUEUE, Heartbeat, live_workers, make_broker

    namespace = f"test-{uuid.uuid4().hex[:8]}"  # a queue of its own: the module's workers must not take the job
    config = load_config(write_config(tmp_path, ["http://127.0.0.1:9/feed.xml"], "json://127.0.0.1:9/", redis_url))
    store, processor = coordinator_side(config)
    coordinator = Coordinator(config, broker=make_broker(redis_url, namespace=namespace), crawl_timeout=4,
                              no_worker_grace=1)
    heartbeat = Heartbeat(make_broker(redis_url, namespace=namespace), CRAWL_QUEUE) if with_heartbeat else None

    async def crawl() -> tuple[str, int]:
        if heartbeat:
            heartbeat.start()
        try:
            counts = await coordinator.crawl(config.sources[0], state=store, processor=processor, baseline=False)
            return counts.finish_reason, live_workers(coordinator.broker)
        finally:
            if heartbeat:
                heartbeat.stop()
            await coordinator.stop()

    try:
        reason, during = asyncio.run(crawl())
        return reason, during, live_workers(coordinator.broker)
    finally:
        store.close()


def test_a_crawl_with_no_worker_running_ends_as_no_worker_instead_of_waiting_the_hour(redis_server, tmp_path):
    assert _lonely_crawl(tmp_path, redis_server.url, with_heartbeat=False) == ("no_worker", 0, 0)


def test_a_live_but_busy_worker_keeps_the_coordinator_waiting_until_the_crawl_timeout(redis_server, tmp_path):
    # The worker beats but never takes the job: the coordinator must not call it missing, only late.
    assert _lonely_crawl(tmp_path, redis_server.url, with_heartbeat=True) == ("worker_timeout", 1, 0)


def test_status_tells_how_many_workers_run_and_how_many_crawls_wait(redis_server, tmp_path):
    import uuid

    from monitor.config.loader import load_config
    from monitor.reports import status_report
    from monitor.scaleout.wire import CRAWL_QUEUE, Heartbeat, make_broker, queue_summary

    config = load_config(write_config(tmp_path, ["http://127.0.0.1:9/feed.xml"], "json://127.0.0.1:9/",
                                      redis_server.url))
    namespace = f"test-{uuid.uuid4().hex[:8]}"
    assert queue_summary(redis_server.url, namespace) == "no worker running (start `monitor worker`); 0 crawl(s) waiting"
    heartbeat = Heartbeat(make_broker(redis_server.url, namespace=namespace), CRAWL_QUEUE)
    heartbeat.start()
    try:
        assert queue_summary(redis_server.url, namespace) == "1 worker(s) running; 0 crawl(s) waiting"
    finally:
        heartbeat.stop()
    assert "Scale-out on redis://127.0.0.1:" in status_report(config)
    dead = load_config(write_config(tmp_path, ["http://127.0.0.1:9/feed.xml"], "json://127.0.0.1:9/",
                                    f"redis://127.0.0.1:{free_port()}/0"))
    assert "Redis unreachable" in status_report(dead)


def test_the_daemons_second_cycle_through_workers_fetches_only_the_feeds(redis_server, tmp_path):
    """`monitor run --once` twice beside a `monitor worker` that crawls its jobs at once: the second cycle fetches
    the three feeds and nothing else. The coordinator tells the worker which articles are stored (even when the
    daemon hands it a run's crawl state, not the store) and keeps each run's feed validators with that run."""
    with NewsSite() as site, SmtpSink() as smtp:
        # feed 2 sends no validators, so it is read whole every cycle: only the known list spares its articles
        feeds = build_site(site, 3, no_validators=(2,))
        config = write_config(tmp_path, feeds, smtp.url(), redis_server.url)
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        with (tmp_path / "cli-worker.log").open("wb") as log:
            worker = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(config), "worker"],
                                      stdout=log, stderr=log, cwd=REPO, env=env, start_new_session=True)
        try:
            for cycle in (1, 2):
                site.clear_requests()
                run = subprocess.run([sys.executable, "-m", "monitor", "--config", str(config), "run", "--once"],
                                     capture_output=True, text=True, cwd=REPO, env=env, timeout=240)
                assert run.returncode == 0, run.stderr
                if cycle == 1:
                    assert len(smtp.messages) == 6, run.stderr  # hits found in the worker reach the alerts
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(40)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
        fetched = sorted(p for p in site.paths() if p != "/robots.txt")
        assert fetched == ["/s0/feed.xml", "/s1/feed.xml", "/s2/feed.xml"], run.stderr
        assert len(smtp.messages) == 6
        conditional = {r.path: "if-none-match" in r.headers for r in site.requests if r.path.endswith("feed.xml")}
        assert conditional == {"/s0/feed.xml": True, "/s1/feed.xml": True, "/s2/feed.xml": False}


def test_a_job_carries_the_watchlists_without_their_secrets_and_the_worker_matches_alike():
    from monitor.config.loader import load_config
    from monitor.crawl import MatchSpec
    from monitor.scaleout.wire import watchlists_from_json, watchlists_to_json

    secret = "mailto://user:s3cret@127.0.0.1:2525?from=alerts@example.org&to=desk@example.org"
    config = load_config(write_config(Path(tempfile.mkdtemp()), ["http://127.0.0.1:9/feed.xml"], secret,
                                      "redis://127.0.0.1:9/0"))
    watchlists = (*config.watchlists, Watchlist("aliased", terms=(Term("Viktar Babaryka", ("Babariko",), True),),
                                                queries=('"court" NEAR/5 Babaryka',), exclude=("football",)))
    carried = json.loads(json.dumps(watchlists_to_json(watchlists)))  # as it travels through Redis
    assert "s3cret" not in json.dumps(carried)
    rebuilt = watchlists_from_json(carried)
    assert [w.terms for w in rebuilt] == [w.terms for w in watchlists]
    assert [(w.queries, w.exclude) for w in rebuilt] == [(w.queries, w.exclude) for w in watchlists]
    assert MatchSpec.of(rebuilt).digest == MatchSpec.of(watchlists).digest  # the same spec on both sides


def test_an_article_crosses_the_wire_with_its_offset_authors_and_credits():
    from datetime import timezone

    from monitor.models import Article
    from monitor.scaleout.wire import article_from_json, article_to_json

    sent = Article(url="https://news.example/a", title="T", text="Body.",
                   published=datetime(2025, 12, 3, 22, tzinfo=timezone(timedelta(hours=-8))),
                   author="Anna Kowalska, Jan Nowak", authors=("Anna Kowalska", "Jan Nowak"),
                   credits="By Anna Kowalska and Jan Nowak\nPhoto: Piotr Zieliński")
    received = article_from_json(json.loads(json.dumps(article_to_json(sent))))
    assert received == sent
    assert received.published is not None
    assert received.published.isoformat() == "2025-12-03T22:00:00-08:00"


