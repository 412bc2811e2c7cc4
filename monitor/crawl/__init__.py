"""Crawl stage: one crawl of a set of sources, from fetch to stored article.

Takes `Source`s and the `Config`; runs the Scrapy spiders on the asyncio reactor, sends each page to the
cleaning pool, where it is also signed and matched, and stores it with its hits and alerts, in transactions grouped
across articles (`ArticleProcessor`). Gives `RunCounts` per source.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from monitor.exports import lazy_exports

if TYPE_CHECKING:
    from monitor.crawl.fingerprint import wall_copies as wall_copies
    from monitor.crawl.pipeline import ArticleProcessor as ArticleProcessor
    from monitor.crawl.pipeline import Outcome as Outcome
    from monitor.crawl.pipeline import Ready as Ready
    from monitor.crawl.pipeline import Rules as Rules
    from monitor.crawl.pipeline import make_executor as make_executor
    from monitor.crawl.pipeline import pages_in_flight as pages_in_flight
    from monitor.crawl.pipeline import prepare_in as prepare_in
    from monitor.crawl.pipeline import rejected_outcome as rejected_outcome
    from monitor.crawl.pool import MatchSpec as MatchSpec
    from monitor.crawl.pool import Prepared as Prepared
    from monitor.crawl.pool import warm_up as warm_up
    from monitor.crawl.reactor import run_in_reactor as run_in_reactor
    from monitor.crawl.runner import CrawlRunner as CrawlRunner
    from monitor.crawl.runner import RunCounts as RunCounts
    from monitor.crawl.runner import parallel_crawls as parallel_crawls
    from monitor.crawl.runner import settings_for as settings_for

# name → the module that defines it, imported on first use (see monitor/exports.py for why).
EXPORTS = {
    "ArticleProcessor": "pipeline",
    "CrawlRunner": "runner",
    "MatchSpec": "pool",
    "Outcome": "pipeline",
    "Prepared": "pool",
    "Ready": "pipeline",
    "Rules": "pipeline",
    "RunCounts": "runner",
    "make_executor": "pipeline",
    "pages_in_flight": "pipeline",
    "parallel_crawls": "runner",
    "prepare_in": "pipeline",
    "rejected_outcome": "pipeline",
    "run_in_reactor": "reactor",
    "settings_for": "runner",
    "wall_copies": "fingerprint",
    "warm_up": "pool",
}
__all__ = sorted(EXPORTS)
__getattr__ = lazy_exports(__name__, EXPORTS)
