"""What an HTML page says about itself, for `monitor add-source`: a single article or a section page, and the
site's name.

A page's own declarations come first (og:type, JSON-LD, article:published_time), then its shape: one <h1>
followed by a long run of prose is an article, however many links sit around it. A related-stories block,
a "more from us" rail or a link-heavy footer is page furniture, not a listing: links are counted only when
the page neither declares nor shows an article.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import lxml.etree
import lxml.html

from monitor.clean import ARTICLE_TYPES, jsonld_objects

# A run of prose this long after the page's one headline is an article's body, not teaser text.
LONG_PROSE_WORDS = 80
# A page that declares itself an article needs only a short run: news briefs are two sentences.
BRIEF_WORDS = 25
# A short body with more runs of prose this close to its length elsewhere on the page is one excerpt among
# many alike (a section page that calls itself an article); one such run is the body's own second half.
RIVAL_SHARE = 0.5
MAX_RIVALS = 1
# A prose unit: a paragraph of at least this many words with fewer than half of them in links.
PARAGRAPH_WORDS = 8
MAX_LINK_SHARE = 0.5
# Where prose sits: <p>, and the own text (not that of block children) of the containers some sites use instead.
PROSE_TAGS = frozenset(("p", "div", "section", "article", "main", "blockquote", "td"))
HEADLINE_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "a")
# A link with this many words outside a paragraph is a headline (a teaser), and ends a run of prose.
HEADLINE_WORDS = 4
# The article's body must outweigh the teasers and excerpts around it at least this much.
BODY_SHARE = 0.5
LISTING_TYPES = frozenset(("CollectionPage", "ItemList", "SearchResultsPage"))
SITE_TYPES = frozenset(("WebSite", "NewsMediaOrganization", "Organization"))
# Never a page's own content: skipped when measuring prose and counting headlines.
# (Not <form>: ASP.NET pages wrap the whole body in one.)
FURNITURE_TAGS = ("script", "style", "noscript", "template", "nav", "aside", "footer", "menu")
# " | Site", " - Site", " — Site" ... at the end of a <title>: the site's name after the headline.
_TITLE_SEPARATOR = re.compile(r"\s+(?:[|–—·•»:~]|-{1,2}|::)\s+")
_WORD = re.compile(r"\w+")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")


@dataclass
class PageSignals:
    """What the page declares and how its text is laid out."""

    declares_article: list[str] = field(default_factory=list)  # e.g. "og:type article"
    declares_listing: list[str] = field(default_factory=list)  # e.g. "JSON-LD CollectionPage"
    headlines: int = 0  # <h1> headlines of the page itself (not a logo, not a teaser linking elsewhere)
    body_words: int = 0  # the longest run of prose after the (first) <h1>, or anywhere without one
    other_words: int = 0  # prose outside that run, plus the words of headline links: teasers and excerpts
    rivals: int = 0  # other runs at least half as long as the body: excerpts of a listing, or its second half
    site_name: str | None = None


def read_signals(body: bytes | str, url: str = "") -> PageSignals:
    """Read a page's declarations, the layout of its text and the site's name (nothing is fetched)."""
    signals = PageSignals()
    root = _parse(body)
    if root is None:
        return signals
    meta = _meta(root)
    objects = jsonld_objects(root)
    types = {t for obj in objects for t in _types(obj)}
    if meta.get("og:type", "").lower() == "article":
        signals.declares_article.append("og:type article")
    signals.declares_article += [f"JSON-LD {t}" for t in sorted(types & ARTICLE_TYPES)]
    if meta.get("article:published_time"):
        signals.declares_article.append("article:published_time")
    signals.declares_listing += [f"JSON-LD {t}" for t in sorted(types & LISTING_TYPES)]
    signals.site_name = _site_name(root, meta, objects, url)
    lxml.etree.strip_elements(root, *FURNITURE_TAGS, with_tail=False)
    _measure(root, signals, urlsplit(url).path)
    return signals


def article_reason(signals: PageSignals, cleaned_words: int | None) -> str | None:
    """Why the page is a single article, in words; None when it is not (or cannot be told from the page).

    `cleaned_words` is the length of the article the cleaner read from the page, None when it found none.
    """
    body, outweighs = signals.body_words, signals.body_words >= BODY_SHARE * signals.other_words
    long_body = body >= LONG_PROSE_WORDS and outweighs
    if signals.declares_listing and not signals.declares_article and not long_body:
        return None
    stands_out = body >= LONG_PROSE_WORDS or signals.rivals <= MAX_RIVALS  # not one excerpt among many alike
    if signals.declares_article and cleaned_words and body >= BRIEF_WORDS and stands_out:
        return f"it declares itself an article ({', '.join(signals.declares_article)})"
    if signals.headlines == 1 and long_body:
        return f"one headline followed by {body} words of prose"
    if cleaned_words and cleaned_words >= LONG_PROSE_WORDS and body >= LONG_PROSE_WORDS // 2 and outweighs:
        return f"the cleaner reads one article of {cleaned_words} words from it"
    return None


def source_name(site_name: str) -> str:
    """A config source name from a site's name: "Наша Ніва" → "nasha-niva" (letters, digits, '-')."""
    from anyascii import anyascii

    words = re.findall(r"[a-z0-9]+", anyascii(site_name).lower())
    name = ""
    for word in words:  # whole words, up to a readable length
        if name and len(name) + 1 + len(word) > 32:
            break
        name = f"{name}-{word}" if name else word
    return name[:32]


