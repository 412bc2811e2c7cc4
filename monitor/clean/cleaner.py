"""RawPage → Article: decode, parse once, extract with trafilatura, then correct it with our own rules.

The pipeline for one page:
1. guard: cut pages over `max_bytes`, reject binary or markup-free bodies (PageRejected "not_html");
2. decode (monitor.clean.encoding) and parse once with lxml (monitor.clean.dom);
3. metadata from JSON-LD, OpenGraph, <meta> and <time> (monitor.clean.metadata);
4. trafilatura on that tree (fast mode, no comments) gives a first opinion on the body;
5. our block segmentation maps that opinion onto the tree (monitor.clean.align), and the structural
   second opinion (monitor.clean.selector, monitor.clean.boilerplate) keeps, drops or restores blocks;
6. no article-like text left: PageRejected "no_article" (or "too_large" when the page was cut).

All functions are pure and picklable (process pools call them); the only state is compiled regexes.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

import trafilatura
from lxml import etree
from lxml.html import HtmlElement

from monitor.clean import boilerplate as bp
from monitor.clean.align import mark_kept
from monitor.clean.dom import Dom, count_words, parse_html, segment
from monitor.clean.encoding import decode_html
from monitor.clean.metadata import PageMeta, extract_metadata, find_date_in_content, guess_language
from monitor.clean.selector import Selector, fallback_selector, normalise
from monitor.errors import PageRejected
from monitor.models import Article, RawPage

logger = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
# Fewer words than this is a stub, a gallery or an error page, not something to alert on.
MIN_ARTICLE_WORDS = 20
MIN_BRIEF_WORDS = 8
# A line of prose: what a page must have at least one of when only trafilatura's text is used.
PROSE_LINE_WORDS = 12
# trafilatura's regular expressions take seconds on megabytes of text (the largest dev page has 0.1 MB).
MAX_TEXT_CHARS = 1_000_000
# Below this share of trafilatura's words found in our blocks, our tree and its disagree (it read
# text we skip, such as a <noscript> body); then its own text is used, filtered by our phrase rules.
MIN_ALIGNMENT = 0.6
# Pages are cut after about this many elements (6x the largest page of the dev set, 1,600). Past
# it trafilatura's tree passes take seconds, and no article starts after 10,000 elements.
MAX_ELEMENTS = 10000
# Never article text: our segmentation skips them and trafilatura deletes them (see SKIP_TAGS).
STRIPPED_TAGS = (
    "script", "style", "noscript", "svg", "iframe", "object", "embed", "canvas", "video", "audio", "select", "map",
    "nav", "aside", "footer", "menu",
)  # fmt: skip
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
    # Scripts are metadata (read above) or noise, and trafilatura deletes these elements before it
    # extracts anyway; it does so one by one, which is quadratic on a page with thousands of them
    # (ad-slot floods), while lxml strips them at once, and a smaller tree is faster for it to copy.
    etree.strip_elements(root, *STRIPPED_TAGS, with_tail=False)
    dom = segment(root)
    paragraphs, listing = _body(root, dom, meta, url)
    body = "\n\n".join(paragraphs)
    words = count_words(body)
    # A page that declares itself an article (JSON-LD, og:type) may be a short news brief: a missed
    # brief is a missed alert, so it needs only a sentence; undeclared pages need MIN_ARTICLE_WORDS.
    needed = MIN_BRIEF_WORDS if meta.is_article and not listing else MIN_ARTICLE_WORDS
    if words < needed or (listing and not meta.is_article):
        if cut:
            raise PageRejected("too_large", cut)
        what = "a list of headlines" if listing and words >= MIN_ARTICLE_WORDS else f"{words} words of article text"
        raise PageRejected("no_article", what)
    if hint_published is not None and hint_published.tzinfo is None:
        hint_published = hint_published.replace(tzinfo=UTC)  # feeds without a zone: UTC, like pages
    published = meta.published or hint_published or find_date_in_content(root, url)
    return Article(
        url=url,
        title=meta.title or (hint_title or "").strip(),
        text=body,
        published=published,
        updated=meta.updated if meta.updated != published else None,
        author=meta.author,
        language=meta.language or guess_language(body),
        canonical_url=meta.canonical_url,
        source=source,
    )


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


def _body(root: HtmlElement, dom: Dom, meta: PageMeta, url: str) -> tuple[list[str], bool]:
    """The article's paragraphs (trafilatura's opinion corrected by ours), and whether it is a listing."""
    extracted = ""
    if dom.text_chars > MAX_TEXT_CHARS:
        logger.info("page %s holds %d characters of text; skipping trafilatura", url, dom.text_chars)
    else:
        try:
            extracted = trafilatura.extract(root, url=url or None, fast=True, include_comments=False) or ""
        except Exception:  # third-party code on hostile markup: fall back to our own pass, never crash
            logger.warning("trafilatura failed on %s; using the structural pass alone", url, exc_info=True)
    if extracted:
        alignment = mark_kept(dom.blocks, extracted)
        if alignment >= MIN_ALIGNMENT:
            selector: Selector | None = Selector(dom, meta.titles)
        else:
            logger.debug("only %.0f%% of trafilatura's text found in our blocks on %s", 100 * alignment, url)
            return _filter_lines(extracted, meta), False
    else:
        selector = fallback_selector(dom, meta.titles)
    if selector is None:
        return [], False
    blocks = selector.select()
    return [b.text for b in blocks], selector.is_listing(blocks)


def _filter_lines(extracted: str, meta: PageMeta) -> list[str]:
    """trafilatura's own lines minus the title and what our phrase rules call furniture.

    Used when its text came from parts of the tree we skip (hidden or navigation elements): without
    a sentence of prose among them the lines are menus, and no article.
    """
    out = []
    for line in extracted.split("\n"):
        line = line.strip()
        words = len(bp.WORD.findall(line))
        if not words or normalise(line) in meta.titles or bp.is_service_text(line, words):
            continue
        out.append(line)
    if not any(len(bp.WORD.findall(line)) >= PROSE_LINE_WORDS and bp.ends_like_sentence(line) for line in out):
        return []
    return out


__all__ = ["MAX_BYTES", "clean_html", "clean_page"]
