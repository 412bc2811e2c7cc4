"""Soak: the daemon against a loopback news site that publishes a new article every cycle.

    python benchmarks/soak.py [--cycles 300] [--interval 1s]

Prints the daemon's RSS (its own and with its worker processes) at cycle 10 and at the end, open file
descriptors, and alerts received on a real SMTP server against alerts expected (one per published
article). Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.daemon_process import DaemonProcess, write_config  # noqa: E402
from tests.receivers import SmtpSink, wait_until  # noqa: E402
from tests.servers import NewsSite, article_html, rss_feed  # noqa: E402

WORDS = ["minister", "court", "hearing", "protest", "sanctions", "border", "election", "prison", "lawyer", "family",
         "statement", "capital", "opposition", "report", "river", "factory", "harvest", "railway", "school",
         "winter", "budget", "market", "weather", "museum"]


def _article(rng: random.Random, n: int) -> tuple[str, str]:
    title = f"Report {n}: " + " ".join(rng.choice(WORDS) for _ in range(5))
    body = "\n\n".join(
        " ".join(rng.choice(WORDS) for _ in range(60)).capitalize() + "." for _ in range(4))
    return title, f"Ales Bialiatski was mentioned in report number {n}. {body}"


def _rss(process: psutil.Process) -> tuple[float, float]:
    own = process.memory_info().rss
    total = own + sum(c.memory_info().rss for c in process.children(recursive=True))
    return own / 2**20, total / 2**20


def _cycles_done(db: Path) -> int:
    try:
        with sqlite3.connect(db) as conn:
            return int(conn.execute("SELECT count(*) FROM runs WHERE finished IS NOT NULL").fetchone()[0])
    except sqlite3.Error:
        return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cycles", type=int, default=300)
    parser.add_argument("--interval", default="1s")
    args = parser.parse_args()
    rng = random.Random(7)
    folder = Path(tempfile.mkdtemp(prefix="soak-"))
    with NewsSite() as site, SmtpSink() as smtp:
        site.add_robots("User-agent: *\nAllow: /\n")
        entries: list[tuple[str, str, datetime]] = []

        def publish(n: int) -> None:
            title, text = _article(rng, n)
            site.add_page(f"/news/{n}.html", article_html(title, text, published=datetime.now(UTC)))
            entries.insert(0, (f"/news/{n}.html", title, datetime.now(UTC)))
            del entries[50:]  # a feed shows the latest items, as real feeds do
            site.add_page("/feed.xml", rss_feed(site.url(), entries), content_type="application/rss+xml")

        publish(0)
        config = write_config(folder, [("soak", site.url("/feed.xml"), "feed")], [smtp.url()],
                              interval=args.interval, terms=["Ales Bialiatski"], monitor="workers = 2")
        db = folder / "monitor.db"
        started = time.monotonic()
        with DaemonProcess(config) as daemon:
            process = psutil.Process(daemon.pid)
            published, at_10 = 1, None
            while published < args.cycles:
                wait_until(lambda n=published: _cycles_done(db) >= n, timeout=120)
                if published == 10:
                    at_10 = (_rss(process), process.num_fds())
                publish(published)
                published += 1
            wait_until(lambda: _cycles_done(db) >= published, timeout=120)
            wait_until(lambda: len(smtp.messages) >= published, timeout=120)
            end = (_rss(process), process.num_fds())
            daemon.stop()
        elapsed = time.monotonic() - started
    assert at_10 is not None
    (own10, all10), fds10 = at_10
    (own_end, all_end), fds_end = end
    print(f"cycles: {published} in {elapsed:.0f} s (interval {args.interval})")
    print(f"RSS daemon: cycle 10 {own10:.1f} MB → end {own_end:.1f} MB ({(own_end / own10 - 1) * 100:+.1f}%)")
    print(f"RSS with workers: cycle 10 {all10:.1f} MB → end {all_end:.1f} MB ({(all_end / all10 - 1) * 100:+.1f}%)")
    print(f"open fds: cycle 10 {fds10} → end {fds_end}")
    print(f"alerts: sent {len(smtp.messages)}, expected {published}")
    return 0 if len(smtp.messages) == published else 1


if __name__ == "__main__":
    raise SystemExit(main())
