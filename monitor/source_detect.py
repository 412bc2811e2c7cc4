"""What a URL is (feed, sitemap, listing or page) and what the monitor would take from it, fetched once.

What is shown comes from the spiders' own readers (read_feed, read_sitemap, ListingSpider.parse, clean_page), so
the preview is what the daemon will do, not a second guess.
"""

from __future__ import annotations

import io
import logging
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field, replace
from datetime import datetime
from urllib.parse import urljoin, urlsplit

import feedparser
import lxml.etree
import lxml.html

from monitor.config import MIN_INTERVAL, MonitorSettings
from monitor.errors import MonitorError, PageRejected
from monitor.inputs import describe_fetch_error
from monitor.models import Article
from monitor.page_signals import article_reason, feed_site_name, read_signals

logger = logging.getLogger(__name__)

SAMPLES = 5  # entries shown: enough to recognise the right feed, short enough to read
MIN_LISTING_LINKS = 3  # fewer article links than this and a page is more likely an article than a section
# Feed types announced with <link rel="alternate"> (RSS/RDF/Atom; feedparser reads all three).
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml")
FEED_ROOTS = {"rss": "RSS feed", "rdf": "RSS 1.0 (RDF) feed", "feed": "Atom feed"}
SITEMAP_ROOTS = {"urlset": "sitemap", "sitemapindex": "sitemap index"}
_PROLOG = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)", re.S | re.I)
_ROOT = re.compile(rb"\s*<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")


@dataclass(frozen=True)
class Fetched:
    """One HTTP response: the URL after redirects, its Content-Type and body."""

    url: str
    content_type: str | None
    body: bytes


@dataclass(frozen=True)
class Sample:
    """One item the source would lead the monitor to fetch."""

    url: str
    title: str | None = None
    date: datetime | None = None


@dataclass(frozen=True)
class Detection:
    """What a URL turned out to be and what the monitor would take from it."""

    type: str  # a config source type: feed | sitemap | listing | page | telegram
    url: str  # the URL to configure (a discovered feed's, not the page's)
    how: str  # how it was recognised, in words
    total: int  # entries, links or articles found
    samples: list[Sample] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    site_name: str | None = None  # og:site_name, the <title> after the headline, or the feed's title


