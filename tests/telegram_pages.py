"""Telegram channel preview pages for tests, written from scratch in the structure of t.me/s/NAME.

    page = channel_page("viasna_test", "Viasna (test)", [
        ChannelPost(101, "Court in Minsk: <b>Maria Kalesnikava</b> ...", when),
        ChannelPost(102, "...", when, forwarded_from="Belsat", preview=LinkPreview(url, "Site", "Title", "Desc")),
    ], before=101)
    site.add_page("/s/viasna_test", page)

A page lists its posts oldest first (as the preview does), each in a container with data-post="NAME/ID",
its date in <time datetime>, its text in a message_text block, and optional forwarded header, quoted reply
and link preview. A "load older" link (?before=ID) is added when `before` is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape


@dataclass(frozen=True)
class LinkPreview:
    """The card Telegram shows under a post that shares a page."""

    url: str
    site: str
    title: str
    description: str


@dataclass(frozen=True)
class ChannelPost:
    """One post: `text` is HTML (links, <br>, <b>) as the preview renders it."""

    id: int
    text: str
    date: datetime | None
    forwarded_from: str | None = None
    reply: tuple[str, str] | None = None  # (author, quoted text)
    preview: LinkPreview | None = None
    edited: bool = False


def _post_html(name: str, title: str, post: ChannelPost) -> str:
    parts = [f'<div class="tgme_widget_message_wrap js-widget_message_wrap">'
             f'<div class="tgme_widget_message text_not_supported_wrap js-widget_message" data-post="{name}/{post.id}" '
             f'data-view="eyJjIjotMTAwfQ">',
             f'<div class="tgme_widget_message_user"><a href="https://t.me/{name}">'
             f'<i class="tgme_widget_message_user_photo bgcolor1" data-content="V"></i></a></div>',
             '<div class="tgme_widget_message_bubble"><i class="tgme_widget_message_bubble_tail">'
             '<svg class="bubble_icon" width="9px" height="20px" viewBox="0 0 9 20"></svg></i>',
             f'<div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" '
             f'href="https://t.me/{name}"><span dir="auto">{escape(title)}</span></a></div>']
    if post.forwarded_from:
        parts.append(f'<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from <a '
                     f'class="tgme_widget_message_forwarded_from_name" href="https://t.me/other/1">'
                     f'<span dir="auto">{escape(post.forwarded_from)}</span></a></div>')
    if post.reply:
        author, quoted = post.reply
        parts.append(f'<a class="tgme_widget_message_reply" href="https://t.me/{name}/{post.id - 1}">'
                     f'<div class="tgme_widget_message_author accent_color">'
                     f'<span class="tgme_widget_message_author_name" dir="auto">{escape(author)}</span></div>'
                     f'<div class="tgme_widget_message_text js-message_reply_text" dir="auto">{escape(quoted)}</div>'
                     f'</a>')
    if post.text:
        parts.append(f'<div class="tgme_widget_message_text js-message_text" dir="auto">{post.text}</div>')
    if post.preview:
        p = post.preview
        parts.append(f'<a class="tgme_widget_message_link_preview" href="{escape(p.url)}">'
                     f'<div class="link_preview_site_name accent_color" dir="auto">{escape(p.site)}</div>'
                     f'<div class="link_preview_title" dir="auto">{escape(p.title)}</div>'
                     f'<div class="link_preview_description" dir="auto">{escape(p.description)}</div></a>')
    date = ""
    if post.date is not None:
        date = (f'<a class="tgme_widget_message_date" href="https://t.me/{name}/{post.id}"><time '
                f'datetime="{post.date.isoformat()}" class="time">{post.date:%H:%M}</time></a>')
    edited = "edited " if post.edited else ""
    parts.append(f'<div class="tgme_widget_message_footer compact js-message_footer"><div '
                 f'class="tgme_widget_message_info short js-message_info"><span class="tgme_widget_message_views">'
                 f'1.2K</span><span class="copyonly"> views</span><span class="tgme_widget_message_meta">{edited}{date}'
                 f'</span></div></div></div></div></div>')
    return "".join(parts)


def channel_page(name: str, title: str, posts: list[ChannelPost], *, before: int | None = None,
                 description: str = "Human-rights news") -> str:
    """A preview page of `posts` (shown oldest first), with a link to older posts when `before` is given."""
    more = (f'<a href="/s/{name}?before={before}" class="tme_messages_more js-messages_more" '
            f'data-before="{before}"></a>') if before is not None else ""
    body = "".join(_post_html(name, title, p) for p in sorted(posts, key=lambda p: p.id))
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(title)} – Telegram</title>'
        f'<meta property="og:title" content="{escape(title)}"><meta property="og:description" '
        f'content="{escape(description)}"><link rel="canonical" href="https://t.me/s/{name}"></head>'
        f'<body class="widget_frame_base tgme_webpreview_page"><header class="tgme_header search_collapsed">'
        f'<div class="tgme_header_info"><div class="tgme_header_title"><span dir="auto">{escape(title)}</span></div>'
        f'</div></header><main class="tgme_main"><div class="tgme_container">'
        f'<section class="tgme_channel_history js-message_history">{more}{body}</section>'
        f'</div></main></body></html>'
    )


def contact_page(name: str, title: str | None = None) -> str:
    """The page t.me shows instead of a preview: a name's contact card (with a title when the name exists)."""
    card = (f'<div class="tgme_page_title" dir="auto"><span dir="auto">{escape(title)}</span></div>'
            f'<div class="tgme_page_extra">1 234 subscribers</div>') if title else ""
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Telegram: Contact @{name}</title>'
        f'<meta property="og:title" content="Telegram: Contact @{name}"></head><body class="no_transition">'
        f'<div class="tgme_page_wrap"><div class="tgme_body_wrap"><div class="tgme_page">{card}'
        f'<div class="tgme_page_action"><a class="tgme_action_button_new shine" href="tg://resolve?domain={name}">'
        f'View in Telegram</a></div><div class="tgme_page_description">If you have <strong>Telegram</strong>, you '
        f'can contact <a class="tgme_username_link" href="tg://resolve?domain={name}">@{name}</a> right away.</div>'
        f'</div></div></div></body></html>'
    )


def serve_channel(site: object, name: str, title: str, posts: list[ChannelPost], *, per_page: int = 20) -> list[str]:
    """Serve `posts` as the preview does on a NewsSite: /s/NAME holds the newest `per_page`, each older page is
    /s/NAME?before=ID (ID: the oldest post of the page after it). Returns the paths served, newest first."""
    ordered = sorted(posts, key=lambda p: p.id, reverse=True)
    pages = [ordered[i:i + per_page] for i in range(0, len(ordered), per_page)] or [[]]
    paths, path = [], f"/s/{name}"
    for number, chunk in enumerate(pages):
        older = number + 1 < len(pages)
        before = min(p.id for p in chunk) if chunk and older else None
        site.add_page(path, channel_page(name, title, chunk, before=before))  # type: ignore[attr-defined]
        paths.append(path)
        if before is not None:
            path = f"/s/{name}?before={before}"
    return paths
