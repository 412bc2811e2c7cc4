"""A loopback news site for the benchmarks: S sources × N articles, each source on its own loopback address
(127.0.2.k, so Scrapy's per-site politeness treats them as separate sites, as real sources are), RSS feeds and
Google News sitemaps, ETag/Last-Modified with real 304s, and a 1,000-name watchlist some articles mention.

Article pages are the real news pages of ../shared/extraction-dev (all 85 of them, 21 KB to 1.4 MB; `--pages`
names another folder of .html or .html.gz files; without one, synthetic pages of 50-150 KB), each copy given its
own headline, date and a unique paragraph, so no two are identical.

    python benchmarks/site.py --sources 50 --articles 40     # serves until stdin closes; prints the sources as JSON
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "extraction-dev" / "html"
SYLLABLES = ["ka", "ra", "mi", "lo", "ve", "na", "to", "ski", "ch", "ev", "an", "ol", "ia", "se", "ru", "da", "ha", "bo", "li", "ne", "ta", "sa", "vo", "ko", "pa", "zi", "ma", "re", "lu"]
WORDS = ["the", "council", "said", "on", "tuesday", "that", "the", "new", "budget", "would", "cover", "schools", "roads", "and", "hospitals", "in", "the", "region", "while", "opposition", "members", "argued", "the", "plan", "left", "rural", "districts", "without", "support", "during", "the", "winter"]
_PARAGRAPH_END = re.compile(rb"</p>", re.IGNORECASE)
HIT_SHARE = 0.05  # articles that name someone on the watchlist


def watch_names(count: int = 1000, seed: int = 1) -> list[str]:
    """`count` distinct made-up two-word names (first and family name), deterministic."""
    rng, names = random.Random(seed), set()
    while len(names) < count:
        first = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        last = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 4))).capitalize()
        names.add(f"{first} {last}")
    return sorted(names)


def templates(folder: Path | None = None) -> list[bytes]:
    """Every real news page of `folder` (default ../shared/extraction-dev/html), or synthetic ones without it."""
    folder = folder or SHARED
    pages = []
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if not path.name.endswith((".html", ".htm", ".html.gz")):
                continue
            data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
            if b"<p" in data:
                pages.append(data)
    return pages or [_synthetic(random.Random(i)) for i in range(20)]


def describe_pages(folder: Path | None = None) -> str:
    """Which pages the site serves, for the report."""
    folder = folder or SHARED
    real = len(templates(folder)) if folder.is_dir() else 0
    return f"{real} real pages from {folder}" if real else "synthetic pages (no real pages found)"


def _synthetic(rng: random.Random) -> bytes:
    nav = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(120))
    script = "<script>var cfg=" + json.dumps({f"k{i}": "x" * 40 for i in range(rng.randint(400, 1400))}) + "</script>"
    body = "".join(f"<p>{' '.join(rng.choice(WORDS) for _ in range(60))}.</p>" for _ in range(rng.randint(8, 20)))
    return (f"<!doctype html><html><head><title>x</title>{script}</head><body><header><nav><ul>{nav}</ul></nav>"
            f"</header><main><article><h1>x</h1><p>Lead.</p>{body}</article></main><footer>{nav}</footer>"
            "</body></html>").encode()


def article_page(template: bytes, title: str, published: datetime, extra: str) -> bytes:
    """A template page with its own title and date, and a unique paragraph amid the article's paragraphs."""
    meta = (f'<meta property="og:title" content="{escape(title)}">'
            f'<meta property="article:published_time" content="{published.isoformat()}">').encode()
    head_end = template.find(b"</head>")
    start = template.find(b"<title", 0, max(head_end, 0))
    close = template.find(b"</title>", start, max(head_end, 0))
    if start >= 0 and close >= 0:  # the <head>'s own title (an inline SVG's <title> is left alone)
        opened = template.index(b">", start) + 1
        template = template[:opened] + escape(title).encode() + template[close:]
        head_end = template.find(b"</head>")
    page = template[:head_end] + meta + template[head_end:] if head_end >= 0 else meta + template
    ends = [m.end() for m in _PARAGRAPH_END.finditer(page)]
    at = ends[len(ends) // 2] if ends else len(page)  # the middle paragraph: inside the article body
    return page[:at] + f"<p>{escape(extra)}</p>".encode() + page[at:]


@dataclass
class Page:
    """One resource: body, type, validators."""

    body: bytes
    content_type: str
    etag: str = ""
    modified: str = ""

    def __post_init__(self) -> None:
        self.etag = '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'  # noqa: S324 (an ETag, not security)


@dataclass
class BenchSite:
    """Pages per host, served by one ThreadingHTTPServer per loopback address."""

    sources: int
    articles: int
    folder: Path | None = None  # real pages to copy (see templates)
    pages: dict[tuple[str, str], Page] = field(default_factory=dict)
    servers: list[ThreadingHTTPServer] = field(default_factory=list)
    port: int = 0
    hits: int = 0  # articles naming a watched person
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @staticmethod
    def host(k: int) -> str:
        """The loopback address of source k."""
        return f"127.0.2.{k + 1}"

    def build(self, seed: int = 3) -> list[dict[str, str]]:
        """Make every page; returns the [[sources]] entries (name, url, type)."""
        rng, names, shells = random.Random(seed), watch_names(), templates(self.folder)
        now = datetime.now(UTC).replace(microsecond=0)
        modified = format_datetime(now - timedelta(hours=1), usegmt=True)
        entries: list[dict[str, str]] = []
        for k in range(self.sources):
            host, items = self.host(k), []
            for a in range(self.articles):
                path, when = f"/news/{k}/{a}-story-of-the-day.html", now - timedelta(minutes=10 + a * 7)
                title = f"{' '.join(rng.choice(WORDS) for _ in range(6)).capitalize()} ({k}-{a})"
                extra = " ".join(rng.choice(WORDS) for _ in range(50))
                if rng.random() < HIT_SHARE:
                    extra = f"{rng.choice(names)} was detained on Monday, colleagues said. {extra}"
                    self.hits += 1
                self.pages[(host, path)] = Page(article_page(rng.choice(shells), title, when, extra),
                                                "text/html; charset=utf-8", modified=modified)
                items.append((path, title, when))
            kind = "feed" if k % 2 == 0 else "sitemap"
            path = "/feed.xml" if kind == "feed" else "/news-sitemap.xml"
            body = rss(host, items) if kind == "feed" else news_sitemap(host, items)
            self.pages[(host, path)] = Page(body.encode(), "application/xml", modified=modified)
            self.pages[(host, "/robots.txt")] = Page(b"User-agent: *\nAllow: /\n", "text/plain", modified=modified)
            entries.append({"name": f"source-{k}", "url": f"http://{host}:{{port}}{path}", "type": kind})
        return entries

    def start(self) -> int:
        """Serve every host on one free port (the same on each address); returns the port."""
        first = ThreadingHTTPServer((self.host(0), 0), _handler(self))
        self.port = first.server_address[1]
        self.servers = [first] + [ThreadingHTTPServer((self.host(k), self.port), _handler(self))
                                  for k in range(1, self.sources)]
        for server in self.servers:
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True).start()
        return self.port

    def stop(self) -> None:
        """Stop every server."""
        for server in self.servers:
            server.shutdown()
            server.server_close()


