"""Data passed between the stages (spider → cleaner → matcher → store → alerts): pure data, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class RawPage:
    """A fetched page as the spider saw it, before any cleaning."""

    url: str  # the URL requested (after canonicalisation)
    final_url: str  # the URL after redirects
    body: bytes
    source: str = ""  # name of the [[sources]] entry
    http_encoding: str | None = None  # charset from the Content-Type header, if any
    content_type: str | None = None
    # Hints from the feed or sitemap entry that led here; used when the page lacks them.
    hint_title: str | None = None
    hint_published: datetime | None = None


@dataclass(frozen=True)
class Article:
    """A page reduced to the article itself: what the matcher sees."""

    url: str
    title: str
    text: str  # body in reading order, paragraphs separated by blank lines
    published: datetime | None = None  # aware, with the page's own UTC offset (its calendar day)
    updated: datetime | None = None
    author: str | None = None  # the authors for display: ", ".join(authors)
    language: str | None = None
    canonical_url: str | None = None
    source: str = ""
    kind: str = "article"  # "article" (a web page) or "post" (a channel or social post, shown whole in alerts)
    links_to: str | None = None  # the page a post shares (its link preview): joins that page's story
    authors: tuple[str, ...] = ()  # the people who wrote it (never an organisation)
    credits: str = ""  # byline and credit lines ("Reporting by …", "Photo: …"), one per line; not in `text`


@dataclass(frozen=True)
class Post:
    """A post read already structured from a channel's web preview or a social feed: it becomes an Article
    without the page cleaner (no boilerplate to remove), through the same guards, matcher and store."""

    url: str  # the post's own address, e.g. https://t.me/NAME/123
    html: str  # the post's text as HTML (links and line breaks kept), or plain text
    source: str = ""  # name of the [[sources]] entry
    channel: str | None = None  # the channel or account as it names itself
    published: datetime | None = None
    forwarded_from: str | None = None  # who the post was forwarded from, as shown
    reply_to: str | None = None  # the message it answers, as shown: "Author: text"
    link_url: str | None = None  # the link preview: the page the post shares
    link_title: str | None = None
    link_description: str | None = None


@dataclass(frozen=True)
class Term:
    """One watched name or phrase with its explicit alternatives."""

    text: str
    aliases: tuple[str, ...] = ()
    exact: bool = False  # exact=True switches transliteration and fuzzy tolerance off


@dataclass(frozen=True)
class Watchlist:
    """A named set of terms and queries, and where its alerts go."""

    name: str
    terms: tuple[Term, ...] = ()
    queries: tuple[str, ...] = ()  # boolean/proximity queries, see monitor/match/query.py
    exclude: tuple[str, ...] = ()  # an article containing any of these never alerts for this list
    notify: tuple[str, ...] = ()  # apprise URLs (secrets already resolved from ${VAR})
    mode: str = "instant"  # "instant" or "digest"
    digest: str | None = None  # "hourly" | "daily 08:00" | "weekly mon 08:00"
    max_per_hour: int | None = None
    notify_config: str | None = None  # absolute path of an apprise config file (YAML or TEXT)
    notify_tags: tuple[str, ...] = ()  # apprise tags selecting services from notify_config
    backfill: float | None = None  # seconds of stored articles matched when a term is added; None = [monitor]'s
    match_credits: bool = False  # bylines and credit lines count as mentions (lists that follow journalists)


@dataclass(frozen=True)
class Hit:
    """One place where a watched term (or query) was found in an article."""

    watchlist: str
    term: str  # the term (or query) as configured
    found: str  # the text exactly as written in the article
    field: str  # "title" or "text"
    start: int  # character offsets into that field
    end: int
    snippet: str  # context around the hit
    reason: str = "exact"  # exact | transliteration | inflection | alias | fuzzy | query


@dataclass(frozen=True)
class Source:
    """One [[sources]] entry: what to fetch and how often."""

    name: str
    url: str
    type: str  # feed | sitemap | listing | page | telegram
    interval: float  # seconds
    urls: tuple[str, ...] = ()  # extra URLs for type = "page"
    article_pattern: str | None = None  # regex narrowing which links on a listing are articles
    backfill: float | None = None  # seconds; None = global default
    enabled: bool = True
    extra: dict[str, object] = field(default_factory=dict, compare=False, hash=False)
