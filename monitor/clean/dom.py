"""Parse HTML once with lxml and cut the page into text blocks that remember where they sit in the tree."""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass, field

from lxml import etree
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction, document_fromstring

logger = logging.getLogger(__name__)

# The same parser settings trafilatura uses, so handing it our tree changes nothing for it. One
# difference: every element is a plain HtmlElement. lxml.html's default lookup calls back into Python
# for every element proxy (to make <form> a FormElement, ...), which costs ~10% of the cleaning time.
PARSER_OPTIONS = {
    "collect_ids": False,
    "default_doctype": False,
    "encoding": "utf-8",
    "remove_comments": True,
    "remove_pis": True,
}
LOOKUP = etree.ElementDefaultClassLookup(
    element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity
)
# lxml parsers must not be shared between threads (the pipeline may clean in a thread pool).
_LOCAL = threading.local()
# Pages above this size are parsed in chunks of it, so that parsing can stop early.
INCREMENTAL_PARSE_BYTES = 1 << 16
# Cheap for every later pass (dropped early, never walked): a script flood must not use up the budget.
UNCOUNTED_TAGS = frozenset(("script", "style", "link", "meta", "noscript", "template"))
# No paragraph is longer; a longer text node is a data dump, and scanning it again costs seconds.
MAX_BLOCK_CHARS = 50000
# Control characters make libxml2 stop or mangle text; XML 1.0 forbids them anyway.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
DOCTYPE = re.compile(r"^\s*<!DOCTYPE[^>]*>", re.IGNORECASE)
# Invisible characters that split or glue words: a soft hyphen inside "Lukash\xadenko" would hide the
# name from the matcher, and zero-width spaces hide word boundaries.
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff"), None)
WORD = re.compile(r"\w+")
# Scripts written without spaces between words: \w+ finds one "word" per clause there.
UNSPACED_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\u0e00-\u0e7f]")
SPACE = re.compile(r"\s+")

# Never text: subtrees skipped outright. nav/aside/footer/menu hold page furniture and trafilatura
# deletes them before extraction, so skipping them here loses nothing and saves a third of the walk.
SKIP_TAGS = frozenset(
    """
    script style noscript template svg math iframe object embed canvas video audio select option button input
    textarea head title meta link map datalist dialog applet nav aside footer menu frame frameset
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
# Elements that start a new block of text (HTML's block-level and list/table structure). td/th are
# not here: a table row reads as one line, cells joined by " | ", as trafilatura renders it.
BLOCK_TAGS = frozenset(
    """
    address article blockquote body center dd details dir div dl dt fieldset figcaption figure form h1 h2 h3 h4 h5
    h6 header hgroup hr html li main ol p pre section summary table tbody thead tfoot tr ul caption legend br
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
CELL_TAGS = frozenset(("td", "th"))
HEADING_TAGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))


@dataclass(slots=True)
class Block:
    """A run of text between two block boundaries, with the element path that holds it."""

    text: str
    tokens: list[str]  # the words, as the scorer and the aligner split them (\w+)
    words: int  # count_words(text): the size the rules reason about
    link_words: int
    tag: str  # tag of the nearest block-level element
    path: tuple[int, ...]  # element ids from the root down to that element
    kept: bool = False  # the extractor's opinion (see clean_align)
    keep: bool = False  # the final decision (see clean_select)
    why: str = ""  # which rule changed the extractor's opinion, for debugging and tests

    @property
    def link_density(self) -> float:
        """Share of the words that sit inside links."""
        return self.link_words / self.words if self.words else 0.0


@dataclass(slots=True)
class Dom:
    """The blocks of a page plus, per element id, the facts the rules ask about."""

    blocks: list[Block]
    text_chars: int  # characters of text in the page before MAX_BLOCK_CHARS cuts
    elements: list[HtmlElement]
    words: list[int]  # words of text under each element
    has_img: list[bool]  # whether each element contains an <img>
    parent: list[int] = field(default_factory=list)  # parent element id, -1 for the root

    def tag(self, eid: int) -> str:
        """Tag name of element `eid`."""
        return self.elements[eid].tag  # type: ignore[no-any-return]

    def attrs(self, eid: int) -> str:
        """class and id of element `eid`, as one string."""
        el = self.elements[eid]
        return f"{el.get('class') or ''} {el.get('id') or ''}"


def _parser() -> etree.HTMLParser:
    """This thread's HTML parser."""
    parser = getattr(_LOCAL, "parser", None)
    if parser is None:
        parser = _LOCAL.parser = etree.HTMLParser(**PARSER_OPTIONS)
        parser.set_element_class_lookup(LOOKUP)
    return parser


