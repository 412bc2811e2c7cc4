"""Look back cost: matching a term added to a watchlist against the articles already stored, against the
baseline of matching the same articles held in memory (what the pipeline pays when they arrive).

Run from the repository root:  python benchmarks/lookback.py [--articles N] [--share S]

N copies of the test article (tests/pages/belarus-article.html, cleaned once, each made distinct) are stored
in a fresh SQLite file; a share S of them names the added term. Reported: the look back's read-and-match
time in its thread (`find`) as a ratio to matching alone, and the time its writes take on the daemon's loop
(`record`: hits, alert and deliveries per article that names the term), per stored article. CPU times of
this process; the machine is shared, so only the ratio is worth comparing between runs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor.clean import clean_html
from monitor.match import Matcher
from monitor.models import Article, Term, Watchlist
from monitor.run.lookback import find, plan, record
from monitor.store import Store

ADDED = "Ihar Losik"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--share", type=float, default=0.05, help="share of the articles that name the term")
    args = parser.parse_args()
    text = clean_html((ROOT / "tests" / "pages" / "belarus-article.html").read_bytes(), "https://x.example/a").text
    now = datetime.now(UTC)
    every = max(1, round(1 / args.share)) if args.share > 0 else args.articles + 1
    articles = [Article(url=f"https://x.example/{n}", title=f"Report {n}", source="bench",
                        text=f"{text} Report {n}." + (f" {ADDED} was named in it." if n % every == 0 else ""),
                        published=now - timedelta(minutes=n)) for n in range(args.articles)]
    watchlist = Watchlist("bench", terms=(Term(ADDED),), notify=("json://127.0.0.1:9/hook",))
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "monitor.db"
        store = Store(database)
        for n, article in enumerate(articles):
            store.save_article(article, f"hash-{n}", f"story-{n}", [], alertable=True, targets={})
        matcher = Matcher.build([watchlist])
        start = time.process_time()
        named = sum(bool(matcher.find_hits(a)) for a in articles)
        baseline = time.process_time() - start
        start = time.process_time()
        result = find(database, watchlist, None, now - timedelta(days=30))
        looked = time.process_time() - start
        plan(store, watchlist, result)
        start = time.process_time()
        for finding in result.findings:
            record(store, watchlist, result, finding)
        writes = time.process_time() - start
        store.close()
    assert len(result.findings) == named, (len(result.findings), named)
    per = 1000 / max(1, args.articles)
    print(f"{args.articles} stored articles of {len(text.split())} words, {named} name {ADDED!r}")
    print(f"  match in memory (baseline): {baseline * per:.2f} ms per article")
    print(f"  look back read + match:     {looked * per:.2f} ms per article  (x{looked / baseline:.2f} the baseline)")
    print(f"  look back writes:           {writes * 1000 / max(1, named):.2f} ms per article that alerts "
          f"({result.alerts} alerts{', folded into one message' if result.folded else ''})")


if __name__ == "__main__":
    main()
