"""Article extraction, side by side: our cleaner against plain trafilatura, same pages, same run.

Usage (from the repository root):

    python benchmarks/extraction.py benchmarks/dev-pages ../shared/extraction-dev   # both dev sets
    python benchmarks/extraction.py FOLDER --repeat 5 --worst 10                    # steadier timings, worst pages

Each FOLDER holds `ground-truth.json` ({"<id>": {"articleBody": ..., "url": ...}}) and `html/<id>.html.gz`
(or `html/<id>.html`), the format of the Scrapinghub article-extraction-benchmark. Labels may also give
`date` (the page's own calendar day, or null), `authors` (people) and `persons` (names in the body), as
benchmarks/dev-pages does; the figures that need them are reported where they are present.

Body scores follow that benchmark: 4-word shingles of \\w+ tokens, per-page tp/fp/fn normalised, precision
and recall averaged over pages (a page with empty output has no precision and recall 0), F1 of the two
means, accuracy = share of pages whose output has exactly the label's words, ± = std over 1000 bootstrap
resamples. Also per set:
- empty: pages with no text at all; "we lose": pages where we give nothing and trafilatura gives the article
  (recall ≥ 0.5);
- person names: share of the labelled `persons` found as whole words in the text; where there are no such
  labels, name-like runs of two or three capitalised words inside sentences of the label, found the same way;
- dates: given on pages whose label has a date, and correct (same calendar day as the label) — ours is
  `Article.published` in its own offset, trafilatura's is `trafilatura.extract_metadata(html).date`;
- authors: correct when the set of names equals the label's (trafilatura's `author` split on ";").
Both extractors get the page's raw bytes: trafilatura with default settings (`trafilatura.extract(html)`),
ours is `monitor.clean.cleaner.clean_html(html, url)`. Each page is timed `--repeat` times per extractor,
alternating which goes first, in CPU time of this process (`time.process_time`); the fastest run counts.
The CPU ratio is the sum of those over all pages of all sets, ours / trafilatura's.
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
from dataclasses import dataclass, field
from pathlib import Path

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from monitor.clean import clean_html  # noqa: E402
from monitor.errors import PageRejected  # noqa: E402

TOKEN = re.compile(r"\w+")
SHINGLE = 4
BOOTSTRAP = 1000
SLOW_PAGE_MS = 2000
# trafilatura "gives the article" when it has at least this recall on the page.
GIVES_ARTICLE_RECALL = 0.5
# Name-like runs for sets without person labels: 2-3 capitalised words, not opening a sentence.
NAME_RUN = re.compile(r"(?<=[\w,;:] )((?:[A-ZА-ЯЁІЎЄЇŁŚŻŹĆŃÓ][\w'’-]+ ){1,2}[A-ZА-ЯЁІЎЄЇŁŚŻŹĆŃÓ][\w'’-]+)")


@dataclass
class Page:
    """One labelled page."""

    id: str
    url: str
    html: bytes
    body: str
    date: str | None = None
    authors: list[str] | None = None  # None: not labelled
    persons: list[str] | None = None


@dataclass
class Output:
    """What an extractor made of one page."""

    text: str = ""
    date: str | None = None
    authors: list[str] = field(default_factory=list)
    cpu_ms: float = 0.0


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


def load_pages(folder: Path) -> list[Page]:
    """Every labelled page of the folder."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id, entry in sorted(truth.items()):
        gz, plain = folder / "html" / f"{page_id}.html.gz", folder / "html" / f"{page_id}.html"
        body = gzip.decompress(gz.read_bytes()) if gz.exists() else plain.read_bytes()
        pages.append(
            Page(page_id, entry.get("url", ""), body, entry.get("articleBody", ""), entry.get("date"),
                 entry.get("authors"), entry.get("persons"))  # fmt: skip
        )
    return pages


def ours(page: Page) -> Output:
    """Our cleaner's text and metadata; empty text when it rejects the page (its metadata still counts)."""
    try:
        article = clean_html(page.html, page.url)
    except PageRejected as rejected:
        article = rejected.metadata
        if article is None:
            return Output()
    published = article.published.date().isoformat() if article.published else None
    return Output(article.text, published, list(article.authors))


def theirs(page: Page) -> Output:
    """trafilatura with default settings."""
    return Output(trafilatura.extract(page.html) or "")


