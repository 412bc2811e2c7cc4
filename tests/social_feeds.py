"""Social profile feeds for tests, written from scratch in the shape Mastodon and Bluesky publish them: RSS items
with no title, the post's text in <description> (HTML for Mastodon, plain text for Bluesky), a link to the post."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape

# What a status page of a script-driven profile site holds without JavaScript: no post text at all.
APP_SHELL = ("<!doctype html><html><head><meta charset=utf-8><title>Social</title></head><body><div id=app></div>"
             "<noscript>To use this web application, please enable JavaScript. Alternatively, try one of the "
             "native apps for your platform, which work without a browser and are free to download.</noscript>"
             "<script src='/app.js'></script></body></html>")


def profile_feed(title: str, profile: str, posts: list[tuple[str, str, datetime]], *, html: bool = True) -> str:
    """An RSS feed of (post URL, text, date); html=True sends the text as escaped HTML paragraphs (Mastodon)."""
    items = []
    for url, text, when in posts:
        body = escape(f"<p>{text}</p>") if html else escape(text)
        items.append(f"<item><guid isPermaLink=\"true\">{escape(url)}</guid><link>{escape(url)}</link>"
                     f"<pubDate>{format_datetime(when.astimezone(UTC), usegmt=True)}</pubDate>"
                     f"<description>{body}</description></item>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>{escape(title)}</title><description>Public posts from {escape(title)}</description>"
            f"<link>{escape(profile)}</link>{''.join(items)}</channel></rss>")
