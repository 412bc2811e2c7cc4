"""The CPU-heavy part of handling a page, run in worker processes: clean it, sign it for story grouping, hash it
and match it, so that the daemon's loop thread only has to store the result.

The cleaner is imported here, inside the function, so the daemon's own process (which only submits pages to
the pool) never loads trafilatura and its friends.

Each pool process keeps a Matcher built from the watchlists of a `MatchSpec`. Every task carries the current
spec (the watchlists pickled once per config, and a digest of their content), so a config reload reaches every
process with the next page it gets; the loop thread matches again the rare article prepared under an older spec
(see ArticleProcessor). A scale-out worker gets the spec with each job, and ships the hits with the article.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import pickle
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from multiprocessing.connection import wait
from typing import TYPE_CHECKING, NamedTuple

from monitor.crawl.fingerprint import PAGE_TEXT_CHARS, visible_text
from monitor.urls import canonical_url

if TYPE_CHECKING:
    import numpy as np

    from monitor.match import Matcher
    from monitor.models import Article, Hit, Post, RawPage, Watchlist


@dataclass(frozen=True)
class MatchSpec:
    """What a pool process needs to match: the watchlists (their terms only) of one config, and their digest."""

    digest: str  # of the watchlists' content: equal specs match alike, whichever process or machine made them
    watchlists: bytes  # pickled, without notification targets: pages travel with it, secrets need not

    @classmethod
    def of(cls, watchlists: Sequence[Watchlist]) -> MatchSpec:
        """The spec of these watchlists; delivery settings (and their secrets) are left out."""
        terms_only = tuple(replace(w, notify=(), notify_config=None, notify_tags=()) for w in watchlists)
        canonical = json.dumps([asdict(w) for w in terms_only], sort_keys=True, ensure_ascii=False, default=str)
        digest = hashlib.sha256(canonical.encode()).hexdigest()[:24]
        return cls(digest, pickle.dumps(terms_only, protocol=pickle.HIGHEST_PROTOCOL))

    def terms_only(self) -> tuple[Watchlist, ...]:
        """The watchlists this spec matches."""
        watchlists: tuple[Watchlist, ...] = pickle.loads(self.watchlists)  # noqa: S301 (made by MatchSpec.of)
        return watchlists


class Prepared(NamedTuple):
    """A page made ready for the store: its article (canonical URLs, source), signature, content hash, hits."""

    article: Article
    signature: np.ndarray | None
    digest: str
    hits: tuple[Hit, ...]
    matched_with: str  # the digest of the MatchSpec the hits come from ("": not matched)


_matcher: tuple[str, Matcher] | None = None  # this process's Matcher and the spec digest it was built for


def prepare_article(page: RawPage | Post, spec: MatchSpec | None, matcher: Matcher | None = None) -> Prepared:
    """Clean, sign, hash and match one page (matcher: use this one for the spec, in the loop's own process)."""
    article, sig = prepare_page(page)
    return finish(article, sig, page.url, page.source, spec, matcher)


def finish(article: Article, sig: np.ndarray | None, page_url: str, source: str, spec: MatchSpec | None,
           matcher: Matcher | None = None) -> Prepared:
    """An article cleaned here or elsewhere, with its canonical URLs, content hash and hits."""
    url = canonical_url(page_url)
    canonical = canonical_url(article.canonical_url) if article.canonical_url else None
    shared = canonical_url(article.links_to) if article.links_to else None  # the page a post shares
    article = replace(article, url=url, canonical_url=canonical, source=source, links_to=shared)
    if spec is None:
        return Prepared(article, sig, content_hash(article), (), "")
    hits = tuple((matcher or matcher_for(spec)).find_hits(article))
    return Prepared(article, sig, content_hash(article), hits, spec.digest)


def matcher_for(spec: MatchSpec) -> Matcher:
    """This process's Matcher for the spec, built again when the watchlists change."""
    global _matcher
    if _matcher is None or _matcher[0] != spec.digest:
        from monitor.match import Matcher

        _matcher = None  # the old one goes before the new one is built: one in memory at a time
        _matcher = (spec.digest, Matcher.build(spec.terms_only()))
    return _matcher[1]


def content_hash(article: Article) -> str:
    """What decides "changed": the cleaned title and text, not the page's markup or ads."""
    return hashlib.sha256(f"{article.title}\n{article.text}".encode()).hexdigest()


def prepare_page(page: RawPage | Post) -> tuple[Article, np.ndarray | None]:
    """The cleaned article and its MinHash signature (None when too short to group).

    A post (a channel's or a social feed's) is already structured: it skips the page cleaner's boilerplate
    removal and goes through the clean stage's post reader, with the same guards. A rejected page's
    PageRejected carries `page_text`, the start of its visible text, so that a wall served instead of every
    article is recognised even when the cleaner refuses it (monitor/crawl/fingerprint.py).
    """
    from monitor.clean import clean_page, post_article
    from monitor.errors import PageRejected
    from monitor.models import Post
    from monitor.store import signature

    if isinstance(page, Post):
        article = post_article(page)
    else:
        try:
            article = clean_page(page)
        except PageRejected as rejected:
            rejected.page_text = visible_text(page.body)[:PAGE_TEXT_CHARS]  # type: ignore[attr-defined]
            raise
    return article, signature(article.text)


def warm_up() -> None:
    """Import what prepare_page needs (run once per pool process, so the first page does not pay for it)."""
    from monitor.clean import clean_page  # noqa: F401
    from monitor.store import signature  # noqa: F401


# How much lower than the daemon's own the cleaning processes' CPU priority is. The daemon's process runs the
# crawl (Scrapy's reactor), matching, storing and alerting; when it wakes it should not wait for a cleaner's
# time slice. With the pool at +5, the end-to-end rate of benchmarks/throughput.py rose from 34 to 39
# articles/s on 2 cores, and CPU per article fell from 52 to 46 ms (alternating runs on one machine).
POOL_NICENESS = 5


def start_pool_process() -> None:
    """Pool initializer: a lower CPU priority (POOL_NICENESS), and an end when the daemon's process ends."""
    os.nice(POOL_NICENESS)
    if hasattr(os, "SCHED_BATCH"):
        # Linux: the scheduler treats these as CPU-bound batch work, which never preempts on waking (another
        # +7% in alternating runs). Refused in some sandboxes; the niceness alone still applies.
        with contextlib.suppress(OSError):
            os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))
    _exit_with_parent()


def _exit_with_parent() -> None:
    """End this process when its parent ends, however it ends.

    A pool worker idles blocked on a lock, so after a `kill -9` or an OOM kill of the daemon (no orderly
    shutdown) it would wait forever, an orphan holding ~60 MB, and one more pair after every such restart
    outside systemd. The parent's sentinel becomes readable when the parent is gone.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