def _parse(body: bytes | str) -> Any:
    """The page's tree; UTF-8 when it decodes as such (most pages, declared or not), else as lxml guesses."""
    if isinstance(body, bytes):
        with contextlib.suppress(UnicodeDecodeError):
            body = body.decode("utf-8")
    if isinstance(body, str):
        body = _XML_DECLARATION.sub("", body, count=1)  # lxml refuses text that declares an encoding
    try:
        return lxml.html.document_fromstring(body)
    except (ValueError, lxml.etree.ParserError):
        return None


# -- declarations --------------------------------------------------------------------------------
def _meta(root: Any) -> dict[str, str]:
    """<meta property|name=... content=...>, keys lower-cased; the first of each wins."""
    found: dict[str, str] = {}
    for element in root.iter("meta"):
        key = (element.get("property") or element.get("name") or "").strip().lower()
        value = (element.get("content") or "").strip()
        if key and value:
            found.setdefault(key, value)
    return found


def _types(obj: dict[str, Any]) -> list[str]:
    kind = obj.get("@type")
    return [t for t in (kind if isinstance(kind, list) else [kind]) if isinstance(t, str)]


def _site_name(root: Any, meta: dict[str, str], objects: list[dict[str, Any]], url: str) -> str | None:
    """og:site_name; else the JSON-LD WebSite's or publisher's name; else from the <title>: the part after
    the headline on an article ("Headline | Site"), the part before the slogan on a home page."""
    declared = [meta.get("og:site_name", "")]
    declared += [str(obj.get("name") or "") for obj in objects if set(_types(obj)) & SITE_TYPES]
    declared += [str(obj["publisher"].get("name") or "") for obj in objects if isinstance(obj.get("publisher"), dict)]
    for text in declared:
        name = _TITLE_SEPARATOR.split(" ".join(text.split()))[0]  # "Name | slogan"
        if _is_name(name):
            return name
    parts = _TITLE_SEPARATOR.split(" ".join((root.findtext(".//title") or "").split()))
    name = parts[0] if urlsplit(url).path in ("", "/") else parts[-1] if len(parts) > 1 else ""
    return name if _is_name(name) else None


def feed_site_name(title: str) -> str | None:
    """The site's name in a feed's title: "Radio Svaboda - News" → "Radio Svaboda"."""
    name = _TITLE_SEPARATOR.split(" ".join(title.split()))[0]
    return name if _is_name(name) else None


def _is_name(text: str) -> bool:
    """Readable as a site's name: a few words, not an address."""
    return 0 < len(text) <= 60 and not re.match(r"(?i)(?:https?:|www\.)", text) and bool(_WORD.search(text))


# -- layout --------------------------------------------------------------------------------------
def _words(text: str | None) -> int:
    return len(_WORD.findall(text or ""))


def _own_text(element: Any) -> str:
    """The element's text without that of its block children: what a paragraph-like <div> says itself."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag in ("a", "b", "strong", "em", "i", "span", "mark", "q", "sup",
                                                        "sub", "small", "abbr", "time", "cite", "br", "code", "u"):
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return " ".join(parts)


def _measure(root: Any, signals: PageSignals, path: str) -> None:
    """Find the runs of prose paragraphs, broken by headline links, and the page's <h1> headlines.

    A paragraph counts where it ends, so a container's own text after an <h1> inside it (a table cell
    holding headline and story) counts after the headline.
    """
    runs: list[tuple[bool, int]] = []  # (after the first <h1>, words)
    words, after_h1, headline_words = 0, False, 0
    for event, element in lxml.etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start" and tag == "h1" and _h1_kind(element, path) == "headline":
            signals.headlines += 1
            runs.append((after_h1, words))
            words, after_h1 = 0, True
        elif event == "start" and tag in HEADLINE_TAGS and _is_headline(element, tag, path):
            headline_words += _words(element.text_content())
            runs.append((after_h1, words))
            words = 0
        elif event == "end" and tag in PROSE_TAGS and not _inside(element, "a"):
            count = _words(element.text_content() if tag == "p" else _own_text(element))
            if count >= PARAGRAPH_WORDS and _link_words(element, tag) < MAX_LINK_SHARE * count:
                words += count
    runs.append((after_h1, words))
    candidates = sorted((w for after, w in runs if after or not signals.headlines), reverse=True)
    signals.body_words = candidates[0] if candidates else 0
    others = sorted((w for _, w in runs), reverse=True)[1:]  # every run but the longest
    signals.rivals = sum(w >= RIVAL_SHARE * signals.body_words for w in others)
    signals.other_words = sum(w for _, w in runs) - signals.body_words + headline_words


def _h1_kind(element: Any, path: str) -> str:
    """An <h1> is the page's "headline", a "logo" (a link home, or no words), or a "teaser" linking elsewhere."""
    if _words(element.text_content()) < 2:
        return "logo"
    link = element.find(".//a[@href]")
    target = urlsplit(link.get("href")).path if link is not None else path
    return "headline" if target == path else "logo" if target in ("", "/") else "teaser"


def _is_headline(element: Any, tag: str, path: str) -> bool:
    """A heading that links away, or a link with a headline's words standing outside paragraphs and headings."""
    if tag == "a":
        return bool(element.get("href")) and _words(element.text_content()) >= HEADLINE_WORDS \
            and not any(_inside(element, t) for t in HEADLINE_TAGS[:-1] + ("p", "li"))
    if tag == "h1":
        return _h1_kind(element, path) == "teaser"
    return element.find(".//a[@href]") is not None


def _link_words(element: Any, tag: str) -> int:
    links = element.iter("a") if tag == "p" else (a for a in element if a.tag == "a")
    return sum(_words(a.text_content()) for a in links)


def _inside(element: Any, tag: str) -> bool:
    return any(ancestor.tag == tag for ancestor in element.iterancestors())
