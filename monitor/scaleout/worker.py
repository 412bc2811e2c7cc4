"""`monitor worker`: takes whole-source crawl jobs from Redis, fetches, cleans, signs and matches (with the
watchlists the job carries), and sends the prepared articles to the coordinator in batches; the coordinator
stores them and alerts.

A job is safe to run twice (a killed worker's job is run again by another): the coordinator stores by URL and
alerts once per story and term, the worker skips the URLs an earlier attempt already shipped, and no crawl
state is written until the article it belongs to has reached the coordinator.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import signal
import uuid
from datetime import datetime
from typing import Any

import dramatiq
from dramatiq.brokers.redis import RedisBroker

from monitor.config import Config
from monitor.crawl import (
    CrawlRunner,
    MatchSpec,
    Outcome,
    Prepared,
    make_executor,
    pages_in_flight,
    parallel_crawls,
    prepare_in,
    rejected_outcome,
    settings_for,
)
from monitor.errors import ConfigError, MonitorError, PageRejected
from monitor.models import Post, RawPage
from monitor.scaleout.wire import (
    BATCH_ARTICLES,
    BATCH_WAIT_S,
    CRAWL_ACTOR,
    CRAWL_QUEUE,
    POLL_MS,
    RESULTS_ACTOR,
    RESULTS_QUEUE,
    SHIPPED_TTL_S,
    Heartbeat,
    make_broker,
    pack,
    plain_stats,
    prepared_to_json,
    shipped_key,
    source_from_json,
    watchlists_from_json,
)
from spiders import as_utc

logger = logging.getLogger(__name__)

CRAWL_TIME_LIMIT_MS = 6 * 3600 * 1000  # Dramatiq's default (10 min) would kill a big sitemap's first crawl


class CrawlInterrupted(MonitorError):
    """A crawl stopped by the worker's shutdown; the job goes back on the queue for another worker."""


class JobState:
    """CrawlState of one job: the coordinator's snapshot, plus what an earlier attempt of the job shipped.

    Validators of 200 responses are held back, not stored: an article's travel with the article, the rest
    (feeds, sitemaps, listings) with the job's end. A worker killed mid-crawl therefore leaves no ETag behind
    that would make the next attempt get a 304 for a page nobody stored.
    """

    def __init__(self, snapshot: dict[str, Any], shipped: set[str]) -> None:
        self._validators = {url: (pair[0], pair[1]) for url, pair in snapshot.get("validators", {}).items()}
        self._known = {url: as_utc(datetime.fromisoformat(when)) for url, when in snapshot.get("known", {}).items()}
        self._shipped = shipped
        self._cursors: dict[str, str] = dict(snapshot.get("cursors", {}))
        self.pending: dict[str, tuple[str | None, str | None]] = {}
        self.cursors: dict[str, str] = {}  # advanced by this crawl; they travel with the job's end

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) from this crawl or the snapshot."""
        return self.pending.get(url) or self._validators.get(url, (None, None))

    def remember(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Hold the validators of a 200 response until they can travel to the coordinator."""
        self.pending[url] = (etag, last_modified)

    def is_known(self, url: str, lastmod: datetime | None = None) -> bool:
        """Stored by the coordinator and not updated since, or already shipped by an earlier attempt."""
        if url in self._shipped:
            return True
        stored = self._known.get(url)
        if stored is None:
            return False
        return lastmod is None or as_utc(lastmod) <= stored

    def cursor(self, key: str) -> str | None:
        """How far the source has read: this crawl's advance, else the coordinator's snapshot."""
        return self.cursors.get(key) or self._cursors.get(key)

    def advance_cursor(self, key: str, value: str) -> None:
        """Hold a cursor for the job's end message (the coordinator keeps it if the run completes)."""
        self.cursors[key] = value

    def take(self, url: str) -> tuple[str | None, str | None] | None:
        """The held validators of one page, removed from the job's end message."""
        return self.pending.pop(url, None)


