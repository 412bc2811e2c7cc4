"""Scrapy spiders, one per source kind; they fetch and yield monitor.models.RawPage only."""

from __future__ import annotations

from spiders.base import CrawlState, MemoryCrawlState, NewsSpider
from spiders.feed import FeedSpider
from spiders.listing import ListingSpider
from spiders.page import PageSpider
from spiders.sitemap import SitemapSpider

# Source.type -> spider class; the only place a kind is bound to its code.
SPIDERS: dict[str, type[NewsSpider]] = {
    "feed": FeedSpider,
    "sitemap": SitemapSpider,
    "listing": ListingSpider,
    "page": PageSpider,
}

__all__ = [
    "SPIDERS",
    "CrawlState",
    "FeedSpider",
    "ListingSpider",
    "MemoryCrawlState",
    "NewsSpider",
    "PageSpider",
    "SitemapSpider",
]