# -- fetching -------------------------------------------------------------------------------------
def fetch(url: str, settings: MonitorSettings) -> Fetched:
    """GET `url` once (redirects followed) with the monitor's User-Agent, timeout and size limit."""
    if urlsplit(url).scheme not in ("http", "https"):  # a page may announce a file: or ftp: "feed"
        raise MonitorError(f"{url}: not an http(s) URL")
    request = urllib.request.Request(url, headers={  # noqa: S310 (scheme checked above)
        "User-Agent": settings.user_agent,
        "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/html;q=0.8, */*;q=0.5",
    })
    try:
        with urllib.request.urlopen(request, timeout=settings.download_timeout) as response:  # noqa: S310
            body = response.read(settings.max_page_size + 1)
            final, content_type = response.geturl(), response.headers.get("Content-Type")
    except urllib.error.HTTPError as exc:
        raise MonitorError(f"{url}: the site answered HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise MonitorError(f"{url}: cannot fetch URL: {describe_fetch_error(exc)}") from None
    if len(body) > settings.max_page_size:
        raise MonitorError(f"{url}: larger than max_page_size ({settings.max_page_size} bytes); the monitor skips it")
    if body[:2] == b"\x1f\x8b":  # a .xml.gz sitemap served as a file
        from spiders import gunzip_bounded

        try:
            body = gunzip_bounded(body, settings.max_page_size)
        except PageRejected as exc:
            raise MonitorError(f"{url}: {exc}") from None
    return Fetched(final, content_type, body)


def robots_allows(url: str, settings: MonitorSettings) -> bool:
    """Whether robots.txt lets the monitor fetch `url` (Protego: the parser Scrapy uses); True when unreadable."""
    from protego import Protego

    parts = urlsplit(url)
    try:
        robots = fetch(f"{parts.scheme}://{parts.netloc}/robots.txt", settings)
    except MonitorError:
        return True  # no robots.txt (or an error reading it) means no rules, for Scrapy too
    rules = Protego.parse(robots.body.decode("utf-8", "replace"))
    return bool(rules.can_fetch(url, settings.user_agent))


# -- recognising -----------------------------------------------------------------------------------
def root_element(body: bytes) -> str | None:
    """The lower-case local name of the document's first element (after XML declaration, comments, doctype)."""
    data = body.lstrip(b"\xef\xbb\xbf")[:65536]
    position = 0
    while match := _PROLOG.match(data, position):
        position = match.end()
    match = _ROOT.match(data, position)
    return match.group(1).decode("ascii").lower() if match else None


def feed_links(page: Fetched) -> list[str]:
    """Feeds a page announces with <link rel="alternate" type="application/rss+xml" ...>, best first."""
    try:
        document = lxml.html.document_fromstring(page.body)
    except (ValueError, lxml.etree.ParserError):
        return []
    base = next(iter(document.xpath("//base/@href")), page.url)
    found: list[tuple[bool, str]] = []
    for link in document.xpath("//link[@href]"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        if "alternate" in rel and kind in FEED_TYPES:
            # WordPress announces a comments feed next to the posts feed; comments are rarely wanted.
            is_comments = "comment" in (link.get("title") or "").lower() or "comments" in link.get("href", "")
            found.append((is_comments, urljoin(urljoin(page.url, base), link.get("href").strip())))
    ordered = [url for _, url in sorted(found, key=lambda item: item[0])]
    return list(dict.fromkeys(ordered))


def preview_feed(page: Fetched, max_items: int) -> Detection | None:
    """The feed's newest entries as the FeedSpider reads them; None when it is no usable feed."""
    from spiders import bound_items, read_feed

    feed = read_feed(page.body, page.url, page.content_type, max_items)
    if not feed.entries:
        return None
    head, _ = bound_items(page.body, 1)
    title = feedparser.parse(io.BytesIO(head)).feed.get("title")
    kind = FEED_ROOTS.get(root_element(page.body) or "", "feed")
    samples = [Sample(e.link or "(no link)", e.title, e.lastmod) for e in feed.entries[:SAMPLES]]
    notes = [] if any(e.lastmod for e in feed.entries) else ["its entries carry no dates"]
    if feed.is_microblog:
        from monitor.channel_detect import post_samples

        samples = post_samples(feed.entries)
        notes.append("a feed of posts (a social profile's): each entry is read as one post; its link is not fetched")
    how = f"{kind} “{' '.join(title.split())}”" if title else kind
    site = feed_site_name(title) if title else None
    return Detection("feed", page.url, how, feed.total, samples, notes, site_name=site)


def preview_sitemap(page: Fetched) -> Detection:
    """The sitemap's newest entries (or an index's sitemaps) as the SitemapSpider reads them."""
    from spiders import newest_first, read_sitemap

    try:
        sitemap = read_sitemap(page.body)
    except PageRejected as exc:
        raise MonitorError(f"{page.url}: not a readable sitemap: {exc}") from None
    entries = sorted(sitemap.entries, key=lambda e: newest_first(e.newest))
    samples = [Sample(e.loc, e.title, e.newest) for e in entries[:SAMPLES]]
    notes = []
    if sitemap.kind == "urlset" and not any(e.title or e.published for e in entries):
        notes.append("no <news:news> entries: a plain sitemap, where lastmod alone says what is new")
    if not any(e.newest for e in entries):
        notes.append("no dates: every entry counts as new on the first run, and backfill cannot limit it")
    return Detection("sitemap", page.url, SITEMAP_ROOTS.get(sitemap.kind, sitemap.kind), len(entries), samples, notes)


def preview_listing(page: Fetched, pattern: str | None = None) -> Detection:
    """The article links the ListingSpider would follow on this page, in page order."""
    from scrapy import Request
    from scrapy.http import HtmlResponse

    from monitor.models import Source
    from spiders import ListingSpider, MemoryCrawlState

    source = Source(name="add-source", url=page.url, type="listing", interval=MIN_INTERVAL, article_pattern=pattern)
    spider = ListingSpider(source=source, state=MemoryCrawlState())
    headers = {"Content-Type": page.content_type} if page.content_type else {}
    response = HtmlResponse(page.url, body=page.body, headers=headers, request=Request(page.url))
    links = [Sample(r.url, r.cb_kwargs.get("hint_title")) for r in spider.parse(response)]
    return Detection("listing", page.url, "section page", len(links), links[:SAMPLES])


def clean_article(page: Fetched) -> Article:
    """The article the cleaner reduces this page to (the daemon's own reading); PageRejected when none."""
    from monitor.clean import clean_page
    from monitor.models import RawPage

    return clean_page(RawPage(url=page.url, final_url=page.url, body=page.body, content_type=page.content_type))


def preview_page(page: Fetched, article: Article | None = None, why: str = "") -> Detection:
    """The article the cleaner reduces this page to; `why` says how it was told from a section page."""
    if article is None:
        try:
            article = clean_article(page)
        except PageRejected as exc:
            raise MonitorError(f"{page.url}: the cleaner finds no article on this page ({exc})") from None
    words = len(article.text.split())
    sample = Sample(page.url, article.title, article.published)
    how = f"article page ({words} words of text){': ' + why if why else ''}"
    return Detection("page", page.url, how, 1, [sample])


def single_article(page: Fetched) -> Detection | None:
    """The page as a `page` source when it is one article, by its own signals (monitor.page_signals)."""
    signals = read_signals(page.body, page.url)
    try:
        article: Article | None = clean_article(page)
    except PageRejected:
        article = None
    why = article_reason(signals, len(article.text.split()) if article else None)
    if article is None or why is None:
        return None
    detection = preview_page(page, article, why)
    links = preview_listing(page).total
    if links:
        detection.notes.append(f"its {links} other article link(s) (related stories, footer) are not followed; "
                               "pass --type listing to follow a page's links instead")
    return detection


def detect(url: str, settings: MonitorSettings, *, type: str | None = None, max_items: int = 2000) -> Detection:
    """Fetch `url` once and work out which source type fits (or read it as `type`); autodiscovers feeds."""
    from monitor import channel_detect as channels

    if type == "telegram" or (type is None and channels.is_telegram_address(url)):
        return channels.preview_channel(url, settings)
    if type is None and (profile := channels.detect_profile(url, settings, max_items)):
        return profile
    page = fetch(url, settings)
    if type is None and channels.looks_like_channel_page(page):
        return channels.preview_channel(page.url, settings)
    detection = _detect(page, settings, type, max_items)
    if root_element(page.body) not in (*FEED_ROOTS, *SITEMAP_ROOTS):  # an HTML page names its site best
        detection = replace(detection, site_name=read_signals(page.body, page.url).site_name or detection.site_name)
    return detection


def _detect(page: Fetched, settings: MonitorSettings, type: str | None, max_items: int) -> Detection:
    root = root_element(page.body)
    if type in (None, "feed") and root in FEED_ROOTS:
        found = preview_feed(page, max_items)
        if found:
            return found
        raise MonitorError(f"{page.url}: looks like a feed but has no readable entries")
    if type in (None, "sitemap") and root in SITEMAP_ROOTS:
        return preview_sitemap(page)
    if type in ("feed", "sitemap"):
        discovered = _discover(page, settings, max_items) if type == "feed" else None
        if discovered:
            return discovered
        raise MonitorError(f"{page.url}: is not a {type} (its first element is <{root or '?'}>)")
    if type is None:
        discovered = _discover(page, settings, max_items)
        if discovered:
            if single_article(page):  # the feed is the site's; the user may have meant this one article
                discovered.notes.append(f"{page.url} is itself an article: pass --type page to fetch only it")
            return discovered
    if type == "page":
        return preview_page(page)
    if type is None and (article := single_article(page)):
        return article
    listing = preview_listing(page)
    if type == "listing" or listing.total >= MIN_LISTING_LINKS:
        return listing
    detection = preview_page(page)
    detection.notes.append(f"only {listing.total} article link(s) on it, so it is taken as a single article; "
                           "pass --type listing to follow its links instead")
    return detection


def _discover(page: Fetched, settings: MonitorSettings, max_items: int) -> Detection | None:
    """The first feed the page announces that reads as one (each tried once)."""
    candidates = feed_links(page)
    problems = []
    for candidate in candidates[:3]:
        try:
            found = preview_feed(fetch(candidate, settings), max_items)
        except MonitorError as exc:
            problems.append(str(exc))
            continue
        if found:
            others = [c for c in candidates if c != candidate]
            notes = found.notes + ([f"the page also announces: {', '.join(others)}"] if others else [])
            how = f'{found.how}, announced by <link rel="alternate"> on {page.url}'
            return replace(found, how=how, notes=notes)
        problems.append(f"{candidate}: no readable entries")
    if problems:
        logger.warning("feeds announced by %s were unusable: %s", page.url, "; ".join(problems))
    return None
