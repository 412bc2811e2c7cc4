"""Group near-duplicate articles (syndicated or lightly edited copies) into one story with MinHash LSH.

Texts are compared as sets of 5-word shingles. Copies of one wire story on different sites, with other
boilerplate, a changed headline or an added paragraph, keep most shingles (Jaccard ≳ 0.6); two reports
of the same event written by different people share almost none (≲ 0.1). The threshold sits between.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
SHINGLE_WORDS = 5
SCHEME = "affine32"  # stored signatures are only comparable under the scheme that made them
THRESHOLD = 0.5
MIN_WORDS = 40  # shorter texts (teasers, briefs) give too few shingles to judge: never grouped
_WORD = re.compile(r"\w+")


def signature(text: str) -> np.ndarray | None:
    """MinHash values of the text's word shingles, or None when the text is too short to compare."""
    words = _WORD.findall(text.casefold())
    if len(words) < MIN_WORDS:
        return None
    minhash = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    minhash.update_batch([" ".join(words[i:i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)])
    return minhash.hashvalues


class StoryIndex:
    """In-memory LSH over recent articles: url → (story, signature)."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.stories: dict[str, str] = {}
        self.minhashes: dict[str, MinHash] = {}

    def __len__(self) -> int:
        return len(self.stories)

    def find(self, url: str, values: np.ndarray | None) -> str | None:
        """The story of the most similar other article at or above the threshold, if any."""
        if values is None:
            return None
        probe = MinHash(num_perm=NUM_PERM, hashvalues=values, scheme=SCHEME)
        best, best_score = None, self.threshold
        for other in self.lsh.query(probe):
            if other == url:
                continue
            score = probe.jaccard(self.minhashes[other])
            if score >= best_score:
                best, best_score = self.stories[other], score
        return best

    def add(self, url: str, story: str, values: np.ndarray | None) -> None:
        """Index an article (replacing an older signature of the same URL)."""
        if values is None:
            return
        if url in self.minhashes:
            self.lsh.remove(url)
        minhash = MinHash(num_perm=NUM_PERM, hashvalues=values, scheme=SCHEME)
        self.lsh.insert(url, minhash)
        self.minhashes[url], self.stories[url] = minhash, story

    def load(self, rows: Iterable[tuple[str, str, bytes]]) -> None:
        """Fill the index from stored (url, story, signature bytes) rows."""
        for url, story, blob in rows:
            self.add(url, story, np.frombuffer(blob, dtype=np.uint32).copy())
