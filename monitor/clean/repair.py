"""Repair the parsed tree before anyone extracts from it: what broken or tricky markup would otherwise hide.

Both extractors (trafilatura and our block segmentation) then read the same repaired tree:
- furniture tags (nav, aside, footer, menu, button, dialog) are removed whole, unless one of them holds most of
  the page's text: then it is a container the parser let swallow the page (an unclosed `<aside>`, a stray
  `</button>`), and it becomes a plain `<div>`;
- hidden elements (the `hidden` attribute, `aria-hidden="true"`, inline `display:none`) and the popovers,
  tooltips and hover cards that pages tuck behind a linked name are removed, keeping the text after them;
- MathML becomes its text (TeX annotation or alttext), so formulas do not vanish;
- adjacent inline elements whose words would fuse ("Ellen MarshEllen R. Marsh") get a space between them.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement, fragments_fromstring

# Never text, whatever they hold.
NEVER_TEXT_TAGS = (
    "script", "style", "svg", "iframe", "object", "embed", "canvas", "video", "audio", "select", "map",
)  # fmt: skip
# ... unless, left unclosed, one took in the page: those holding paragraphs are judged by their content first.
# (script and style hold raw text, never markup, so nothing can hide in them.)
MEDIA_TAGS = tuple(tag for tag in NEVER_TEXT_TAGS if tag not in ("script", "style"))
# Furniture, judged by content: removed whole unless the element holds most of the page's text.
FURNITURE_TAGS = ("nav", "aside", "footer", "menu", "button", "dialog", "noscript")
# A link left open in the masthead takes in the page the same way; only links with block children can.
BLOCK_CHILDREN = frozenset(("div", "p", "section", "article", "main", "table", "ul", "ol", "h1", "h2", "h3", "header"))
# An element holding this share of the page's text is the page, whatever its tag or hiding says.
SWALLOWED_SHARE = 0.5
# ... unless its text is mostly links (a real menu on a page with little else).
SWALLOWED_MAX_LINK_SHARE = 0.5
# Attributes that name, style or hide an element: dropped when one is turned into a plain container.
NAMING_ATTRIBUTES = ("class", "id", "role", "hidden", "aria-hidden", "style", "popover")
# Class words of popovers, tooltips and hover cards (split as in boilerplate.class_tokens).
# Class words of a popup's *content*. A class such as "tooltip" alone often names the visible trigger
# (<span class="tooltip">Jane Doe<span class="tooltiptext">…</span></span>): only the content goes.
POPUP_CONTENT = frozenset(("hovercard", "tooltiptext", "popovertext"))
POPUP_TOKENS = frozenset(("tooltip", "tooltips", "popover", "popovers", "tippy", "hover"))
CONTENT_TOKENS = frozenset(("content", "text", "body", "inner", "box", "panel", "card", "bubble", "tip", "popup"))
# "…-card" describing a person inside a line of text is a hover card: never shown inline.
CARD_OWNERS = frozenset(("person", "people", "entity", "profile", "bio", "author", "name", "politician", "hover"))
TEXT_LINE_TAGS = frozenset(("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "dd", "td", "figcaption"))
# Attribute tests are cheap in XPath; string tests on every class are not (3x the cost of the lookups below).
HIDDEN_BY_ATTRIBUTE = etree.XPath(
    "//*[@hidden or @aria-hidden='true' or @popover or @role='tooltip'"
    " or (@style and (contains(@style, 'none') or contains(@style, 'hidden')))]"
)
# Popups named by their class are inline elements inside lines of text, where they glue themselves to the words.
POPUP_CLASS = re.compile(r"tooltip|popover|hover|tippy|card", re.IGNORECASE)
DISPLAY_NONE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b", re.IGNORECASE)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Inline elements: text flows through them, so their edges are where words can fuse.
INLINE_TAGS = frozenset(
    """
    a span b strong i em u s small big sup sub abbr cite time mark font label q del ins code kbd var dfn bdi bdo
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
SENTENCE_END = ".!?:;"


def repair_tree(root: HtmlElement) -> None:
    """Apply every repair of this module to `root`, in place."""
    body = root.find("body")
    _reparse_raw_text(root)
    # a Python walk over these few tags is 3x faster than an XPath with descendant tests
    media = [el for el in root.iter(*MEDIA_TAGS) if len(el) and next(el.iter("p", "div"), None) is not None]
    if media:  # rare: an unclosed <video> or <iframe> with the page inside (measured before anything goes)
        total = _text_length(body if body is not None else root)
        for el in media:
            if _attached(el, root) and _holds_the_page(el, total):
                _as_container(el)
    etree.strip_elements(root, *NEVER_TEXT_TAGS, with_tail=False)
    total = _text_length(body if body is not None else root)
    _judge_furniture(root, total)
    _unwrap_swallowing_links(root, total)
    popups = separate_fused_words(root)
    _drop_hidden(root, total, popups)
    _math_to_text(root)


