"""The only place that builds Scrapy settings and runs crawls (one long-lived runner on the daemon's loop)."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from monitor.config import Config
from monitor.crawl.pipeline import ArticleProcessor
from monitor.models import Source
from spiders import SPIDERS, scrapy_settings

logger = logging.getLogger(__name__)

PIPELINE = "monitor.crawl.pipeline.ArticlePipeline"
# Scrapy starts CONCURRENT_ITEMS asyncio tasks (default 100) for every response's output, even for the single
# RawPage an article yields: ~9 ms of loop CPU per page, measured with benchmarks/throughput.py. Our callbacks
# yield one item, or requests only, so a handful keeps a feed's requests flowing at a tenth of the cost.
CONCURRENT_ITEMS = 4
# Scrapy pauses a crawl's downloads while its pages wait for the pipeline beyond this many bytes (Scrapy's
# default is 5 MB per crawl). The cleaning pool takes pages_in_flight() at a time; with dozens of crawls at once
# (parallel_crawls) the rest wait here, each crawl holding one waiting page beside the (at most
# CONCURRENT_REQUESTS_PER_DOMAIN) ones it is downloading. Measured with benchmarks/throughput.py (50 sources on
# 2 cores): the same throughput as with 250 KB, and 11 MB less at the peak (5 MB would let a crawl hold ~25 pages).
MAX_WAITING_BYTES = 1
# Sources crawled at once, per CPU core. Politeness allows about 4 pages a second from one site (DOWNLOAD_DELAY
# 0.25 s), and a core cleans and matches ~30 pages a second, so a core needs a dozen sites fetching at full
# speed, more while crawls start (robots.txt, the feed, AutoThrottle's first 0.5 s) and end. benchmarks/
# throughput.py, 50 sources × 40 articles, 2 cores, with matching in the pool: 16 per core 58-59 articles/s at
# 445-448 MB for the process tree; 24 per core 512 MB; 32 per core 65-67/s at 517-520 MB, over the 500 MB the
# daemon is held to. (8 crawls in all, before: 22/s.)
CRAWLS_PER_CORE = 16


def settings_for(config: Config, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Scrapy settings derived from config.toml; users never see Scrapy's 199 knobs."""
    m = config.monitor
    settings = scrapy_settings(
        user_agent=m.user_agent, download_timeout=m.download_timeout, max_page_size=m.max_page_size,
        concurrency_per_domain=m.concurrency_per_domain, obey_robots=m.obey_robots,
    )
    # How far back a paged source (a Telegram channel) reads on its first run, and after an outage.
    settings["MONITOR_BACKFILL"], settings["MONITOR_MAX_AGE"] = m.backfill, m.max_age
    settings["ITEM_PIPELINES"] = {PIPELINE: 300}
    # Names the address guard lets resolve to an internal address: the configured sources' own hosts.
    settings["MONITOR_TRUSTED_HOSTS"] = sorted({urlsplit(u).hostname or "" for s in config.sources
                                                for u in (s.url, *s.urls)} - {""})
    settings["CONCURRENT_ITEMS"] = CONCURRENT_ITEMS
    settings["SCRAPER_SLOT_MAX_ACTIVE_SIZE"] = MAX_WAITING_BYTES
    settings.update(overrides or {})
    return settings


def parallel_crawls(cores: int | None = None) -> int:
    """How many sources one process crawls at once (see CRAWLS_PER_CORE)."""
    return CRAWLS_PER_CORE * (cores or os.cpu_count() or 1)


@dataclass
class RunCounts:
    """What one crawl of one source did, from Scrapy's stats."""

    pages: int = 0
    new_articles: int = 0
    changed: int = 0
    hits: int = 0
    alerts: int = 0
    errors: int = 0
    rejected: int = 0
    not_modified: int = 0
    finish_reason: str = ""
    stats: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_stats(cls, stats: dict[str, Any]) -> RunCounts:
        """Read the counters our spiders and pipeline keep."""
        def total(prefix: str) -> int:
            return sum(int(v) for k, v in stats.items() if k.startswith(prefix) and isinstance(v, int))
        return cls(
            pages=int(stats.get("downloader/response_count", 0)),
            new_articles=int(stats.get("monitor/articles/new", 0)),
            changed=int(stats.get("monitor/articles/changed", 0)),
            hits=int(stats.get("monitor/hits", 0)),
            alerts=int(stats.get("monitor/alerts", 0)),
            # Not log_count/ERROR: Scrapy counts every ERROR line of the process there, so crawls running at
            # the same time would share their errors. These two are counted per crawl.
            errors=total("monitor/errors/") + total("spider_exceptions/"),
            rejected=total("monitor/rejected/"),
            not_modified=int(stats.get("monitor/not_modified", 0)),
            finish_reason=str(stats.get("finish_reason", "")),
            stats=stats,
        )


class CrawlRunner:
    """Runs one spider per source on Scrapy's AsyncCrawlerRunner; stop() ends running crawls gracefully."""

    def __init__(self, settings: dict[str, Any]) -> None:
        from scrapy.crawler import AsyncCrawlerRunner

        self.runner = AsyncCrawlerRunner(settings)

    async def crawl(self, source: Source, *, state: Any, processor: ArticleProcessor, baseline: bool) -> RunCounts:
        """Crawl one source to the end and return its counts."""
        crawler = self.runner.create_crawler(SPIDERS[source.type])
        await self.runner.crawl(crawler, source=source, state=state, processor=processor, baseline=baseline)
        stats = dict(crawler.stats.get_stats()) if crawler.stats else {}
        return RunCounts.from_stats(stats)

    async def stop(self) -> None:
        """Ask running crawls to close (they drain in-flight requests) and wait for them."""
        await self.runner.stop()
        await self.runner.join()
