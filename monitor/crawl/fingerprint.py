"""The same text behind every URL: a consent or cookie wall, a paywall, a "please enable JavaScript" page or a
bot check answers 200 where the articles should be. Each page gets a key of its text (numbers and ids folded
away, since such pages often carry a request id); a run whose pages mostly share one key is reported."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

# Enough of a page to tell one wall from another; a wall is small, an article's start is enough to differ.
SAMPLE_BYTES = 256 * 1024
SAMPLE_CHARS = 100
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


def text_key(text: str) -> str:
    """A key equal for texts that differ only in case, spacing and ids (long words with digits: a request id,
    a time stamp). Short numbers stay: pages that differ only in a price or a score are different pages."""
    words = ("#" if len(word) >= ID_CHARS and _HAS_DIGIT.search(word) else word for word in text.casefold().split())
    # hashlib, not hash(): keys made in the cleaning pool's processes must equal those made here
    return hashlib.sha1(" ".join(words).encode(), usedforsecurity=False).hexdigest()[:16]


def sample(text: str) -> str:
    """The start of a text, on one line, for a report."""
    text = " ".join(text.split())
    return text if len(text) <= SAMPLE_CHARS else text[: SAMPLE_CHARS - 1].rstrip() + "…"


@dataclass
class TextTally:
    """Counts one crawl's pages per text key and keeps the most common in the crawler's stats:
    `monitor/same_text/pages` (how many pages share it), `.../key` and `.../sample` (its start)."""

    counts: Counter[str] = field(default_factory=Counter)

    def see(self, key: str, text: str, stats: Any) -> None:
        """Count one page's key; update the stats when it is (or joins) the most common."""
        if not key:
            return
        self.counts[key] += 1
        if self.counts[key] > int(stats.get_value("monitor/same_text/pages", 0)):
            stats.set_value("monitor/same_text/pages", self.counts[key])
            if stats.get_value("monitor/same_text/key") != key:
                stats.set_value("monitor/same_text/key", key)
                stats.set_value("monitor/same_text/sample", sample(text))
