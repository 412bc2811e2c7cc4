"""Reading a Telegram channel's public web preview (t.me/s/NAME): its posts, and what kind of page it is.

The preview is one HTML page per ~20 posts, newest last. Each post is an element carrying `data-post="NAME/ID"`,
with its date in a `<time datetime>`, its text in a "message_text" block, and, where shown, a "forwarded from"
header, the quoted message it replies to, and a link preview (title, description). A link with `?before=ID`
leads to the older posts. A name without a preview is answered with Telegram's contact page instead (a
"tg://resolve" button; a page title when the name exists), which is how a missing, private or preview-less
channel is told apart from a page whose layout changed.

Classes are matched by the part that names their role ("message_text", "forwarded_from", "link_preview"), not
by their full names, so small renames do not lose posts; a page where no post can be found at all is
reported as an unexpected layout, never taken for an empty channel.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import lxml.etree
import lxml.html

from monitor.models import Post

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from monitor.urls import TelegramChannel

# data-post values: the channel's name and the post's number.
_POST_ID = re.compile(r"^\s*([A-Za-z0-9_]+)/(\d+)\s*$")
_BEFORE = re.compile(r"[?&]before=(\d+)")
_FORWARDED = re.compile(r"^\s*forwarded\s+from\s*:?\s*", re.IGNORECASE)
_TITLE_SUFFIX = re.compile(r"\s*[–—-]\s*Telegram\s*$")
_CONTACT_TITLE = re.compile(r"^\s*Telegram:\s*(?:Contact|View|Join)\b", re.IGNORECASE)
# Parts of a post's bubble that are not its text: used only when no "message_text" block is found.
_NOT_TEXT = ("message_reply", "forwarded_from", "link_preview", "footer", "message_info", "message_meta",
             "views", "author", "owner_name", "user_photo", "bubble_tail", "message_date", "not_supported",
             "inline_keyboard", "reactions", "photo", "video", "voice", "sticker", "roundvideo")
# Other blocks of text a post may carry besides its message: polls and shared documents.
_EXTRA_TEXT = ("poll_question", "poll_option_text", "document_title")
# An empty channel's history holds at most a notice ("No posts here yet"); more text means posts we cannot read.
EMPTY_HISTORY_CHARS = 200


@dataclass(frozen=True)
class ChannelPage:
    """One preview page: its kind, the channel's title, its posts (newest first) and the older page's cursor."""

    kind: str  # "channel" | "missing" | "no_preview" | "unexpected"
    title: str | None = None
    posts: list[Post] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)  # the posts' numbers, in the order of `posts`
    before: int | None = None  # ?before= value of the link to older posts; None at the channel's start
    undated: int = 0  # posts whose date could not be read
    textless_layout: int = 0  # posts whose text was found only by the fallback


def read_channel(text: str, channel: TelegramChannel, source: str = "") -> ChannelPage:
    """Read a preview page's posts; `kind` says what the page is when it holds none."""
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError):
        return ChannelPage("unexpected")
    title = _channel_title(root)
    containers = [(c, m) for c in root.xpath("//*[@data-post]") if (m := _POST_ID.match(c.get("data-post") or ""))
                  and not c.xpath("ancestor::*[@data-post]")]
    if not containers:
        return ChannelPage(_empty_kind(root), title, before=_before(root))
    found: dict[int, Post] = {}
    undated = fallback = 0
    # A post without a text block is a photo or video without caption, unless no post has one: then the
    # layout changed, and each post's text is read from its bubble instead.
    bubbles = not any(_with_class(c, "message_text") for c, _ in containers)
    for container, match in containers:
        if "service_message" in (container.get("class") or ""):
            continue  # "channel created", "photo updated": Telegram's notices, not posts
        post, used_fallback = _post(container, channel.origin, match.group(1), int(match.group(2)), title, source,
                                    bubbles)
        undated += post.published is None
        fallback += used_fallback
        found[int(match.group(2))] = post
    ids = sorted(found, reverse=True)
    return ChannelPage("channel", title, [found[i] for i in ids], ids, _before(root), undated, fallback)


def _post(container: HtmlElement, origin: str, name: str, number: int, channel: str | None,
          source: str, bubbles: bool) -> tuple[Post, bool]:
    """One post container → Post (and whether its text needed the fallback)."""
    reply = _first(container, "message_reply")
    forwarded = _first(container, "forwarded_from")
    preview = _first(container, "link_preview")
    context = [e for e in (reply, forwarded, preview) if e is not None]
    blocks = [e for e in _with_class(container, "message_text") if not _inside(e, context)]
    used_fallback = False
    html = "<br>".join(_html(b) for b in blocks)
    if not blocks and bubbles:
        html = _fallback_html(container)
        used_fallback = bool(html.strip())
    extra = [_text(e) for role in _EXTRA_TEXT for e in _with_class(container, role) if not _inside(e, context)]
    if extra:
        html = "<br>".join([html, *(_escape(t) for t in extra if t)]) if html else "<br>".join(extra)
    owner = _text(_first(container, "owner_name"))
    return Post(
        url=f"{origin}/{name}/{number}",
        html=html,
        source=source,
        channel=channel or owner or name,
        published=_date(container, number, reply),
        forwarded_from=_forwarded_from(forwarded),
        reply_to=_reply_to(reply),
        link_url=_link_url(preview),
        link_title=_text(_first(preview, "preview_title")) or None,
        link_description=_text(_first(preview, "preview_description")) or None,
    ), used_fallback