def theirs_metadata(page: Page, output: Output) -> None:
    """trafilatura's date and author for the page (not timed: its extract() does not read them)."""
    meta = trafilatura.extract_metadata(page.html, default_url=page.url or None)
    if meta is not None:
        output.date = meta.date
        output.authors = [a.strip() for a in (meta.author or "").split(";") if a.strip()]


def run(pages: list[Page], repeat: int) -> dict[str, list[Output]]:
    """Outputs and per-page best CPU times of both extractors."""
    runners: dict[str, Callable[[Page], Output]] = {"trafilatura": theirs, "ours": ours}
    results: dict[str, list[Output]] = {name: [] for name in runners}
    for n, page in enumerate(pages):
        best = {name: float("inf") for name in runners}
        outputs: dict[str, Output] = {}
        for r in range(repeat):
            order = list(runners) if (n + r) % 2 == 0 else list(reversed(runners))
            for name in order:
                start = time.process_time()
                outputs[name] = runners[name](page)
                best[name] = min(best[name], (time.process_time() - start) * 1000)
        for name in runners:
            outputs[name].cpu_ms = best[name]
            results[name].append(outputs[name])
        theirs_metadata(page, outputs["trafilatura"])
    return results


def contains_words(text: str, phrase: str) -> bool:
    """`phrase` occurs in `text` as a run of whole words."""
    hay, needle = TOKEN.findall(text), TOKEN.findall(phrase)
    return bool(needle) and any(hay[i : i + len(needle)] == needle for i in range(len(hay) - len(needle) + 1))


def names_of(page: Page) -> tuple[list[str], bool]:
    """The person names to look for, and whether they are labelled (else name-like runs of the label)."""
    if page.persons is not None:
        return page.persons, True
    return [m.group(1) for m in NAME_RUN.finditer(page.body)], False


def same_people(got: list[str], want: list[str]) -> bool:
    """Author lists equal as sets of names (case and spacing ignored)."""
    def key(names: list[str]) -> set[str]:
        return {" ".join(n.casefold().split()) for n in names}
    return key(got) == key(want)


@dataclass
class SetReport:
    """Everything the benchmark says about one set and one extractor."""

    scores: list[tuple[float | None, float, bool]]
    empty: int
    names_found: int
    names: int
    names_labelled: bool
    dated: int  # pages whose label has a date
    dates_given: int
    dates_correct: int
    author_pages: int
    authors_correct: int
    cpu_ms: list[float]


def report(pages: list[Page], outputs: list[Output]) -> SetReport:
    """Score one extractor on one set."""
    scores = [page_score(p.body, o.text) for p, o in zip(pages, outputs, strict=True)]
    found = total = 0
    labelled = True
    for page, out in zip(pages, outputs, strict=True):
        names, labelled = names_of(page)
        total += len(names)
        found += sum(1 for n in names if contains_words(out.text, n))
    dated = [(p, o) for p, o in zip(pages, outputs, strict=True) if p.date]
    with_authors = [(p, o) for p, o in zip(pages, outputs, strict=True) if p.authors is not None]
    return SetReport(
        scores,
        sum(1 for o in outputs if not o.text.strip()),
        found,
        total,
        labelled,
        len(dated),
        sum(1 for _, o in dated if o.date),
        sum(1 for p, o in dated if o.date == p.date),
        len(with_authors),
        sum(1 for p, o in with_authors if same_people(o.authors, p.authors or [])),
        [o.cpu_ms for o in outputs],
    )


def share(part: int, whole: int) -> str:
    """A share as "n/N (pp.p%)"."""
    return f"{part}/{whole} ({100 * part / whole:.1f}%)" if whole else "-"