def count_words(text: str, tokens: list[str] | None = None) -> int:
    """Words in a text; Chinese and Japanese, written without spaces, count one per two characters."""
    count = len(WORD.findall(text) if tokens is None else tokens)
    if UNSPACED_SCRIPT.search(text):
        count += len(UNSPACED_SCRIPT.findall(text)) // 2
    return count


def parse_html(text: str, max_elements: int = 0) -> tuple[HtmlElement | None, bool]:
    """Parse a page into an lxml tree (None when there is no document) and say whether it was cut.

    With `max_elements`, a big page is fed to the parser in chunks and parsing stops once that many
    elements are open or closed: the article of a page sits near its top, and what makes a page huge
    is what follows (thousands of comments, an endless feed). Every later pass then stays bounded.
    """
    text = CONTROL_CHARS.sub("", text)
    text = DOCTYPE.sub("", text, count=1)  # lxml bug 1955915: some doctypes derail the parser
    opened = text.rfind("<!--")
    if opened != -1 and text.find("-->", opened) == -1:
        text = text[:opened]  # a page cut inside a comment: libxml2 would return the comment as text
    if not text.strip():
        return None, False
    data = text.encode("utf-8", "surrogatepass")
    if not max_elements or len(data) <= INCREMENTAL_PARSE_BYTES:
        try:
            return document_fromstring(data, parser=_parser()), False
        except (etree.ParserError, ValueError) as err:
            logger.debug("lxml could not parse the page: %s", err)
            return None, False
    parser = etree.HTMLPullParser(events=("start",), **PARSER_OPTIONS)
    parser.set_element_class_lookup(LOOKUP)
    seen, cut = 0, False
    for offset in range(0, len(data), INCREMENTAL_PARSE_BYTES):
        parser.feed(data[offset : offset + INCREMENTAL_PARSE_BYTES])
        seen += sum(1 for _, el in parser.read_events() if el.tag not in UNCOUNTED_TAGS)
        if seen > max_elements:
            cut = offset + INCREMENTAL_PARSE_BYTES < len(data)
            break
    try:
        root = parser.close()
    except etree.XMLSyntaxError as err:
        logger.debug("lxml could not parse the page: %s", err)
        return None, False
    return root, cut


def segment(root: HtmlElement) -> Dom:
    """Walk the tree once and return its text blocks in reading order."""
    blocks: list[Block] = []
    elements: list[HtmlElement] = []
    words: list[int] = []
    has_img: list[bool] = []
    parent: list[int] = []
    parts: list[str] = []
    link_parts: list[str] = []
    stack: list[int] = []  # element ids of open elements; -1 for a skipped one
    block_stack: list[int] = []  # positions in `stack` of open block-level elements
    in_link = 0

    text_chars = 0

    def flush() -> None:
        nonlocal text_chars
        if not parts:
            return
        raw = "".join(parts)
        text_chars += len(raw)
        text = SPACE.sub(" ", raw[:MAX_BLOCK_CHARS].translate(INVISIBLE)).strip()
        parts.clear()
        links = "".join(link_parts)
        link_parts.clear()
        tokens = WORD.findall(text)
        count = count_words(text, tokens)
        if not count:
            return
        depth = block_stack[-1] if block_stack else len(stack) - 1
        path = tuple(stack[: depth + 1])
        if path:
            words[path[-1]] += count  # ancestors get their sums in one pass at the end
        tag = elements[path[-1]].tag if path else ""
        blocks.append(Block(text, tokens, count, count_words(links) if links else 0, tag, path))

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        if event == "start":
            if tag in SKIP_TAGS or not isinstance(tag, str):
                walker.skip_subtree()
                stack.append(-1)
                continue
            if tag in BLOCK_TAGS:
                flush()
                block_stack.append(len(stack))
            eid = len(elements)
            elements.append(el)
            words.append(0)
            has_img.append(False)
            parent.append(stack[-1] if stack else -1)
            stack.append(eid)
            if tag == "a":
                in_link += 1
            elif tag == "img":
                has_img[eid] = True
            elif tag in CELL_TAGS and parts:
                parts.append(" | ")
            text = el.text
            if text:
                parts.append(text)
                if in_link:
                    link_parts.append(text)
        else:
            if stack[-1] >= 0:
                if tag in BLOCK_TAGS:
                    flush()  # before popping: the text belongs to this element
                    block_stack.pop()
                elif tag == "a":
                    in_link -= 1
            stack.pop()
            tail = el.tail
            if tail:
                parts.append(tail)
                if in_link:
                    link_parts.append(tail)
    flush()
    # Children come after their parents in document order: one backward pass sums up the tree.
    for eid in range(len(elements) - 1, 0, -1):
        up = parent[eid]
        if up >= 0:
            words[up] += words[eid]
            has_img[up] = has_img[up] or has_img[eid]
    return Dom(blocks, text_chars, elements, words, has_img, parent)
