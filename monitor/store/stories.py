"""Group near-duplicate articles (syndicated or lightly edited copies) into one story with MinHash LSH.

Texts are compared as sets of 5-word shingles. Copies of one wire story on different sites, with other
boilerplate, a changed headline or an added paragraph, keep most shingles; two reports of the same event
written by different people share almost none (< 5%). A copy may also be cut short (a teaser, a
shortened rewrite), so the test is containment: the share of the smaller text's shingles found in the
other, estimated from the MinHash Jaccard and the two shingle counts.

MinHash cannot see a short text inside a long one (a 60-word channel post quoting a 600-word article's lead
has a Jaccard of 0.1, below what LSH returns), and misjudges texts of a few dozen shingles. So short texts
(posts, briefs) are also kept by their exact shingle hashes: every new text looks up its shingles there, and
the share of a short text's shingles found in it is their containment, counted exactly. The other way round
(the article first, the post quoting it later), the store finds recent texts holding the post's phrases with
its full-text index, and `quoted_in` checks them the same way. The post a channel
published first and the article a website publishes later on the same news are then one story. A short text
shares its news in its opening, so most of its first phrases must be found too: a brief that shares only a
background paragraph with an article on other news stays apart. Two texts from the same source are never
grouped this way: a channel's templated posts ("court today: …") would be.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np

from monitor.store.minhash import (
    MIN_WORDS,
    NUM_PERM,
    SHINGLE_WORDS,
    SHORT_MIN_WORDS,
    shingle_hashes,
    signature,
    text_words,
)

__all__ = ["BANDS", "CONTAINMENT", "ROWS", "StoryIndex", "containment", "quoted_in", "search_phrases",
           "short_hashes", "signature"]

LSH_THRESHOLD = 0.25  # candidates from the index; containment decides
CONTAINMENT = 0.6
# The banding datasketch's MinHashLSH chooses for LSH_THRESHOLD and NUM_PERM (tests/store/test_stories.py checks
# it): two texts become candidates when all ROWS values of one of BANDS bands agree. The index is these few lines
# rather than MinHashLSH because importing datasketch's LSH module loads scipy (~55 MB in the daemon's process,
# for a parameter search done once), and because MinHashLSH wants a MinHash object per probe and per entry: the
# daemon and the scale-out coordinator group every article, so that was ~0.2 ms of their loop per article.
BANDS, ROWS = 42, 3
MIN_SHINGLES = MIN_WORDS - SHINGLE_WORDS + 1  # fewer, and a MinHash estimate is noise
SHORT_MIN_SHINGLES = SHORT_MIN_WORDS - SHINGLE_WORDS + 1
# Texts up to this many shingles (~125 words: nearly every channel post, every brief) are kept exactly.
SHORT_MAX_SHINGLES = 120
# The newest this many short texts are kept: 30 busy channels' posts of three days, at most ~30 MB (measured
# with tracemalloc: 5,000 texts of 80 shingles take 36 MB); news older than that has found its copies.
SHORT_MAX_TEXTS = 4000
HEAD = NUM_PERM + 1  # MinHash values and the shingle count; exact hashes follow
# A short text's opening: its first this many shingles (12 words), of which LEAD_SHARE must be in the other text.
LEAD_SHINGLES = 8
LEAD_SHARE = 0.5


def containment(jaccard: float, size_a: int, size_b: int) -> float:
    """Share of the smaller set inside the other, from their Jaccard similarity and sizes."""
    if jaccard <= 0:
        return 0.0
    common = jaccard * (size_a + size_b) / (1 + jaccard)
    return min(1.0, common / max(1, min(size_a, size_b)))


def band_keys(values: np.ndarray) -> list[bytes]:
    """The LSH keys of a signature's MinHash values, one per band."""
    data = np.ascontiguousarray(values[:BANDS * ROWS], dtype=np.uint32).tobytes()
    step = 4 * ROWS
    return [data[i:i + step] for i in range(0, BANDS * step, step)]


