"""The recall pass: when to doubt the first pick, and the two extractors that get a second look.

trafilatura's fast mode now and then settles on a small wrong block (a fact box carrying the class names it
looks for first), and our furniture rules can refuse what it found. A page is looked at again only when a
signal calls for it, so the cost stays with the pages that need it:
- more prose sits outside the pick, in one box, than inside it ("short compared with the page's prose");
- the page would be refused although it declares itself an article, or although it holds prose.
The second look is trafilatura's full mode with its fallbacks and recall focus; when even that finds too
little, our own pick of the page's prose (sentences outside furniture) is the last word, so that
`no_article` means that the page holds no article prose.
"""

from __future__ import annotations

import logging
from collections import Counter

import trafilatura
from lxml.html import HtmlElement

from monitor.clean import boilerplate as bp
from monitor.clean.credits import is_credit_line
from monitor.clean.dom import HEADING_TAGS, Block, Dom

logger = logging.getLogger(__name__)

# A prose block: a sentence or more of running text, not a link list.
PROSE_MIN_WORDS = 10
PROSE_MAX_LINK_DENSITY = 0.3
# More prose than the pick in one box outside it, and at least this much, calls for a second look.
OUTSIDE_MIN_WORDS = 30
HEADING_MAX_WORDS = 20
# Noise words that page builders and galleries put on every box, content included.
LAYOUT_REASONS = frozenset(("widget", "widgets", "gallery", "slideshow", "carousel", "caption", "captions"))


def is_prose(block: Block) -> bool:
    """True for running text: long enough, few links, ends as a sentence, no promo or credit line."""
    return (
        block.words >= PROSE_MIN_WORDS
        and block.link_density < PROSE_MAX_LINK_DENSITY
        and bp.ends_like_sentence(block.text)
        and not bp.is_service_text(block.text, block.words)
        and not is_credit_line(block.text)
    )


def article_prose(dom: Dom) -> list[bool]:
    """Per block: prose (or a short heading) not in furniture (comments, related stories, promos).

    Page builders name every box a "widget": that word alone does not make prose furniture.
    """
    reasons: dict[int, bool] = {}

    def in_furniture(eid: int) -> bool:
        found = reasons.get(eid)
        if found is None:
            el = dom.elements[eid]
            named = bp.noise_reasons(el.tag, dom.attrs(eid), el.get("role"))
            found = reasons[eid] = any(r not in LAYOUT_REASONS for r in named)
        return found

    return [
        (is_prose(b) or (b.tag in HEADING_TAGS and b.words <= HEADING_MAX_WORDS))
        and not any(in_furniture(eid) for eid in b.path)
        for b in dom.blocks
    ]


def prose_outside(dom: Dom, picked: set[int], prose: list[bool]) -> int:
    """Article prose words in the biggest element that holds none of the picked blocks (block indexes)."""
    inside: set[int] = set()
    for i in picked:
        inside.update(dom.blocks[i].path)  # the pick's blocks and every box around them
    held: Counter[int] = Counter()
    for i, block in enumerate(dom.blocks):
        if i in picked or not prose[i]:
            continue
        for eid in block.path:
            if eid not in inside:
                held[eid] += block.words
    return max(held.values(), default=0)


def recall_signal(dom: Dom, picked: set[int], words: int, needed: int, declared: bool) -> str | None:
    """Why the first pick deserves a second look, or None."""
    if words < needed:
        if declared:
            return "a declared article would be refused"
        if any(p and b.tag not in HEADING_TAGS for p, b in zip(article_prose(dom), dom.blocks, strict=True)):
            return "a page with prose would be refused"
        return None
    # cheap bound first: most pages have too little running text outside the pick to call for anything
    bound = sum(
        b.words
        for i, b in enumerate(dom.blocks)
        if b.words >= PROSE_MIN_WORDS and b.link_words < PROSE_MAX_LINK_DENSITY * b.words and i not in picked
    )
    if bound < OUTSIDE_MIN_WORDS or bound <= words:
        return None
    prose = [p and b.tag not in HEADING_TAGS for p, b in zip(article_prose(dom), dom.blocks, strict=True)]
    outside = prose_outside(dom, picked, prose)
    if outside >= OUTSIDE_MIN_WORDS and outside > words:
        return f"{outside} words of prose outside a pick of {words}"
    return None


def full_extraction(root: HtmlElement, url: str) -> str:
    """trafilatura's full mode (fallback extractors, recall focus): slower, finds more."""
    try:
        return trafilatura.extract(root, url=url or None, favor_recall=True, include_comments=False) or ""
    except Exception:  # third-party code on hostile markup: the first pick stands
        logger.warning("trafilatura's full mode failed on %s", url, exc_info=True)
        return ""


def mark_prose(dom: Dom) -> bool:
    """Our own opinion for the last look: the article prose and short headings; False when there is no prose."""
    prose = article_prose(dom)
    for block, is_article_prose in zip(dom.blocks, prose, strict=True):
        block.kept = is_article_prose
    return any(p and b.tag not in HEADING_TAGS for p, b in zip(prose, dom.blocks, strict=True))


def reset(dom: Dom) -> None:
    """Forget every opinion on the page's blocks before another look."""
    for block in dom.blocks:
        block.kept = block.keep = False
        block.why = ""
