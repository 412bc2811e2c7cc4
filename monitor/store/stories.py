"""Group near-duplicate articles (syndicated or lightly edited copies) into one story with MinHash LSH.

Texts are compared as sets of 5-word shingles. Copies of one wire story on different sites, with other
boilerplate, a changed headline or an added paragraph, keep most shingles; two reports of the same event
written by different people share almost none (< 5%). A copy may also be cut short (a teaser, a
shortened rewrite), so the test is containment: the share of the smaller text's shingles found in the
other, estimated from the MinHash Jaccard and the two shingle counts.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from monitor.store.minhash import NUM_PERM, signature

__all__ = ["BANDS", "CONTAINMENT", "ROWS", "StoryIndex", "containment", "signature"]

LSH_THRESHOLD = 0.25  # candidates from the index; containment decides
CONTAINMENT = 0.6
# The banding datasketch's MinHashLSH chooses for LSH_THRESHOLD and NUM_PERM (tests/store/test_stories.py checks
# it): two texts become candidates when all ROWS values of one of BANDS bands agree. The index is these few lines
# rather than MinHashLSH because importing datasketch's LSH module loads scipy (~55 MB in the daemon's process,
# for a parameter search done once), and because MinHashLSH wants a MinHash object per probe and per entry: the
# daemon and the scale-out coordinator group every article, so that was ~0.2 ms of their loop per article.
BANDS, ROWS = 42, 3


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
    """In-memory LSH over recent articles: url → (story, signature)."""

    def __init__(self, threshold: float = CONTAINMENT) -> None:
        self.threshold = threshold
        self.bands: list[dict[bytes, set[str]]] = [{} for _ in range(BANDS)]
        self.stories: dict[str, str] = {}
        self.minhashes: dict[str, tuple[np.ndarray, int]] = {}  # url → (MinHash values, shingle count)

    def __len__(self) -> int:
        return len(self.stories)

    def find(self, url: str, values: np.ndarray | None) -> str | None:
        """The story of the most similar other article at or above the threshold, if any."""
        if values is None:
            return None
        best, best_score = None, self.threshold
        for other in self.candidates(values):
            if other == url:
                continue
            score = self.containment(values, other)
            if score >= best_score:
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

    def add(self, url: str, story: str, values: np.ndarray | None) -> None:
        """Index an article (replacing an older signature of the same URL)."""
        if values is None:
            return
        if url in self.minhashes:
            self._remove(url)
        for band, key in zip(self.bands, band_keys(values), strict=True):
            band.setdefault(key, set()).add(url)
        self.minhashes[url], self.stories[url] = (values[:NUM_PERM].copy(), int(values[NUM_PERM])), story

    def _remove(self, url: str) -> None:
        for band, key in zip(self.bands, band_keys(self.minhashes[url][0]), strict=True):
            urls = band.get(key)
            if urls is not None:
                urls.discard(url)
                if not urls:
                    del band[key]

    def load(self, rows: Iterable[tuple[str, str, bytes]]) -> None:
        """Fill the index from stored (url, story, signature bytes) rows."""
        for url, story, blob in rows:
            self.add(url, story, np.frombuffer(blob, dtype=np.uint32).copy())
