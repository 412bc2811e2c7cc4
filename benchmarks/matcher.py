"""Matcher cost: watchlists of 10, 1,000 and 10,000 names, per article, and the time to compile each.

Run from the repository root:  python benchmarks/matcher.py [--articles N] [--names N] [--seed S] [--shared DIR]

The three figures the project holds the matcher to: 10,000 names cost at most 3x the per-article time of 10
names; a typical (real news) article takes under 5 ms with 1,000 names; 10,000 names compile in at most 5 s.
The last lines print each with its verdict, and the process's peak memory (the word-frequency lists the
matcher loads count there).

The 10,000 names are synthetic but shaped like a register of political prisoners: Belarusian, Russian and
Ukrainian first names combined with surnames built from Slavic roots and the common suffixes (-enka,
-ovich, -ski, -ava, -uk, ...), in BGN/PCGN-style Latin as users type them. The articles are made from the
labelled sentences of tests/data/match_cases.toml (ten languages, a name in nearly every sentence) and,
when ../shared is present, the 85 real news articles of ../shared/extraction-dev (mostly English, few
names). Nothing is downloaded.

"Cold" is the first pass over the articles with a freshly built matcher (every word is new to its caches);
"warm" is the best of later passes (news repeats its vocabulary, so a running monitor is mostly warm).
Times are CPU time of this process, so that other work on a shared machine disturbs them less.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))
MID_NAMES = 1_000
MAX_RATIO = 3.0  # 10,000 names against 10, per article
MAX_MID_MS = 5.0  # per real news article with 1,000 names
MAX_BUILD_S = 5.0  # compiling 10,000 names

from monitor.match import Matcher, normalize
from monitor.models import Term, Watchlist

FIRST_M = [
    "Aliaksandr", "Aliaksei", "Andrei", "Anton", "Artsiom", "Dzmitry", "Dzianis", "Eduard", "Henadz", "Ihar",
    "Ilya", "Ivan", "Kanstantsin", "Kiryl", "Leanid", "Maksim", "Mikalai", "Mikhail", "Pavel", "Raman",
    "Ryhor", "Siarhei", "Stsiapan", "Uladzimir", "Uladzislau", "Vadzim", "Valery", "Viachaslau", "Viktar",
    "Vital", "Yauhen", "Yury", "Zmitser", "Oleh", "Mykola", "Volodymyr", "Serhiy", "Vasyl", "Taras", "Bohdan",
    "Oleksandr", "Dmytro", "Yaroslav", "Andriy", "Vladimir", "Sergei", "Alexei", "Nikolai", "Igor", "Oleg",
    "Yevgeny"
]
FIRST_F = [
    "Maria", "Sviatlana", "Katsiaryna", "Volha", "Hanna", "Iryna", "Natallia", "Tatsiana", "Yulia", "Alena",
    "Maryna", "Nasta", "Palina", "Darya", "Ksenia", "Valiantsina", "Liudmila", "Nadzeya", "Viktoryia",
    "Alesia", "Oksana", "Olena", "Nataliya", "Tetiana", "Svitlana", "Yevgenia", "Anastasia", "Elena", "Olga",
    "Marina"
]
ROOTS = [
    "bab", "bar", "bel", "bial", "bor", "brat", "bud", "butk", "chab", "charn", "chyzh", "dash", "dav", "dub",
    "dzed", "falk", "hanch", "harb", "hlad", "hol", "hon", "hor", "hrab", "hrysh", "kal", "kalin", "kaval",
    "kazl", "kler", "kol", "kov", "kozl", "krav", "krup", "kuch", "kulesh", "kuz", "lab", "las", "leb", "les",
    "lis", "luk", "lyak", "makar", "mal", "marc", "mart", "mats", "mazur", "mikh", "mir", "mish", "mol",
    "mor", "nav", "nest", "nov", "pan", "pap", "pash", "pat", "pavl", "pek", "piat", "pil", "pras", "prot",
    "rab", "rad", "rak", "ram", "rom", "rud", "sad", "sap", "sav", "sem", "sen", "shap", "shch", "shev",
    "shyl", "sid", "sin", "sk", "sok", "stan", "stat", "step", "sych", "tar", "tkach", "tsim", "tsykh", "val",
    "vas", "vas", "vel", "vin", "vit", "volk", "vor", "yak", "yash", "yes", "zakh", "zal", "zav", "zhuk",
    "zin", "znam", "zub"
]
MIDDLES = ["", "", "a", "e", "i", "o", "ar", "en", "ov", "ev", "al", "ash", "in", "ush"]
SUFFIX_M = [
    "enka", "enko", "ovich", "evich", "ich", "ski", "sky", "uk", "chuk", "ko", "in", "ov", "ets", "ak", "ik",
    "enak", "ovski"
]
SUFFIX_F = ["ava", "ova", "eva", "ina", "skaya", "ka", "enka", "ich", "uk"]
TEN = [
    "Maria Kalesnikava", "Ales Bialiatski", "Viktar Babaryka", "Mikalai Statkevich", "Alexander Lukashenko",
    "Sviatlana Tsikhanouskaya", "Ihar Losik", "Alexei Navalny", "Oleh Sentsov", "Ilya Yashin",
]  # fmt: skip


def synthetic_names(count: int, seed: int) -> list[str]:
    """`count` distinct realistic names (plus the ten real ones), reproducible from `seed`."""
    rng = random.Random(seed)
    names = dict.fromkeys(TEN)
    while len(names) < count:
        female = rng.random() < 0.3
        first = rng.choice(FIRST_F if female else FIRST_M)
        stem = rng.choice(ROOTS) + rng.choice(MIDDLES)
        surname = (stem + rng.choice(SUFFIX_F if female else SUFFIX_M)).capitalize()
        names.setdefault(f"{first} {surname}")
    return list(names)[:count]


def dense_articles(count: int, seed: int, shared: Path = SHARED) -> list[tuple[str, str]]:
    """(title, text) pairs of about 350 words made of the labelled sentences: a name in every sentence."""
    with (ROOT / "tests" / "data" / "match_cases.toml").open("rb") as f:
        sentences = [case["text"] for case in tomllib.load(f)["case"]]
    reference = shared / "reference" / "belarus-article-raw.txt"
    if reference.is_file():
        sentences += [p for p in reference.read_text(encoding="utf-8").split("\n") if len(p) > 40]
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        body = rng.sample(sentences, 45)
        out.append((body[0], "\n\n".join(" ".join(body[i : i + 3]) for i in range(1, 45, 3))))
    return out


def news_articles(shared: Path = SHARED) -> list[tuple[str, str]]:
    """The 85 hand-cleaned real news articles of ../shared/extraction-dev (mostly English), if present."""
    truth = shared / "extraction-dev" / "ground-truth.json"
    if not truth.is_file():
        return []
    bodies = [entry["articleBody"] for entry in json.loads(truth.read_text(encoding="utf-8")).values()]
    return [(body.split("\n", 1)[0][:120], body) for body in bodies]


def timed_build(names: list[str]) -> tuple[Matcher, float]:
    start = time.process_time()
    matcher = Matcher.build([Watchlist("bench", terms=tuple(Term(n) for n in names))])
    return matcher, time.process_time() - start


def per_article(matcher: Matcher, docs: list[tuple[str, str]]) -> tuple[float, int]:
    """CPU seconds per article over one pass (process time: other load on the machine counts less), and hits."""
    hits = 0
    start = time.process_time()
    for title, text in docs:
        hits += len(matcher.find_hits_in(title, text))
    return (time.process_time() - start) / len(docs), hits


def clear_caches() -> None:
    """Empty the per-process caches of word keys, so that no list is built or run on another's work."""
    for name in dir(normalize):
        cache_clear = getattr(getattr(normalize, name), "cache_clear", None)
        if cache_clear is not None:
            cache_clear()


