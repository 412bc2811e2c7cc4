"""Article extraction, side by side: our cleaner against plain trafilatura, same pages, same run.

Usage (from the repository root):

    python benchmarks/extraction.py ../shared/extraction-dev            # the dev set
    python benchmarks/extraction.py FOLDER --repeat 5 --worst 10        # steadier timings, worst pages

FOLDER holds `ground-truth.json` ({"<id>": {"articleBody": ..., "url": ...}}) and `html/<id>.html.gz`
(or `html/<id>.html`), the format of the Scrapinghub article-extraction-benchmark. Scores follow that
benchmark: 4-word shingles of \\w+ tokens, per-page tp/fp/fn normalised, precision and recall averaged
over pages (a page with empty output has no precision and recall 0), F1 of the two means, accuracy =
share of pages whose output has exactly the label's words, ± = std over 1000 bootstrap resamples.

Both extractors get the page's raw bytes. trafilatura runs with default settings
(`trafilatura.extract(html)`); ours is `monitor.clean.cleaner.clean_html(html, url)`. Each page is timed
`--repeat` times for each extractor, alternating which goes first, and the fastest run counts: the
machine is shared, and the minimum is the least noisy estimate of the work itself.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from monitor.clean import clean_html  # noqa: E402
from monitor.errors import PageRejected  # noqa: E402

TOKEN = re.compile(r"\w+")
SHINGLE = 4
BOOTSTRAP = 1000
SLOW_PAGE_MS = 2000


def shingles(text: str) -> Counter[tuple[str, ...]]:
    """Counted 4-word shingles of a text; a 1-3 word text is one short shingle."""
    tokens = TOKEN.findall(text or "")
    return (
        Counter(tuple(tokens[i : i + SHINGLE]) for i in range(max(1, len(tokens) - SHINGLE + 1)))
        if tokens
        else Counter()
    )


def page_score(truth: str, output: str) -> tuple[float | None, float, bool]:
    """(precision or None for empty output, recall, exact word match) of one page."""
    want, got = shingles(truth), shingles(output)
    shared, extra, missed = sum((want & got).values()), sum((got - want).values()), sum((want - got).values())
    total = shared + extra + missed
    if not total:
        return None, 0.0, False
    # normalised so that a long page weighs no more than a short one
    tp, fp, fn = shared / total, extra / total, missed / total
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall, TOKEN.findall(truth or "") == TOKEN.findall(output or "")


def aggregate(scores: list[tuple[float | None, float, bool]]) -> tuple[float, float, float, float]:
    """Mean precision, mean recall, their F1, and accuracy."""
    precisions = [p for p, _, _ in scores if p is not None]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(r for _, r, _ in scores) / len(scores)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, sum(a for _, _, a in scores) / len(scores)


def bootstrap_std(scores: list[tuple[float | None, float, bool]], seed: int = 1) -> tuple[float, ...]:
    """Standard deviation of each aggregate over resamples of the pages."""
    rng = random.Random(seed)  # noqa: S311 (resampling, not cryptography)
    samples = [aggregate([rng.choice(scores) for _ in scores]) for _ in range(BOOTSTRAP)]
    return tuple(statistics.pstdev(column) for column in zip(*samples, strict=True))


def load_pages(folder: Path) -> list[tuple[str, str, bytes, str]]:
    """(id, url, raw html bytes, labelled body) for every page of the folder."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id, entry in sorted(truth.items()):
        gz, plain = folder / "html" / f"{page_id}.html.gz", folder / "html" / f"{page_id}.html"
        body = gzip.decompress(gz.read_bytes()) if gz.exists() else plain.read_bytes()
        pages.append((page_id, entry.get("url", ""), body, entry.get("articleBody", "")))
    return pages


def ours(body: bytes, url: str) -> str:
    """Our cleaner's text; empty when it rejects the page."""
    try:
        return clean_html(body, url).text
    except PageRejected:
        return ""


def theirs(body: bytes, url: str) -> str:
    """trafilatura with default settings."""
    return trafilatura.extract(body) or ""


