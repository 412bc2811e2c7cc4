"""Do morphological analysers find Slavic names that the matcher's own rules miss? At what cost?

Run from the repository root:  python benchmarks/analysers.py

The issue asked to evaluate the maintained analysers before writing hand rules for Slavic declension:
pymorphy3 with its Russian and Ukrainian dictionaries (pymorphy3-dicts-ru, pymorphy3-dicts-uk) and
Morfeusz 2 for Polish. They are not dependencies of the project; install them into the environment to
run this (`pip install pymorphy3 pymorphy3-dicts-ru pymorphy3-dicts-uk morfeusz2`).

For every labelled case in Russian, Ukrainian and Polish (tests/data/match_cases.toml) the matcher runs as
it is, then once more with each capitalised word replaced by every lemma the analyser gives it (an upper
bound of what a lemma lookup could add). The script prints recall and precision both ways, the analyser's
CPU time per name-dense article, and the memory each analyser adds to the process.
"""

from __future__ import annotations

import resource
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor.match import Matcher
from monitor.match.normalize import tokenize
from monitor.models import Term, Watchlist

LANGUAGES = {"ru": "ru", "uk": "uk", "pl": "pl"}  # case language → analyser


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_analysers() -> dict[str, Callable[[str], set[str]]]:
    """Lemmatisers by language, each with the memory it added; exits with a hint when one is missing."""
    try:
        import morfeusz2
        import pymorphy3
    except ImportError:
        sys.exit("install the analysers first: pip install pymorphy3 pymorphy3-dicts-ru pymorphy3-dicts-uk morfeusz2")
    out: dict[str, Callable[[str], set[str]]] = {}
    for lang in ("ru", "uk"):
        before = rss_mb()
        morph = pymorphy3.MorphAnalyzer(lang=lang)
        out[lang] = lambda w, m=morph: {p.normal_form for p in m.parse(w)}
        print(f"pymorphy3 {lang}: +{rss_mb() - before:.0f} MB")
    before = rss_mb()
    morfeusz = morfeusz2.Morfeusz()
    morfeusz.analyse("Kowalski")
    out["pl"] = lambda w: {a[2][1].split(":")[0] for a in morfeusz.analyse(w)}
    print(f"morfeusz2 pl: +{rss_mb() - before:.0f} MB")
    return out


def score(cases: list[dict], found: list[set[str]]) -> tuple[float, float, int, int]:
    tp = fp = fn = 0
    for case, terms in zip(cases, found, strict=True):
        expected = set(case["expect"])
        tp, fp, fn = tp + len(terms & expected), fp + len(terms - expected), fn + len(expected - terms)
    return tp / (tp + fn), tp / (tp + fp) if tp + fp else 1.0, fn, fp


def main() -> int:
    with (ROOT / "tests" / "data" / "match_cases.toml").open("rb") as f:
        data = tomllib.load(f)
    analysers = load_analysers()
    matcher = Matcher.build([Watchlist("people", terms=tuple(Term(p) for p in data["people"]))])
    for lang, analyser_lang in LANGUAGES.items():
        lemmatise = analysers[analyser_lang]
        cases = [c for c in data["case"] if c["lang"] == lang]
        alone, with_lemmas = [], []
        spent = 0.0
        for case in cases:
            terms = {h.term for h in matcher.find_hits_in("", case["text"])}
            alone.append(terms)
            extra = set(terms)
            start = time.process_time()
            lemmas = {lemma for t in tokenize(case["text"]) if t.capitalised for lemma in lemmatise(t.word)}
            spent += time.process_time() - start
            for lemma in lemmas:
                extra |= {h.term for h in matcher.find_hits_in("", lemma[:1].upper() + lemma[1:])}
            with_lemmas.append(extra)
        r1, p1, fn1, fp1 = score(cases, alone)
        r2, p2, fn2, fp2 = score(cases, with_lemmas)
        print(f"\n{lang}: {len(cases)} cases")
        print(f"  matcher alone:        recall {r1:.3f} precision {p1:.3f} (misses {fn1}, false {fp1})")
        print(f"  matcher + lemmas:     recall {r2:.3f} precision {p2:.3f} (misses {fn2}, false {fp2})")
        print(f"  analyser CPU: {spent / len(cases) * 1e3:.2f} ms per sentence")
        for case, a, b in zip(cases, alone, with_lemmas, strict=True):
            for term in sorted(b - a):
                label = "found" if term in case["expect"] else "FALSE"
                print(f"    {label} only with lemmas: {term}: {case['text']!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
