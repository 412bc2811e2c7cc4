"""The CPU-heavy part of handling a page, run in worker processes: clean it and sign it for story grouping."""

from __future__ import annotations

import numpy as np

from monitor.cleaner import clean_page
from monitor.models import Article, RawPage
from monitor.stories import signature


def prepare_page(page: RawPage) -> tuple[Article, np.ndarray | None]:
    """The cleaned article and its MinHash signature (None when too short to group)."""
    article = clean_page(page)
    return article, signature(article.text)
