"""RawPage → Article: decode, parse once, repair the tree, extract the body, read the metadata around it.

The pipeline for one page:
1. guard: cut pages over `max_bytes`, reject binary or markup-free bodies (PageRejected "not_html");
2. decode (monitor.clean.encoding) and parse once with lxml (monitor.clean.dom);
3. metadata from JSON-LD, OpenGraph, <meta> and <time> (monitor.clean.metadata);
4. repair the tree (monitor.clean.repair): swallowed pages, hidden cards, formulas, fused words;
5. pick the body (monitor.clean.body): trafilatura's fast mode corrected by our rules, a second look when
   a signal calls for one (monitor.clean.recall);
6. the byline and credit lines (monitor.clean.credits) and a date written in the text
   (monitor.clean.textdates) from the blocks around the body;
7. no article prose: PageRejected "no_article" ("listing" for a section front, "too_large" when the page
   was cut), carrying the page's metadata.

All functions are pure and picklable (process pools call them); the only state is compiled regexes.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import UTC, datetime

from lxml.html import HtmlElement

from monitor.clean.authors import people
from monitor.clean.body import MIN_ARTICLE_WORDS, Pick, needed_words, pick_body
from monitor.clean.boilerplate import normalise
from monitor.clean.credits import collect_credits
from monitor.clean.dom import Dom, count_words, parse_html, segment
from monitor.clean.encoding import decode_html
from monitor.clean.metadata import PageMeta, extract_metadata, find_date_in_content, guess_language
from monitor.clean.repair import repair_tree
from monitor.clean.selector import TITLE_MAX_WORDS
from monitor.clean.textdates import published_in
from monitor.errors import PageRejected
from monitor.models import Article, RawPage

logger = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
# Pages are cut after about this many elements (6x the largest page of the dev set, 1,600). Past
# it trafilatura's tree passes take seconds, and no article starts after 10,000 elements.
MAX_ELEMENTS = 10000
# The byline, the date line and credit lines sit this many blocks around the body at most.
HEAD_BLOCKS = 15
TAIL_BLOCKS = 8
# Binary signatures of things servers send as text/html by mistake (PDF, images, archives, media).
BINARY_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"Rar!",
    b"7z\xbc\xaf",
    b"\x00\x00\x01\x00",
    b"RIFF",
    b"OggS",
    b"ID3",
    b"fLaC",
    b"\x7fELF",
    b"MZ",
    b"BZh",
    b"\xfd7zXZ",
    b"wOFF",
)
MARKUP = re.compile(
    r"<\s*(?:html|head|body|div|p|article|title|meta|!doctype|span|a|table|h[1-6]|section|main)\b", re.I
)
SNIFF_BYTES = 4096
# Text never has more than a few control characters; binary formats are full of them.
BINARY_CONTROL_SHARE = 0.01
CONTROL_BYTES = bytes(range(9)) + bytes(range(14, 32))


def clean_page(page: RawPage, *, max_bytes: int = MAX_BYTES) -> Article:
    """Clean a fetched page; the feed's title and date fill in when the page has none."""
    return _clean(
        page.body,
        page.final_url or page.url,
        http_encoding=page.http_encoding,
        source=page.source,
        max_bytes=max_bytes,
        hint_title=page.hint_title,
        hint_published=page.hint_published,
    )


def clean_html(
    html: bytes | str, url: str = "", *, http_encoding: str | None = None, source: str = "", max_bytes: int = MAX_BYTES
) -> Article:
    """Clean raw HTML (bytes are decoded as a browser would); raises PageRejected(reason, detail)."""
    return _clean(html, url, http_encoding=http_encoding, source=source, max_bytes=max_bytes)


