"""Title, dates, author, language and canonical URL: the page's own metadata first, its content second."""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from dateutil import parser as dateutil_parser
from lxml import etree
from lxml.html import HtmlElement

from monitor.clean.authors import names_in_jsonld, people
from monitor.clean.jsonld import jsonld_article
from monitor.clean.markup import BYLINE_MAX_WORDS, scan_markup
from monitor.clean.textdates import published_in

logger = logging.getLogger(__name__)

# Meta names and properties, in order of trust. OpenGraph's article:* and schema.org's itemprop come
# first; the rest are CMS and analytics conventions (Parse.ly, Sailthru, Dublin Core).
PUBLISHED_KEYS = (
    "article:published_time",
    "datepublished",
    "og:published_time",
    "published_time",
    "article.published",
    "parsely-pub-date",
    "sailthru.date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dc.date.issued",
    "dcterms.created",
    "dc.date",
    "dcterms.date",
    "date",
    "citation_publication_date",
    "article_date_original",
)
UPDATED_KEYS = (
    "article:modified_time",
    "datemodified",
    "og:updated_time",
    "modified_time",
    "article.updated",
    "last-modified",
    "dcterms.modified",
    "dc.date.modified",
    "revised",
)
AUTHOR_KEYS = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl", "twitter:creator")
TITLE_KEYS = ("og:title", "twitter:title", "dc.title", "title")
TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " / ", " // ")
AUTHOR_XPATHS = tuple(
    etree.XPath(x)
    for x in (
        '//*[@itemprop="author"]//*[@itemprop="name"]',
        '//*[@itemprop="author"]',
        '//a[@rel="author"]',
    )
)
LANG_TAG = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]+)*$")
EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")
# Dates outside this window are parse errors or placeholders ("0001-01-01", "2099-12-31").
EARLIEST_YEAR = 1990


@dataclass(slots=True)
class PageMeta:
    """What the page says about itself."""

    title: str = ""
    titles: set[str] = field(default_factory=set)  # every headline variant, to spot one repeated in the text
    published: datetime | None = None
    updated: datetime | None = None
    author: str | None = None  # ", ".join(authors), for display
    authors: tuple[str, ...] = ()  # people only, in byline order
    language: str | None = None
    canonical_url: str | None = None
    is_article: bool = False  # the page declares itself an article (JSON-LD, og:type, article:published_time)
    site_names: tuple[str, ...] = ()  # the site's and publisher's names: never an author
    byline: str | None = None  # the first "By …" line of the page, wherever the template put it
    text_date: datetime | None = None  # the date a date-like element writes out ("03.07.2025, 16:55 Uhr")


def extract_metadata(root: HtmlElement, url: str = "") -> PageMeta:
    """Read title, dates, author, language and canonical URL from the page's markup."""
    meta = _meta_tags(root)
    ld = jsonld_article(root)
    out = PageMeta()
    h1 = _first_h1(root)
    html_title = _text(root.find(".//title"))
    candidates = [_text_value(ld.get("headline")), *(meta.get(k) for k in TITLE_KEYS), h1, html_title]
    site = meta.get("og:site_name") or meta.get("application-name") or ""
    out.title = next((_strip_site(t, site, url) for t in candidates if t), "")
    out.titles = {t for c in candidates if c for t in _title_variants(c)}
    out.published = _first_date(
        [ld.get("datePublished"), ld.get("dateCreated"), *(meta.get(k) for k in PUBLISHED_KEYS)]
    )
    out.published = out.published or _time_element(root, "datePublished")
    out.updated = _first_date([ld.get("dateModified"), *(meta.get(k) for k in UPDATED_KEYS)])
    out.updated = out.updated or _time_element(root, "dateModified", fallback=False)
    out.site_names = _site_names(meta, ld, url)
    out.authors = _authors(root, meta, ld, out.site_names)
    if out.published is None or not out.authors:
        hints = scan_markup(root, authors=not out.authors, dates=out.published is None)
        out.text_date = next((d for d in map(published_in, hints.date_lines) if d is not None), None)
        if not out.authors:
            out.authors = people(hints.author_boxes, out.site_names) or people(hints.bylines, out.site_names)
            out.byline = next(iter(hints.bylines), None)
    out.author = ", ".join(out.authors) or None
    out.language = _language(root, meta, ld)
    out.canonical_url = _canonical(root, meta, ld, url)
    out.is_article = bool(ld) or meta.get("og:type", "").lower() == "article" or "article:published_time" in meta
    return out


