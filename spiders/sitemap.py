"""SitemapSpider: XML sitemaps, sitemap indexes and Google News sitemaps (plain or gzip'd),
read with a non-expanding, offline lxml parser and filtered by lastmod."""

from __future__ import annotations

import asyncio
import logging
import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from io import BytesIO
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from lxml import etree
from scrapy.utils.sitemap import sitemap_urls_from_robots

from monitor.errors import PageRejected
from spiders.base import NewsSpider, as_utc, newest_first, option_int

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

# A sitemap index can list thousands of archive sitemaps (one per day since 1999); the
# newest 50 cover any sane backfill, the rest would cost a request each per cycle.
DEFAULT_MAX_SITEMAPS = 50
# A bare & in <loc> is the most common sitemap bug; lxml's recover mode would drop "&name".
_BARE_AMP = re.compile(rb"&(?!(?:#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z_][\w.-]*);)")
_CDATA = re.compile(rb"(<!\[CDATA\[.*?\]\]>)", re.DOTALL)
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class SitemapEntry:
    """One <url> or <sitemap> entry."""

    loc: str
    lastmod: datetime | None = None
    published: datetime | None = None  # news:publication_date
    title: str | None = None  # news:title

    @property
    def newest(self) -> datetime | None:
        """The latest of lastmod and publication date."""
        dates = [d for d in (self.lastmod, self.published) if d]
        return max(dates) if dates else None


@dataclass(frozen=True)
class Sitemap:
    """A parsed sitemap: kind is "urlset", "sitemapindex" or the unexpected root's name."""

    kind: str
    entries: list[SitemapEntry]
    errors: int = 0  # XML errors recovered from (bare &, truncation, bad nesting)