def _clean(
    html: bytes | str,
    url: str,
    *,
    http_encoding: str | None,
    source: str,
    max_bytes: int,
    hint_title: str | None = None,
    hint_published: datetime | None = None,
) -> Article:
    """The whole pipeline; see the module docstring."""
    size = len(html)
    cut = ""
    if size > max_bytes:
        logger.info("page %s is %d bytes; cleaning its first %d", url, size, max_bytes)
        html = html[:max_bytes]
        cut = f"{size} bytes; no article in the first {max_bytes}"
    text = _decode(html, http_encoding)
    root, cut_elements = parse_html(text, MAX_ELEMENTS)
    if root is None:
        raise PageRejected("too_large", cut) if cut else PageRejected("not_html", "no HTML document could be parsed")
    if cut_elements:
        logger.info("page %s has over %d elements; cleaning the first ones", url, MAX_ELEMENTS)
        cut = cut or f"over {MAX_ELEMENTS} elements; no article in the first {MAX_ELEMENTS}"
    meta = extract_metadata(root, url)
    # Scripts are metadata (read above) or noise. trafilatura deletes such elements one by one, which is
    # quadratic on a page with thousands of them (ad-slot floods); repair_tree strips them at once, and a
    # smaller tree is faster for it to copy.
    repair_tree(root)
    dom = segment(root)
    pick = pick_body(root, dom, meta, url)
    body = "\n\n".join(pick.paragraphs)
    metadata = _metadata(root, dom, meta, pick, url, source, hint_title, hint_published)
    words = count_words(body)
    if words < needed_words(meta, pick.listing) or (pick.listing and not meta.is_article):
        if cut:
            raise PageRejected("too_large", cut, metadata)
        if pick.listing and words >= MIN_ARTICLE_WORDS:
            raise PageRejected("listing", "a list of headlines, not an article", metadata)
        raise PageRejected("no_article", f"{words} words of article prose", metadata)
    return replace(metadata, text=body, language=metadata.language or guess_language(body))


def _metadata(
    root: HtmlElement,
    dom: Dom,
    meta: PageMeta,
    pick: Pick,
    url: str,
    source: str,
    hint_title: str | None,
    hint_published: datetime | None,
) -> Article:
    """Everything but the body: the page's metadata, completed from the blocks around the body."""
    before, after = _around(dom, pick, meta)
    byline, credits = collect_credits(before + after, len(before))
    authors = meta.authors or (people([byline], meta.site_names) if byline else ())
    if byline is None:
        byline = meta.byline or (", ".join(authors) or None)
    if hint_published is not None and hint_published.tzinfo is None:
        hint_published = hint_published.replace(tzinfo=UTC)  # feeds without a zone: UTC, like pages
    published = (
        meta.published
        or next((d for d in map(published_in, before + after) if d is not None), None)
        or meta.text_date
        or hint_published
        or find_date_in_content(root, url)
    )
    return Article(
        url=url,
        title=meta.title or (hint_title or "").strip(),
        text="",
        published=published,
        updated=meta.updated if meta.updated != published else None,
        author=", ".join(authors) or None,
        language=meta.language,
        canonical_url=meta.canonical_url,
        source=source,
        authors=authors,
        credits="\n".join(([byline] if byline else []) + credits),
    )


def _around(dom: Dom, pick: Pick, meta: PageMeta) -> tuple[list[str], list[str]]:
    """The texts of the blocks above the body (from the headline on) and below it, the body's own left out."""
    blocks = dom.blocks
    if not pick.indexes:
        return [b.text for b in blocks[:HEAD_BLOCKS]], []
    picked = set(pick.indexes)
    first, last = min(picked), max(picked)
    start = max(0, first - HEAD_BLOCKS)
    for i in range(first - 1, start - 1, -1):
        block = blocks[i]
        if block.tag == "h1" or (block.words <= TITLE_MAX_WORDS and normalise(block.text) in meta.titles):
            start = i
            break
    inside = [b.text for i, b in enumerate(blocks[first : last + 1], first) if i not in picked]
    before = [b.text for b in blocks[start:first]]
    return before, inside + [b.text for b in blocks[last + 1 : last + 1 + TAIL_BLOCKS]]


def _decode(html: bytes | str, http_encoding: str | None) -> str:
    """Refuse binary bodies and bodies without markup; decode bytes."""
    if isinstance(html, bytes):
        head = html[:SNIFF_BYTES]
        if head.lstrip().startswith(BINARY_MAGIC) or _mostly_binary(head):
            raise PageRejected("not_html", "binary content")
        text = decode_html(html, http_encoding)
    else:
        text = html
    if _mostly_binary(text[:SNIFF_BYTES].encode("utf-8", "replace")):
        raise PageRejected("not_html", "binary content")
    if not MARKUP.search(text[: SNIFF_BYTES * 16]):
        raise PageRejected("not_html", "no HTML markup")
    return text


def _mostly_binary(head: bytes) -> bool:
    """True when the sample is full of NUL or control bytes (UTF-16 pages carry a BOM and pass).

    A stray NUL in a real page (a CMS bug) is tolerated: parse_html strips it.
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    control = len(head) - len(head.translate(None, CONTROL_BYTES))
    return control > max(2, BINARY_CONTROL_SHARE * len(head))


__all__ = ["MAX_BYTES", "clean_html", "clean_page"]
