"""Find which of our blocks an extractor's plain-text output came from (4-word shingle matching)."""

from __future__ import annotations

import re
from collections import Counter

from monitor.clean.dom import Block

WORD = re.compile(r"\w+")
SHINGLE = 4
# A block counts as extracted when at least half of its shingles occur in the output: extractors
# drop an inline date or a "Read more" link from a paragraph, so full equality is too strict.
MIN_COVER = 0.5


def _shingles(tokens: list[str]) -> list[tuple[str, ...]]:
    """Overlapping runs of SHINGLE words; a shorter text is its own single shingle."""
    if len(tokens) < SHINGLE:
        return [tuple(tokens)] if tokens else []
    return [tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)]


def mark_kept(blocks: list[Block], extracted: str) -> float:
    """Set Block.kept for the blocks the extracted text came from; return the share of its words found."""
    out_tokens = WORD.findall(extracted)
    if not out_tokens:
        return 0.0
    pool = Counter(_shingles(out_tokens))
    for line in extracted.split("\n"):
        short = WORD.findall(line)
        if 0 < len(short) < SHINGLE:
            pool[tuple(short)] += 1
    seen = set(pool)
    # Longest blocks claim their shingles first: a teaser that repeats the opening sentence must not
    # take the shingles of the paragraph it copies.
    order = sorted(range(len(blocks)), key=lambda i: -len(blocks[i].tokens))
    for i in order:
        block = blocks[i]
        tokens = block.tokens
        n = len(tokens)
        if n < SHINGLE:
            continue
        # Cheap rejection first: most blocks of a page (menus, teasers) share nothing with the output.
        middle = (n - SHINGLE) // 2
        if not any(tuple(tokens[j : j + SHINGLE]) in seen for j in (0, middle, n - SHINGLE)):
            continue
        shingles = _shingles(tokens)
        hits = [s for s in shingles if pool[s] > 0]
        if len(hits) >= MIN_COVER * len(shingles):
            block.kept = True
            for s in hits:
                pool[s] -= 1
    out_words = set(out_tokens)
    for i, block in enumerate(blocks):
        if 0 < len(block.tokens) < SHINGLE and out_words.issuperset(block.tokens):
            block.kept = _short_block_kept(blocks, i, pool, seen)
    found = sum(len(block.tokens) for block in blocks if block.kept)
    return min(1.0, found / len(out_tokens))


def _short_block_kept(blocks: list[Block], i: int, pool: Counter[tuple[str, ...]], seen: set[tuple[str, ...]]) -> bool:
    """A 1-3 word block (heading, list item) is kept when it, with its neighbours, occurs in the output."""
    own = tuple(blocks[i].tokens)
    if pool[own] > 0:
        pool[own] -= 1
        return True
    before: list[str] = []
    j = i - 1
    while j >= 0 and len(before) < SHINGLE - 1:
        before = blocks[j].tokens + before
        j -= 1
    after: list[str] = []
    j = i + 1
    while j < len(blocks) and len(after) < SHINGLE - 1:
        after = after + blocks[j].tokens
        j += 1
    before, after = before[-(SHINGLE - 1) :], after[: SHINGLE - 1]
    window = before + list(own) + after
    # only the shingles that contain at least one word of this block
    first, last = max(0, len(before) - SHINGLE + 1), len(before) + len(own)
    crossing = [tuple(window[s : s + SHINGLE]) for s in range(first, last) if s + SHINGLE <= len(window)]
    return bool(crossing) and sum(1 for s in crossing if s in seen) >= MIN_COVER * len(crossing)