class ShippingProcessor:
    """The worker's ArticleProcessor: prepares each page in the process pool (cleaned, signed, matched with the
    job's watchlists) and ships it to the coordinator in batches instead of storing it."""

    def __init__(self, job: dict[str, Any], attempt: str, state: JobState, worker: Worker,
                 spec: MatchSpec | None) -> None:
        self.job, self.attempt, self.state, self.worker, self.spec = job, attempt, state, worker, spec
        self.shipped = 0
        self.batch: list[tuple[str, dict[str, Any]]] = []  # (url, prepared article as JSON), not sent yet
        self._timer: asyncio.TimerHandle | None = None
        self._sends: set[asyncio.Task[None]] = set()

    async def process(self, page: RawPage | Post, *, baseline: bool, backfill: float | None = None) -> Outcome:
        """Clean one page (or post) and send it to the coordinator (duck-types ArticleProcessor.process)."""
        try:
            prepared = await self.worker.prepare(page, self.spec)
        except PageRejected as exc:
            logger.info("%s: skipped %s: %s", page.source, page.url, exc)
            return rejected_outcome(exc)
        validators = self.state.take(page.url)
        self.batch.append((page.url, {**prepared_to_json(prepared), "url": page.url, "source": page.source,
                                      "baseline": baseline, "backfill": backfill,
                                      "validators": list(validators) if validators else None}))
        if len(self.batch) >= BATCH_ARTICLES:
            await self.flush()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(BATCH_WAIT_S, self._flush_later)
        return Outcome("shipped", prepared.article)

    def _flush_later(self) -> None:
        self._timer = None
        task = asyncio.ensure_future(self.flush())
        self._sends.add(task)
        task.add_done_callback(self._sent)

    def _sent(self, task: asyncio.Task[None]) -> None:
        self._sends.discard(task)
        if not task.cancelled() and task.exception() is not None:  # kept in the batch: the next flush retries
            logger.warning("job %s: could not send results yet: %s", self.job["job"], task.exception())

    async def flush(self) -> None:
        """Send what is queued as one message; on failure it stays queued (and the error is raised)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self.batch = self.batch, []
        if not batch:
            return
        message = {"kind": "articles", "job": self.job["job"], "attempt": self.attempt, "count": len(batch),
                   "articles": pack([item for _, item in batch])}
        try:
            await asyncio.to_thread(self.worker.send, message, [url for url, _ in batch])
        except BaseException:
            self.batch = batch + self.batch
            raise
        self.shipped += len(batch)

    async def close(self) -> None:
        """Send everything still queued (the job's end)."""
        if self._sends:
            await asyncio.gather(*self._sends, return_exceptions=True)
        await self.flush()


class Worker:
    """Runs crawl jobs from the queue on one event loop (Scrapy's reactor), several at a time."""

    def __init__(self, config: Config, broker: RedisBroker, *, crawls: int | None = None,
                 scrapy_overrides: dict[str, Any] | None = None) -> None:
        crawls = crawls or parallel_crawls()
        self.config, self.broker, self.crawls = config, broker, crawls
        self.executor = make_executor(config.monitor.workers)
        self.slots = asyncio.Semaphore(pages_in_flight(self.executor))
        self.specs: dict[str, MatchSpec] = {}
        self.runner = CrawlRunner(settings_for(config, scrapy_overrides))
        self.loop: asyncio.AbstractEventLoop | None = None
        self.heartbeat = Heartbeat(broker, CRAWL_QUEUE)
        self.stopping = False
        dramatiq.Actor(self._on_message, broker=broker, actor_name=CRAWL_ACTOR, queue_name=CRAWL_QUEUE, priority=0,
                       options={"time_limit": CRAWL_TIME_LIMIT_MS, "max_retries": 3})
        self.consumer = dramatiq.Worker(broker, queues={CRAWL_QUEUE}, worker_threads=crawls,
                                        worker_timeout=POLL_MS)
        # Dramatiq prefetches twice its threads; a crawl is long, so a busy worker must not sit on jobs an idle
        # one could start.
        self.consumer.queue_prefetch = crawls

    async def prepare(self, page: RawPage | Post, spec: MatchSpec | None) -> Prepared:
        """A page cleaned, signed and matched in the pool, at most pages_in_flight() at a time."""
        async with self.slots:
            return await prepare_in(self.executor, page, spec)

    def spec(self, job: dict[str, Any]) -> MatchSpec | None:
        """The MatchSpec of the watchlists a job carries (None from a coordinator that sends none)."""
        if not job.get("match"):
            return None
        key = json.dumps(job["match"], sort_keys=True)
        if key not in self.specs:
            self.specs = {key: MatchSpec.of(watchlists_from_json(job["match"]))}  # the last one is enough
        return self.specs[key]

    def send(self, message: dict[str, Any], urls: list[str] | None = None) -> None:
        """Enqueue a result for the coordinator; its articles' URLs are then marked shipped for this job."""
        self.broker.enqueue(dramatiq.Message(queue_name=RESULTS_QUEUE, actor_name=RESULTS_ACTOR, args=(message,),
                                             kwargs={}, options={}))
        if urls:  # after the enqueue: a kill in between costs a re-fetch, never a lost article
            key = shipped_key(message["job"], self.broker.namespace)
            with self.broker.client.pipeline() as pipe:
                pipe.sadd(key, *urls)
                pipe.expire(key, SHIPPED_TTL_S)
                pipe.execute()

    def _on_message(self, job: dict[str, Any]) -> None:
        """Dramatiq actor (a worker thread): run the crawl on the event loop and wait for it."""
        if self.loop is None:
            raise RuntimeError("loop used before start()")
        future = asyncio.run_coroutine_threadsafe(self.run_job(job), self.loop)
        try:
            while True:
                try:
                    return future.result(timeout=1.0)  # short waits: Dramatiq's time limit can interrupt them
                except concurrent.futures.TimeoutError:
                    continue
        except BaseException:
            future.cancel()
            raise

    async def run_job(self, job: dict[str, Any]) -> None:
        """Crawl one source for the coordinator; the job ends with a "done" message."""
        source = source_from_json(job["source"])
        if self.stopping:  # taken from the queue while shutting down: give it back
            raise CrawlInterrupted(f"worker shutting down; crawl of {source.name} requeued")
        attempt = uuid.uuid4().hex[:12]
        key = shipped_key(job["job"], self.broker.namespace)
        shipped = {u.decode() for u in await asyncio.to_thread(self.broker.client.smembers, key)}
        state = JobState(job.get("state", {}), shipped)
        processor = ShippingProcessor(job, attempt, state, self, self.spec(job))
        logger.info("job %s: crawling source %s%s", job["job"], source.name,
                    f" (again: {len(shipped)} articles already shipped)" if shipped else "")
        counts = await self.runner.crawl(source, state=state, processor=processor,  # type: ignore[arg-type]
                                         baseline=bool(job.get("baseline")))
        await processor.close()
        if counts.finish_reason == "shutdown":
            raise CrawlInterrupted(f"crawl of {source.name} stopped by shutdown; requeued")
        done = {"kind": "done", "job": job["job"], "attempt": attempt, "source": source.name,
                "results": processor.shipped, "stats": plain_stats(counts.stats),
                "validators": {url: list(pair) for url, pair in state.pending.items()}, "cursors": state.cursors}
        await asyncio.to_thread(self.send, done)
        logger.info("job %s: source %s done, %d articles shipped", job["job"], source.name, processor.shipped)

    async def run(self, stop: asyncio.Event) -> int:
        """Consume jobs until `stop` is set, then drain: running crawls stop and go back on the queue."""
        self.loop = asyncio.get_running_loop()
        self.heartbeat.start()
        self.consumer.start()
        logger.info("worker running: %d crawls at a time, queue %s:%s", self.crawls, self.broker.namespace,
                    CRAWL_QUEUE)
        await stop.wait()
        logger.info("worker stopping")
        self.stopping = True
        await self.runner.stop()
        await asyncio.to_thread(self.consumer.stop, 30_000)
        self.heartbeat.stop()
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
        return 0


async def serve(config: Config, *, crawls: int | None = None, broker_options: dict[str, Any] | None = None,
                scrapy_overrides: dict[str, Any] | None = None) -> int:
    """Run a worker on the running loop until SIGINT or SIGTERM (broker_options: see make_broker)."""
    if not config.monitor.redis_url:
        raise ConfigError(str(config.path), "monitor.redis_url",
                          'a worker needs the coordinator\'s Redis: set redis_url = "redis://host:6379/0"')
    worker = Worker(config, make_broker(config.monitor.redis_url, **(broker_options or {})), crawls=crawls,
                    scrapy_overrides=scrapy_overrides)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return await worker.run(stop)


def run_worker(config: Config, **options: Any) -> int:
    """`monitor worker`: run a scale-out worker in this process until stopped."""
    from monitor.crawl import run_in_reactor

    return run_in_reactor(lambda: serve(config, **options))