def read_sitemap(body: bytes) -> Sitemap:
    """Parse sitemap XML without expanding entities or touching the network.

    Raises PageRejected("xml_entities") for a DTD that declares entities (billion laughs,
    external entities) and PageRejected("malformed_xml") when nothing can be read.
    """
    if declares_entities(body):
        raise PageRejected("xml_entities", "DTD with entity declarations")
    events = etree.iterparse(
        BytesIO(escape_bare_amps(body)),
        events=("end",),
        tag=("{*}url", "{*}sitemap"),
        recover=True,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    entries = []
    try:
        for _, element in events:
            parent = element.getparent()
            if parent is None or parent.getparent() is not None:
                continue  # only children of the root are entries
            entry = _entry(element)
            if entry is not None:
                entries.append(entry)
            element.clear()
            while element.getprevious() is not None:
                del parent[0]  # keep memory flat on 50,000-entry files
    except etree.XMLSyntaxError as error:
        if not entries:
            raise PageRejected("malformed_xml", str(error)) from None
        logger.info("sitemap partly malformed, kept %d entries: %s", len(entries), error)
    root = events.root
    if root is None:
        raise PageRejected("malformed_xml", "no root element")
    return Sitemap(kind=_local(root), entries=entries, errors=len(events.error_log))


def escape_bare_amps(body: bytes) -> bytes:
    """Escape & that starts no entity or character reference, outside CDATA sections."""
    parts = _CDATA.split(body)
    return b"".join(part if i % 2 else _BARE_AMP.sub(b"&amp;", part) for i, part in enumerate(parts))


def declares_entities(body: bytes) -> bool:
    """Whether the document declares entities (only a DTD can; a sitemap never needs one).

    The whole body is searched, not just the prolog: a comment in the DTD could hide
    where the prolog ends, and a literal "<!ENTITY" has no business in a sitemap.
    """
    return b"<!ENTITY" in body


def gunzip_bounded(data: bytes, limit: int) -> bytes:
    """Decompress a .gz sitemap, refusing to grow past limit bytes (a gzip bomb)."""
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = decompressor.decompress(data, limit + 1 if limit else 0)
    except zlib.error as error:
        raise PageRejected("bad_gzip", str(error)) from None
    if limit and (len(out) > limit or decompressor.unconsumed_tail):
        raise PageRejected("too_large", f"over {limit} bytes after gunzip")
    if not out and not decompressor.eof:
        raise PageRejected("bad_gzip", "truncated before any data")
    return out


def parse_w3c_date(text: str | None) -> datetime | None:
    """A sitemap date (W3C datetime: 2024-05-01, 2024-05-01T10:00Z, ...) in UTC, or None."""
    if not text:
        return None
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        return as_utc(datetime.fromisoformat(value))
    except ValueError:
        return None


def _local(element: Any) -> str:
    """Tag name without namespace, lower-case."""
    tag = element.tag
    return tag[tag.find("}") + 1 :].lower() if isinstance(tag, str) else ""


def _entry(element: Any) -> SitemapEntry | None:
    """Read loc, lastmod and the Google News fields from a <url>/<sitemap> element.

    Direct children only, so <image:image><image:loc> is not taken for the loc; any
    namespace, because sites get the sitemap namespace wrong often enough.
    """
    fields: dict[str, str] = {}
    for child in element:
        name = _local(child)
        if name == "news":
            for item in child.iter("{*}publication_date", "{*}title"):
                fields.setdefault(_local(item), (item.text or "").strip())
        elif name in ("loc", "lastmod"):
            fields.setdefault(name, (child.text or "").strip())
    loc = fields.get("loc")
    if not loc:
        return None
    return SitemapEntry(
        loc=loc,
        lastmod=parse_w3c_date(fields.get("lastmod")),
        published=parse_w3c_date(fields.get("publication_date")),
        title=" ".join(fields.get("title", "").split()) or None,
    )


class SitemapSpider(NewsSpider):
    """XML and Google News sitemaps (and indexes, gzip'd or not), honouring lastmod."""

    name = "sitemap"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        backfill = self.source.backfill
        # Entries older than the backfill window are news we will never alert on.
        self.oldest = datetime.now(UTC) - timedelta(seconds=backfill) if backfill else None

    async def parse(self, response: Response, **kwargs: Any) -> AsyncIterator[Request]:
        """Read a sitemap, sitemap index or robots.txt and request what is new."""
        if not self.accept(response):
            return
        if response.url.endswith("/robots.txt"):
            self._forget_validators(response)
            for url in sitemap_urls_from_robots(response.body, base_url=response.url):
                if (request := self.conditional_request(url, self.parse)) is not None:
                    yield request
            return
        try:
            sitemap = await asyncio.to_thread(read_sitemap, self._xml(response))
        except PageRejected as rejected:
            self.reject(rejected.reason, response.url, rejected.detail)
            return
        if sitemap.errors:
            self.count("monitor/recovered_xml")
            logger.info("%s: %s: read past %d XML errors", self.source.name, response.url, sitemap.errors)
        if sitemap.kind in ("sitemapindex", "urlset"):
            self.note_items(len(sitemap.entries), (e.newest for e in sitemap.entries))
        entries = [e for e in sitemap.entries if self._in_window(e)]
        entries.sort(key=lambda e: newest_first(e.newest))
        if sitemap.kind == "sitemapindex":
            self._forget_validators(response)
            limit = option_int(self.source, "max_sitemaps", DEFAULT_MAX_SITEMAPS)
            for entry in self._capped(entries, limit, response.url):
                if self._unchanged_since_fetched(entry):
                    self.count("monitor/skipped_unchanged_sitemap")
                elif (request := self.conditional_request(urljoin(response.url, entry.loc), self.parse)) is not None:
                    yield request
        elif sitemap.kind == "urlset":
            for entry in self._capped(entries, self.max_items, response.url):
                request = self.article_request(
                    entry.loc,
                    base_url=response.url,
                    lastmod=entry.newest,
                    hint_title=entry.title,
                    hint_published=entry.published,
                )
                if request is not None:
                    yield request
        else:
            self.reject("not_a_sitemap", response.url, f"root element <{sitemap.kind}>")

    def _forget_validators(self, response: Response) -> None:
        """An index or robots.txt is fetched whole every cycle: a 304 would hide its children,
        whose files can change while it stays the same."""
        self.state.remember(response.meta.get("monitor_url", response.url), None, None)

    def _unchanged_since_fetched(self, entry: SitemapEntry) -> bool:
        """Whether the index dates a child sitemap no later than the Last-Modified we got it with."""
        _, fetched = self.state.validators(entry.loc)
        if entry.lastmod is None or not fetched:
            return False
        try:
            return entry.lastmod <= as_utc(parsedate_to_datetime(fetched))
        except (TypeError, ValueError):
            return False

    def _xml(self, response: Response) -> bytes:
        """The sitemap bytes, gunzipped when the file itself is gzip (not just the transfer)."""
        body = response.body
        if body[:2] == _GZIP_MAGIC:
            return gunzip_bounded(body, self.settings.getint("DOWNLOAD_MAXSIZE"))
        return body

    def _in_window(self, entry: SitemapEntry) -> bool:
        """False for entries last changed before the backfill window (counted)."""
        newest = entry.newest
        if self.oldest is None or newest is None or newest >= self.oldest:
            return True
        self.count("monitor/skipped_old")
        return False

    def _capped(self, entries: list[SitemapEntry], limit: int, url: str) -> list[SitemapEntry]:
        """The first `limit` entries (already newest first); the cut is logged."""
        if len(entries) > limit:
            self.log_cap(len(entries), url, limit)
        return entries[:limit]
