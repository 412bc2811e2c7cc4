"""Post → Article: a channel or social post arrives already structured, so there is no boilerplate to remove.

What pages get all the same: a size bound, the encoding guard (text full of U+FFFD is refused, as in
monitor.clean.encoding), control characters dropped. The post's HTML becomes text with its links resolved
(a link's words keep their address next to them), and the context Telegram shows around a post — forwarded
from, the message it answers, the shared page's title and description — follows the post's own text, so a
watched name in any of them is found. The title is the post's first line, or its first ~100 characters.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from html import unescape
from urllib.parse import urljoin

import lxml.etree
import lxml.html

from monitor.clean.encoding import MAX_REPLACEMENT_SHARE
from monitor.clean.metadata import guess_language
from monitor.errors import PageRejected
from monitor.models import Article, Post

logger = logging.getLogger(__name__)

# Telegram allows 4,096 characters of text in a post (1,024 under a photo); markup and the link preview at
# most double that. Far more is not a post but a hostile page: it is cut here, as pages are cut at max_bytes.
MAX_POST_CHARS = 64 * 1024
TITLE_CHARS = 100
# Elements that end a line of text when they end.
_BLOCKS = frozenset({"p", "div", "blockquote", "li", "ul", "ol", "pre", "h1", "h2", "h3", "h4", "h5", "h6",
                     "table", "tr", "section", "article", "header", "footer", "figure", "figcaption"})
_DROPPED = ("script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas")
# Control characters never belong in text (tabs and newlines are kept and folded below).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_LOOKS_LIKE_ADDRESS = re.compile(r"^(?:https?://)?[\w-]+(?:\.[\w-]+)+(?:[/?#]\S*)?$", re.IGNORECASE)


def post_article(post: Post, *, max_chars: int = MAX_POST_CHARS) -> Article:
    """The Article a post becomes; raises PageRejected for an empty or undecodable post."""
    html = post.html or ""
    if len(html) > max_chars:
        logger.info("post %s is %d characters; reading its first %d", post.url, len(html), max_chars)
        html = html[:max_chars]
    own = html_text(html, post.url)
    shown = html_text(html, post.url, addresses=False)  # as a reader sees it: the title takes no addresses
    context = [line for line in (
        f"Forwarded from {post.forwarded_from}" if post.forwarded_from else "",
        f"In reply to {post.reply_to}" if post.reply_to else "",
        _one_line(post.link_title), _one_line(post.link_description),
    ) if line]
    text = "\n\n".join(part for part in (own, *(_tidy(c) for c in context)) if part)
    if not text.strip():
        raise PageRejected("no_article", "a post without text")
    if text.count("\ufffd") > MAX_REPLACEMENT_SHARE * len(text):
        raise PageRejected("bad_encoding", "the post's text is mostly undecodable characters")
    title = post_title(shown) or _tidy(_one_line(post.link_title)) or f"Post in {post.channel or post.source}"
    return Article(
        url=post.url,
        title=title,
        text=text,
        published=post.published,
        author=_one_line(post.channel) or None,
        language=guess_language(text),
        source=post.source,
        kind="post",
        links_to=post.link_url or None,
    )


def post_title(text: str) -> str:
    """The first line of a post, or its first ~100 characters cut at a word, with "…" when cut."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if len(first) <= TITLE_CHARS:
        return first
    cut = first[:TITLE_CHARS + 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > TITLE_CHARS // 2 else cut[:TITLE_CHARS]).rstrip(" ,;:—-") + "…"


def html_text(html: str, base_url: str = "", *, addresses: bool = True) -> str:
    """A post's HTML as text: line breaks and paragraphs kept, each link's address next to its words (unless
    `addresses` is false: then the words as shown)."""
    if "<" not in html:
        return _tidy(unescape(html))
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return _tidy(html)
    lxml.etree.strip_elements(root, *_DROPPED, lxml.etree.Comment, with_tail=False)
    parts: list[str] = []
    _walk(root, parts, base_url if addresses else None)
    return _tidy("".join(parts))


def _walk(element: lxml.html.HtmlElement, parts: list[str], base_url: str | None) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag == "br":
        parts.append("\n")
    elif tag == "img":
        parts.append(element.get("alt") or "")  # custom emoji and stickers carry their emoji as alt text
    elif tag == "a" and base_url is not None:
        parts.append(_link_text(element, base_url))
    else:
        parts.append(element.text or "")
        for child in element:
            _walk(child, parts, base_url)
            parts.append(child.tail or "")
    if tag in _BLOCKS:
        parts.append("\n")


def _link_text(link: lxml.html.HtmlElement, base_url: str) -> str:
    """A link's words with its address: "the verdict (https://…)"; a shortened address shown in full."""
    words = " ".join(link.text_content().split())
    href = (link.get("href") or "").strip()
    target = urljoin(base_url, href) if href else ""
    if not target.startswith(("http://", "https://")):
        return words  # tg:// links, javascript:, mail addresses
    if not words:
        return target
    if words.startswith(("@", "#", "$")) or "?q=" in href:
        return words  # mentions, hashtags and cashtags: the words say it all
    shown = words.rstrip("…").rstrip(".")
    if _LOOKS_LIKE_ADDRESS.match(words):
        # An address as the link's words, often shortened with "…": the full one is the one to keep.
        return target if shown.split("://")[-1] in target else f"{words} ({target})"
    return f"{words} ({target})"


def _tidy(text: str) -> str:
    """NFC, no control characters, spaces folded, at most one blank line between paragraphs."""
    text = unicodedata.normalize("NFC", _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


__all__ = ["MAX_POST_CHARS", "html_text", "post_article", "post_title"]