def parse_date(value: Any) -> datetime | None:
    """Parse an ISO 8601, RFC 2822, epoch or free-form date; timezone-aware (UTC when none given)."""
    if value is None:
        return None
    text = str(value).strip()
    if not text or len(text) > 64:
        return None
    parsed: datetime | None = None
    if EPOCH.match(text):
        seconds = int(text) / (1000 if len(text) == 13 else 1)
        parsed = datetime.fromtimestamp(seconds, tz=UTC)
    else:
        for parse in (datetime.fromisoformat, parsedate_to_datetime, dateutil_parser.parse):
            try:
                parsed = parse(text)
                break
            except (ValueError, TypeError, OverflowError, IndexError):
                continue
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    now = datetime.now(UTC)
    if not EARLIEST_YEAR <= parsed.year <= now.year + 1:
        return None
    return parsed


def find_date_in_content(root: HtmlElement, url: str) -> datetime | None:
    """Fallback: the publication date htmldate finds in the URL, headers and text (slower)."""
    from htmldate import find_date  # imported late: only pages without date metadata pay for it

    # Not extensive_search: on the dev sets it adds two dates, one of them years off (a copyright line), and a
    # date that is wrongly old silences the article's alerts through max_age. No date alerts as new.

    try:
        found = find_date(
            root, extensive_search=False, original_date=True, outputformat="%Y-%m-%d %H:%M:%S", url=url or None
        )
    except Exception:  # htmldate raises assorted errors on odd trees; a missing date is not fatal
        logger.debug("htmldate failed on %s", url, exc_info=True)
        return None
    return parse_date(found)


def _meta_tags(root: HtmlElement) -> dict[str, str]:
    """First content of each <meta> by lower-cased property, name, itemprop or http-equiv."""
    out: dict[str, str] = {}
    for el in root.iter("meta"):
        content = el.get("content")
        if not content or not content.strip():
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = el.get(attr)
            if key:
                out.setdefault(key.strip().lower(), content.strip())
    return out


def _text(el: HtmlElement | None) -> str:
    """Whitespace-normalised text of an element, or ""."""
    return " ".join(el.text_content().split()) if el is not None else ""


def _text_value(value: Any) -> str:
    """A JSON-LD text value (string, or the first of a list) as plain text."""
    if isinstance(value, list):
        value = value[0] if value else ""
    # JSON-LD strings are often HTML-escaped twice by CMS plugins ("Trump&#039;s")
    return " ".join(html.unescape(str(value)).split()) if isinstance(value, (str, int, float)) else ""


def _first_h1(root: HtmlElement) -> str:
    """The first non-empty <h1> of reasonable length."""
    for el in root.iter("h1"):
        text = _text(el)
        if text and len(text.split()) <= 40:
            return text
    return ""


def _strip_site(title: str, site: str, url: str) -> str:
    """Remove a " | Site Name" part from a title, when the site's name or host is known."""
    host = urlsplit(url).hostname or ""
    host_label = host.removeprefix("www.").split(".")[0] if host else ""
    for sep in TITLE_SEPARATORS:
        if sep not in title:
            continue
        parts = [p.strip() for p in title.split(sep)]
        keep = [p for p in parts if not _names_site(p, site, host_label)]
        if keep and len(keep) < len(parts):
            return sep.join(keep)
    return title.strip()


def _names_site(part: str, site: str, host_label: str) -> bool:
    """True when a title part is the site's name."""
    key = part.lower().replace(" ", "")
    return bool(key) and (
        (bool(site) and key == site.lower().replace(" ", ""))
        or (bool(host_label) and key.replace(".", "") in (host_label, f"{host_label}com"))
    )


def _title_variants(title: str) -> set[str]:
    """A title and its separator-split parts of 3+ words, normalised for comparison."""
    variants = {title}
    for sep in TITLE_SEPARATORS:
        if sep in title:
            variants.update(p for p in title.split(sep) if len(p.split()) >= 3)
    return {" ".join(re.findall(r"\w+", v.lower())) for v in variants} - {""}


def _first_date(values: list[Any]) -> datetime | None:
    """The first value that parses as a plausible date."""
    for value in values:
        if isinstance(value, list):
            value = value[0] if value else None
        parsed = parse_date(value)
        if parsed is not None:
            return parsed
    return None


