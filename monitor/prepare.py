"""The CPU-heavy part of handling a page, run in worker processes: clean it and sign it for story grouping.

The cleaner is imported here, inside the function, so the daemon's own process (which only submits pages to
the pool) never loads trafilatura and its friends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from monitor.models import Article, RawPage


def prepare_page(page: RawPage) -> tuple[Article, np.ndarray | None]:
    """The cleaned article and its MinHash signature (None when too short to group)."""
    from monitor.cleaner import clean_page
    from monitor.signature import signature

    article = clean_page(page)
    return article, signature(article.text)


def warm_up() -> None:
    """Import what prepare_page needs (run once per pool process, so the first page does not pay for it)."""
    import monitor.cleaner  # noqa: F401
    import monitor.signature  # noqa: F401
