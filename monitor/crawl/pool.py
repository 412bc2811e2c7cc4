"""The CPU-heavy part of handling a page, run in worker processes: clean it and sign it for story grouping.

The cleaner is imported here, inside the function, so the daemon's own process (which only submits pages to
the pool) never loads trafilatura and its friends.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from multiprocessing.connection import wait
from typing import TYPE_CHECKING

from monitor.crawl.fingerprint import PAGE_TEXT_CHARS, visible_text

if TYPE_CHECKING:
    import numpy as np

    from monitor.models import Article, Post, RawPage


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