# Elements whose content the parser keeps as raw text: left unclosed, the rest of the page becomes their text.
RAW_TEXT_TAGS = ("iframe", "textarea", "noembed", "noframes", "xmp")
RAW_MARKUP = re.compile(r"<(?:p|div|article|section|h[1-6])\b", re.IGNORECASE)
RAW_PAGE_CHARS = 2000


def _reparse_raw_text(root: HtmlElement) -> None:
    """Parse the page that an unclosed <iframe> or <textarea> turned into raw text, and put it back as markup."""
    for el in list(root.iter(*RAW_TEXT_TAGS)):
        text = el.text or ""
        if len(text) < RAW_PAGE_CHARS or not RAW_MARKUP.search(text):
            continue
        try:
            parts = fragments_fromstring(text)
        except (etree.ParserError, ValueError):
            continue
        el.tag, el.text = "div", parts[0] if parts and isinstance(parts[0], str) else None
        for attr in list(el.attrib):
            del el.attrib[attr]
        el.extend(p for p in parts if not isinstance(p, str))


def _text_length(el: HtmlElement) -> int:
    """Characters of text under `el` (lxml joins them in C: much faster than walking the text nodes)."""
    return len(el.text_content())


def _holds_the_page(el: HtmlElement, total: int) -> bool:
    """True when `el` holds most of the page's text and is not a menu: the parser put the page inside it."""
    size = _text_length(el)
    if not total or size < SWALLOWED_SHARE * total:
        return False
    links = sum(_text_length(a) for a in el.iter("a"))
    return links < SWALLOWED_MAX_LINK_SHARE * size


def _as_container(el: HtmlElement) -> None:
    """Turn `el` into an anonymous <div>: its name and its hiding no longer apply."""
    el.tag = "div"
    for attr in NAMING_ATTRIBUTES:
        el.attrib.pop(attr, None)


def _judge_furniture(root: HtmlElement, total: int) -> None:
    """Remove furniture elements, except one that swallowed the page (outermost first)."""
    for el in list(root.iter(*FURNITURE_TAGS)):
        if not _attached(el, root):
            continue  # inside one removed before
        if _holds_the_page(el, total):
            _as_container(el)
        else:
            _remove(el)


def _unwrap_swallowing_links(root: HtmlElement, total: int) -> None:
    """Dissolve a link that holds most of the page's text (an unclosed <a>): its text is not a link."""
    links = [a for a in root.iter("a") if len(a) and any(child.tag in BLOCK_CHILDREN for child in a)]
    for el in links:
        if total and _text_length(el) >= SWALLOWED_SHARE * total and _attached(el, root):
            el.drop_tag()


def _attached(el: HtmlElement, root: HtmlElement) -> bool:
    """True while `el` is still part of the tree under `root`."""
    parent = el.getparent()
    while parent is not None:
        if parent is root:
            return True
        parent = parent.getparent()
    return el is root


def _class_tokens(el: HtmlElement) -> list[str]:
    """The element's class words, split on separators and camelCase."""
    klass = el.get("class")
    return [t for t in _NON_ALNUM.split(_CAMEL.sub(" ", klass).lower()) if t] if klass else []


def is_hidden(el: HtmlElement) -> bool:
    """True for an element the reader never sees in the text: hidden, or a popover, tooltip or hover card."""
    if el.get("hidden") is not None or el.get("aria-hidden") == "true" or el.get("popover") is not None:
        return True
    if el.get("role") == "tooltip":
        return True
    style = el.get("style")
    if style and DISPLAY_NONE.search(style):
        return True
    return el.tag in INLINE_TAGS and is_popup_content(_class_tokens(el)) and _inside_text_line(el)


def is_popup_content(tokens: list[str]) -> bool:
    """True for class words naming the content of a tooltip, popover or hover card (not its trigger)."""
    words = set(tokens)
    if words & POPUP_CONTENT:
        return True
    if words & POPUP_TOKENS and words & CONTENT_TOKENS:
        return True
    return "card" in words and bool(words & CARD_OWNERS)


def _inside_text_line(el: HtmlElement) -> bool:
    """True when `el` sits inside a paragraph-like element, or right after a link in running text."""
    parent = el.getparent()
    for _ in range(4):
        if parent is None:
            return False
        if parent.tag in TEXT_LINE_TAGS:
            return True
        parent = parent.getparent()
    previous = el.getprevious()
    return previous is not None and previous.tag == "a" and not (previous.tail or "").strip()


