"""ListingSpider: a front or section page; follows same-site links that look like articles."""

from __future__ import annotations

import functools
import ipaddress
import logging
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy.http import TextResponse
from scrapy.linkextractors import LinkExtractor
from tldextract import TLDExtract

from monitor.urls import canonical_url
from spiders.base import NewsSpider

if TYPE_CHECKING:
    from collections.abc import Iterator

    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

# The public-suffix snapshot bundled with tldextract: no download at run time, and private
# suffixes on, so two blogspot.com blogs are different sites.
_SUFFIXES = TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)
# Path segments of navigation, not articles: taxonomy, paging, accounts, site furniture.
NOT_ARTICLE_SEGMENTS = frozenset(
    {
        "tag", "tags", "category", "categories", "topic", "topics", "section", "sections",
        "author", "authors", "page", "search", "login", "logout", "signin", "signup",
        "register", "account", "profile", "user", "users", "subscribe", "subscription",
        "newsletter", "about", "about-us", "contact", "contacts", "privacy", "privacy-policy",
        "terms", "cookies", "feed", "rss", "archive", "archives", "wp-admin", "wp-login.php",
        "cdn-cgi", "cart", "shop", "donate", "advertising", "jobs", "sitemap",
    }
)  # fmt: skip
NOT_ARTICLE_PARAMS = frozenset({"page", "s", "q", "query", "search", "replytocom", "share"})
_DATE_IN_PATH = re.compile(r"(?:19|20)\d\d(?:[/-](?:0?[1-9]|1[0-2])(?:[/-]|$)|(?:0[1-9]|1[0-2])[0-3]\d)")
_NUMERIC_ID = re.compile(r"\d{4,}")
_ARTICLE_SUFFIX = (".html", ".htm", ".shtml", ".php", ".asp", ".aspx")
# Shorter link text is "Read more" or a kicker, not a headline worth keeping as a hint.
LINK_TEXT_MIN_HINT = 15


@functools.lru_cache(maxsize=4096)
def site_of(url: str) -> str:
    """The registered domain of a URL (bbc.co.uk for news.bbc.co.uk); for a suffix the
    public list lacks (.example, .lan), the last two labels; for an IP address, itself."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    registered = _SUFFIXES(host).top_domain_under_public_suffix
    if registered:
        return str(registered)
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return ".".join(host.split(".")[-2:])
    return host


def looks_like_article(url: str) -> bool:
    """Guess from the URL alone whether a link leads to an article rather than navigation.

    Yes for a date in the path, a hyphenated slug of three or more words, a numeric id of
    four or more digits, or a .html-like last segment below the top level; no for taxonomy,
    paging, account and search links.
    """
    parts = urlsplit(url)
    segments = [s for s in parts.path.lower().split("/") if s]
    if any(s in NOT_ARTICLE_SEGMENTS for s in segments):
        return False
    params = {p.partition("=")[0].lower() for p in parts.query.split("&") if p}
    if params & NOT_ARTICLE_PARAMS:
        return False
    if not segments:
        # /?p=12345 (WordPress) or /?c=ar&i=312345: an id in the query.
        return bool(_NUMERIC_ID.search(parts.query))
    last = segments[-1]
    return bool(
        _DATE_IN_PATH.search(parts.path)
        or last.count("-") >= 2
        or _NUMERIC_ID.search(last)
        or (len(segments) >= 2 and last.endswith(_ARTICLE_SUFFIX))
    )


class ListingSpider(NewsSpider):
    """A section or front page: requests the same-site links that are articles (by
    Source.article_pattern when set, else by looks_like_article)."""

    name = "listing"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        pattern = self.source.article_pattern
        self.pattern = re.compile(pattern) if pattern else None
        # deny_extensions defaults to images, media, archives and office files.
        self.extractor = LinkExtractor(unique=True, strip=True)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Request]:
        """Request the article links of a listing page, in page order, up to max_items."""
        if not self.accept(response):
            return
        if not isinstance(response, TextResponse):
            self.reject("not_html", response.url)
            return
        own = canonical_url(response.url)
        sites = {site_of(response.url), site_of(response.meta.get("monitor_url", own))}
        chosen: dict[str, str] = {}  # url -> longest link text (the headline, not "Comments (12)")
        candidates = set()
        for link in self.extractor.extract_links(response):
            url = canonical_url(link.url)
            if url == own or site_of(url) not in sites:
                continue
            candidates.add(url)
            if url in chosen or (self.pattern.search(url) if self.pattern else looks_like_article(url)):
                chosen[url] = max(chosen.get(url, ""), link.text, key=len)
        self.log_cap(len(chosen), response.url)
        self.count("monitor/listing/pages")
        self.count("monitor/listing/candidates", len(candidates))
        self.count("monitor/listing/links", len(chosen))
        logger.info("%s: %d article links on %s", self.source.name, len(chosen), response.url)
        for url, text in list(chosen.items())[: self.max_items]:
            hint = " ".join(text.split())
            request = self.article_request(url, hint_title=hint if len(hint) >= LINK_TEXT_MIN_HINT else None)
            if request is not None:
                yield request
