"""What a crawl notices about its source beyond errors, kept as Scrapy stats for the daemon's health checks
(monitor/run/health.py): a source can answer 200 on every request and still deliver nothing.

Stats written by the spiders:
- `monitor/moved_to`: the URL the source's own address permanently redirects (301/308) to;
- `monitor/documents`, `monitor/items`: feeds and sitemaps read, and the entries they listed;
- `monitor/newest_item`: the newest entry date a feed or sitemap gave (ISO 8601, UTC);
- `monitor/listing/pages`, `monitor/listing/candidates`, `monitor/listing/links`: listing pages read, their
  same-site links, and the ones taken as articles;
- `monitor/pages/fetched`, `monitor/pages/rejected`: article pages received, and those skipped (the item
  pipeline adds the pages the cleaner refuses).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scrapy.http import Response

PERMANENT_REDIRECTS = frozenset({301, 308})
# A date further ahead than this is a wrong date, not the newest item.
FUTURE_SLACK = timedelta(days=1)


def permanent_target(response: Response) -> str | None:
    """Where a request ended up through permanent redirects only, counted from the first hop; None when the
    first hop was not a permanent redirect (a temporary one says nothing about the configured URL)."""
    reasons: list[Any] = list(response.meta.get("redirect_reasons", ()))
    hops: list[str] = [*response.meta.get("redirect_urls", ()), response.url]
    target = None
    for index, reason in enumerate(reasons):
        if reason not in PERMANENT_REDIRECTS:
            break
        target = hops[index + 1]
    return target


def newer_item(current: str | None, moment: datetime | None) -> str | None:
    """The newest-item stat after seeing `moment` (ISO text compares as time: all UTC, same format)."""
    if moment is None or moment > datetime.now(UTC) + FUTURE_SLACK:
        return current
    text = moment.astimezone(UTC).isoformat(timespec="seconds")
    return text if current is None or text > current else current
