"""The Scrapy settings our spiders run with (polite, bounded, no open ports), and the downloader
middlewares those settings add: Retry-After, and a meta refresh that reads only the page's head."""

from __future__ import annotations

import asyncio
import codecs
import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, cast

from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse
from scrapy.utils.httpobj import urlparse_cached
from w3lib.encoding import html_body_declared_encoding, html_to_unicode, http_content_type_encoding, read_bom
from w3lib.html import get_base_url, get_meta_refresh

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

# Statuses a server uses for "later, please"; the rest of Scrapy's list are transient faults.
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
RETRY_AFTER_CODES = frozenset({429, 503})
# Retry-After longer than this is not waited for in this cycle: the next cycle will retry,
# and a long sleep would hold up a graceful shutdown.
DEFAULT_RETRY_AFTER_MAX = 30.0


def scrapy_settings(
    *,
    user_agent: str,
    download_timeout: float,
    max_page_size: int,
    concurrency_per_domain: int,
    obey_robots: bool,
    fast: bool = False,
    overrides: dict[str, object] | None = None,
) -> dict[str, object]:
    """Scrapy settings for a crawl; fast=True drops the politeness delays (loopback tests)."""
    settings: dict[str, object] = {
        "USER_AGENT": user_agent,
        "ROBOTSTXT_OBEY": obey_robots,
        # Politeness: AutoThrottle adapts the delay to the site's latency, capped per domain.
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": 0.0 if fast else 0.5,
        "AUTOTHROTTLE_MAX_DELAY": 10.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "DOWNLOAD_DELAY": 0.0 if fast else 0.25,
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency_per_domain,
        "CONCURRENT_REQUESTS": max(16, concurrency_per_domain),
        # Bounds: a hung or huge page costs at most this much.
        "DOWNLOAD_TIMEOUT": download_timeout,
        "DNS_TIMEOUT": min(download_timeout, 20.0),
        "DOWNLOAD_MAXSIZE": max_page_size,
        "DOWNLOAD_WARNSIZE": max_page_size // 2,
        "REDIRECT_MAX_TIMES": 5,
        "METAREFRESH_MAXDELAY": 5,
        # Feed -> article, index -> sitemap -> article: deeper means a loop.
        "DEPTH_LIMIT": 4,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": 2,
        "RETRY_HTTP_CODES": RETRY_HTTP_CODES,
        "MONITOR_RETRY_AFTER_MAX": 1.0 if fast else DEFAULT_RETRY_AFTER_MAX,
        "DOWNLOADER_MIDDLEWARES": {
            # process_response runs from high to low numbers: this must see the response
            # before RetryMiddleware (550) schedules the retry.
            "spiders.settings.RetryAfterMiddleware": 560,
            # before robots.txt (100): a refused address is not even asked for its robots.txt
            "spiders.address_guard.AddressGuardMiddleware": 50,
            # Scrapy's own decodes every page whole (and keeps the text with the response) to look at its first
            # 4,096 characters; the cleaner decodes the page again in the pool. Ours decodes those characters only.
            "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
            "spiders.settings.HeadMetaRefreshMiddleware": 580,
        },
        # Each cycle is stateless towards the site: no cookies, no HTTP cache (our own
        # conditional GET does that job), no open ports.
        "COOKIES_ENABLED": False,
        "HTTPCACHE_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,
        # Only http(s): a hostile feed linking file:///etc/passwd or s3:// gets nothing.
        "DOWNLOAD_HANDLERS": {"file": None, "s3": None, "ftp": None, "data": None},
        "LOG_LEVEL": "INFO",
    }
    settings.update(overrides or {})
    return settings


def parse_retry_after(value: str | bytes | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date), or None."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware:
    """Honours Retry-After on 429/503: waits before the retry and slows the whole site;
    a wait longer than MONITOR_RETRY_AFTER_MAX gives the request up until the next cycle."""

    def __init__(self, crawler: Crawler, max_wait: float) -> None:
        self.crawler = crawler
        self.max_wait = max_wait

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        """Build from the crawler settings."""
        return cls(crawler, crawler.settings.getfloat("MONITOR_RETRY_AFTER_MAX", DEFAULT_RETRY_AFTER_MAX))

    async def process_response(self, request: Request, response: Response) -> Response:
        """Wait as asked (up to max_wait) before RetryMiddleware retries."""
        if response.status not in RETRY_AFTER_CODES:
            return response
        wait = parse_retry_after(response.headers.get("Retry-After"))
        if wait is None:
            return response
        slot = self.crawler.engine.downloader.slots.get(request.meta.get("download_slot", ""))
        if slot is not None:
            # The rest of this site's queue waits too; AutoThrottle eases it back down.
            slot.delay = max(slot.delay, min(wait, self.max_wait))
        if wait > self.max_wait:
            request.meta["dont_retry"] = True
            logger.warning(
                "%s asks to wait %.0f s (over %.0f s): giving up until the next cycle",
                request.url,
                wait,
                self.max_wait,
            )
            return response
        logger.info("%s: %s, waiting %.1f s as asked", request.url, response.status, wait)
        await asyncio.sleep(wait)
        return response


# Scrapy looks for <meta http-equiv="refresh"> (and <base href>) in a page's first 4,096 characters; in the worst
# encoding (UTF-32) they take 4 bytes each.
META_REFRESH_CHARS = 4096
_HEAD_BYTES = 4 * META_REFRESH_CHARS


def head_text(response: Response) -> tuple[str, str]:
    """The first META_REFRESH_CHARS characters of an HTML response and their encoding, found as Scrapy finds a
    page's (BOM, HTTP header, declaration in the body, else sniffed), without decoding the rest of the page."""
    head = response.body[:_HEAD_BYTES]
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
    bom = read_bom(head)[0]
    encoding = bom or http_content_type_encoding(content_type) or html_body_declared_encoding(head)
    if encoding is None:
        encoding, text = html_to_unicode(content_type, head)
    else:
        text = codecs.decode(head, encoding, "replace")  # a cut multi-byte character at the end is harmless
    return text[:META_REFRESH_CHARS], encoding


class HeadMetaRefreshMiddleware(MetaRefreshMiddleware):
    """Scrapy's MetaRefreshMiddleware, reading the page's head only (see DOWNLOADER_MIDDLEWARES)."""

    def process_response(self, request: Request, response: Response, spider: object = None) -> Request | Response:
        """Follow a meta refresh shorter than METAREFRESH_MAXDELAY, as Scrapy's middleware does."""
        if (request.meta.get("dont_redirect", False) or request.method == "HEAD"
                or not isinstance(response, HtmlResponse)
                or urlparse_cached(request).scheme not in {"http", "https"}):
            return response
        text, encoding = head_text(response)
        base = get_base_url(text, response.url, encoding)
        interval, url = get_meta_refresh(text, base, encoding, ignore_tags=self._ignore_tags)
        if not url:
            return response
        redirected = self._redirect_request_using_get(request, response, url)
        if urlparse_cached(redirected).scheme not in {"http", "https"}:
            return response
        if cast("float", interval) < self._maxdelay:
            return self._redirect(redirected, request, "meta refresh")
        return response
