"""PageSpider: fixed article URLs (Source.url plus Source.urls), fetched as given."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from spiders.base import NewsSpider

if TYPE_CHECKING:
    from collections.abc import AsyncIterator


class PageSpider(NewsSpider):
    """One or more fixed pages, re-fetched each cycle with a conditional GET.

    Unlike feed and sitemap entries, a fixed page has no lastmod to compare, and it is
    watched precisely because it changes (a live blog, a list of detainees): so the stored
    URL set is not consulted, and an unchanged page costs one 304.
    """

    name = "page"

    async def start(self) -> AsyncIterator[Any]:
        """Request every configured URL."""
        for url in self.source_urls():
            request = self.article_request(url, skip_known=False, dont_filter=True)
            if request is not None:
                request.meta["monitor_start"] = True
                yield request
