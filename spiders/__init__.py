"""Fetch stage: Scrapy spiders, one per source kind; they fetch and yield monitor.models.RawPage (or Post) only.

Takes a `Source` and its crawl state (known URLs, ETags); gives `RawPage`s, with feed or sitemap hints.
Posts (a Telegram channel's, a social feed's) come already structured, as `Post`s. They never clean, match
or store. Also exported: the feed, sitemap and channel readers that `add-source` uses to preview a source,
and `scrapy_settings`, the one place our Scrapy settings are made.
"""

from __future__ import annotations

from spiders.base import CrawlState, MemoryCrawlState, NewsSpider, as_utc, newest_first
from spiders.feed import FeedSpider, bound_items, read_feed
from spiders.listing import ListingSpider, site_of
from spiders.page import PageSpider
from spiders.settings import scrapy_settings
from spiders.sitemap import SitemapSpider, gunzip_bounded, read_sitemap
from spiders.telegram import TelegramSpider
from spiders.telegram_page import ChannelPage, read_channel

# Source.type -> spider class; the only place a kind is bound to its code.
SPIDERS: dict[str, type[NewsSpider]] = {
    "feed": FeedSpider,
    "sitemap": SitemapSpider,
    "listing": ListingSpider,
    "page": PageSpider,
    "telegram": TelegramSpider,
}

__all__ = [
    "SPIDERS",
    "ChannelPage",
    "CrawlState",
    "FeedSpider",
    "ListingSpider",
    "MemoryCrawlState",
    "NewsSpider",
    "PageSpider",
    "SitemapSpider",
    "TelegramSpider",
    "as_utc",
    "bound_items",
    "gunzip_bounded",
    "newest_first",
    "read_channel",
    "read_feed",
    "read_sitemap",
    "scrapy_settings",
    "site_of",
]