def _time_element(root: HtmlElement, itemprop: str, fallback: bool = True) -> datetime | None:
    """A <time datetime> (or any itemprop element) marked with `itemprop`; else the first <time>."""
    for el in root.xpath(f'//*[@itemprop="{itemprop}"]'):
        parsed = parse_date(el.get("datetime") or el.get("content") or _text(el))
        if parsed is not None:
            return parsed
    if not fallback:
        return None
    # a <time> inside the article beats one in the masthead ("Today is Tuesday ...")
    for xpath in ("//article//time[@datetime]", "//main//time[@datetime]", "//time[@pubdate]", "//time[@datetime]"):
        for el in root.xpath(xpath):
            parsed = parse_date(el.get("datetime"))
            if parsed is not None:
                return parsed
    return None


def _site_names(meta: dict[str, str], ld: dict[str, Any], url: str) -> tuple[str, ...]:
    """The names the site and its publisher go by, and the host's own name ("nbcnews" for www.nbcnews.com)."""
    publisher = ld.get("publisher")
    names = [meta.get("og:site_name"), meta.get("application-name"), meta.get("twitter:site")]
    if isinstance(publisher, dict):
        names.append(publisher.get("name") if isinstance(publisher.get("name"), str) else None)
    host = urlsplit(url).hostname or ""
    if host:
        names.append(host.removeprefix("www.").split(".")[0])
    return tuple(n.strip().lstrip("@") for n in names if isinstance(n, str) and n.strip())


def _authors(root: HtmlElement, meta: dict[str, str], ld: dict[str, Any], sites: tuple[str, ...]) -> tuple[str, ...]:
    """The people named as authors: JSON-LD first, then <meta> tags, then byline markup."""
    found = people(names_in_jsonld(ld.get("author")), sites)
    if found:
        return found
    found = people([meta[k] for k in AUTHOR_KEYS if meta.get(k)], sites)
    if found:
        return found
    for xpath in AUTHOR_XPATHS:  # in order of trust
        values = [el.get("content") or _text(el) for el in xpath(root)[:4]]
        found = people([v for v in values if len(v.split()) <= BYLINE_MAX_WORDS], sites)
        if found:
            return found
    return ()


def _language(root: HtmlElement, meta: dict[str, str], ld: dict[str, Any]) -> str | None:
    """The primary language subtag ("en", "be", "ru") declared by the page."""
    in_language = ld.get("inLanguage")
    if isinstance(in_language, dict):
        in_language = in_language.get("alternateName") or in_language.get("name")
    candidates = [
        root.get("lang"),
        root.get("{http://www.w3.org/XML/1998/namespace}lang"),
        meta.get("content-language"),
        meta.get("language"),
        meta.get("og:locale"),
        in_language if isinstance(in_language, str) else None,
    ]
    for value in candidates:
        match = LANG_TAG.match((value or "").strip().split(",")[0].strip())
        if match:
            return match.group(1).lower()
    return None


def _canonical(root: HtmlElement, meta: dict[str, str], ld: dict[str, Any], url: str) -> str | None:
    """<link rel=canonical>, then og:url, then the JSON-LD url, made absolute; http(s) only."""
    links = [el.get("href") for el in root.iter("link") if "canonical" in (el.get("rel") or "").lower().split()]
    entity = ld.get("mainEntityOfPage")
    entity_url = entity.get("@id") if isinstance(entity, dict) else entity
    for value in (*links, meta.get("og:url"), ld.get("url"), entity_url):
        if not isinstance(value, str) or not value.strip():
            continue
        absolute = urljoin(url, value.strip())
        if urlsplit(absolute).scheme in ("http", "https") and urlsplit(absolute).netloc:
            return absolute
    return None


# Letters that only some Cyrillic languages use (Belarusian ў; Ukrainian ї є ґ; Russian ъ щ ы э).
_SCRIPTS = (
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("ka", re.compile(r"[\u10a0-\u10ff]")),
    ("hy", re.compile(r"[\u0530-\u058f]")),
)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def guess_language(text: str) -> str | None:
    """A language guess from the script alone, for pages that declare none; None for Latin script."""
    sample = text[:5000]
    letters = sum(1 for ch in sample if ch.isalpha())
    if not letters:
        return None
    cyrillic = len(_CYRILLIC.findall(sample))
    if cyrillic > 0.5 * letters:
        low = sample.lower()
        if "ў" in low:
            return "be"
        if any(ch in low for ch in "їєґ") or ("і" in low and "ы" not in low):
            return "uk"
        return "ru" if "і" not in low else "be"
    for code, pattern in _SCRIPTS:
        if len(pattern.findall(sample)) > 0.3 * letters:
            return code
    return None