def run(pages: list[tuple[str, str, bytes, str]], repeat: int) -> dict[str, tuple[list[str], list[float]]]:
    """Outputs and per-page best times (ms) of both extractors."""
    runners: dict[str, Callable[[bytes, str], str]] = {"trafilatura": theirs, "ours": ours}
    results: dict[str, tuple[list[str], list[float]]] = {name: ([], []) for name in runners}
    for n, (_, url, body, _) in enumerate(pages):
        best = {name: float("inf") for name in runners}
        outputs = {}
        for r in range(repeat):
            order = list(runners) if (n + r) % 2 == 0 else list(reversed(runners))
            for name in order:
                start = time.perf_counter()
                outputs[name] = runners[name](body, url)
                best[name] = min(best[name], (time.perf_counter() - start) * 1000)
        for name in runners:
            results[name][0].append(outputs[name])
            results[name][1].append(best[name])
    return results


def main(argv: list[str] | None = None) -> int:
    """Run both extractors over a folder and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="folder with ground-truth.json and html/")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per page and extractor (fastest counts)")
    parser.add_argument("--worst", type=int, default=0, help="also list the N pages where we score lowest")
    parser.add_argument("--json", type=Path, help="write our outputs here, in the benchmark's format")
    args = parser.parse_args(argv)
    pages = load_pages(args.folder)
    if not pages:
        print(f"no pages in {args.folder}", file=sys.stderr)
        return 2
    ours(pages[0][2], pages[0][1])  # warm-up: first-call imports and regex compilation
    theirs(pages[0][2], pages[0][1])
    results = run(pages, max(1, args.repeat))
    print(f"{len(pages)} pages from {args.folder}, best of {args.repeat} timed runs per page\n")
    print(
        f"{'extractor':<24}{'precision':>17}{'recall':>17}{'F1':>17}"
        f"{'accuracy':>10}{'median ms':>11}{'total ms':>10}{'max ms':>9}"
    )
    summary = {}
    for name, label in (("trafilatura", f"trafilatura {trafilatura.__version__}"), ("ours", "monitor.clean.cleaner")):
        scores = [page_score(truth, out) for (_, _, _, truth), out in zip(pages, results[name][0], strict=True)]
        p, r, f, acc = aggregate(scores)
        sp, sr, sf, _ = bootstrap_std(scores)
        ms = results[name][1]
        summary[name] = (f, statistics.median(ms), scores)
        print(
            f"{label:<24}{p:>10.4f} ±{sp:.4f}{r:>10.4f} ±{sr:.4f}{f:>10.4f} ±{sf:.4f}{acc:>10.3f}"
            f"{statistics.median(ms):>11.1f}{sum(ms):>10.0f}{max(ms):>9.0f}"
        )
    f_theirs, med_theirs, _ = summary["trafilatura"]
    f_ours, med_ours, our_scores = summary["ours"]
    slow = sum(1 for ms in results["ours"][1] if ms > SLOW_PAGE_MS)
    print(f"\nF1 difference (ours - trafilatura): {f_ours - f_theirs:+.4f}")
    print(
        f"median time ratio (ours / trafilatura): {med_ours / med_theirs:.2f}x; "
        f"our pages over {SLOW_PAGE_MS} ms: {slow}"
    )
    if args.worst:
        print(f"\nour {args.worst} lowest-scoring pages (precision, recall):")
        ranked = sorted(zip(pages, our_scores, strict=True), key=lambda item: (item[1][0] or 0) + item[1][1])
        for (page_id, url, _, _), (page_p, page_r, _) in ranked[: args.worst]:
            shown = f"{page_p:.3f}" if page_p is not None else "  -  "
            print(f"  {page_id[:12]}  P {shown}  R {page_r:.3f}  {url}")
    if args.json:
        outputs = {
            page_id: {"articleBody": out} for (page_id, _, _, _), out in zip(pages, results["ours"][0], strict=True)
        }
        args.json.write_text(json.dumps(outputs, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
