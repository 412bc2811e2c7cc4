"""What the selector brings back that the extractor or our furniture rules dropped.

- the lead: a paragraph of news prose printed between the headline and the body (or its date block),
  outside the container that holds the rest of the body, where the name usually is;
- a story told in captions (a photo story, a slideshow), when the captions carry more of it than the rest;
- an article that noise rules alone would have emptied.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from monitor.clean import boilerplate as bp
from monitor.clean.credits import is_byline, is_credit_line
from monitor.clean.dom import Block

if TYPE_CHECKING:
    from monitor.clean.selector import Selector

LEAD_TAGS = frozenset(("p", "div", "section", "article", "blockquote", "td", "pre", "dd"))
LEAD_MIN_WORDS = 15
LEAD_MAX_LINK_DENSITY = 0.3
LEAD_WINDOW = 12  # blocks between the headline and the body start
# A lead, unlike a standfirst (a teaser the template sets apart), is news prose: it opens with a dateline
# ("WARSAW —"), or it is as long as a first paragraph is.
LEAD_LONG_WORDS = 25
LEAD_LONG_CHARS = 160  # languages with long words say as much in fewer of them
LEAD_ENDINGS = (".", '"', "”", "»", "“")  # a question or a colon is a teaser
DATELINE_START = re.compile(r"^(\w[\w.'-]*(?: \w[\w.'-]*){0,3})(?:,[^—–(]{2,25})?\s*(\([^)]{1,40}\))?\s*[—–-]{1,2}\s")
# Class words of a standfirst, summary or kicker (page furniture) as opposed to the lead paragraph (body text).
DEK_TOKENS = frozenset(
    """
    dek deck subhead subheadline subheading subtitle standfirst kicker eyebrow subline strapline summary blurb
    abstract description desc des highlights excerpt teaser
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
# Captions carry the story (a photo story, a slideshow) when their prose outweighs the rest of the text.
STORY_CAPTION_MIN_WORDS = 12  # at least two captions this long...
STORY_CAPTIONS_MIN = 2
STORY_CAPTION_ANY_WORDS = 6  # ...and then every prose caption of the story
CAPTION_REASONS = frozenset(("figure", "figcaption", "caption", "captions", "gallery", "slideshow", "carousel"))


def starts_with_dateline(text: str) -> bool:
    """True for "WARSAW —", "МИНСК, 3 декабря —", "Berlin (dpa) -": a place in capitals, or one with an agency."""
    found = DATELINE_START.match(text)
    return found is not None and (found.group(1).isupper() or found.group(2) is not None)


def _own_path(sel: Selector, block: Block) -> tuple[int, ...]:
    """The block's elements that are not ancestors of the container: the boxes it sits in on its own."""
    shared: set[int] = set()
    eid = sel.container if sel.container is not None else -1
    while eid >= 0:
        shared.add(eid)
        eid = sel.dom.parent[eid]
    return tuple(e for e in block.path if e not in shared)


def is_lead(sel: Selector, block: Block) -> bool:
    """True for a paragraph of prose that reads as the story's first paragraph, wherever it is boxed."""
    text = block.text
    if (
        block.tag not in LEAD_TAGS
        or block.words < LEAD_MIN_WORDS
        or (block.words < LEAD_LONG_WORDS and len(text) < LEAD_LONG_CHARS and not starts_with_dateline(text))
        or block.link_density >= LEAD_MAX_LINK_DENSITY
        or not text.rstrip().endswith(LEAD_ENDINGS)
        or bp.is_service_text(text, block.words)
        or is_credit_line(text)
        or is_byline(text)
    ):
        return False
    for eid in _own_path(sel, block):
        if any(r not in sel.structural for r in sel.reasons(eid)):
            return False
        if any(t in DEK_TOKENS for t in bp.class_tokens(sel.dom.attrs(eid))):
            return False
    return True


def restore_lead(sel: Selector, body_start: int) -> None:
    """Bring back a lead paragraph printed between the headline and the body (or its date block)."""
    blocks = sel.blocks
    body_start = min(body_start, next((i for i, b in enumerate(blocks) if b.keep), body_start))
    first = max(0, body_start - LEAD_WINDOW)
    title = next((i for i in range(body_start - 1, first - 1, -1) if sel.is_title(blocks[i])), None)
    if title is None:
        return
    for block in blocks[title + 1 : body_start]:
        if not block.keep and is_lead(sel, block):
            block.keep, block.why = True, "added:lead"


def _is_story_caption(sel: Selector, block: Block) -> bool:
    """A caption written as prose, in a figure, gallery or slideshow and in no other furniture."""
    if (
        block.words < STORY_CAPTION_ANY_WORDS
        or block.link_density >= LEAD_MAX_LINK_DENSITY
        or not bp.ends_like_sentence(block.text)
        or is_credit_line(block.text)
    ):
        return False
    reasons = {r for eid in block.path for r in sel.reasons(eid)}
    return block.tag == "figcaption" or bool(reasons & CAPTION_REASONS) and reasons <= CAPTION_REASONS


def keep_story_captions(sel: Selector) -> None:
    """Keep the captions of a photo story or slideshow when they carry more of the story than the rest."""
    kept = sum(b.words for b in sel.blocks if b.keep)
    loose = [b for b in sel.blocks if not b.keep and b.words >= STORY_CAPTION_ANY_WORDS]
    if sum(b.words for b in loose) < kept:  # cheap bound: captions could not outweigh the text
        return
    captions = [b for b in loose if _is_story_caption(sel, b)]
    if sum(1 for b in captions if b.words >= STORY_CAPTION_MIN_WORDS) < STORY_CAPTIONS_MIN:
        return
    if sum(b.words for b in captions) >= kept:
        for block in captions:
            block.keep, block.why = True, "added:story-caption"


def never_empty(sel: Selector) -> None:
    """When noise rules alone dropped everything the extractor found, they were wrong: undo them."""
    if any(b.keep for b in sel.blocks):
        return
    for block in sel.blocks:
        if block.kept and block.why.startswith("noise:"):
            block.keep, block.why = True, "restored:noise"