def _drop_hidden(root: HtmlElement, total: int, popups: list[HtmlElement]) -> None:
    """Remove hidden elements and popups (inline elements whose class may name one), keeping the text after them."""
    for el in HIDDEN_BY_ATTRIBUTE(root) + popups:
        if el.tag in ("html", "body") or not _attached(el, root) or not is_hidden(el):
            continue
        if _holds_the_page(el, total):
            _as_container(el)  # a page shown by a script, or a mistaken aria-hidden on the layout
            continue
        _remove(el)


def _remove(el: HtmlElement) -> None:
    """Remove `el` and its subtree, keeping its tail text in place.

    A block the parser could not nest in a paragraph (`<p>Leader <a>X</a><div hidden>…</div> said …`) closed that
    paragraph early; the tail that goes on with the sentence ("said …") goes back into the paragraph.
    """
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail or ""
    previous = el.getprevious()
    el.tail = None
    parent.remove(el)
    if not tail:
        return
    stripped = tail.lstrip()
    if previous is not None and previous.tag == "p" and stripped[:1].islower() and not (previous.tail or "").strip():
        _append_text(previous, " " + stripped)
        return
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail


def _append_text(el: HtmlElement, text: str) -> None:
    """Add text at the end of `el`'s content."""
    if len(el):
        last = el[-1]
        last.tail = (last.tail or "").rstrip() + text
    else:
        el.text = (el.text or "").rstrip() + text


MATH_TEX = etree.XPath('.//*[local-name()="annotation"][@encoding="application/x-tex"]')


def _math_to_text(root: HtmlElement) -> None:
    """Replace each <math> by a span (a paragraph when display=block) holding its TeX, alttext or text."""
    for el in list(root.iter("math")):
        annotation = MATH_TEX(el)
        text = (annotation[0].text or "") if annotation else (el.get("alttext") or "")
        if not text.strip():
            text = " ".join(t.strip() for t in el.itertext() if t.strip())
        block = el.get("display") == "block"
        tail = el.tail
        el.clear()
        el.tag = "p" if block else "span"
        el.text = " ".join(text.split())
        el.tail = tail


def _first_char(el: HtmlElement, depth: int = 0) -> str:
    """The first character of text inside `el` ("" when none is found near the top)."""
    text: str | None = el.text
    if text:
        return text[0]
    if depth < 4:
        for child in el:
            first = _first_char(child, depth + 1)
            if first:
                return first
            tail: str | None = child.tail
            if tail:
                return tail[0]
    return ""


def _last_char(el: HtmlElement, depth: int = 0) -> str:
    """The last character of text inside `el` ("" when none is found near the top)."""
    if len(el) and depth < 4:
        last = el[-1]
        tail: str | None = last.tail
        if tail:
            return tail[-1]
        found = _last_char(last, depth + 1)
        if found:
            return found
    text: str | None = el.text
    return text[-1] if text else ""


def fused(left: str, right: str) -> bool:
    """True when two characters meeting at an element edge would glue two words into one."""
    if not left or not right or left.isspace() or right.isspace():
        return False
    if right.isdigit():
        return left.isalpha()  # "Lindqvist30 March"
    if not right.isupper():
        return False
    return left.islower() or left.isdigit() or left in SENTENCE_END


def separate_fused_words(root: HtmlElement) -> list[HtmlElement]:
    """Put a space where an inline element's edge glues a word to the next ("MarshState" -> "Marsh State").

    Only at element edges, where a lower-case letter, digit or full stop meets a capital, a letter meets a
    digit, or two links touch: a drop cap ("<b>T</b>he") or a word split by markup ("Lukash<em>enko</em>") is
    left alone. Returns the inline elements whose class may name a popup (this walk sees them all anyway).
    """
    popups = []
    for el in root.iter(*INLINE_TAGS):
        parent = el.getparent()
        if parent is None:
            continue
        klass = el.get("class")
        if klass and POPUP_CLASS.search(klass):
            popups.append(el)
        previous = el.getprevious()
        if previous is not None:
            tail = previous.tail
            before = tail[-1] if tail else _last_char(previous)
            # two links side by side are two items (a menu, a share bar), whatever their letters
            side_by_side = el.tag == "a" and previous.tag == "a" and not tail and before.isalnum()
            if before and not before.isspace() and (side_by_side or fused(before, _first_char(el))):
                previous.tail = (tail or "") + " "
        else:
            text = parent.text
            if text and not text[-1].isspace() and fused(text[-1], _first_char(el)):
                parent.text = text + " "
        tail = el.tail
        if tail and not tail[0].isspace() and fused(_last_char(el), tail[0]):
            el.tail = " " + tail
    return popups
