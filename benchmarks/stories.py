"""Story grouping with short texts: cost and memory of keeping posts by their exact shingles, against MinHash alone.

Run from the repository root:  python benchmarks/stories.py [--posts N] [--articles N] [--seed S]

Synthetic texts (random words from a fixed vocabulary, so two texts share no phrase by chance): N channel
posts of 25 to 110 words, then articles of 300 to 900 words, half of which quote one of the posts whole in
their second paragraph. Measured in one run, so the ratios hold on a noisy shared machine:
- signing: `signature()` (MinHash plus the exact shingle hashes) against the MinHash part alone (the old cost);
- finding: StoryIndex.find for each article with the posts indexed, against an index of MinHash only;
- grouping: quoting articles found in their post's story (MinHash alone finds none: a post is too small a part
  of an article for LSH) and other articles wrongly put in a post's story;
- memory: tracemalloc of the index with the posts in it, against the index without them;
- the other order (articles stored first, then posts that quote them): Store.quoting_story per post, by
  full-text search and an exact check, with every article in a real SQLite file.
Times are CPU time of this process.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np

from monitor.models import Article
from monitor.store import Store
from monitor.store.minhash import NUM_PERM, SHINGLE_WORDS, new_minhash, signature
from monitor.store.stories import StoryIndex

VOCABULARY = [f"{a}{b}" for a in ("ka", "lo", "mi", "su", "te", "vo", "ra", "ne", "pi", "du", "zo", "hu")
              for b in ("mar", "sel", "tin", "bor", "kel", "dan", "rus", "fim", "gol", "pek", "ven", "lax", "quo",
                        "rin", "sto", "wal", "yel", "zub", "nix", "oth")]


def words(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(low, high)))


def minhash_only(text: str) -> np.ndarray:
    """What signature() computed before short texts were kept: the MinHash values and the shingle count."""
    tokens = text.casefold().split()
    shingles = {" ".join(tokens[i:i + SHINGLE_WORDS]).encode() for i in range(len(tokens) - SHINGLE_WORDS + 1)}
    minhash = new_minhash()
    minhash.update_batch(list(shingles))
    return np.append(minhash.hashvalues, np.uint32(len(shingles))).astype(np.uint32)


def cpu(function, items):  # type: ignore[no-untyped-def]
    start = time.process_time()
    results = [function(item) for item in items]
    return time.process_time() - start, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    posts = [words(rng, 25, 110) for _ in range(args.posts)]
    quoted = {a: rng.randrange(args.posts) for a in range(0, args.articles, 2)}
    articles = [f"{words(rng, 100, 300)} {posts[quoted[a]] if a in quoted else ''} {words(rng, 200, 600)}"
                for a in range(args.articles)]

    old_sign, old_sigs = cpu(minhash_only, articles)
    new_sign, new_sigs = cpu(signature, articles)

    def filled(with_posts: bool) -> StoryIndex:
        index = StoryIndex()
        for number, post in enumerate(posts):
            values = signature(post)
            index.add(f"post/{number}", f"story/{number}", values if with_posts else values[:NUM_PERM + 1], "tg")
        return index

    tracemalloc.start()
    baseline_index = filled(False)
    baseline_bytes = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    tracemalloc.start()
    index = filled(True)
    index_bytes = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()

    old_find, old_found = cpu(lambda s: baseline_index.find("article", s[:NUM_PERM + 1], "news"), new_sigs)
    new_find, new_found = cpu(lambda s: index.find("article", s, "news"), new_sigs)
    grouped = sum(new_found[a] == f"story/{p}" for a, p in quoted.items())
    wrong = sum(found is not None for a, found in enumerate(new_found) if a not in quoted)
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "monitor.db")
        for number, text in enumerate(articles):
            article = Article(url=f"article/{number}", title="", text=text, source="news",
                              published=datetime.now(UTC))
            store.save_article(article, "-", f"article-story/{number}", [], alertable=False, targets={})
        later = [Article(url=f"post/{p}", title="", text=posts[p], source="tg") for p in quoted.values()]
        others = [Article(url=f"other/{n}", title="", text=words(rng, 25, 110), source="tg")
                  for n in range(len(later))]
        quote_time, quote_found = cpu(lambda a: store.quoting_story(a, signature(a.text)), later + others)
        store.close()
    report = {
        "posts": args.posts, "articles": args.articles,
        "sign_ms_per_article": {"minhash_only": round(1000 * old_sign / args.articles, 3),
                                "with_exact_shingles": round(1000 * new_sign / args.articles, 3),
                                "ratio": round(new_sign / max(old_sign, 1e-9), 2)},
        "find_ms_per_article": {"minhash_only": round(1000 * old_find / args.articles, 3),
                                "with_short_index": round(1000 * new_find / args.articles, 3),
                                "ratio": round(new_find / max(old_find, 1e-9), 2)},
        "quoting_articles_grouped": f"{grouped}/{len(quoted)} (MinHash alone: "
                                    f"{sum(old_found[a] == f'story/{p}' for a, p in quoted.items())})",
        "other_articles_wrongly_grouped": f"{wrong}/{args.articles - len(quoted)}",
        "index_mb": {"minhash_only": round(baseline_bytes / 1e6, 1), "with_short_index": round(index_bytes / 1e6, 1)},
        "article_first": {"ms_per_post": round(1000 * quote_time / len(later + others), 3),
                          "quoting_posts_grouped":
                              f"{sum(f is not None for f in quote_found[:len(later)])}/{len(later)}",
                          "other_posts_wrongly_grouped": f"{sum(f is not None for f in quote_found[len(later):])}/"
                                                         f"{len(others)}"},
    }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
