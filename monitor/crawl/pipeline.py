"""RawPage (or Post) → cleaned Article → hits → one store transaction (article, hits, alerts). Scrapy-free
core plus the thin Scrapy item pipeline that feeds it."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from monitor.crawl.fingerprint import TextTally
from monitor.crawl.pool import prepare_page, start_pool_process, warm_up
from monitor.deliver import destinations
from monitor.errors import PageRejected
from monitor.match import Matcher
from monitor.models import Article, Post, RawPage, Watchlist
from monitor.store import NewAlert, Store, StoryIndex, utcnow
from monitor.urls import canonical_url

logger = logging.getLogger(__name__)


def make_executor(workers: int) -> Executor | None:
    """A process pool for cleaning, so the crawl loop never waits on CPU work; None means threads."""
    count = workers if workers > 0 else (os.cpu_count() or 1)
    if count <= 1:
        return None
    # spawn, not fork: the parent runs a reactor and threads, which fork would copy half-way.
    pool = ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("spawn"),
                               initializer=start_pool_process)
    # Start every process now, importing the cleaner while the first feeds download (the pool would otherwise
    # spawn them one by one as the first pages arrive, each then waiting ~2 s for its imports).
    for _ in range(count):
        pool.submit(warm_up)
    return pool


async def prepare_in(executor: Executor | None, page: RawPage | Post) -> tuple[Article, Any]:
    """Clean and sign a page off the event loop: in the process pool when there is one, else a thread."""
    if executor is not None:
        return await asyncio.get_running_loop().run_in_executor(executor, prepare_page, page)
    return await asyncio.to_thread(prepare_page, page)


def content_hash(article: Article) -> str:
    """What decides "changed": the cleaned title and text, not the page's markup or ads."""
    return hashlib.sha256(f"{article.title}\n{article.text}".encode()).hexdigest()


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

    def use(self, matcher: Matcher, watchlists: tuple[Watchlist, ...]) -> None:
        """Switch to a new matcher and watchlists (config reload)."""
        self.matcher = matcher
        self.targets = {w.name: destinations(w) for w in watchlists}
        self.modes = {w.name: w.mode for w in watchlists}
        self.limits = {w.name: w.max_per_hour for w in watchlists}

    async def prepare(self, page: RawPage | Post) -> tuple[Article, Any]:
        """Clean and sign off the event loop: in the process pool when there is one, else a thread."""
        return await prepare_in(self.executor, page)

    async def process(self, page: RawPage | Post, *, baseline: bool, backfill: float | None = None) -> Outcome:
        """Run one page (or post) through the pipeline. `baseline` is true on a source's first run."""
        try:
            article, sig = await self.prepare(page)
        except PageRejected as exc:
            # the page's own metadata survives a refused body: the log says which story was skipped
            meta = exc.metadata
            about = f" ({meta.title!r}, {meta.published.isoformat() if meta.published else 'no date'})" if meta else ""
            logger.info("%s: skipped %s%s: %s", page.source, page.url, about, exc)
            return rejected_outcome(exc)
        return self.accept(page.url, page.source, article, sig, baseline=baseline, backfill=backfill)

    def accept(self, page_url: str, source: str, article: Article, sig: Any, *, baseline: bool,
               backfill: float | None = None) -> Outcome:
        """Match and store an article cleaned here or by a scale-out worker (on the loop thread: SQLite)."""
        url = canonical_url(page_url)
        canonical = canonical_url(article.canonical_url) if article.canonical_url else None
        shared = canonical_url(article.links_to) if article.links_to else None
        article = replace(article, url=url, canonical_url=canonical, source=source, links_to=shared)
        digest = content_hash(article)
        old = self.store.content_hash(url)
        if old == digest:
            self.store.touch_article(url)
            return Outcome("unchanged", article)
        if self.store.has_same_text(source, url, digest):
            # Another URL of this source has this very text: a wall served instead of the article (or a copy).
            # Not stored, so the URL is fetched again on the next run and its real article is not lost.
            logger.info("%s: skipped %s: same text as another of its articles", source, url)
            return Outcome("rejected", article, reason="same_text")
        hits = self.matcher.find_hits(article)
        alertable = self.is_alertable(article, baseline, self.rules.backfill if backfill is None else backfill)
        story = (self.store.story_of(url) or self.store.linked_story(article) or self.stories.find(url, sig, source)
                 or self.store.quoting_story(article, sig) or canonical or url)
        alerts = self.store.save_article(article, digest, story, hits, alertable=alertable, targets=self.targets,
                                         modes=self.modes, limits=self.limits, signature=self.stories.storable(sig))
        self.stories.add(url, story, sig, source)
        if alerts and self.on_alert:
            self.on_alert()
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

