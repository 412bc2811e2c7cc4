"""TelegramSpider: a public Telegram channel read through its web preview (t.me/s/NAME); no account, no API key.

Each post becomes a `Post` item (https://t.me/NAME/ID), which the clean stage turns into an article without the
page cleaner. The newest page (~20 posts) is read on every run, so an edited post is seen and stored as an
update (its content hash changes). Older pages (`?before=ID`) are fetched only until the newest post of the
last complete run is reached (the source's cursor), or, on the first run, until posts are older than
`backfill`; after an outage, until they are older than `max_age`, since older posts could not alert anyway.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from scrapy import Request
from w3lib.encoding import http_content_type_encoding

from monitor.clean import decode_html
from monitor.errors import PageRejected
from monitor.urls import telegram_channel
from spiders.base import NOT_MODIFIED, NewsSpider
from spiders.telegram_page import ChannelPage, read_channel

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

    from scrapy.http import Response

    from monitor.models import Post

logger = logging.getLogger(__name__)

# Used when the crawl's settings do not say (a spider built outside the daemon): the config's defaults.
DEFAULT_BACKFILL = 86400.0
DEFAULT_MAX_AGE = 7 * 86400.0
# The preview answers these for a name it does not know (t.me itself redirects to a contact page instead).
MISSING_STATUSES = (404, 410)


class TelegramSpider(NewsSpider):
    """A public channel's web preview: yields its posts, newest page first, then older pages as needed."""

    name = "telegram"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        channel = telegram_channel(self.source.url)
        if channel is None:  # the config loader refuses such a URL; a hand-made Source may still carry one
            raise ValueError(f"{self.source.url} is not a public Telegram channel's address")
        self.channel = channel
        cursor = self.state.cursor(self.source.url)
        self.last_seen = int(cursor) if cursor and cursor.isdigit() else None
        self.posts_read = 0

    @property
    def window(self) -> float:
        """How old the posts may be before paging back stops (seconds)."""
        settings = getattr(self, "settings", None)
        if self.last_seen is None:  # first run: the backlog within backfill, as for any source
            if self.source.backfill is not None:
                return self.source.backfill
            return settings.getfloat("MONITOR_BACKFILL", DEFAULT_BACKFILL) if settings else DEFAULT_BACKFILL
        return settings.getfloat("MONITOR_MAX_AGE", DEFAULT_MAX_AGE) if settings else DEFAULT_MAX_AGE

    async def start(self) -> AsyncIterator[Any]:
        """Fetch the newest page of the channel's preview."""
        request = self.conditional_request(self.channel.preview_url, self.parse, dont_filter=True)
        if request is not None:
            request.meta["monitor_start"] = True
            request.meta["handle_httpstatus_list"] = [NOT_MODIFIED, *MISSING_STATUSES]
            yield request

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Post | Request]:
        """Read one preview page: yield its posts, and request the older page when it is still needed."""
        newest_page = response.meta.get("monitor_start", False)
        if response.status in MISSING_STATUSES:
            if newest_page:
                self.count("monitor/start_ok")  # the server answered; the channel is what is missing
            self.fail_source("channel_missing", f"Telegram @{self.channel.name}: no such public channel "
                             f"({response.url} answered HTTP {response.status})")
            return
        if newest_page and not self.accept(response):
            return  # 304: nothing new on the newest page
        page = self.read(response)
        if page is None:
            return
        if not self.check(page, response.url):
            return
        if newest_page and page.ids:
            self.state.advance_cursor(self.source.url, str(max(max(page.ids), self.last_seen or 0)))
        room = max(0, self.max_items - self.posts_read)
        self.log_cap(self.posts_read + len(page.posts), response.url)
        yield from page.posts[:room]
        self.posts_read += min(room, len(page.posts))
        self.count("monitor/telegram/posts", len(page.posts))
        older = self.older_page(page)
        if older is not None:
            yield older

    def read(self, response: Response) -> ChannelPage | None:
        """The page's posts, after the size and encoding guards every page passes (None: rejected)."""
        if not self.passes_guards(response):
            self.set_source_error(f"Telegram @{self.channel.name}: the preview page at {response.url} is empty, "
                                  "too large or not HTML")
            return None
        content_type = response.headers.get("Content-Type")
        charset = http_content_type_encoding(content_type.decode("latin-1")) if content_type else None
        try:
            text = decode_html(response.body, charset)
        except PageRejected as exc:
            self.reject(exc.reason, response.url, exc.detail)
            self.set_source_error(f"Telegram @{self.channel.name}: {exc}")
            return None
        return read_channel(text, self.channel, self.source.name)

    def check(self, page: ChannelPage, url: str) -> bool:
        """Whether the page is a readable channel page; otherwise the run records why the channel is not."""
        name = f"Telegram @{self.channel.name}"
        if page.kind == "missing":
            self.fail_source("channel_missing", f"{name}: no such public channel ({url})")
        elif page.kind == "no_preview":
            self.fail_source("channel_no_preview", f"{name}: no public preview (the channel is private, is a "
                             "group, person or bot, or has its web preview switched off)")
        elif page.kind == "unexpected" or (page.posts and all(_blank(p) for p in page.posts)):
            self.fail_source("telegram_layout", f"{name}: the preview page at {url} has an unexpected layout "
                             "(no readable posts); Telegram may have changed it")
        else:
            if page.undated:
                logger.warning("%s: %s: %d posts without a readable date", self.source.name, url, page.undated)
                self.count("monitor/telegram/undated", page.undated)
            if page.textless_layout:
                logger.warning("%s: %s: %d posts had no text block; read their bubble instead", self.source.name,
                               url, page.textless_layout)
            logger.info("%s: %d posts on %s", self.source.name, len(page.posts), url)
            return True
        return False

    def older_page(self, page: ChannelPage) -> Request | None:
        """The request for the page before this one, or None when the run has read far enough."""
        if not page.ids or page.before is None or self.posts_read >= self.max_items:
            return None
        oldest = min(page.ids)
        if self.last_seen is not None and oldest <= self.last_seen + 1:
            return None  # reached what the last complete run read
        dates = [p.published for p in page.posts if p.published is not None]
        if not dates:
            return None  # without dates the window cannot be judged: the newest page must do
        if min(dates) < datetime.now(UTC) - timedelta(seconds=self.window):
            return None
        # The page's own "older" link, as a browser follows it; never one that would return this page again.
        before = page.before if page.before <= oldest else oldest
        url = f"{self.channel.preview_url}?before={before}"
        self.count("monitor/telegram/older_pages")
        # Not a conditional request: each older page is read once, and its validators would only pile up.
        return Request(url, callback=self.parse, errback=self.on_error, dont_filter=True, meta={"monitor_url": url})


def _blank(post: Post) -> bool:
    """A post of which nothing could be read: no text, no date, no link preview."""
    return not post.html.strip() and post.published is None and not post.link_title
