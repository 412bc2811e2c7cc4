"""The word index: from one word of text to the configured words it can be, in near-constant time.

Every anchor word (a surname, the last word of a phrase) is filed under hash keys that a matching word of
text reproduces: its plain key, its skeletons, its stems, and for tolerant patterns the `coarse_key` of
its stems. A word of text is looked up under its own keys, with each possible ending cut off (endings are
at most `MAX_ENDING` skeleton letters), so the cost per word does not grow with the watchlist; the
candidates are then confirmed by `monitor.match.words.compare`. Results are cached per distinct word,
because news text repeats its vocabulary. Tokens are already separated by `monitor.match.normalize`, so a hash
lookup per token does the work an Aho-Corasick automaton does on raw text, with inflection endings and
tolerant edits on top.
"""

from __future__ import annotations

import re

from monitor.match.normalize import plain_key, skeletons
from monitor.match.words import (
    ALL_ENDINGS,
    MAX_ENDING,
    WordMatch,
    WordPattern,
    coarse_key,
    compare,
    compare_keys,
)

CACHE_SIZE = 200_000  # distinct words remembered; the cache is emptied when full
# Latin (with extensions), Greek and Cyrillic letters, digits, apostrophes, modifier letters (the prime of
# scholarly transliteration: "Navalʹnyj") and combining marks.
_TRANSLITERABLE_RE = re.compile(r"[0-9'’\u0041-\u024f\u02b0-\u02ff\u0300-\u052f\u1e00-\u1eff]+")


class WordIndex:
    """Anchor words of every form, filed by the keys a matching word of text would have."""

    def __init__(self) -> None:
        self._patterns: list[WordPattern] = []
        self._refs: list[list[int]] = []  # pattern → form ids anchored on it
        self._by_pattern: dict[WordPattern, int] = {}
        self._exact: dict[str, set[int]] = {}
        self._keyed: dict[str, set[int]] = {}  # skeletons and stems
        self._coarse: dict[str, set[int]] = {}
        self._prefixes: list[int] = []
        self._cache: dict[tuple[str, bool], tuple[tuple[int, WordMatch], ...]] = {}

    def __getstate__(self) -> dict[str, object]:
        state = self.__dict__.copy()
        state["_cache"] = {}  # a worker rebuilds it; no need to pickle it
        return state

    def add(self, pattern: WordPattern, ref: int) -> None:
        """File `pattern` as the anchor of form `ref` (equal patterns share one entry)."""
        pid = self._by_pattern.get(pattern)
        if pid is None:
            pid = self._by_pattern[pattern] = len(self._patterns)
            self._patterns.append(pattern)
            self._refs.append([])
            self._file(pattern, pid)
        self._refs[pid].append(ref)
        self._cache.clear()

    def _file(self, pattern: WordPattern, pid: int) -> None:
        if pattern.prefix:
            self._prefixes.append(pid)
            return
        self._exact.setdefault(pattern.plain, set()).add(pid)
        for key in pattern.nominatives:
            self._keyed.setdefault(key, set()).add(pid)
        for stem in pattern.stems:
            self._keyed.setdefault(stem.key, set()).add(pid)
            if pattern.fuzzy:
                self._coarse.setdefault(coarse_key(stem.key), set()).add(pid)

    def lookup(self, word: str, slavic: bool) -> tuple[tuple[int, WordMatch], ...]:
        """(form id, how) for every form anchored on a word that `word` (as written) matches.

        `slavic`: the word may carry Slavic or Baltic case endings (see `monitor.match.words.compare`).
        """
        found = self._cache.get((word, slavic))
        if found is None:
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            found = self._cache[word, slavic] = self._lookup(word, slavic)
        return found

    def _lookup(self, word: str, slavic: bool) -> tuple[tuple[int, WordMatch], ...]:
        plain = plain_key(word)
        candidates = set(self._exact.get(plain, ()))
        if not _TRANSLITERABLE_RE.fullmatch(word):
            # Skeletons are made for Latin, Cyrillic and Greek; a Korean or Arabic word matches as written.
            found = ((pid, compare(self._patterns[pid], word, False, slavic)) for pid in sorted(candidates))
            return tuple((ref, m) for pid, m in found if m and m.kind == "exact" for ref in self._refs[pid])
        capitalised = word[:1].isupper() or not word[:1].islower()
        for key in skeletons(word):
            for cut in range(max(1, len(key) - MAX_ENDING), len(key) + 1):
                stem = key[:cut]
                candidates.update(self._keyed.get(stem, ()))
                if capitalised and self._coarse and key[cut:] in ALL_ENDINGS:
                    candidates.update(self._coarse.get(coarse_key(stem), ()))
        candidates.update(pid for pid in self._prefixes if plain.startswith(self._patterns[pid].plain))
        out: list[tuple[int, WordMatch]] = []
        keys = skeletons(word)
        for pid in sorted(candidates):
            match = compare_keys(self._patterns[pid], plain, keys, capitalised, slavic)
            if match:
                out.extend((ref, match) for ref in self._refs[pid])
        return tuple(out)

    def __len__(self) -> int:
        return len(self._patterns)
