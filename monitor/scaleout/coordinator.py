"""Scale-out coordinator: stands in for CrawlRunner when `[monitor] redis_url` is set. Each source crawl becomes
a Dramatiq job on Redis for `monitor worker` processes, with the watchlists to match with; the prepared articles
(cleaned, signed, matched) they send back in batches are stored and alerted here, on the daemon's loop, one
transaction per batch, through the same ArticleProcessor.store_batch as in one process (which matches again only
an article matched with watchlists older than a config reload).

Every article is stored once and every alert sent once even when a worker dies mid-crawl: its job is put back on
the queue by Dramatiq (heartbeat timeout) and run by another worker, which skips what the first one shipped;
whatever arrives twice is absorbed by the store (same URL, same content: "unchanged") and by its
once-per-story-and-term alert rule. See scaleout_wire.py for the choice of Dramatiq.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import dramatiq
from dramatiq.brokers.redis import RedisBroker

from monitor.config import Config
from monitor.crawl import ArticleProcessor, MatchSpec, Outcome, Ready, RunCounts
from monitor.errors import ConfigError
from monitor.models import Source
from monitor.scaleout.wire import (
    CRAWL_ACTOR,
    CRAWL_QUEUE,
    POLL_MS,
    RESULTS_ACTOR,
    RESULTS_QUEUE,
    article_from_json,
    live_workers,
    make_broker,
    prepared_from_json,
    signature_from_json,
    source_to_json,
    unpack,
    watchlists_to_json,
)
from monitor.store import iso, utcnow

logger = logging.getLogger(__name__)

# A job not finished by then is recorded as failed, and the source runs again at its next interval. A worker's
# own time limit (6 h) is longer: a crawl that outlives this still delivers its articles, just uncounted.
CRAWL_TIMEOUT_S = 3600.0
# With no `monitor worker` beating for this long, a crawl is recorded as failed ("no_worker") instead of
# waiting the hour above: long enough for a worker being restarted, short enough that `run --once` without
# workers ends in minutes with a message saying what is missing.
NO_WORKER_GRACE_S = 120.0
WORKER_CHECK_S = 5.0
# Known articles sent with a job so the worker skips them: those fetched in this window. Feeds and news
# sitemaps list days, not months; an older link still listed costs one conditional re-fetch a month.
KNOWN_WINDOW_S = 30 * 86400.0
# The worker's own counts of what it shipped: the coordinator counts what became of those articles.
_OWN_STATS = ("monitor/articles/shipped", "monitor/hits", "monitor/alerts")
# Crawls handed to Redis at once: workers take them as they can, so the daemon's own limit (parallel_crawls, for
# one process) must not hold back the jobs that 50 workers would run together.
MAX_QUEUED_CRAWLS = 100_000


@dataclass
class _Job:
    """A crawl job waiting for its workers' results."""

    source: str
    future: asyncio.Future[RunCounts]
    received: dict[str, set[str]] = field(default_factory=dict)  # article URLs per attempt (a retried job has several)
    # URL → status, reason, hits, alerts (the first outcome)
    outcomes: dict[str, tuple[str, str, int, int]] = field(default_factory=dict)
    done: dict[str, Any] | None = None
    state: Any = None  # the run's crawl state: validators wait there until the run is complete

    def count(self, attempt: str, url: str, outcome: Outcome) -> None:
        """Record one article's outcome (a message Dramatiq delivers again changes nothing)."""
        self.received.setdefault(attempt, set()).add(url)
        self.outcomes.setdefault(url, (outcome.status, outcome.reason, outcome.hits, len(outcome.alerts)))

    def stats(self) -> Counter[str]:
        """The pipeline's counters of the job's articles."""
        stats: Counter[str] = Counter()
        for status, reason, hits, alerts in self.outcomes.values():
            stats[f"monitor/articles/{status}"] += 1
            if status == "rejected":  # the same text as another article (the worker cannot know)
                stats[f"monitor/rejected/{reason}"] += 1
                stats["monitor/pages/rejected"] += 1
            stats["monitor/hits"] += hits
            stats["monitor/alerts"] += alerts
        return stats