def print_set(folder: Path, pages: list[Page], results: dict[str, list[Output]], worst: int) -> dict[str, SetReport]:
    """Print one set's comparison; return the reports."""
    print(f"\n== {folder}: {len(pages)} pages")
    print(f"{'extractor':<24}{'precision':>17}{'recall':>17}{'F1':>17}{'accuracy':>10}{'empty':>7}{'CPU ms':>9}")
    reports = {}
    for name, label in (("trafilatura", f"trafilatura {trafilatura.__version__}"), ("ours", "monitor.clean")):
        rep = reports[name] = report(pages, results[name])
        p, r, f, acc = aggregate(rep.scores)
        sp, sr, sf, _ = bootstrap_std(rep.scores)
        print(
            f"{label:<24}{p:>10.4f} ±{sp:.4f}{r:>10.4f} ±{sr:.4f}{f:>10.4f} ±{sf:.4f}{acc:>10.3f}"
            f"{rep.empty:>7}{sum(rep.cpu_ms):>9.0f}"
        )
    lost = [
        pg.id for pg, o, t in zip(pages, results["ours"], results["trafilatura"], strict=True)
        if not o.text.strip() and page_score(pg.body, t.text)[1] >= GIVES_ARTICLE_RECALL
    ]  # fmt: skip
    mine, theirs_ = reports["ours"], reports["trafilatura"]
    kind = "labelled person names" if mine.names_labelled else "name-like runs of the labels (no person labels)"
    print(f"pages where we give nothing and trafilatura gives the article: {len(lost)} {' '.join(lost)}")
    print(f"{kind} in the text: ours {share(mine.names_found, mine.names)}, "
          f"trafilatura {share(theirs_.names_found, theirs_.names)}")  # fmt: skip
    if not mine.dated:  # no date labels: how often each gives a date at all
        given = [sum(1 for o in results[name] if o.date) for name in ("ours", "trafilatura")]
        print(f"pages with a date (no date labels here): ours {share(given[0], len(pages))}, "
              f"trafilatura {share(given[1], len(pages))}")  # fmt: skip
    if mine.dated:
        print(f"dates given: ours {share(mine.dates_given, mine.dated)}, trafilatura "
              f"{share(theirs_.dates_given, theirs_.dated)}; correct day: ours {share(mine.dates_correct, mine.dated)},"
              f" trafilatura {share(theirs_.dates_correct, theirs_.dated)}")  # fmt: skip
    if mine.author_pages:
        print(f"authors correct: ours {share(mine.authors_correct, mine.author_pages)}, "
              f"trafilatura {share(theirs_.authors_correct, theirs_.author_pages)}")  # fmt: skip
    if worst:
        print(f"our {worst} lowest-scoring pages (precision, recall):")
        ranked = sorted(zip(pages, mine.scores, strict=True), key=lambda item: (item[1][0] or 0) + item[1][1])
        for page, (page_p, page_r, _) in ranked[:worst]:
            shown = f"{page_p:.3f}" if page_p is not None else "  -  "
            print(f"  {page.id[:24]:<24}  P {shown}  R {page_r:.3f}  {page.url}")
    return reports


def main(argv: list[str] | None = None) -> int:
    """Run both extractors over the folders and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", type=Path, nargs="+", help="folders with ground-truth.json and html/")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per page and extractor (fastest counts)")
    parser.add_argument("--worst", type=int, default=0, help="also list the N pages where we score lowest")
    parser.add_argument("--json", type=Path, help="write our outputs here, in the benchmark's format")
    args = parser.parse_args(argv)
    sets = [(folder, load_pages(folder)) for folder in args.folders]
    if not any(pages for _, pages in sets):
        print("no pages in " + ", ".join(map(str, args.folders)), file=sys.stderr)
        return 2
    warm = next(pages[0] for _, pages in sets if pages)
    ours(warm)  # warm-up: first-call imports and regex compilation
    theirs(warm)
    print(f"best of {args.repeat} timed runs per page and extractor, CPU time of this process")
    cpu = {"ours": 0.0, "trafilatura": 0.0}
    slow = 0
    outputs: dict[str, dict[str, str]] = {}
    for folder, pages in sets:
        results = run(pages, max(1, args.repeat))
        reports = print_set(folder, pages, results, args.worst)
        for name in cpu:
            cpu[name] += sum(reports[name].cpu_ms)
        slow += sum(1 for ms in reports["ours"].cpu_ms if ms > SLOW_PAGE_MS)
        outputs.update({p.id: {"articleBody": o.text} for p, o in zip(pages, results["ours"], strict=True)})
    print(f"\nCPU per page, ours / trafilatura default, all sets: {cpu['ours'] / cpu['trafilatura']:.2f}x "
          f"({cpu['ours']:.0f} ms / {cpu['trafilatura']:.0f} ms); our pages over {SLOW_PAGE_MS} ms: {slow}")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(outputs, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
