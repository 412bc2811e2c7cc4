"""`monitor demo`: a bundled news site on 127.0.0.1, one cycle with a demo watchlist, the alert it sends.

Works offline. The alert goes to a webhook the demo itself serves (apprise's json:// service), so what is
printed at the end is the message as a chat service would have received it.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any

SITE = resources.files("monitor") / "demo_site"
ARTICLES = [  # (file, title, hours ago)
    ("belarus-prisoners.html", "Belarus frees 123 political prisoners in rare 2025 reconciliation move", 2),
    ("statkus-football.html", "Statkus scores twice as Vilnius side wins cup", 3),
    ("weather.html", "Snow expected in Minsk this weekend", 5),
]
WATCHED = ["Maria Kalesnikava", "Ales Bialiatski", "Viktar Babaryka", "Mikalai Statkevich", "Alexander Lukashenko"]


def _published(hours_ago: int) -> datetime:
    return (datetime.now(UTC) - timedelta(hours=hours_ago)).replace(microsecond=0)


def _feed(base: str) -> bytes:
    items = "".join(
        f"<item><title>{title}</title><link>{base}/news/{name}</link><guid>{base}/news/{name}</guid>"
        f"<pubDate>{format_datetime(_published(hours))}</pubDate></item>"
        for name, title, hours in ARTICLES)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Demo Herald</title>'
            f"<link>{base}/</link><description>Demo news</description>{items}</channel></rss>").encode()


class DemoSite:
    """The demo's HTTP server: the feed, the articles, robots.txt, and a webhook that records alerts."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                base = f"http://127.0.0.1:{site.port}"
                if self.path == "/feed.xml":
                    return self._send(200, _feed(base), "application/rss+xml")
                if self.path == "/robots.txt":
                    return self._send(200, b"User-agent: *\nAllow: /\n", "text/plain")
                for name, _, hours in ARTICLES:
                    if self.path == f"/news/{name}":
                        text = (SITE / name).read_text(encoding="utf-8")
                        text = text.replace("@@published@@", _published(hours).isoformat()).replace("@@base@@", base)
                        return self._send(200, text.encode(), "text/html; charset=utf-8")
                self._send(404, b"not found", "text/plain")

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                site.received.append(json.loads(self.rfile.read(length) or b"{}"))
                self._send(200, b"{}", "application/json")

            def _send(self, status: int, body: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:  # keep the demo's output readable
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> DemoSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


def write_demo_config(folder: Path, port: int) -> Path:
    """A config.toml for the demo: one feed source, one watchlist that notifies the demo's webhook."""
    terms = ", ".join(json.dumps(t) for t in WATCHED)
    path = folder / "config.toml"
    path.write_text(f"""# Written by `monitor demo`.
[monitor]
database = "demo.db"
interval = "1m"
obey_robots = true
workers = 1

[[sources]]
name = "demo-herald"
url = "http://127.0.0.1:{port}/feed.xml"
type = "feed"

[watchlists.political-prisoners]
terms = [{terms}]
notify = ["json://127.0.0.1:{port}/alerts"]
""", encoding="utf-8")
    return path


def run_demo(keep: bool = False) -> int:
    """Run the demo and print what it found and sent."""
    from monitor.crawl import run_in_reactor
    from monitor.run import run_daemon
    from monitor.store import Store

    folder = Path(tempfile.mkdtemp(prefix="news-monitor-demo-"))
    try:
        with DemoSite() as site:
            config_path = write_demo_config(folder, site.port)
            print(f"Demo news site on http://127.0.0.1:{site.port}/feed.xml ({len(ARTICLES)} articles)")
            print(f"Watching: {', '.join(WATCHED)}\n")
            code = run_in_reactor(lambda: run_daemon(config_path, once=True))
        store = Store(folder / "demo.db")
        hits = store.query("SELECT a.title, h.term, h.found, h.reason FROM hits h "
                           "JOIN articles a ON a.url = h.article_url ORDER BY a.title, h.start")
        articles = store.query("SELECT count(*) AS n FROM articles")[0]["n"]
        store.close()
        print(f"\nCleaned and stored {articles} articles. Hits:")
        for row in hits:
            print(f"  {row['term']:<22} written “{row['found']}” ({row['reason']}) in: {row['title']}")
        print(f"\nAlerts delivered to the demo webhook: {len(site.received)}")
        for message in site.received:
            print("-" * 72 + f"\n{message.get('title')}\n\n{message.get('message')}\n" + "-" * 72)
        if keep:
            print(f"\nDemo files kept in {folder} (try: monitor --config {config_path} status)")
        return code if site.received else 1
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
