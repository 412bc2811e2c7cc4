"""Context snippets around a hit: about 80-160 characters, cut at word boundaries, "…" where cut."""

from __future__ import annotations

import re

SNIPPET_WIDTH = 160  # characters at most, ellipses included
_SPACE_RE = re.compile(r"\s+")


def make_snippet(text: str, start: int, end: int, width: int = SNIPPET_WIDTH) -> str:
    """The text around text[start:end] on one line, cut at word boundaries with "…" where it was cut."""
    side = max(10, (width - 2 - (end - start)) // 2)
    left, right = max(0, start - side), min(len(text), end + side)
    if left > 0:
        # Start after the first space, so no word is cut in half; keep the cut if the word is the hit.
        space = _SPACE_RE.search(text, left, start)
        left = space.end() if space else start
    if right < len(text):
        spaces = list(_SPACE_RE.finditer(text, end, right))
        right = spaces[-1].start() if spaces else end
    body = _SPACE_RE.sub(" ", text[left:right]).strip()
    before = "…" if text[:left].strip() else ""
    after = "…" if text[right:].strip() else ""
    return f"{before}{body}{after}"