def measure(lists: list[list[str]], docs: list[tuple[str, str]], repeats: int) -> list[dict[str, float]]:
    """Build each list, one cold pass each, then warm passes alternating between them (best of `repeats`)."""
    results, matchers = [], []
    for names in lists:
        clear_caches()  # the word-skeleton caches are per process: start each list from nothing
        matcher, build = timed_build(names)
        cold, hits = per_article(matcher, docs)
        matchers.append(matcher)
        results.append({"build": build, "cold": cold, "hits": hits, "warm": float("inf")})
    for _ in range(repeats):
        for matcher, result in zip(matchers, results, strict=True):
            result["warm"] = min(result["warm"], per_article(matcher, docs)[0])
    return results


def report(title: str, docs: list[tuple[str, str]], lists: list[list[str]], repeats: int) -> list[dict[str, float]]:
    """Print one corpus's table (one row per watchlist size) and the cost ratio of the largest to the smallest."""
    words = statistics.mean(len((t + " " + x).split()) for t, x in docs)
    results = measure(lists, docs, repeats)
    print(f"\n{title}: {len(docs)} articles, {words:.0f} words on average")
    print(f"{'':>14} {'build':>9} {'cold/article':>13} {'warm/article':>13} {'hits':>6}")
    for names, r in zip(lists, results, strict=True):
        label = f"{len(names)} names"
        print(f"{label:>14} {r['build']:8.3f}s {r['cold'] * 1e3:11.2f}ms {r['warm'] * 1e3:11.2f}ms {r['hits']:6.0f}")
    small, large = results[0], results[-1]
    cold, warm = large["cold"] / small["cold"], large["warm"] / small["warm"]
    sizes = f"{len(lists[-1])} / {len(lists[0])} names"
    print(f"cost per article, {sizes}: cold {cold:.2f}x, warm {warm:.2f}x (limit {MAX_RATIO:.0f}x)")
    for r in results:
        r["ratio_cold"], r["ratio_warm"] = r["cold"] / small["cold"], r["warm"] / small["warm"]
    return results


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--names", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--shared", type=Path, default=SHARED, help="the team's shared folder (default ../shared)")
    args = parser.parse_args()
    big = synthetic_names(args.names, args.seed)
    lists = [TEN, big[:MID_NAMES], big]
    dense = report("Name-dense articles (labelled sentences)", dense_articles(args.articles, args.seed, args.shared),
                   lists, args.repeats)  # fmt: skip
    news = news_articles(args.shared)
    typical = report("Real news (../shared/extraction-dev)", news, lists, args.repeats) if news else None
    if typical is None:
        print("\n../shared/extraction-dev not found: real-news corpus skipped (--shared DIR)")
    worst = max(max(r["ratio_cold"], r["ratio_warm"]) for r in (typical or dense)[-1:] + dense[-1:])
    mid = (typical or dense)[1]
    build = max(dense[-1]["build"], typical[-1]["build"] if typical else 0.0)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    corpus = "real news" if typical else "name-dense (no real news)"
    print("\nTargets:")
    print(f"  {len(big)} names vs 10, per article: {worst:.2f}x (limit {MAX_RATIO:.0f}x): "
          f"{verdict(worst <= MAX_RATIO)}")
    print(f"  {MID_NAMES} names, {corpus}: cold {mid['cold'] * 1e3:.2f} ms, warm {mid['warm'] * 1e3:.2f} ms per "
          f"article (limit {MAX_MID_MS:.0f} ms): {verdict(mid['cold'] * 1e3 <= MAX_MID_MS)}")
    print(f"  compiling {len(big)} names: {build:.2f} s (limit {MAX_BUILD_S:.0f} s): {verdict(build <= MAX_BUILD_S)}")
    print(f"  peak memory of this process: {rss:.0f} MB")
    ok = worst <= MAX_RATIO and mid["cold"] * 1e3 <= MAX_MID_MS and build <= MAX_BUILD_S
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
