"""Alert latency: the daemon (`monitor run`, a real child process) polls a loopback feed every minute; a new
article naming a watched person appears at a random moment; how long until its e-mail reaches a real SMTP
server (aiosmtpd on 127.0.0.1)?

    python benchmarks/latency.py                    # 20 trials, 1-minute interval (about 20 minutes)
    python benchmarks/latency.py --trials 5 --interval 10s

Target (issue 8): median ≤ interval/2 + 5 s, max ≤ interval + 10 s. The article appears at a uniformly random
moment of the cycle, so the median wait for the next poll alone is interval/2; the rest is crawl, clean,
match, store and send.

The moments are stratified: trial k appears at a random moment of the k-th of `trials` equal slices of the
interval (in shuffled order). Each is still uniformly random, but together they cover the cycle evenly, so the
median measures the daemon and not the luck of 20 draws (20 independent draws put the median anywhere in
interval/2 ± 7 s for a 1-minute interval).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from monitor.config import parse_duration  # noqa: E402
from tests.receivers import SmtpSink  # noqa: E402
from tests.servers import NewsSite, article_html, rss_feed  # noqa: E402

NAMES = ["Maria Kalesnikava", "Ales Bialiatski", "Viktar Babaryka", "Mikalai Statkevich"]
WORDS = ["officials", "capital", "declined", "comment", "case", "friday", "family", "court", "papers", "lawyers", "defence", "appeal", "decision", "prison", "hearing", "judge", "sentence", "colony", "letters", "visit", "health", "relatives", "statement", "ministry"]


def publish(site: NewsSite, entries: list, n: int) -> None:
    """Add article n (naming a watched person) at the top of the feed."""
    now = datetime.now(UTC).replace(microsecond=0)
    path, title = f"/news/{n}-court-hearing.html", f"Hearing number {n} in the capital"
    name = NAMES[n % len(NAMES)]
    # Distinct words every time: near-identical texts would be grouped into one story, which alerts once.
    rng = random.Random(n)
    body = f"{name} appeared in court again on day {n}, the lawyer said. " + " ".join(
        rng.choice(WORDS) for _ in range(120)) + "."
    site.add_page(path, article_html(title, body, published=now))
    entries.insert(0, (path, title, now))
    site.add_page("/feed.xml", rss_feed(site.url(), entries[:30]), content_type="application/rss+xml")


def wait_for(predicate, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)  # polling the SMTP sink's inbox
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--interval", default="1m")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    interval = parse_duration(args.interval)
    rng = random.Random(args.seed)
    folder = Path(tempfile.mkdtemp(prefix="latency-"))
    with NewsSite() as site, SmtpSink() as smtp:
        site.add_robots("User-agent: *\nAllow: /\n")
        entries: list = []
        publish(site, entries, 0)
        terms = ", ".join(f'"{n}"' for n in NAMES)
        config = folder / "config.toml"
        config.write_text(f'[monitor]\ndatabase = "monitor.db"\ninterval = "{args.interval}"\n'
                          f'[[sources]]\nname = "loopback"\nurl = "{site.url("/feed.xml")}"\ntype = "feed"\n'
                          f'[watchlists.w]\nterms = [{terms}]\nnotify = ["{smtp.url()}"]\n', encoding="utf-8")
        log = (folder / "daemon.log").open("wb")
        daemon = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(config), "run"], cwd=REPO,
                                  stdout=log, stderr=log, env={**os.environ, "PYTHONPATH": str(REPO)})
        latencies: list[float] = []
        processing: list[float] = []  # from the daemon's first feed request after publishing to the e-mail
        try:
            if not wait_for(lambda: len(smtp.messages) >= 1, 120):
                raise SystemExit(f"the first alert never came; see {folder / 'daemon.log'}")
            moments = [(k + rng.random()) * interval / args.trials for k in range(args.trials)]
            rng.shuffle(moments)
            for n, moment in enumerate(moments, start=1):
                time.sleep(moment)  # a random moment of the cycle (the benchmark's own clock), see the docstring
                publish(site, entries, n)
                start = time.monotonic()
                if not wait_for(lambda n=n: len(smtp.messages) >= n + 1, interval * 3 + 60):
                    print(f"trial {n}: no e-mail within {interval * 3 + 60:.0f} s")
                    continue
                arrived = time.monotonic()
                polled = min(t for t in site.times("/feed.xml") if t >= start)
                latencies.append(arrived - start)
                processing.append(arrived - polled)
                print(f"trial {n}: {latencies[-1]:.1f} s (waiting for the poll {polled - start:.1f} s, "
                      f"crawl to e-mail {processing[-1]:.1f} s)", flush=True)
        finally:
            daemon.terminate()
            daemon.wait(60)
    median, worst = statistics.median(latencies), max(latencies)
    print(f"interval {interval:.0f} s, {len(latencies)}/{args.trials} alerts: median {median:.1f} s "
          f"(target ≤ {interval / 2 + 5:.0f} s), max {worst:.1f} s (target ≤ {interval + 10:.0f} s); "
          f"of which crawl to e-mail: median {statistics.median(processing):.1f} s, max {max(processing):.1f} s")


if __name__ == "__main__":
    main()