def _empty_kind(root: HtmlElement) -> str:
    """What a page without posts is: an empty channel, Telegram's contact page (missing or no preview), or
    something else."""
    history = root.xpath("//*[contains(@class, 'channel_history') or contains(@class, 'message_history')]")
    if history:
        # A channel without posts has an empty history; one full of text and dates holds posts we cannot see.
        filled = any(h.xpath(".//time") or len(_text(h)) > EMPTY_HISTORY_CHARS for h in history)
        return "unexpected" if filled else "channel"
    heading = " ".join(" ".join(root.xpath("//title//text()")).split())
    if root.xpath("//a[starts-with(@href, 'tg://resolve')]") or _CONTACT_TITLE.match(heading):
        named = [_text(e) for e in root.xpath("//*[contains(@class, 'page_title')]")]
        return "no_preview" if any(named) else "missing"
    return "unexpected"


def _channel_title(root: HtmlElement) -> str | None:
    for path in ("//*[contains(@class, 'channel_info_header_title')]", "//*[contains(@class, 'header_title')]",
                 "//meta[@property='og:title']/@content", "//title"):
        for found in root.xpath(path):
            text = " ".join((found if isinstance(found, str) else found.text_content()).split())
            text = _TITLE_SUFFIX.sub("", text)
            if text and not _CONTACT_TITLE.match(text):
                return text
    return None


def _before(root: HtmlElement) -> int | None:
    """The ?before= of the page's link to older posts (links inside posts are the posts' own)."""
    outside = "not(ancestor-or-self::*[@data-post])"
    links = root.xpath(f"//a[{outside}]/@href | //link[@rel='prev']/@href")
    values = [int(m.group(1)) for href in links if (m := _BEFORE.search(href))]
    values += [int(v) for v in root.xpath(f"//*[@data-before][{outside}]/@data-before") if str(v).strip().isdigit()]
    return min(values) if values else None


def _date(container: HtmlElement, number: int, reply: HtmlElement | None) -> datetime | None:
    """The post's own date: the <time> in the link to the post itself, else the first outside a quoted reply."""
    times = [t for t in container.xpath(".//time[@datetime]") if reply is None or not _inside(t, [reply])]
    own = [t for t in times if any(re.search(rf"/{number}(?:\D|$)", a.get("href") or "")
                                   for a in t.iterancestors("a"))]
    for element in own + times:
        moment = _parse_date(element.get("datetime") or "")
        if moment is not None:
            return moment
    return None


def _parse_date(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _forwarded_from(element: HtmlElement | None) -> str | None:
    if element is None:
        return None
    # The name is in a "forwarded_from_name" link, sometimes inside a "…_name_wrap" that holds the words too.
    name = _FORWARDED.sub("", _text(_first(element, "forwarded_from_name")) or _text(element))
    return name or None


def _reply_to(element: HtmlElement | None) -> str | None:
    if element is None:
        return None
    author = _text(_first(element, "author"))
    quoted = " ".join(_text(e) for e in _with_class(element, "text")) or _text(element).removeprefix(author)
    quoted = " ".join(quoted.split())
    return ": ".join(p for p in (author, quoted) if p) or None


def _link_url(element: HtmlElement | None) -> str | None:
    if element is None:
        return None
    hrefs = ([element.get("href")] if element.tag == "a" else []) + element.xpath(".//a/@href")
    return next((h.strip() for h in hrefs if h and h.strip().startswith(("http://", "https://"))), None)


def _fallback_html(container: HtmlElement) -> str:
    """The post's bubble without its furniture, for a layout where no "message_text" block is found."""
    copy = lxml.html.fromstring(lxml.html.tostring(container, encoding="unicode"))
    for role in _NOT_TEXT:
        for element in _with_class(copy, role):
            element.drop_tree()
    for element in copy.xpath(".//time | .//script | .//style"):
        element.drop_tree()
    return _html(copy) if _text(copy) else ""


def _with_class(element: HtmlElement, fragment: str) -> list[HtmlElement]:
    return list(element.xpath(f".//*[contains(@class, '{fragment}')]"))


def _first(element: HtmlElement | None, fragment: str) -> HtmlElement | None:
    if element is None:
        return None
    found = _with_class(element, fragment)
    return found[0] if found else None


def _inside(element: HtmlElement, containers: list[HtmlElement]) -> bool:
    return any(element is c or c in element.iterancestors() for c in containers)


def _text(element: HtmlElement | None) -> str:
    return " ".join(element.text_content().split()) if element is not None else ""


def _html(element: HtmlElement) -> str:
    """An element's inner HTML."""
    inner = [_escape(element.text or "")]
    inner += [lxml.html.tostring(child, encoding="unicode", with_tail=True) for child in element]
    return "".join(inner)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
