"""Pick the article's body: trafilatura's fast opinion corrected by our rules, and a second look when a signal calls.

1. trafilatura (fast mode) extracts; our block segmentation finds which blocks its text came from
   (monitor.clean.align), and the structural second opinion (monitor.clean.selector) keeps, drops or
   restores blocks. When its text is mostly not in our blocks (it read parts of the tree we skip), its own
   lines are used, filtered by our phrase rules.
2. When the pick looks wrong for the page (monitor.clean.recall), trafilatura's full mode and then our own
   prose pick get a look; the pick with the most words after our rules wins.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import trafilatura
from lxml.html import HtmlElement

from monitor.clean import boilerplate as bp
from monitor.clean.align import mark_kept
from monitor.clean.boilerplate import normalise
from monitor.clean.credits import is_credit_line
from monitor.clean.dom import Dom, count_words
from monitor.clean.metadata import PageMeta
from monitor.clean.recall import full_extraction, mark_prose, recall_signal, reset
from monitor.clean.selector import Selector, fallback_selector

logger = logging.getLogger(__name__)

# Fewer words than this is a stub, a gallery or an error page, not something to alert on.
MIN_ARTICLE_WORDS = 20
# A page that declares itself an article may be a news brief: a missed brief is a missed alert.
MIN_BRIEF_WORDS = 8
# A line of prose: what a page must have at least one of when only trafilatura's text is used.
PROSE_LINE_WORDS = 12
# trafilatura's regular expressions take seconds on megabytes of text (the largest dev page has 0.1 MB).
MAX_TEXT_CHARS = 1_000_000
# Below this share of trafilatura's words found in our blocks, our tree and its disagree (it read
# text we skip); then its own text is used, filtered by our phrase rules.
MIN_ALIGNMENT = 0.6


@dataclass
class Pick:
    """One opinion on the body: its paragraphs, the blocks they are (indexes into Dom.blocks), and how."""

    paragraphs: list[str] = field(default_factory=list)
    indexes: list[int] = field(default_factory=list)  # empty when trafilatura's own lines were used
    listing: bool = False  # a section front: small cards under linked headlines
    how: str = "fast"

    @property
    def words(self) -> int:
        """Words in the picked text."""
        return sum(count_words(p) for p in self.paragraphs)


def needed_words(meta: PageMeta, listing: bool) -> int:
    """How many words of body text a page needs to count as an article."""
    return MIN_BRIEF_WORDS if meta.is_article and not listing else MIN_ARTICLE_WORDS


def pick_body(root: HtmlElement, dom: Dom, meta: PageMeta, url: str) -> Pick:
    """The best pick of the page's body (see the module docstring)."""
    if dom.text_chars > MAX_TEXT_CHARS:
        logger.info("page %s holds %d characters of text; skipping trafilatura", url, dom.text_chars)
        return _from_text(dom, meta, "", "fast")
    best = _from_text(dom, meta, _fast_extraction(root, url), "fast")
    needed = needed_words(meta, best.listing)
    signal = recall_signal(dom, set(best.indexes), best.words, needed, meta.is_article)
    if signal is None:
        return best
    logger.debug("second look at %s: %s", url, signal)
    reset(dom)
    full = _from_text(dom, meta, full_extraction(root, url), "full")
    if full.words > best.words:
        best = full
    still = recall_signal(dom, set(best.indexes), best.words, needed_words(meta, best.listing), meta.is_article)
    if still is not None:
        logger.debug("our own look at %s: %s", url, still)
        reset(dom)
        prose = _select(dom, Selector(dom, meta.titles), "prose") if mark_prose(dom) else Pick(how="prose")
        if prose.words > best.words:
            best = prose
    return best


def _fast_extraction(root: HtmlElement, url: str) -> str:
    """trafilatura's fast mode, or "" when it fails."""
    try:
        return trafilatura.extract(root, url=url or None, fast=True, include_comments=False) or ""
    except Exception:  # third-party code on hostile markup: fall back to our own pass, never crash
        logger.warning("trafilatura failed on %s; using the structural pass alone", url, exc_info=True)
        return ""


def _from_text(dom: Dom, meta: PageMeta, extracted: str, how: str) -> Pick:
    """Our pick, given an extractor's text (or none)."""
    if extracted:
        alignment = mark_kept(dom.blocks, extracted)
        if alignment < MIN_ALIGNMENT:
            logger.debug("only %.0f%% of the extracted text is in our blocks", 100 * alignment)
            return Pick(_filter_lines(extracted, meta), how=f"{how}:lines")
        selector: Selector | None = Selector(dom, meta.titles)
    else:
        selector = fallback_selector(dom, meta.titles)
    return _select(dom, selector, how) if selector is not None else Pick(how=how)


def _select(dom: Dom, selector: Selector, how: str) -> Pick:
    """Run the selector and record what it kept."""
    blocks = selector.select()
    index = {id(b): i for i, b in enumerate(dom.blocks)}
    return Pick([b.text for b in blocks], [index[id(b)] for b in blocks], selector.is_listing(blocks), how)


def _filter_lines(extracted: str, meta: PageMeta) -> list[str]:
    """trafilatura's own lines minus the title and what our phrase rules call furniture.

    Without a sentence of prose among them the lines are menus, and no article.
    """
    out = []
    for line in extracted.split("\n"):
        line = line.strip()
        words = len(bp.WORD.findall(line))
        if not words or normalise(line) in meta.titles or bp.is_service_text(line, words) or is_credit_line(line):
            continue
        out.append(line)
    if not any(len(bp.WORD.findall(line)) >= PROSE_LINE_WORDS and bp.ends_like_sentence(line) for line in out):
        return []
    return out