def rss(host: str, items: list[tuple[str, str, datetime]]) -> str:
    """An RSS 2.0 feed of (path, title, date)."""
    entries = "".join(f"<item><title>{escape(t)}</title><link>http://{host}:@@port@@{p}</link>"
                      f"<pubDate>{format_datetime(w, usegmt=True)}</pubDate></item>" for p, t, w in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>{entries}</channel></rss>'


def news_sitemap(host: str, items: list[tuple[str, str, datetime]]) -> str:
    """A Google News sitemap of (path, title, date)."""
    urls = "".join(f"<url><loc>http://{host}:@@port@@{p}</loc><news:news><news:publication><news:name>News"
                   f"</news:name><news:language>en</news:language></news:publication><news:publication_date>"
                   f"{w.isoformat()}</news:publication_date><news:title>{escape(t)}</news:title></news:news></url>"
                   for p, t, w in items)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>')


def _handler(site: BenchSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real servers do

        def do_GET(self) -> None:  # noqa: N802
            host = self.server.server_address[0]
            page = site.pages.get((host, self.path))
            with site.lock:
                site.requests += 1
            if page is None:
                self._send(404, b"not found", "text/plain")
                return
            if self.headers.get("If-None-Match") == page.etag or _not_modified(self.headers, page):
                self.send_response(304)
                self.send_header("ETag", page.etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self._send(200, page.body.replace(b"@@port@@", str(site.port).encode()), page.content_type, page)

        def _send(self, status: int, body: bytes, kind: str, page: Page | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            if page is not None:
                self.send_header("ETag", page.etag)
                self.send_header("Last-Modified", page.modified)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def _not_modified(headers: object, page: Page) -> bool:
    since = headers.get("If-Modified-Since")  # type: ignore[attr-defined]
    if not since or headers.get("If-None-Match"):  # type: ignore[attr-defined]
        return False
    try:
        return parsedate_to_datetime(page.modified) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


def main() -> None:
    """Serve a site until stdin closes; print {"port", "sources", "hits"} as one JSON line first."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=int, default=50)
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--pages", type=Path, default=None, help="folder of real pages (default ../shared/...)")
    args = parser.parse_args()
    site = BenchSite(args.sources, args.articles, args.pages)
    entries = site.build()
    port = site.start()
    for entry in entries:
        entry["url"] = entry["url"].replace("{port}", str(port))
    print(json.dumps({"port": port, "sources": entries, "hits": site.hits, "build_cpu": time.process_time(),
                      "bytes": sum(len(p.body) for p in site.pages.values()),
                      "pages": describe_pages(args.pages)}), flush=True)
    sys.stdin.read()  # the parent closes our stdin to stop us
    print(json.dumps({"requests": site.requests}), flush=True)
    site.stop()


if __name__ == "__main__":
    main()
