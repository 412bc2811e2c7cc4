"""RawPage (or Post) → cleaned, signed and matched Article (in the cleaning pool) → stored with its hits and
alerts, in transactions grouped across articles (on the loop thread). Scrapy-free core plus the thin Scrapy item
pipeline that feeds it."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from monitor.crawl.commit import GroupCommit
from monitor.crawl.fingerprint import TextTally
from monitor.crawl.pool import MatchSpec, Prepared, finish, prepare_article, start_pool_process, warm_up
from monitor.deliver import destinations
from monitor.errors import PageRejected
from monitor.match import Matcher
from monitor.models import Article, Post, RawPage, Watchlist
from monitor.store import NewAlert, Store, StoryIndex, utcnow

logger = logging.getLogger(__name__)

# Pages handed to the pool and not back yet, per pool process: one being cleaned and one waiting, so a process
# never idles between two pages. Past that a page waits in Scrapy, whose scraper then stops downloading for its
# crawl (SCRAPER_SLOT_MAX_ACTIVE_SIZE): with many crawls at once, the pages fetched ahead of the pool would
# otherwise pile up in memory (about 1 GB over 50 sources on 2 cores, measured with benchmarks/throughput.py).
PAGES_PER_PROCESS = 2


class CleaningPool(ProcessPoolExecutor):
    """The cleaning processes (spawned, at a lower priority, ending with the daemon); `size` says how many."""

    def __init__(self, size: int) -> None:
        # spawn, not fork: the parent runs a reactor and threads, which fork would copy half-way.
        super().__init__(max_workers=size, mp_context=multiprocessing.get_context("spawn"),
                         initializer=start_pool_process)
        self.size = size


def make_executor(workers: int) -> Executor | None:
    """A process pool for cleaning, so the crawl loop never waits on CPU work; None means threads."""
    count = workers if workers > 0 else (os.cpu_count() or 1)
    if count <= 1:
        return None
    pool = CleaningPool(count)
    # Start every process now, importing the cleaner while the first feeds download (the pool would otherwise
    # spawn them one by one as the first pages arrive, each then waiting ~2 s for its imports).
    for _ in range(count):
        pool.submit(warm_up)
    return pool


def pages_in_flight(executor: Executor | None) -> int:
    """How many pages may be in the pool at once (see PAGES_PER_PROCESS)."""
    return PAGES_PER_PROCESS * getattr(executor, "size", 1)


async def prepare_in(executor: Executor | None, page: RawPage | Post, spec: MatchSpec | None = None,
                     matcher: Matcher | None = None) -> Prepared:
    """Clean, sign, hash and match a page off the event loop: in the process pool when there is one, else a
    thread (which then uses `matcher`, the loop's own, rather than building one from the spec)."""
    if executor is not None:
        return await asyncio.get_running_loop().run_in_executor(executor, prepare_article, page, spec)
    return await asyncio.to_thread(prepare_article, page, spec, matcher)


@dataclass(frozen=True)
class Outcome:
    """What happened to one page."""

    status: str  # new | changed | unchanged | rejected
    article: Article | None = None
    hits: int = 0
    alerts: tuple[NewAlert, ...] = ()
    reason: str = ""
    page_text: str = ""  # for a page the cleaner rejected: the start of its visible text (see fingerprint.py)


@dataclass
class Rules:
    """When a stored article may alert (see README: first run, backfill, max_age)."""

    max_age: float = 7 * 86400.0
    backfill: float = 86400.0


@dataclass(frozen=True)
class Ready:
    """A prepared article waiting for its batch's transaction, with what decides whether it may alert."""

    prepared: Prepared
    baseline: bool
    backfill: float | None


class ArticleProcessor:
    """Cleans, matches and stores pages; the matcher and watchlists can be swapped on config reload."""

    def __init__(self, store: Store, matcher: Matcher, watchlists: tuple[Watchlist, ...], *, rules: Rules,
                 executor: Executor | None = None, on_alert: Callable[[], None] | None = None,
                 max_page_size: int = 10 * 1024 * 1024) -> None:
        self.store, self.rules, self.executor, self.on_alert = store, rules, executor, on_alert
        self.max_page_size = max_page_size
        self.stories = StoryIndex()
        self.stories.load(store.recent_signatures(utcnow() - timedelta(seconds=rules.max_age)))
        self.use(matcher, watchlists)
        self.slots = asyncio.Semaphore(pages_in_flight(executor))
        self.preparing = 0  # pages in the pool now
        self.commits: GroupCommit[Ready, Outcome] = GroupCommit(self.store_batch, busy=lambda: self.preparing > 0)

    def use(self, matcher: Matcher, watchlists: tuple[Watchlist, ...]) -> None:
        """Switch to a new matcher and watchlists (config reload); the pool's processes follow with their next
        page."""
        self.matcher = matcher
        self.spec = MatchSpec.of(watchlists)
        self.targets = {w.name: destinations(w) for w in watchlists}
        self.modes = {w.name: w.mode for w in watchlists}
        self.limits = {w.name: w.max_per_hour for w in watchlists}

    async def prepare(self, page: RawPage | Post) -> Prepared:
        """Clean, sign and match off the event loop, at most pages_in_flight() pages at a time."""
        async with self.slots:
            self.preparing += 1
            try:
                return await prepare_in(self.executor, page, self.spec, self.matcher)
            finally:
                self.preparing -= 1

    async def process(self, page: RawPage | Post, *, baseline: bool, backfill: float | None = None) -> Outcome:
        """Run one page (or post) through the pipeline. `baseline` is true on a source's first run."""
        try:
            prepared = await self.prepare(page)
        except PageRejected as exc:
            # the page's own metadata survives a refused body: the log says which story was skipped
            meta = exc.metadata
            about = f" ({meta.title!r}, {meta.published.isoformat() if meta.published else 'no date'})" if meta else ""
            logger.info("%s: skipped %s%s: %s", page.source, page.url, about, exc)
            return rejected_outcome(exc)
        return await self.commits.submit(Ready(prepared, baseline, backfill))

    def accept(self, page_url: str, source: str, article: Article, sig: Any, *, baseline: bool,
               backfill: float | None = None) -> Outcome:
        """Match and store one article cleaned elsewhere (a scale-out worker, a test), in its own transaction."""
        prepared = finish(article, sig, page_url, source, self.spec, self.matcher)
        result = self.store_batch([Ready(prepared, baseline, backfill)])[0]
        if isinstance(result, Exception):
            raise result
        return result

    def store_batch(self, batch: Sequence[Ready]) -> list[Outcome | Exception]:
        """Store prepared articles in one transaction, each under its own savepoint (on the loop thread)."""
        results: list[Outcome | Exception] = []
        with self.store.writing():
            for ready in batch:
                try:
                    with self.store.savepoint():
                        results.append(self._store(ready))
                except Exception as exc:  # this article's rows are undone; the batch goes on
                    results.append(exc)
        if self.on_alert and any(isinstance(r, Outcome) and r.alerts for r in results):
            self.on_alert()
        return results

    def _store(self, ready: Ready) -> Outcome:
        article, sig, digest, hits, matched_with = ready.prepared
        url, source = article.url, article.source
        old = self.store.content_hash(url)
        if old == digest:
            self.store.touch_article(url)
            return Outcome("unchanged", article)
        if self.store.has_same_text(source, url, digest):
            # Another URL of this source has this very text: a wall served instead of the article (or a copy).
            # Not stored, so the URL is fetched again on the next run and its real article is not lost.
            logger.info("%s: skipped %s: same text as another of its articles", source, url)
            return Outcome("rejected", article, reason="same_text")
        if matched_with != self.spec.digest:  # matched before a config reload (or not at all): match now
            hits = tuple(self.matcher.find_hits(article))
        backfill = self.rules.backfill if ready.backfill is None else ready.backfill
        alertable = self.is_alertable(article, ready.baseline, backfill)
        story = (self.store.story_of(url) or self.store.linked_story(article) or self.stories.find(url, sig, source)
                 or self.store.quoting_story(article, sig) or article.canonical_url or url)
        alerts = self.store.save_article(article, digest, story, hits, alertable=alertable, targets=self.targets,
                                         modes=self.modes, limits=self.limits, signature=self.stories.storable(sig))
        self.stories.add(url, story, sig, source)
        if hits:
            logger.info("%s: %s: %s", source, article.title[:80],
                        ", ".join(sorted({f"{h.term} ({h.found})" for h in hits})))
        return Outcome("new" if old is None else "changed", article, len(hits), tuple(alerts))

    def is_alertable(self, article: Article, baseline: bool, backfill: float) -> bool:
        """Old news never alerts; on a source's first run only articles within `backfill` do."""
        age = _age_seconds(article.published)
        if age is not None and age > self.rules.max_age:
            return False
        if baseline:
            return age is not None and age <= backfill
        return True


def rejected_outcome(exc: PageRejected) -> Outcome:
    """The outcome of a page the cleaner refused: its own metadata when it could be read, and its visible text
    when the cleaning pool read it."""
    return Outcome("rejected", exc.metadata, reason=exc.reason, page_text=getattr(exc, "page_text", ""))


def _age_seconds(published: datetime | None) -> float | None:
    if published is None:
        return None
    return (utcnow() - published).total_seconds()


class ArticlePipeline:
    """Scrapy item pipeline: hands each RawPage to the spider's ArticleProcessor and counts outcomes."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.texts = TextTally()

    @classmethod
    def from_crawler(cls, crawler: Any) -> ArticlePipeline:
        return cls(crawler)

    async def process_item(self, item: Any) -> Any:
        spider = self.crawler.spider
        stats = self.crawler.stats
        if not isinstance(item, RawPage | Post):
            return item
        try:
            outcome = await spider.processor.process(item, baseline=spider.baseline, backfill=spider.source.backfill)
        except Exception:
            # One bad article must not end the crawl; it is counted so a run never loses pages silently.
            logger.exception("%s: failed to process %s", item.source, item.url)
            stats.inc_value("monitor/errors/processing")
            return item
        stats.inc_value(f"monitor/articles/{outcome.status}")
        if outcome.status == "rejected":
            stats.inc_value(f"monitor/rejected/{outcome.reason}")
            stats.inc_value("monitor/pages/rejected")
        stats.inc_value("monitor/hits", outcome.hits)
        stats.inc_value("monitor/alerts", len(outcome.alerts))
        # a page the cleaner refused has only its metadata (no text): its visible text is what tells a wall
        text = outcome.article.text if outcome.article is not None else ""
        self.texts.see(text or outcome.page_text, stats)
        return item

