"""The structural second opinion: find the article's container, then keep, drop or add blocks in it.

The extractor (trafilatura) marks which blocks it took (Block.kept). Its choices are mostly right,
but it keeps furniture that sits near the body (teaser links, newsletter boxes, the headline area)
and loses body parts the page splits across siblings (paywall chunks, embeds). Here the container
holding nearly all of its text becomes the article; blocks outside it go, page furniture inside it
goes, and prose inside it that the extractor dropped comes back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from monitor.clean import boilerplate as bp
from monitor.clean.boilerplate import normalise
from monitor.clean.credits import is_byline, is_credit_line
from monitor.clean.dom import HEADING_TAGS, Block, Dom
from monitor.clean.restore import is_lead, keep_story_captions, never_empty, restore_lead

# The container is the deepest element holding this share of the extracted words: deep enough to
# exclude the headline area and the sidebars, loose enough to survive a stray kept block.
CONTAINER_SHARE = 0.9
# A furniture-named element holding this share of the article is the article itself, whatever its
# class says ("article-body has-share-bar").
NOISE_MAX_SHARE = 0.4
# ... and so is one holding this many extracted words: related boxes, bios and newsletter prompts
# are short, and losing a body section to a class name would hide names from the matcher.
NOISE_MAX_WORDS = 250
# Repeated containers (paywall chunks, "article__chunks") are found this many levels above.
SIBLING_LEVELS = 3
# The first paragraph of the body: the headline area is everything above it.
BODY_START_WORDS = 20
# An image wrapper holding at most this many words, beside an image, is a caption box.
CAPTION_BOX_WORDS = 60
CAPTION_MAX_WORDS = 40
TEXT_LINE_TAGS = frozenset(("p", "li", "td", "tr", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6"))
# Dropped prose comes back when it looks like body text: a paragraph with few links.
ADD_MIN_WORDS = 8
ADD_MAX_LINK_DENSITY = 0.3
ADD_DIV_MIN_WORDS = 25
ADD_DIV_MAX_LINK_DENSITY = 0.2
QUOTE_MIN_WORDS = 4
QUOTE_MAX_LINK_DENSITY = 0.6  # an embedded post's "— Name (@handle) date" line is half link
TITLE_MAX_WORDS = 40
HEADING_MAX_WORDS = 20
# A box opened by a "Read also" label and holding at most this many words is a related-links box.
RELATED_BOX_WORDS = 120
# A section front: at least MIN_CARDS boxes of at most CARD_MAX_WORDS, each with a linked headline,
# hold CARD_SHARE of the text, and no paragraph is as long as an article's.
MIN_CARDS = 3
CARD_MAX_WORDS = 150
CARD_SHARE = 0.6
CARD_MAX_PARAGRAPH_WORDS = 50
PROSE_TAGS = frozenset(("p", "div", "section", "article", "blockquote", "li", "td", "tr", "pre", "dd"))
# A noise word carried by elements that together hold this share of the extracted words names the page's
# own layout (every paragraph in an "elementor-widget" box), not furniture: a noise rule never empties a page.
STRUCTURAL_SHARE = 0.6
LAYOUT_WORDS = frozenset(("widget", "widgets"))


class Selector:
    """Decides, block by block, what belongs to the article."""

    def __init__(self, dom: Dom, titles: set[str]) -> None:
        self.dom, self.blocks, self.titles = dom, dom.blocks, titles
        self._noise: dict[int, tuple[str, ...]] = {}
        self.kept_words: Counter[int] = Counter()
        for block in self.blocks:
            if block.kept:
                for eid in block.path:
                    self.kept_words[eid] += block.words
        self.container = self._container()
        self.region = self._region(self.container) if self.container is not None else set()
        self.total = self.kept_words[self.container] if self.container is not None else 0
        self.structural = self._structural_reasons()

    def _container(self) -> int | None:
        """The deepest element holding CONTAINER_SHARE of the kept words, or None."""
        if not self.kept_words:
            return None
        total = max(self.kept_words.values())  # the root holds them all
        best, best_depth = None, -1
        for block in self.blocks:
            if not block.kept:
                continue
            for depth, eid in enumerate(block.path):
                if depth > best_depth and self.kept_words[eid] >= CONTAINER_SHARE * total:
                    best, best_depth = eid, depth
        return best

    def _region(self, container: int) -> set[int]:
        """The container plus its look-alikes nearby: same tag and class, a few levels up."""
        region = {container}
        el = self.dom.elements[container]
        klass = el.get("class")
        if not klass:
            return region
        up = container
        for _ in range(SIBLING_LEVELS):
            if self.dom.parent[up] < 0:
                break
            up = self.dom.parent[up]
        sizes: dict[int, list[int]] = {}  # look-alike -> [words, link words]
        for block in self.blocks:
            path = block.path
            if container in path or up not in path:
                continue
            for eid in path[path.index(up) + 1 :]:
                other = self.dom.elements[eid]
                if other.tag == el.tag and other.get("class") == klass:
                    size = sizes.setdefault(eid, [0, 0])
                    size[0] += block.words
                    size[1] += block.link_words
                    break
        # A look-alike must read like body text too: a generic class ("row") also names link lists.
        region.update(
            eid
            for eid, (words, links) in sizes.items()
            if words >= BODY_START_WORDS and links < ADD_MAX_LINK_DENSITY * words
        )
        return region

    def root_of(self, block: Block) -> int | None:
        """The region element that holds `block`, or None when it lies outside the article."""
        for eid in block.path:
            if eid in self.region:
                return eid
        return None

    def reasons(self, eid: int) -> tuple[str, ...]:
        """The noise reasons of element `eid` (cached)."""
        found = self._noise.get(eid)
        if found is None:
            el = self.dom.elements[eid]
            found = self._noise[eid] = bp.noise_reasons(el.tag, self.dom.attrs(eid), el.get("role"))
        return found

    def _structural_reasons(self) -> set[str]:
        """Noise words that, on this page, box the article itself (see STRUCTURAL_SHARE)."""
        held: Counter[str] = Counter()
        counted: set[int] = set()
        for block in self.blocks:
            root = self.root_of(block) if block.kept else None
            if root is None:
                continue
            path = block.path
            for eid in path[path.index(root) + 1 :]:
                reasons = self.reasons(eid)
                if reasons:  # the outermost noise-named box only
                    if eid not in counted:
                        counted.add(eid)
                        for reason in reasons:
                            held[reason] += self.kept_words[eid]
                    break
        return {reason for reason, words in held.items() if words >= STRUCTURAL_SHARE * self.total}

    def noise_below(self, block: Block, root: int) -> str | None:
        """Why the block sits in page furniture inside the article (the furniture's name), or None."""
        path = block.path
        below = path[path.index(root) + 1 :]
        # Quoted material (an embedded post, a blockquote) is content even inside a "social" box.
        for j in range(len(below) - 1, -1, -1):
            if self.dom.elements[below[j]].tag == "blockquote":
                below = below[j:]
                break
        for eid in below:
            reasons = self.reasons(eid)
            if not reasons:
                continue
            kept = self.kept_words[eid]
            # a page builder's "widget" box is only a box: holding extracted text, it is not furniture
            named = (
                [r for r in reasons if r not in self.structural and r not in LAYOUT_WORDS] if kept else list(reasons)
            )
            if named and kept < NOISE_MAX_SHARE * self.total and kept < NOISE_MAX_WORDS:
                return named[0]
        return None

    def is_caption(self, block: Block, root: int) -> bool:
        """A short label in a small box that also holds an image: a caption without caption markup."""
        if block.words > CAPTION_MAX_WORDS or bp.ends_like_sentence(block.text) or "http" in block.text:
            return False
        below = block.path[block.path.index(root) + 1 :]
        if not below or (block.tag in TEXT_LINE_TAGS and self.dom.has_img[below[-1]]):
            return False  # an icon inside a line of text ("<li><img> Belarus: ...") is not a caption box
        return any(
            self.dom.has_img[eid] and self.dom.words[eid] <= min(CAPTION_BOX_WORDS, block.words + 10)
            for eid in below[-3:]
        )

    def in_header_area(self, block: Block, root: int) -> bool:
        """True for a headline, standfirst or kicker above the body."""
        if block.tag == "h1":
            return True
        below = block.path[block.path.index(root) + 1 :]
        return any(bp.is_header_part(self.dom.tag(eid), self.dom.attrs(eid)) for eid in below)

    def select(self) -> list[Block]:
        """Set Block.keep (and Block.why) on every block; return the kept ones in reading order."""
        if self.container is None:
            return []
        body_start = next(
            (
                i
                for i, b in enumerate(self.blocks)
                if b.kept and b.words >= BODY_START_WORDS and b.tag in PROSE_TAGS and self.root_of(b) is not None
            ),
            len(self.blocks),
        )
        for i, block in enumerate(self.blocks):
            root = self.root_of(block)
            if block.kept:
                block.keep, block.why = self._review_kept(block, root, above_body=i < body_start)
            elif root is not None:
                block.keep, block.why = self._review_dropped(block, root)
        self._drop_labelled_boxes()
        self._restore_headings(body_start)
        restore_lead(self, body_start)
        keep_story_captions(self)
        never_empty(self)
        return _unique([b for b in self.blocks if b.keep])

    def is_title(self, block: Block) -> bool:
        """True for the headline (an <h1>, or a block repeating the page's title)."""
        return block.tag == "h1" or (block.words <= TITLE_MAX_WORDS and normalise(block.text) in self.titles)

    def _drop_labelled_boxes(self) -> None:
        """Drop the small box a "Read also" / "Related" label opens, teaser summaries and all."""
        boxes = set()
        for i, block in enumerate(self.blocks):
            if block.words > bp.SERVICE_MAX_WORDS:
                continue
            root = self.root_of(block)
            if root is None or bp.is_service_text(block.text, block.words) not in ("label", "read-also"):
                continue
            path = block.path
            before = self.blocks[i - 1].path if i else ()
            box = None
            for eid in reversed(path[path.index(root) + 1 : -1]):  # ancestors above the label, inside the article
                # the label must open the box (no earlier block in it), and the box must be small
                if eid in before or self.dom.words[eid] > RELATED_BOX_WORDS:
                    break
                box = eid
            if box is not None:
                boxes.add(box)
        if not boxes:
            return
        for block in self.blocks:
            if block.keep and any(eid in boxes for eid in block.path):
                block.keep, block.why = False, "related-box"

    def _restore_headings(self, body_start: int) -> None:
        """Bring back a dropped subheading that introduces kept text in the same box (live-blog entries)."""
        blocks = self.blocks
        for i in range(max(body_start, 0), len(blocks) - 1):
            block, following = blocks[i], blocks[i + 1]
            if (
                block.keep
                or block.why
                or block.tag not in HEADING_TAGS
                or block.tag == "h1"
                or not following.keep
                or block.words > HEADING_MAX_WORDS
                or block.link_density >= 0.5
                or following.path[: len(block.path) - 1] != block.path[:-1]
            ):
                continue
            root = self.root_of(block)
            if root is not None and not self.noise_below(block, root) and normalise(block.text) not in self.titles:
                block.keep, block.why = True, "added:heading"

    def is_listing(self, kept: list[Block]) -> bool:
        """True for a section front: most text sits in small cards, each under a linked headline."""
        if not kept or max(b.words for b in kept) >= CARD_MAX_PARAGRAPH_WORDS:
            return False
        boxes: set[int] = set()
        for block in self.blocks:
            if 4 <= block.words <= 25 and block.link_density >= 0.9:
                boxes.update(block.path[-4:-1])
        cards: Counter[int] = Counter()
        for block in kept:
            for eid in reversed(block.path[-4:-1]):
                if eid in boxes and self.dom.words[eid] <= CARD_MAX_WORDS:
                    cards[eid] += block.words
                    break
        return len(cards) >= MIN_CARDS and sum(cards.values()) >= CARD_SHARE * sum(b.words for b in kept)

    def _review_kept(self, block: Block, root: int | None, above_body: bool) -> tuple[bool, str]:
        """Keep an extracted block unless a rule names it furniture."""
        if block.words <= TITLE_MAX_WORDS and normalise(block.text) in self.titles:
            return False, "title"
        if root is None:
            return False, "outside"
        reason = self.noise_below(block, root)
        if reason:
            return False, f"noise:{reason}"
        reason = bp.is_service_text(block.text, block.words)
        if reason:
            return False, reason
        if bp.is_teaser_link(block.text, block.words, block.link_words):
            return False, "teaser"
        if is_credit_line(block.text):
            return False, "credit"
        if is_byline(block.text) and not bp.ends_like_sentence(block.text):
            return False, "byline"
        if above_body and self.in_header_area(block, root) and not is_lead(self, block):
            return False, "header"
        if bp.is_dateline(block.text, block.words) or (above_body and bp.is_name_and_date(block.text, block.words)):
            return False, "dateline"
        if self.is_caption(block, root):
            return False, "caption"
        return True, ""

    def _review_dropped(self, block: Block, root: int) -> tuple[bool, str]:
        """Bring back prose the extractor dropped from inside the article."""
        quoted = any(self.dom.tag(eid) == "blockquote" for eid in block.path[-3:])
        if quoted:
            if block.words >= QUOTE_MIN_WORDS and block.link_density < QUOTE_MAX_LINK_DENSITY:
                return self._if_clean(block, root, "quote")
            return False, ""
        if block.tag == "p" and block.words >= ADD_MIN_WORDS and block.link_density < ADD_MAX_LINK_DENSITY:
            return self._if_clean(block, root, "prose")
        if (
            block.tag == "div"
            and block.words >= ADD_DIV_MIN_WORDS
            and block.link_density < ADD_DIV_MAX_LINK_DENSITY
            and bp.ends_like_sentence(block.text)
        ):
            return self._if_clean(block, root, "prose")
        return False, ""

    def _if_clean(self, block: Block, root: int, why: str) -> tuple[bool, str]:
        """Keep `block` unless it is furniture, a promo or a caption."""
        checks: tuple[Callable[[], object], ...] = (
            lambda: self.noise_below(block, root),
            lambda: bp.is_service_text(block.text, block.words),
            lambda: is_credit_line(block.text),
            lambda: is_byline(block.text) and not bp.ends_like_sentence(block.text),
            lambda: self.is_caption(block, root),
            lambda: normalise(block.text) in self.titles,
        )
        if any(check() for check in checks):
            return False, ""
        return True, f"added:{why}"


def _unique(blocks: list[Block]) -> list[Block]:
    """Drop a block that repeats the one before it (responsive layouts print captions and teasers twice).

    Only neighbours: a recipe or a price list legitimately repeats lines further apart.
    """
    out: list[Block] = []
    previous = ""
    for block in blocks:
        key = normalise(block.text)
        if key == previous and block.words >= 4:
            block.keep, block.why = False, "duplicate"
            continue
        previous = key
        out.append(block)
    return out


def fallback_selector(dom: Dom, titles: set[str]) -> Selector | None:
    """Our own pick when the extractor found nothing: the element holding most of the page's prose."""
    for block in dom.blocks:  # our own opinion replaces the extractor's
        block.kept = (
            block.tag in ("p", "blockquote", "pre")
            and block.words >= ADD_MIN_WORDS
            and block.link_density < ADD_MAX_LINK_DENSITY
        ) or (block.tag in HEADING_TAGS and block.words <= HEADING_MAX_WORDS)
    if not any(b.kept and b.tag not in HEADING_TAGS for b in dom.blocks):
        return None
    return Selector(dom, titles)
