"""`monitor add-source URL`: find out what a URL is (feed, sitemap, listing or page), try it once, show what the
monitor would take from it, and append a `[[sources]]` block to config.toml without touching anything else.

What is shown comes from the spiders' own readers (read_feed, read_sitemap, ListingSpider.parse, clean_page), so
the preview is what the daemon will do, not a second guess.
"""

from __future__ import annotations

import io
import logging
import os
import re
import sys
import tempfile
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import lxml.etree
import lxml.html
import tomlkit

from monitor.config import MIN_INTERVAL, SOURCE_TYPES, MonitorSettings, load_config, parse_duration
from monitor.errors import ConfigError, MonitorError, PageRejected

logger = logging.getLogger(__name__)

SAMPLES = 5  # entries shown: enough to recognise the right feed, short enough to read
MIN_LISTING_LINKS = 3  # fewer article links than this and a page is more likely an article than a section
# Feed types announced with <link rel="alternate"> (RSS/RDF/Atom; feedparser reads all three).
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml")
FEED_ROOTS = {"rss": "RSS feed", "rdf": "RSS 1.0 (RDF) feed", "feed": "Atom feed"}
SITEMAP_ROOTS = {"urlset": "sitemap", "sitemapindex": "sitemap index"}
_PROLOG = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)", re.S | re.I)
_ROOT = re.compile(rb"\s*<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_ENV_MISSING = "environment variable"


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

    type: str  # a config source type: feed | sitemap | listing | page
    url: str  # the URL to configure (a discovered feed's, not the page's)
    how: str  # how it was recognised, in words
    total: int  # entries, links or articles found
    samples: list[Sample] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# -- fetching -------------------------------------------------------------------------------------
def fetch(url: str, settings: MonitorSettings) -> Fetched:
    """GET `url` once (redirects followed) with the monitor's User-Agent, timeout and size limit."""
    request = urllib.request.Request(url, headers={
        "User-Agent": settings.user_agent,
        "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/html;q=0.8, */*;q=0.5",
    })
    try:
        with urllib.request.urlopen(request, timeout=settings.download_timeout) as response:
            body = response.read(settings.max_page_size + 1)
            final, content_type = response.geturl(), response.headers.get("Content-Type")
    except urllib.error.HTTPError as exc:
        raise MonitorError(f"{url}: the site answered HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise MonitorError(f"{url}: cannot fetch: {reason}") from None
    if len(body) > settings.max_page_size:
        raise MonitorError(f"{url}: larger than max_page_size ({settings.max_page_size} bytes); the monitor skips it")
    if body[:2] == b"\x1f\x8b":  # a .xml.gz sitemap served as a file
        from spiders.sitemap import gunzip_bounded

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
    from spiders.feed import bound_items, read_feed

    feed = read_feed(page.body, page.url, page.content_type, max_items)
    if not feed.entries:
        return None
    head, _ = bound_items(page.body, 1)
    title = feedparser.parse(io.BytesIO(head)).feed.get("title")
    kind = FEED_ROOTS.get(root_element(page.body) or "", "feed")
    samples = [Sample(e.link or "(no link)", e.title, e.lastmod) for e in feed.entries[:SAMPLES]]
    notes = [] if any(e.lastmod for e in feed.entries) else ["its entries carry no dates"]
    how = f"{kind} “{' '.join(title.split())}”" if title else kind
    return Detection("feed", page.url, how, feed.total, samples, notes)


def preview_sitemap(page: Fetched) -> Detection:
    """The sitemap's newest entries (or an index's sitemaps) as the SitemapSpider reads them."""
    from spiders.base import newest_first
    from spiders.sitemap import read_sitemap

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
    from spiders.base import MemoryCrawlState
    from spiders.listing import ListingSpider

    source = Source(name="add-source", url=page.url, type="listing", interval=MIN_INTERVAL, article_pattern=pattern)
    spider = ListingSpider(source=source, state=MemoryCrawlState())
    headers = {"Content-Type": page.content_type} if page.content_type else {}
    response = HtmlResponse(page.url, body=page.body, headers=headers, request=Request(page.url))
    links = [Sample(r.url, r.cb_kwargs.get("hint_title")) for r in spider.parse(response)]
    return Detection("listing", page.url, "section page", len(links), links[:SAMPLES])


def preview_page(page: Fetched) -> Detection:
    """The article the cleaner reduces this page to."""
    from monitor.cleaner import clean_page
    from monitor.models import RawPage

    raw = RawPage(url=page.url, final_url=page.url, body=page.body, content_type=page.content_type)
    try:
        article = clean_page(raw)
    except PageRejected as exc:
        raise MonitorError(f"{page.url}: the cleaner finds no article on this page ({exc})") from None
    words = len(article.text.split())
    sample = Sample(page.url, article.title, article.published)
    return Detection("page", page.url, f"article page ({words} words of text)", 1, [sample])


def detect(url: str, settings: MonitorSettings, *, type: str | None = None, max_items: int = 2000) -> Detection:
    """Fetch `url` once and work out which source type fits (or read it as `type`); autodiscovers feeds."""
    page = fetch(url, settings)
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
            return discovered
    if type == "page":
        return preview_page(page)
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


# -- config.toml -----------------------------------------------------------------------------------
def suggest_name(url: str, taken: set[str]) -> str:
    """A source name from the site's domain (svaboda for www.svaboda.org), unique among `taken` (any case)."""
    from spiders.listing import site_of

    host = (urlsplit(url).hostname or "source").lower()
    site = site_of(url)
    base = site if re.fullmatch(r"[\d.]+|[\da-f:]+", site) else site.split(".")[0]
    sub = host.removesuffix(site).rstrip(".").split(".")[-1] if host != site else ""
    if sub and sub not in ("www", "m", "news", "rss", "feeds", "feed"):
        base = f"{base}-{sub}"  # ru.belsat.eu and en.belsat.eu are different sources
    base = re.sub(r"[^A-Za-z0-9_.-]+", "-", base).strip("-") or "source"
    folded = {t.casefold() for t in taken}
    name, number = base, 2
    while name.casefold() in folded:
        name, number = f"{base}-{number}", number + 1
    return name


def source_block(detection: Detection, name: str, interval: str | None, note: str) -> str:
    """The `[[sources]]` block as TOML text (tomlkit quotes and escapes the values), with a comment above."""
    table = tomlkit.table()
    table.add("name", name)
    table.add("url", detection.url)
    table.add("type", detection.type)
    if interval:
        table.add("interval", interval)
    document = tomlkit.document()
    document.add("sources", tomlkit.aot())
    document["sources"].append(table)
    comment = " ".join(note.split())
    return f"# {comment}\n{tomlkit.dumps(document).strip()}\n"


def insert_block(text: str, block: str) -> str:
    """`text` with `block` placed after the last [[sources]] table's own lines, every other byte unchanged."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    headers = [i for i, line in enumerate(lines) if re.match(r"\s*\[\[\s*sources\s*\]\]", line)]
    if headers:
        end = headers[-1] + 1
        while end < len(lines) and not re.match(r"\s*\[", lines[end]):
            end += 1
        # Step back over the blank lines and comment blocks that introduce what follows.
        while end > headers[-1] + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1
        end = _keep_trailing_comments(lines, end)
    else:
        tables = [i for i, line in enumerate(lines) if re.match(r"\s*\[(?!\s*monitor\s*\])", line)]
        end = tables[0] if tables else len(lines)
        while end > 0 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")) and tables:
            end -= 1
    before, after = lines[:end], lines[end:]
    if before and not before[-1].endswith(("\n", "\r")):
        before[-1] += newline
    chunk = [newline] if before and before[-1].strip() else []
    chunk += [line + newline for line in block.rstrip("\n").split("\n")]
    if after and after[0].strip():
        chunk.append(newline)
    return "".join(before + chunk + after)


def _keep_trailing_comments(lines: list[str], end: int) -> int:
    """Comment lines right under a source's last key (no blank between) still belong to that source."""
    while end < len(lines) and lines[end].lstrip().startswith("#") and not re.match(r"\s*#\s*\[", lines[end]):
        end += 1
    return end


def _appended(text: str, block: str) -> str:
    """Insert `block` as text; if that fails to give exactly one more source, append it with tomlkit instead."""
    old = tomllib.loads(text)
    wanted = tomllib.loads(block)["sources"][0]
    candidate = insert_block(text, block)
    if _adds_exactly(old, candidate, wanted):
        return candidate
    document = tomlkit.parse(text)  # an unusual layout (inline `sources = [...]`, odd tables): let tomlkit place it
    table = tomlkit.parse(block)["sources"][0]
    if "sources" in document:
        document["sources"].append(table)
    else:
        document["sources"] = tomlkit.aot()
        document["sources"].append(table)
    candidate = tomlkit.dumps(document)
    if not _adds_exactly(old, candidate, wanted):
        raise MonitorError("could not add the source to config.toml without changing anything else; add it by hand")
    return candidate


def _adds_exactly(old: dict[str, Any], text: str, wanted: dict[str, Any]) -> bool:
    try:
        new = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False
    expected = {**old, "sources": [*old.get("sources", []), wanted]}
    return new == expected


def _current(path: Path) -> tuple[MonitorSettings, dict[str, str], str | None]:
    """The config's settings and {source name: url}; lenient when only ${VARS} are missing in this shell."""
    try:
        config = load_config(path)
        return config.monitor, {s.name: s.url for s in config.sources}, None
    except ConfigError as exc:
        if _ENV_MISSING not in exc.message:
            raise
        problem = str(exc)
    raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    agent = raw.get("monitor", {}).get("user_agent")
    settings = MonitorSettings(user_agent=agent) if isinstance(agent, str) and "${" not in agent else MonitorSettings()
    sources = {str(s.get("name")): str(s.get("url")) for s in raw.get("sources", []) if isinstance(s, dict)}
    return settings, sources, problem


def _check(path: Path, text: str, lenient: bool) -> None:
    """Load the new config.toml as the daemon will (only its sources when ${VARS} are missing here)."""
    if lenient:
        text = tomlkit.dumps({"sources": tomllib.loads(text).get("sources", [])})
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        load_config(temp)
    except ConfigError as exc:
        raise MonitorError(f"the new source would make {path} invalid: {exc.message}") from None
    finally:
        Path(temp).unlink(missing_ok=True)


def _write(path: Path, text: str) -> None:
    """Replace the file atomically, keeping its permissions and owner (it may hold secrets; a daemon reads it)."""
    target = path.resolve()  # a symlinked config stays a symlink
    stat = target.stat()
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(temp, stat.st_mode & 0o7777)
        if hasattr(os, "chown") and os.geteuid() == 0:
            os.chown(temp, stat.st_uid, stat.st_gid)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


# -- the command -----------------------------------------------------------------------------------
def add_source(config_path: Path, url: str, *, name: str | None = None, type: str | None = None,
               dry_run: bool = False, interval: str | None = None) -> int:
    """Detect, try and show a source, then append it to config.toml (unless dry_run). Returns an exit code."""
    config_path = Path(config_path)
    settings, sources, problem = _current(config_path)
    _check_arguments(config_path, url, name, type, interval, sources)
    detection = detect(url, settings, type=type)
    _refuse_known(config_path, detection.url, sources)
    name = name or suggest_name(detection.url, set(sources))
    if settings.obey_robots and not robots_allows(detection.url, settings):
        detection.notes.append("robots.txt forbids this URL to our User-Agent: with obey_robots = true the "
                               "monitor will not fetch it")
    for line in _describe(detection):
        print(line)
    note = f"Added by `monitor add-source` on {datetime.now(UTC):%Y-%m-%d}: {detection.how}"
    block = source_block(detection, name, interval, note)
    with config_path.open(encoding="utf-8-sig", newline="") as handle:  # newline="": keep CRLF files CRLF
        text = handle.read()
    new_text = _appended(text, block)
    _check(config_path, new_text, lenient=problem is not None)
    verb = "Would append to" if dry_run else "Appended to"
    print(f"\n{verb} {config_path}{' (dry run: nothing written)' if dry_run else ''}:\n")
    print("".join(f"  {line}\n" for line in block.splitlines()), end="")
    if problem:
        print(f"\nnote: {problem}\n      (only the sources were checked; set the variable before `monitor run`)")
    if not dry_run:
        _write(config_path, new_text)
        print("\nThe running daemon picks it up on its next config check; `monitor check-config` validates it.")
    return 0


def _check_arguments(path: Path, url: str, name: str | None, type: str | None, interval: str | None,
                     sources: dict[str, str]) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise MonitorError(f"expected an http(s) URL, got {url!r}")
    if type is not None and type not in SOURCE_TYPES:
        raise MonitorError(f"--type must be one of {', '.join(SOURCE_TYPES)}, got {type!r}")
    if name is not None:
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
            raise MonitorError(f"--name may hold letters, digits, '_', '.' and '-' only, got {name!r}")
        if name.casefold() in {n.casefold() for n in sources}:
            raise ConfigError(str(path), "sources", f"a source named {name!r} exists already; choose another --name")
    if interval is not None:
        try:
            seconds = parse_duration(interval)
        except ValueError as exc:
            raise MonitorError(f"--interval: {exc}") from None
        if seconds < MIN_INTERVAL:
            raise MonitorError(f"--interval must be at least {MIN_INTERVAL:g}s, got {interval!r}")
    _refuse_known(path, url, sources)


def _refuse_known(path: Path, url: str, sources: dict[str, str]) -> None:
    from monitor.urls import canonical_url

    for existing, existing_url in sources.items():
        if canonical_url(existing_url) == canonical_url(url):
            raise ConfigError(str(path), "sources", f"{url} is already configured as source {existing!r}")


def _describe(detection: Detection) -> Iterator[str]:
    """What the user sees before anything is written."""
    yield f"{detection.url}: {detection.how}"
    count = detection.total
    entries = f"{count} entr{'y' if count == 1 else 'ies'}"
    heading = {
        "feed": f"{entries}; the newest, which the monitor would fetch as articles:",
        "sitemap": f"{entries}; the newest, which the monitor would fetch:",
        "listing": f"{count} article link{'' if count == 1 else 's'}; the first, which the monitor would fetch:",
        "page": "The monitor would fetch this page itself; its article:",
    }
    yield heading[detection.type]
    for sample in detection.samples:
        date = f"{sample.date:%Y-%m-%d %H:%M}" if sample.date else "no date"
        yield f"  {date:<16}  {' '.join((sample.title or '(no title)').split())[:100]}"
        yield f"  {'':<16}  {sample.url}"
    if detection.total > len(detection.samples) > 0:
        yield f"  … and {detection.total - len(detection.samples)} more"
    for note in detection.notes:
        yield f"note: {note}"
    sys.stdout.flush()