class StoryIndex:
    """In-memory LSH over recent articles, plus the exact shingles of short ones: url → (story, signature)."""

    def __init__(self, threshold: float = CONTAINMENT) -> None:
        self.threshold = threshold
        self.bands: list[dict[bytes, set[str]]] = [{} for _ in range(BANDS)]
        self.stories: dict[str, str] = {}
        self.minhashes: dict[str, tuple[np.ndarray, int]] = {}  # url → (MinHash values, shingle count)
        self.short: dict[str, tuple[np.ndarray, str | None]] = {}  # url → (exact shingle hashes, source)
        # shingle hash → the short text that has it, or a tuple of them: most hashes have one holder, and a set
        # per hash would take three times the memory.
        self.postings: dict[int, str | tuple[str, ...]] = {}

    def __len__(self) -> int:
        return len(self.stories)

    def find(self, url: str, values: np.ndarray | None, source: str | None = None) -> str | None:
        """The story of the most similar other article at or above the threshold, if any."""
        if values is None:
            return None
        best, best_score = None, self.threshold
        if int(values[NUM_PERM]) >= MIN_SHINGLES:
            for other in self.candidates(values):
                if other == url:
                    continue
                score = self.containment(values, other)
                if score >= best_score:
                    best, best_score = self.stories[other], score
        exact = values[HEAD:]
        if len(exact) >= SHORT_MIN_SHINGLES and self.postings:
            probe = exact.tolist()
            shared = Counter(other for h in probe for other in _holders(self.postings.get(h)))
            for other, count in shared.items():
                hashes, other_source = self.short[other]
                if other == url or (source is not None and other_source == source):
                    continue
                score = count / min(len(exact), len(hashes))
                if score >= best_score and _opening_found(probe, hashes.tolist()):
                    best, best_score = self.stories[other], score
        return best

    def candidates(self, values: np.ndarray) -> set[str]:
        """The indexed articles that share a band with this signature (the LSH step)."""
        found: set[str] = set()
        for band, key in zip(self.bands, band_keys(values), strict=True):
            found.update(band.get(key, ()))
        return found

    def containment(self, values: np.ndarray, other: str) -> float:
        """The estimated containment between a signature and an indexed article (the scoring step)."""
        hashvalues, other_size = self.minhashes[other]
        jaccard = float(np.count_nonzero(values[:NUM_PERM] == hashvalues)) / NUM_PERM
        return containment(jaccard, int(values[NUM_PERM]), other_size)

    def add(self, url: str, story: str, values: np.ndarray | None, source: str | None = None) -> None:
        """Index an article (replacing an older signature of the same URL)."""
        if values is None:
            return
        if url in self.minhashes:
            self._remove(url)
        self._forget_short(url)
        size = int(values[NUM_PERM])
        if size >= MIN_SHINGLES:
            for band, key in zip(self.bands, band_keys(values), strict=True):
                band.setdefault(key, set()).add(url)
            self.minhashes[url] = (values[:NUM_PERM].copy(), size)
        exact = values[HEAD:]
        if SHORT_MIN_SHINGLES <= len(exact) <= SHORT_MAX_SHINGLES:
            self.short[url] = (exact.copy(), source)
            for h in exact.tolist():
                holders = self.postings.get(h)
                self.postings[h] = url if holders is None else (*_holders(holders), url)
            if len(self.short) > SHORT_MAX_TEXTS:
                self._forget_short(next(iter(self.short)))
        self.stories[url] = story

    def load(self, rows: Iterable[tuple[str, str, bytes] | tuple[str, str, bytes, str]]) -> None:
        """Fill the index from stored (url, story, signature bytes[, source]) rows."""
        for url, story, blob, *source in rows:
            self.add(url, story, np.frombuffer(blob, dtype=np.uint32).copy(), source[0] if source else None)

    @staticmethod
    def storable(values: np.ndarray | None) -> bytes | None:
        """What the database keeps of a signature: the MinHash part, and the exact hashes of a short text."""
        if values is None:
            return None
        return (values if len(values) - HEAD <= SHORT_MAX_SHINGLES else values[:HEAD]).tobytes()

    def _remove(self, url: str) -> None:
        for band, key in zip(self.bands, band_keys(self.minhashes.pop(url)[0]), strict=True):
            urls = band.get(key)
            if urls is not None:
                urls.discard(url)
                if not urls:
                    del band[key]

    def _forget_short(self, url: str) -> None:
        entry = self.short.pop(url, None)
        if entry is None:
            return
        for h in entry[0].tolist():
            rest = tuple(u for u in _holders(self.postings.get(h)) if u != url)
            if rest:
                self.postings[h] = rest[0] if len(rest) == 1 else rest
            else:
                self.postings.pop(h, None)


def short_hashes(values: np.ndarray | None) -> list[int] | None:
    """A short text's exact shingle hashes from its signature; None for a long or unsigned text."""
    if values is None or not SHORT_MIN_SHINGLES <= len(values) - HEAD <= SHORT_MAX_SHINGLES:
        return None
    return list(values[HEAD:].tolist())


def search_phrases(text: str, size: int = 6) -> list[str]:
    """Phrases of a short text to look for in stored texts by full-text search: its opening and its middle."""
    words = text_words(text)
    middle = max(0, len(words) // 2 - size // 2)
    return list(dict.fromkeys(" ".join(words[start:start + size]) for start in (0, middle)
                              if len(words) >= start + size))


def quoted_in(hashes: list[int], text: str) -> bool:
    """Whether a short text (its shingle hashes) is found in `text`: most of its phrases, and its opening."""
    other = shingle_hashes(text)
    present = set(other)
    return sum(h in present for h in hashes) >= CONTAINMENT * len(hashes) and _opening_found(hashes, other)


def _opening_found(probe: list[int], other: list[int]) -> bool:
    """Whether the shorter text's opening phrases are in the longer one (hash lists in text order)."""
    shorter, longer = (probe, other) if len(probe) <= len(other) else (other, probe)
    lead, present = shorter[:LEAD_SHINGLES], set(longer)
    return sum(h in present for h in lead) >= LEAD_SHARE * len(lead)


def _holders(entry: str | tuple[str, ...] | None) -> tuple[str, ...]:
    if entry is None:
        return ()
    return (entry,) if isinstance(entry, str) else entry

