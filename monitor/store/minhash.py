"""MinHash signatures of article texts, computed in the cleaning worker processes.

Only datasketch's MinHash is needed here (the story index bands signatures itself, monitor.store.stories).
Importing the datasketch package runs its __init__, which loads its LSH modules and, through them, scipy: 1.2 s
and ~55 MB in every process for code it never calls. So the package is registered without running its __init__
and only `datasketch.minhash` is loaded (unless something imported the whole package before).
"""

from __future__ import annotations

import importlib.util
import re
import sys
import types
import zlib
from typing import Any

import numpy as np

NUM_PERM = 128
SHINGLE_WORDS = 5
SCHEME = "affine32"  # stored signatures are only comparable under the scheme that made them
MIN_WORDS = 40  # shorter texts (teasers, briefs, posts) give MinHash too few shingles to judge
# Down to this, a short text (a channel post, a brief) is still grouped, by its exact shingles (stories.py).
SHORT_MIN_WORDS = 20
_WORD = re.compile(r"\w+")


def minhash_class() -> Any:
    """datasketch.MinHash; in a worker process, without importing the rest of datasketch."""
    if "datasketch" not in sys.modules:
        spec = importlib.util.find_spec("datasketch")
        if spec is None or spec.submodule_search_locations is None:
            raise ImportError("datasketch is not installed")
        package = types.ModuleType("datasketch")
        package.__path__ = list(spec.submodule_search_locations)
        package.__spec__ = spec
        sys.modules["datasketch"] = package
    from datasketch.minhash import MinHash

    return MinHash


_PERMUTATIONS: Any = None


def new_minhash(hashvalues: np.ndarray | None = None) -> Any:
    """A MinHash of our scheme. The permutations are made once per process and shared: datasketch would
    otherwise derive them again for every object (0.2 ms each, and 2 KB kept per indexed article)."""
    global _PERMUTATIONS
    cls = minhash_class()
    if _PERMUTATIONS is None:
        _PERMUTATIONS = cls(num_perm=NUM_PERM, scheme=SCHEME).permutations
    return cls(num_perm=NUM_PERM, hashvalues=hashvalues, permutations=_PERMUTATIONS, scheme=SCHEME)


def signature(text: str) -> np.ndarray | None:
    """MinHash values of the text's word shingles, their count, then each shingle's CRC-32 in text order (each
    once); None when too short. The exact hashes let a short text be found inside a longer one (stories.py);
    only short texts keep them in the database."""
    words = _WORD.findall(text.casefold())
    if len(words) < SHORT_MIN_WORDS:
        return None
    shingles = _shingles(words)
    minhash = new_minhash()
    minhash.update_batch(shingles)
    exact = np.fromiter(dict.fromkeys(zlib.crc32(s) for s in shingles), dtype=np.uint32)
    head = np.append(minhash.hashvalues, np.uint32(len(shingles))).astype(np.uint32)
    return np.concatenate([head, exact]).astype(np.uint32)


def shingle_hashes(text: str) -> list[int]:
    """The exact part of a signature: each 5-word shingle's CRC-32, in text order, each once.

    CRC-32, not hash(): the same in every process (pool workers, scale-out workers, after a restart). In text
    order, so that a text's opening (its news) can be told from a background paragraph it shares.
    """
    return list(dict.fromkeys(zlib.crc32(s) for s in _shingles(_WORD.findall(text.casefold()))))


def text_words(text: str) -> list[str]:
    """The words shingles are made of (case-folded), in order."""
    return list(_WORD.findall(text.casefold()))


def _shingles(words: list[str]) -> list[bytes]:
    return list(dict.fromkeys(" ".join(words[i:i + SHINGLE_WORDS]).encode()
                              for i in range(len(words) - SHINGLE_WORDS + 1)))
