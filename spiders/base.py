"""NewsSpider: what every source kind shares (crawl state, conditional GET, page guards,
error accounting). Spiders fetch; they never clean, match or store, and yield RawPage only."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectError, DNSLookupError
from twisted.internet.error import TimeoutError as TxTimeoutError
from twisted.web._newclient import ResponseFailed
from w3lib.encoding import http_content_type_encoding

from monitor.models import RawPage, Source
from monitor.urls import canonical_url
from spiders.address_guard import refused_name
from spiders.symptoms import newer_item, permanent_target

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Iterable, Iterator

    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

# A news feed has tens of items and a news sitemap at most 1,000 (Google's limit); 2,000
# keeps every real source whole while a 50,000-item file cannot stall a cycle.
DEFAULT_MAX_ITEMS = 2000
# 304 must reach our callbacks: it is the cheap answer we asked for, not an error.
NOT_MODIFIED = 304
# The crawler stat that carries a source-level failure, in words, to the run's record.
SOURCE_ERROR = "monitor/source_error"
HTTP_SCHEMES = ("http", "https")
# Clock skew and time-zone slips put dates hours ahead; beyond a day a date is wrong.
FUTURE_SLACK = timedelta(days=1)
# UTF-16/32 text legitimately starts with NUL bytes; anything else with NULs is binary.
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
_IGNORE_REASONS = (("robots", "robots"), ("max redirections", "redirect_loop"), ("download_maxsize", "too_large"),
                   ("internal address", "internal_address"))


class CrawlState(Protocol):
    """What a spider needs to know about earlier cycles (the store implements it in SQLite)."""

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) stored for a feed, sitemap, listing or page URL."""
        ...

    def remember(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Store the validators of a 200 response, replacing older ones."""
        ...

    def is_known(self, url: str, lastmod: datetime | None = None) -> bool:
        """Whether the article is stored and not updated since (lastmod None: known means skip)."""
        ...

    def cursor(self, key: str) -> str | None:
        """How far a paged source has read (a channel's newest post id), None before its first complete run."""
        ...

    def advance_cursor(self, key: str, value: str) -> None:
        """Record how far this run read; kept only if the run completes, like validators."""
        ...


class MemoryCrawlState:
    """CrawlState in a dict, with JSON dump/load so a subprocess crawl can continue it."""

    def __init__(self) -> None:
        self._validators: dict[str, tuple[str | None, str | None]] = {}
        self._stored: dict[str, datetime] = {}
        self._cursors: dict[str, str] = {}

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) stored for a URL, (None, None) when never seen."""
        return self._validators.get(url, (None, None))

    def remember(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Store the validators of a 200 response; a response without any forgets the URL."""
        if etag is None and last_modified is None:
            self._validators.pop(url, None)
        else:
            self._validators[url] = (etag, last_modified)

    def is_known(self, url: str, lastmod: datetime | None = None) -> bool:
        """Whether the article was stored, and stored after its lastmod (when one is given)."""
        stored = self._stored.get(url)
        if stored is None:
            return False
        return lastmod is None or as_utc(lastmod) <= stored

    def cursor(self, key: str) -> str | None:
        """The cursor recorded under key, None when never recorded."""
        return self._cursors.get(key)

    def advance_cursor(self, key: str, value: str) -> None:
        """Record a cursor (a memory state has no run to wait for)."""
        self._cursors[key] = value

    def mark_stored(self, url: str, when: datetime | None = None) -> None:
        """Record an article as stored (what the store does after saving it)."""
        self._stored[url] = as_utc(when) if when else datetime.now(UTC)

    def dump(self, path: str | Path) -> None:
        """Write the state as JSON."""
        data = {
            "validators": {url: list(pair) for url, pair in self._validators.items()},
            "stored": {url: when.isoformat() for url, when in self._stored.items()},
            "cursors": self._cursors,
        }
        Path(path).write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> MemoryCrawlState:
        """Read a state written by dump(); a missing file is an empty state."""
        state = cls()
        file = Path(path)
        if not file.exists():
            return state
        data = json.loads(file.read_text(encoding="utf-8"))
        for url, (etag, modified) in data.get("validators", {}).items():
            state._validators[url] = (etag, modified)
        for url, when in data.get("stored", {}).items():
            state._stored[url] = datetime.fromisoformat(when)
        state._cursors = {str(k): str(v) for k, v in data.get("cursors", {}).items()}
        return state


def as_utc(moment: datetime) -> datetime:
    """Make a datetime timezone-aware in UTC; naive values are taken as UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def error_kind(failure: Failure) -> str:
    """Short name for why a request failed, used in stats keys and log lines."""
    error = failure.value
    if isinstance(error, HttpError):
        return f"http_{error.response.status}"
    if isinstance(error, DownloadTimeoutError | TxTimeoutError | TimeoutError):
        return "timeout"
    if isinstance(error, CannotResolveHostError | DNSLookupError):
        return "dns"
    if isinstance(error, DownloadConnectionRefusedError | ConnectError):
        return "connection"
    if isinstance(error, DownloadCancelledError):
        return "too_large"  # Scrapy cancels a download that passes DOWNLOAD_MAXSIZE
    if isinstance(error, ResponseDataLossError | ResponseFailed):
        return "data_loss"
    if isinstance(error, IgnoreRequest):
        # Scrapy says why only in the message: robots.txt, redirect limit, decompressed size.
        message = str(error).lower()
        for needle, kind in _IGNORE_REASONS:
            if needle in message:
                return kind
        return "ignored"
    return type(error).__name__


class NewsSpider(scrapy.Spider):
    """Base of the source kinds: builds requests with state, guards pages, accounts for errors."""

    name = "news"

    def __init__(self, *, source: Source, state: CrawlState | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.source = source
        self.state: CrawlState = state if state is not None else MemoryCrawlState()
        self.max_items = option_int(source, "max_items", DEFAULT_MAX_ITEMS)

    # ----- start --------------------------------------------------------------------------
    def source_urls(self) -> list[str]:
        """The URLs this source starts from: url plus urls, without duplicates."""
        return list(dict.fromkeys(u.strip() for u in (self.source.url, *self.source.urls) if u))

    async def start(self) -> AsyncIterator[Any]:
        """Fetch each start URL conditionally; parse() reads it."""
        for url in self.source_urls():
            # dont_filter: a redirect loop then ends at REDIRECT_MAX_TIMES with an error we
            # count, instead of being dropped silently by the duplicate filter.
            request = self.conditional_request(url, self.parse, dont_filter=True)
            if request is not None:
                request.meta["monitor_start"] = True  # whether the source itself answered decides its health
                yield request

    def conditional_request(self, url: str, callback: Callable[..., Any], **kw: Any) -> Request | None:
        """A request carrying If-None-Match/If-Modified-Since from the state, 304 allowed;
        None (counted as bad_link) for a URL Scrapy cannot request, such as a bad port."""
        headers: dict[str, str] = {}
        etag, last_modified = self.state.validators(url)
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        meta = {"monitor_url": url, "handle_httpstatus_list": [NOT_MODIFIED]}
        try:
            return Request(url, callback=callback, errback=self.on_error, headers=headers, meta=meta, **kw)
        except ValueError as error:
            # One bad link in a feed must not end the callback and lose the entries after it.
            self.reject("bad_link", url, str(error))
            return None

    # ----- articles -----------------------------------------------------------------------
    def article_request(
        self,
        link: str,
        *,
        base_url: str | None = None,
        lastmod: datetime | None = None,
        hint_title: str | None = None,
        hint_published: datetime | None = None,
        skip_known: bool = True,
        dont_filter: bool = False,
    ) -> Request | None:
        """A conditional request for an article, or None for a bad link or a known article."""
        url = canonical_url(resolve_link(base_url, link) if base_url else link)
        if not is_http_url(url):
            self.reject("bad_link", link)
            return None
        if lastmod is not None and lastmod > datetime.now(UTC) + FUTURE_SLACK:
            # A date far ahead would make the article look updated on every cycle until then.
            self.count("monitor/future_lastmod")
            lastmod = None
        if skip_known and self.state.is_known(url, lastmod):
            self.count("monitor/skipped_known")
            return None
        request = self.conditional_request(url, self.parse_article, dont_filter=dont_filter)
        if request is not None:
            request.cb_kwargs.update(hint_title=hint_title, hint_published=hint_published)
        return request

    def parse_article(
        self,
        response: Response,
        hint_title: str | None = None,
        hint_published: datetime | None = None,
    ) -> Iterator[RawPage]:
        """Turn an article response into a RawPage, unless unchanged or rejected."""
        if not self.accept(response):
            return
        self.count("monitor/pages/fetched")
        page = self.raw_page(response, hint_title=hint_title, hint_published=hint_published)
        if page is None:
            self.count("monitor/pages/rejected")
            return
        yield page

    def raw_page(
        self,
        response: Response,
        *,
        hint_title: str | None = None,
        hint_published: datetime | None = None,
    ) -> RawPage | None:
        """Apply the size and encoding guards and build the RawPage (None: rejected, counted)."""
        if not self.passes_guards(response):
            return None
        body = response.body
        content_type = _header(response, "Content-Type")
        return RawPage(
            url=response.meta.get("monitor_url", response.url),
            final_url=response.url,
            body=body,
            source=self.source.name,
            # An unknown charset name would break decoding later; None lets the cleaner sniff.
            http_encoding=http_content_type_encoding(content_type) if content_type else None,
            content_type=content_type,
            hint_title=hint_title,
            hint_published=hint_published,
        )

    def passes_guards(self, response: Response) -> bool:
        """Whether a response is a text document within the size limit (else rejected and counted)."""
        body = response.body
        if not body.strip():
            self.reject("empty", response.url)
            return False
        limit = self.settings.getint("DOWNLOAD_MAXSIZE") if hasattr(self, "settings") else 0
        if limit and len(body) > limit:
            # Scrapy stops most oversized downloads; this catches decompressed ones.
            self.reject("too_large", response.url, f"{len(body)} bytes")
            return False
        if not isinstance(response, TextResponse) or _looks_binary(body):
            self.reject("not_html", response.url, _header(response, "Content-Type") or "no Content-Type")
            return False
        return True

    # ----- responses, errors, stats -------------------------------------------------------
    def accept(self, response: Response) -> bool:
        """False for 304 (counted); for 200, store the validators and return True."""
        if response.meta.get("monitor_start"):
            self.count("monitor/start_ok")
            moved = permanent_target(response)
            if moved and response.meta.get("monitor_url") == self.source.url:
                self.note("monitor/moved_to", moved)
        if response.status == NOT_MODIFIED:
            self.count("monitor/not_modified")
            logger.debug("%s: not modified: %s", self.source.name, response.url)
            return False
        self.state.remember(
            response.meta.get("monitor_url", response.url),
            _header(response, "ETag"),
            _header(response, "Last-Modified"),
        )
        return True

    def on_error(self, failure: Failure) -> None:
        """Errback: log why a request failed and count it; the crawl goes on."""
        kind = error_kind(failure)
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        if kind == "dns" and refused_name(urlsplit(url).hostname or ""):
            kind = "internal_address"  # the name resolves to an internal address (address_guard)
        self.count(f"monitor/errors/{kind}")
        if request is not None and request.meta.get("monitor_start"):
            self.count("monitor/start_failed")
        level = logging.INFO if kind == "robots" else logging.WARNING
        logger.log(level, "%s: %s: %s (%s)", self.source.name, kind, url, failure.getErrorMessage())

    def reject(self, reason: str, url: str, detail: str = "", amount: int = 1) -> None:
        """Skip a document (or `amount` entries of one) with a reason, logged and counted
        as monitor/rejected/<reason>."""
        self.count(f"monitor/rejected/{reason}", amount)
        logger.warning("%s: skipped %s: %s %s", self.source.name, url, reason, detail)

    def fail_source(self, reason: str, message: str) -> None:
        """The source itself is unusable (a missing channel, a changed layout): counted as a rejection, and
        `message` becomes the run's error in `monitor status`."""
        self.count(f"monitor/rejected/{reason}")
        self.set_source_error(message)

    def set_source_error(self, message: str) -> None:
        """Record why the source failed, in words, as the run's error (stat monitor/source_error)."""
        logger.error("%s: %s", self.source.name, message)
        crawler = getattr(self, "crawler", None)
        if crawler is not None:
            crawler.stats.set_value(SOURCE_ERROR, message)

    def count(self, key: str, amount: int = 1) -> None:
        """Add to a crawler stat (no-op for a spider built without a crawler)."""
        crawler = getattr(self, "crawler", None)
        if crawler is not None:
            crawler.stats.inc_value(key, amount)

    def note(self, key: str, value: Any) -> None:
        """Set a crawler stat (see spiders/symptoms.py for those the daemon's health checks read)."""
        crawler = getattr(self, "crawler", None)
        if crawler is not None:
            crawler.stats.set_value(key, value)

    def note_items(self, items: int, dates: Iterable[datetime | None]) -> None:
        """Count one feed or sitemap read, its entries, and keep the newest entry date seen."""
        self.count("monitor/documents")
        self.count("monitor/items", items)
        crawler = getattr(self, "crawler", None)
        if crawler is not None:
            newest = crawler.stats.get_value("monitor/newest_item")
            for moment in dates:
                newest = newer_item(newest, moment)
            if newest is not None:
                crawler.stats.set_value("monitor/newest_item", newest)

    def log_cap(self, total: int, url: str, limit: int | None = None) -> None:
        """Log and count the entries a cap (max_items by default) drops."""
        limit = self.max_items if limit is None else limit
        if total > limit:
            self.count("monitor/truncated", total - limit)
            logger.warning(
                "%s: %s lists %d entries; keeping the newest %d",
                self.source.name,
                url,
                total,
                limit,
            )


def resolve_link(base_url: str, link: str) -> str:
    """An absolute URL for a relative or protocol-less link; a link urljoin cannot parse
    (a broken IPv6 host) comes back stripped, to be rejected as a bad link."""
    try:
        return urljoin(base_url, link.strip())
    except ValueError:
        return link.strip()


def is_http_url(url: str) -> bool:
    """Whether a URL is absolute http(s) with a host."""
    scheme, _, rest = url.partition("://")
    return scheme in HTTP_SCHEMES and bool(rest) and not rest.startswith("/")


def newest_first(moment: datetime | None) -> tuple[int, float]:
    """Sort key putting dated entries first, newest first; undated keep document order."""
    return (0, -moment.timestamp()) if moment else (1, 0.0)


def _header(response: Response, name: str) -> str | None:
    """A response header as text, or None."""
    value = response.headers.get(name)
    return value.decode("latin-1").strip() if value else None


def _looks_binary(body: bytes) -> bool:
    """NUL bytes near the start mean an image or PDF served as text (unless UTF-16/32)."""
    head = body[:1024]
    return b"\x00" in head and not head.startswith(_WIDE_BOMS)


def option_int(source: Source, key: str, default: int) -> int:
    """A positive integer option from Source.extra, the default (with a warning) when invalid."""
    value = source.extra.get(key, default)
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    logger.warning("%s: %s must be a positive integer, not %r; using %d", source.name, key, value, default)
    return default
