"""The same text behind every URL: a consent or cookie wall, a paywall, a "please enable JavaScript" page or a
bot check answers 200 where the articles should be. Pages are compared by their three-word shingles, so a
wall that repeats the page's headline or a request id is still one text; a run whose pages are mostly one
text is reported (monitor/run/health.py)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# Enough of a page to tell one wall from another; a wall is small, an article's start is enough to differ.
SAMPLE_BYTES = 256 * 1024
PAGE_TEXT_CHARS = 4000  # what a rejected page's text is compared by (sent back from the cleaning pool)
SAMPLE_CHARS = 100
MAX_WORDS = 200  # a wall is shorter; two articles differ well before their 200th word
SHINGLE = 3
SKETCH = 64  # bottom-k sketch: comparing 64 numbers instead of hundreds keeps a page's cost on the loop low
SIMILAR = 0.7  # Jaccard similarity of shingles from which two pages are "the same text"
MAX_GROUPS = 20  # a run's distinct texts kept for comparison; past this, its pages are plainly not one text
ID_CHARS = 8  # "Ray ID: 8f3a1b2c3d4e5f60", "ref=20250512T101500Z"; not "3.21" or "12:00"
_SPACE = re.compile(r"\s+")
_HAS_DIGIT = re.compile(r"\d")


def visible_text(body: bytes) -> str:
    """The text a reader would see on a page, roughly: scripts, styles and the head removed (lxml: linear time
    on hostile markup, where regular expressions over unclosed tags would not be)."""
    from lxml import etree, html

    try:
        root = html.document_fromstring(body[:SAMPLE_BYTES])
    except (etree.ParserError, ValueError):
        return ""
    etree.strip_elements(root, "script", "style", "noscript", "template", "svg", "head", etree.Comment,
                         with_tail=False)
    return _SPACE.sub(" ", " ".join(root.itertext())).strip()


def shingles(text: str) -> frozenset[int]:
    """A sketch of the text: the smallest SKETCH hashes of its three-word shingles (case folded; ids, long
    words with digits, all alike). Two sketches' overlap estimates how much of the texts is shared."""
    words = ["#" if len(w) >= ID_CHARS and _HAS_DIGIT.search(w) else w
             for w in text[: MAX_WORDS * 15].casefold().split()[:MAX_WORDS]]
    grams = {" ".join(words[i:i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    # hash(): sketches are only compared within one process (the cleaning pool sends back text, not sketches)
    return frozenset(sorted(hash(g) for g in grams if g)[:SKETCH])


def similar(a: frozenset[int], b: frozenset[int]) -> bool:
    """Whether two sketches are the same text for our purpose (their Jaccard similarity, estimated)."""
    union = len(a | b)
    return bool(union) and len(a & b) / union >= SIMILAR


def sample(text: str) -> str:
    """The start of a text, on one line, for a report."""
    text = " ".join(text.split())
    return text if len(text) <= SAMPLE_CHARS else text[: SAMPLE_CHARS - 1].rstrip() + "…"


@dataclass
class _Group:
    shingles: frozenset[int]
    sample: str
    pages: int = 1


@dataclass
class TextTally:
    """Groups one crawl's pages by text and keeps the largest group in the crawler's stats:
    `monitor/same_text/pages` (how many pages have that text) and `monitor/same_text/sample` (its start)."""

    groups: list[_Group] = field(default_factory=list)

    def see(self, text: str, stats: Any) -> None:
        """Add one page's text (an article's, or a rejected page's visible text)."""
        group = self.add(text)
        if group is not None and group.pages > int(stats.get_value("monitor/same_text/pages", 0)):
            stats.set_value("monitor/same_text/pages", group.pages)
            stats.set_value("monitor/same_text/sample", group.sample)

    def add(self, text: str) -> _Group | None:
        """The group the text joins (a new one while there are few), or None."""
        if not text.strip():
            return None
        marks = shingles(text)
        for group in self.groups:
            if similar(group.shingles, marks):
                group.pages += 1
                return group
        if len(self.groups) >= MAX_GROUPS:
            return None
        self.groups.append(_Group(marks, sample(text)))
        return self.groups[-1]


def wall_copies(texts: Iterable[tuple[str, str]], wall: str) -> list[str]:
    """The keys of (key, text) pairs that are the wall: the largest group sharing one text (two or more),
    and any text that starts as the wall's sample does (a single stored copy)."""
    tally = TextTally()
    members: dict[int, list[str]] = {}
    starting = []
    for key, text in texts:
        if wall and sample(text) == wall:
            starting.append(key)
        group = tally.add(text)
        if group is not None:
            members.setdefault(id(group), []).append(key)
    largest = max(members.values(), key=len, default=[])
    return list(dict.fromkeys(starting + (largest if len(largest) >= 2 else [])))
