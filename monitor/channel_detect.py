"""For `add-source`: Telegram channels and social profiles (Mastodon, Bluesky), and what the monitor takes from them.

A Telegram channel is recognised by its address (t.me/NAME, t.me/s/NAME) or, on any other host, by its page:
message containers with data-post ids. Its preview shows the newest posts as the daemon will read them.

A social profile is read through the feed it publishes. Mastodon (and the servers that speak its paths) serves
https://HOST/@user.rss for https://HOST/@user, on any host; Bluesky serves https://bsky.app/profile/HANDLE/rss.
A profile is recognised by that path shape and kept only when the feed answers as one; a profile page that
announces its feed with <link rel="alternate"> is found by the ordinary feed discovery as well.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from monitor.errors import MonitorError, PageRejected
from monitor.models import Post
from monitor.urls import TELEGRAM_HOSTS, TelegramChannel, telegram_channel, telegram_url_problem

if TYPE_CHECKING:
    from collections.abc import Sequence

    from monitor.config import MonitorSettings
    from monitor.source_detect import Detection, Fetched, Sample

SAMPLES = 5
_MASTODON_PROFILE = re.compile(r"^/@(?P<user>[A-Za-z0-9_]+)(?:@(?P<host>[A-Za-z0-9.-]+\.[A-Za-z]{2,}))?/?$")
_MASTODON_USERS = re.compile(r"^/users/(?P<user>[A-Za-z0-9_]+)/?$")
_BLUESKY_PROFILE = re.compile(r"^/profile/(?P<handle>[A-Za-z0-9._:-]+)/?$")


def is_telegram_address(url: str) -> bool:
    """Whether the URL is on t.me itself: a channel, or an invite or post link to refuse clearly, unfetched."""
    try:
        return (urlsplit(url).hostname or "").lower().rstrip(".") in TELEGRAM_HOSTS
    except ValueError:
        return False


def looks_like_channel_page(page: Fetched) -> bool:
    """Whether a fetched page is a Telegram channel's web preview (on a mirror or a test server)."""
    return b"data-post=" in page.body and telegram_channel(page.url) is not None


def preview_channel(url: str, settings: MonitorSettings) -> Detection:
    """Read the channel's newest preview page as the TelegramSpider does; a clear error when it has none."""
    from monitor.source_detect import fetch

    channel = telegram_channel(url)
    if channel is None:
        raise MonitorError(f"{url}: {telegram_url_problem(url)}")
    try:
        page = fetch(channel.preview_url, settings)
    except MonitorError as exc:
        if "HTTP 404" in str(exc) or "HTTP 410" in str(exc):
            raise MonitorError(f"{channel.address}: no such public Telegram channel") from None
        raise
    return channel_detection(channel, page)


def channel_detection(channel: TelegramChannel, page: Fetched) -> Detection:
    """The Detection for a fetched preview page: its newest posts, titled as the daemon will title them."""
    from monitor.clean import decode_html, post_article
    from monitor.source_detect import Detection, Sample
    from spiders import read_channel

    content_type = page.content_type or ""
    charset = content_type.partition("charset=")[2].split(";")[0].strip() or None
    try:
        read = read_channel(decode_html(page.body, charset), channel, "add-source")
    except PageRejected as exc:
        raise MonitorError(f"{page.url}: cannot read the channel's page: {exc}") from None
    name = f"Telegram channel @{channel.name}"
    if read.kind == "missing":
        raise MonitorError(f"{channel.address}: no such public Telegram channel")
    if read.kind == "no_preview":
        raise MonitorError(f"{channel.address}: this name has no public web preview (a private channel, a group, a "
                           "person or a bot, or a channel that switched its preview off); the monitor cannot read it")
    if read.kind == "unexpected":
        raise MonitorError(f"{page.url}: does not look like a Telegram channel's preview (no posts found)")
    samples = [Sample(post.url, _title(post), post.published) for post in read.posts[:SAMPLES]]
    how = f"{name} “{read.title}”" if read.title else name
    notes = [] if read.posts else ["the channel has no posts yet"]
    return Detection("telegram", channel.address, f"{how}, read through its public web preview", len(read.posts),
                     samples, notes)


def profile_feeds(url: str) -> list[tuple[str, str]]:
    """(feed URL, what it is) for a social profile's address, by its path shape; [] for other URLs."""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    if match := _MASTODON_PROFILE.match(parts.path) or _MASTODON_USERS.match(parts.path):
        user, home = match.group("user"), match.groupdict().get("host")
        if home:  # @user@other.host: a remote account's posts are published by its own server
            return [(f"https://{home}/@{user}.rss", f"Mastodon profile @{user}@{home}")]
        return [(f"{origin}/@{user}.rss", f"Mastodon profile @{user}@{parts.hostname}")]
    if match := _BLUESKY_PROFILE.match(parts.path):
        handle = match.group("handle")
        return [(f"{origin}/profile/{handle}/rss", f"Bluesky profile {handle}")]
    return []


def detect_profile(url: str, settings: MonitorSettings, max_items: int) -> Detection | None:
    """The feed of a social profile URL, when its path says it is one and the feed answers; else None."""
    from monitor.source_detect import fetch, preview_feed

    for feed_url, what in profile_feeds(url):
        try:
            found = preview_feed(fetch(feed_url, settings), max_items)
        except MonitorError:
            continue
        if found is not None:
            return replace(found, how=f"{what}: its feed, {found.how}")
    return None


def post_samples(entries: Sequence[Any]) -> list[Sample]:
    """Samples of a feed of posts (feed entries with link, content, lastmod), titled as the daemon titles posts."""
    from monitor.source_detect import Sample

    return [Sample(e.link, _title(Post(url=e.link, html=e.content or "")), e.lastmod)
            for e in entries[:SAMPLES] if e.link]


def _title(post: Post) -> str | None:
    from monitor.clean import post_article

    try:
        return post_article(post).title
    except PageRejected:
        return None