class Coordinator:
    """CrawlRunner's scale-out twin: `crawl()` enqueues the source and returns the counts once a worker is done."""

    max_crawls = MAX_QUEUED_CRAWLS

    def __init__(self, config: Config, *, broker: RedisBroker | None = None, crawl_timeout: float = CRAWL_TIMEOUT_S,
                 known_window: float = KNOWN_WINDOW_S, no_worker_grace: float = NO_WORKER_GRACE_S) -> None:
        if broker is None:
            if not config.monitor.redis_url:
                raise ConfigError(str(config.path), "monitor.redis_url", "scale-out needs a redis:// URL")
            broker = make_broker(config.monitor.redis_url)
        self.broker, self.crawl_timeout, self.known_window = broker, crawl_timeout, known_window
        self.no_worker_grace = no_worker_grace
        self._alone_since: float | None = None  # loop time since which no worker has beaten
        # when Redis was last asked for live workers, and the answer (waiting jobs share it)
        self._alive: tuple[float, asyncio.Future[int]] | None = None
        self._match: tuple[str, list[dict[str, Any]]] | None = None  # the watchlists jobs carry, by spec digest
        self.jobs: dict[str, _Job] = {}
        # Feeds, sitemaps and listings each source's last crawl fetched: their validators go with its next job.
        self.crawl_urls: dict[str, set[str]] = {}
        self.processor: ArticleProcessor | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self._consumer: dramatiq.Worker | None = None
        dramatiq.Actor(self._on_message, broker=broker, actor_name=RESULTS_ACTOR, queue_name=RESULTS_QUEUE,
                       priority=0, options={"max_retries": 5})

    async def crawl(self, source: Source, *, state: Any, processor: ArticleProcessor, baseline: bool) -> RunCounts:
        """Have a worker crawl one source; the results are stored as they arrive. Never raises for a lost job."""
        self.processor = processor
        self._start()
        if self.loop is None:
            raise RuntimeError("loop used before start()")
        job_id = uuid.uuid4().hex
        job = _Job(source.name, self.loop.create_future(), state=state)
        self.jobs[job_id] = job
        payload = {"job": job_id, "source": source_to_json(source), "baseline": baseline,
                   "state": self.snapshot(source, state, processor.store), "match": self.watchlists(processor.spec)}
        message: dramatiq.Message[Any] = dramatiq.Message(
            queue_name=CRAWL_QUEUE, actor_name=CRAWL_ACTOR, args=(payload,), kwargs={},
            # A job nobody started within the crawl timeout is dropped (Dramatiq's AgeLimit): the next cycle has
            # enqueued a fresh one, and days without workers must not leave thousands of crawls to replay.
            options={"max_age": int(self.crawl_timeout * 1000)})
        try:
            await asyncio.to_thread(self.broker.enqueue, message)
            return await self._wait(job, source)
        finally:
            self.jobs.pop(job_id, None)

    async def _wait(self, job: _Job, source: Source) -> RunCounts:
        """The job's counts; or, without any live worker for `no_worker_grace`, or after `crawl_timeout`,
        counts that record the failure (the job stays queued until `crawl_timeout`, for a worker that comes)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.crawl_timeout
        while (remaining := deadline - loop.time()) > 0:
            try:
                step = min(remaining, WORKER_CHECK_S, self.no_worker_grace / 2)
                return await asyncio.wait_for(asyncio.shield(job.future), step)
            except TimeoutError:
                pass
            if await self._workers_gone(loop.time()):
                logger.error("source %s: no `monitor worker` has reported to Redis for %.0f s; start one (README, "
                             "Scale-out) or remove redis_url from config.toml", source.name, self.no_worker_grace)
                return RunCounts(finish_reason="no_worker", stats={"monitor/errors/no_worker": 1})
        logger.error("source %s: no worker finished the crawl within %.0f s", source.name, self.crawl_timeout)
        return RunCounts(finish_reason="worker_timeout", stats={"monitor/errors/worker_timeout": 1})

    def watchlists(self, spec: MatchSpec) -> list[dict[str, Any]]:
        """The watchlists a job carries for its worker to match with, as JSON (made once per config)."""
        if self._match is None or self._match[0] != spec.digest:
            self._match = (spec.digest, watchlists_to_json(spec.terms_only()))
        return self._match[1]

    async def _workers_gone(self, now: float) -> bool:
        """Whether no worker has beaten for `no_worker_grace` (warned once when the last one goes quiet)."""
        # Every waiting job asks every WORKER_CHECK_S, and jobs queued together ask together: one question to
        # Redis answers all those asked within half that time (50 jobs asked 10 times a second).
        if self._alive is None or now - self._alive[0] >= WORKER_CHECK_S / 2:
            self._alive = (now, asyncio.ensure_future(asyncio.to_thread(live_workers, self.broker)))
        try:
            alive = await asyncio.shield(self._alive[1])
        except Exception as exc:  # Redis away: the crawl's own timeout still applies
            logger.warning("cannot ask Redis for workers: %s", exc)
            return False
        if alive:
            self._alone_since = None
            return False
        if self._alone_since is None:
            self._alone_since = now
            logger.warning("no `monitor worker` is running: crawls wait in the Redis queue (up to %.0f s)",
                           self.no_worker_grace)
        return now - self._alone_since >= self.no_worker_grace

    def snapshot(self, source: Source, state: Any, store: Any) -> dict[str, Any]:
        """What the worker must know of earlier cycles: recent known articles and validators, as JSON."""
        since = iso(utcnow() - timedelta(seconds=self.known_window))
        known: dict[str, str] = {}
        validators: dict[str, list[str | None]] = {}
        if hasattr(store, "query"):  # the Store; the daemon's `state` is a RunState, which answers per URL only
            for row in store.query("SELECT a.url, a.fetched, v.etag, v.last_modified FROM articles a "
                                   "LEFT JOIN validators v ON v.url = a.url WHERE a.source = ? AND a.fetched >= ?",
                                   [source.name, since]):
                known[row["url"]] = row["fetched"]
                if row["etag"] or row["last_modified"]:
                    validators[row["url"]] = [row["etag"], row["last_modified"]]
        for url in (source.url, *source.urls, *self.crawl_urls.get(source.name, ())):
            pair = state.validators(url)
            if pair != (None, None):
                validators[url] = list(pair)
        cursors = {url: value for url in (source.url,) if (value := state.cursor(url)) is not None}
        return {"known": known, "validators": validators, "cursors": cursors}

    def _start(self) -> None:
        if self._consumer is not None:
            return
        self.loop = asyncio.get_running_loop()
        # One thread: results are applied one at a time on the loop anyway (SQLite, the story index).
        self._consumer = dramatiq.Worker(self.broker, queues={RESULTS_QUEUE}, worker_threads=1,
                                         worker_timeout=POLL_MS)
        self._consumer.start()

    def _on_message(self, message: dict[str, Any]) -> None:
        """Dramatiq actor (its thread): apply one result on the loop; an exception makes Dramatiq retry it."""
        if self.loop is None:
            raise RuntimeError("loop used before start()")
        asyncio.run_coroutine_threadsafe(self._apply(message), self.loop).result()

    async def _apply(self, message: dict[str, Any]) -> None:
        if message["kind"] == "articles":
            self._accept_batch(message)
        elif message["kind"] == "article":  # one article, from a worker of an earlier version
            self._accept(message)
        job = self.jobs.get(message["job"])
        if message["kind"] == "done":
            self.crawl_urls[message["source"]] = set(message["validators"])
            if job is not None:  # (a job nobody waits for any more is not complete: its feeds are read again)
                for url, (etag, modified) in message["validators"].items():
                    job.state.remember(url, etag, modified)
                for key, value in message.get("cursors", {}).items():
                    job.state.advance_cursor(key, value)
        if job is None:  # a job from before a restart, or one that timed out: stored, not counted
            return
        if message["kind"] == "done":
            job.done = message
        self._finish_if_complete(job)

    def _state(self, job: _Job | None) -> Any:
        """Where an article's validators go once it is stored: its run's state, or the store itself for a job
        nobody waits for any more."""
        if job is not None:
            return job.state
        if self.processor is None:
            raise RuntimeError("processor used before start()")
        return self.processor.store

    def _accept(self, message: dict[str, Any]) -> None:
        if self.processor is None:
            raise RuntimeError("processor used before start()")
        outcome = self.processor.accept(
            message["url"], message["source"], article_from_json(message["article"]),
            signature_from_json(message["sig"]), baseline=message["baseline"], backfill=message["backfill"])
        job = self.jobs.get(message["job"])
        if message["validators"]:  # only now that the article is stored (see JobState)
            self._state(job).remember(message["url"], *message["validators"])
        if job is not None:
            job.count(message["attempt"], message["url"], outcome)

    def _accept_batch(self, message: dict[str, Any]) -> None:
        """Store a worker's batch of prepared articles in one transaction. An article that fails is logged and the
        message raises, so Dramatiq delivers it again: the stored ones then come back as unchanged."""
        if self.processor is None:
            raise RuntimeError("processor used before start()")
        items = unpack(message["articles"])
        results = self.processor.store_batch([Ready(prepared_from_json(item), item["baseline"], item["backfill"])
                                              for item in items])
        job = self.jobs.get(message["job"])
        failed: Exception | None = None
        for item, result in zip(items, results, strict=True):
            if isinstance(result, Exception):
                logger.error("%s: failed to store %s: %s", item["source"], item["url"], result)
                failed = failed or result
                continue
            if item["validators"]:  # only now that the article is stored (see JobState)
                self._state(job).remember(item["url"], *item["validators"])
            if job is not None:
                job.count(message["attempt"], item["url"], result)
        if failed is not None:
            raise failed

    def _finish_if_complete(self, job: _Job) -> None:
        done = job.done
        if done is None or job.future.done() or len(job.received.get(done["attempt"], ())) < done["results"]:
            return
        stats = {k: v for k, v in done["stats"].items() if not k.startswith(_OWN_STATS)}
        for key, value in job.stats().items():  # added: the worker counted its own rejections already
            stats[key] = stats.get(key, 0) + value
        job.future.set_result(RunCounts.from_stats(stats))

    async def stop(self) -> None:
        """Stop consuming results; crawls still waiting end as "shutdown" (their jobs stay queued)."""
        for job in self.jobs.values():
            if not job.future.done():
                job.future.set_result(RunCounts(finish_reason="shutdown"))
        if self._consumer is not None:
            consumer, self._consumer = self._consumer, None
            await asyncio.to_thread(consumer.stop, 30_000)


def run_worker(config: Config, **options: Any) -> int:
    """`monitor worker` (see scaleout_worker.py)."""
    from monitor.scaleout.worker import run_worker as run

    return run(config, **options)
