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
from datasketch import MinHash, MinHashLSH

from monitor.store.minhash import NUM_PERM, new_minhash, signature

__all__ = ["CONTAINMENT", "StoryIndex", "containment", "signature"]

LSH_THRESHOLD = 0.25  # candidates from the index; containment decides
CONTAINMENT = 0.6


def containment(jaccard: float, size_a: int, size_b: int) -> float:
    """Share of the smaller set inside the other, from their Jaccard similarity and sizes."""
    if jaccard <= 0:
        return 0.0
    common = jaccard * (size_a + size_b) / (1 + jaccard)
    return min(1.0, common / max(1, min(size_a, size_b)))


class StoryIndex:
    """In-memory LSH over recent articles: url → (story, signature)."""

    def __init__(self, threshold: float = CONTAINMENT) -> None:
        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        self.stories: dict[str, str] = {}
        self.minhashes: dict[str, tuple[MinHash, int]] = {}

    def __len__(self) -> int:
        return len(self.stories)

    def find(self, url: str, values: np.ndarray | None) -> str | None:
        """The story of the most similar other article at or above the threshold, if any."""
        if values is None:
            return None
        probe, size = _minhash(values)
        best, best_score = None, self.threshold
        for other in self.lsh.query(probe):
            if other == url:
                continue
            minhash, other_size = self.minhashes[other]
            score = containment(probe.jaccard(minhash), size, other_size)
            if score >= best_score:
                best, best_score = self.stories[other], score
        return best

    def add(self, url: str, story: str, values: np.ndarray | None) -> None:
        """Index an article (replacing an older signature of the same URL)."""
        if values is None:
            return
        if url in self.minhashes:
            self.lsh.remove(url)
        minhash, size = _minhash(values)
        self.lsh.insert(url, minhash)
        self.minhashes[url], self.stories[url] = (minhash, size), story

    def load(self, rows: Iterable[tuple[str, str, bytes]]) -> None:
        """Fill the index from stored (url, story, signature bytes) rows."""
        for url, story, blob in rows:
            self.add(url, story, np.frombuffer(blob, dtype=np.uint32).copy())


def _minhash(values: np.ndarray) -> tuple[MinHash, int]:
    return new_minhash(values[:NUM_PERM]), int(values[NUM_PERM])
