"""The pieces every shell needs: the <head> with the page's metadata, the body items, furniture blocks.

The failure classes (features) that live inside the body are injected here: hover cards and tooltips behind
linked names, formulas as MathML, the lead paragraph moved out of the body (the shell places it).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Callable
from typing import Any

from furniture import furniture

INLINE_MATH = re.compile(r"\$([^$]+)\$")


def esc(text: str) -> str:
    """HTML-escaped text."""
    return html.escape(text, quote=False)


def attr(text: str) -> str:
    """An HTML-escaped attribute value."""
    return html.escape(text, quote=True)


def slug(text: str) -> str:
    """A URL slug."""
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-")


def pick(article: Any, pool: list[str], n: int, salt: str = "") -> list[str]:
    """n items of a pool, chosen by the article's id (stable between builds)."""
    ranked = sorted(pool, key=lambda s: hashlib.sha256(f"{article.id}{salt}{s}".encode()).hexdigest())
    return ranked[:n]


def fur(article: Any, key: str) -> Any:
    """A furniture string of the article's language."""
    return furniture(article.lang)[key]


# -- <head> -------------------------------------------------------------------------------------------------
def head(article: Any, extra: str = "", title_sep: str = " | ") -> str:
    """<head> with the title, the page's date and author metadata as the article's header asks."""
    site = article.get("site", "News")
    title = article.get("title")
    parts = [
        '<meta charset="utf-8">',
        f"<title>{esc(title)}{esc(title_sep)}{esc(site)}</title>",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta property="og:title" content="{attr(title)}">',
        f'<meta property="og:site_name" content="{attr(site)}">',
    ]
    if article.get("declared", "yes") == "yes":
        parts.append('<meta property="og:type" content="article">')
    meta = article.get("meta", "none")
    published = article.get("published")
    if meta in ("og", "og+ld") and published not in ("", "-"):
        parts.append(f'<meta property="article:published_time" content="{attr(published)}">')
    if article.get("meta_author"):
        parts.append(f'<meta name="author" content="{attr(article.get("meta_author"))}">')
    if meta in ("ld", "og+ld"):
        ld: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": article.get("ld_type", "NewsArticle"),
            "headline": title,
            "datePublished": published,
            "publisher": {"@type": "Organization", "name": site},
        }
        if article.get("modified"):
            ld["dateModified"] = article.get("modified")
        authors = []
        for entry in article.split("ld_author", "|"):
            kind, _, name = entry.partition(":")
            authors.append({"@type": kind.strip(), "name": name.strip()})
        if authors:
            ld["author"] = authors if len(authors) > 1 else authors[0]
        parts.append(f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>')
    parts.append(extra)
    return "<head>\n" + "\n".join(p for p in parts if p) + "\n</head>"


# -- inline text --------------------------------------------------------------------------------------------
CARD_KINDS = ("aria", "hidden-div", "tooltip", "display-none", "popover", "css-only")


def card_markup(kind: str, name: str, text: str) -> str:
    """A linked name followed by its hover card or tooltip, in one of the ways pages hide them."""
    link = f'<a class="person-link" href="/people/{slug(name)}">{esc(name)}</a>'
    if kind == "aria":
        return (
            f'{link}<span class="profile-card" aria-hidden="true"><span class="profile-card__name">{esc(name)}'
            f'</span><span class="profile-card__bio">{esc(text)}</span><span class="profile-card__more">MORE</span></span>'
        )
    if kind == "hidden-div":
        return f'{link}<div class="person-popover" hidden><p>{esc(name)}</p><p>{esc(text)}</p><a href="#">Profile</a></div>'
    if kind == "tooltip":
        return f'<span class="has-tip">{link}<span class="tip" role="tooltip">{esc(text)}</span></span>'
    if kind == "display-none":
        return f'{link}<span class="bio-box" style="display: none">{esc(text)}</span>'
    if kind == "popover":
        return f'{link}<span class="bio" popover>{esc(text)}</span>'
    return f'<span class="nm">{link}</span><span class="nm-role">{esc(text)}</span>'  # shown on hover by CSS


def inline(article: Any, text: str, used: set[str]) -> str:
    """A paragraph's text as HTML: formulas as MathML, linked names with their cards."""
    out = esc(text)
    out = INLINE_MATH.sub(
        lambda m: f'<math alttext="{attr(html.unescape(m.group(1)))}"><mi>{m.group(1)}</mi></math>', out
    )
    cards = [c.partition("=") for c in article.split("cards")]
    for n, (name, _, card) in enumerate(cards):
        name, card = name.strip(), card.strip()
        if name in used or esc(name) not in out:
            continue
        used.add(name)
        kind = CARD_KINDS[(n + len(article.id)) % len(CARD_KINDS)]
        out = out.replace(esc(name), card_markup(kind, name, card), 1)
    return out


# -- body ---------------------------------------------------------------------------------------------------
Style = dict[str, Callable[..., str]]


def default_style() -> Style:
    """Plain semantic markup; shells override what their CMS writes differently."""
    return {
        "p": lambda h: f"<p>{h}</p>",
        "h2": lambda h: f"<h2>{h}</h2>",
        "h3": lambda h: f"<h3>{h}</h3>",
        "quote": lambda h: f"<blockquote><p>{h}</p></blockquote>",
        "list": lambda items: "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>",
        "figure": lambda h: f'<figure><img src="/img/{abs(hash(h)) % 9999}.jpg" alt=""><figcaption>{h}</figcaption></figure>',
        "credit": lambda h: f'<p class="credits">{h}</p>',
        "related": lambda label, h: f'<div class="read-also"><strong>{label}:</strong> <a href="/a/{slug(h)[:30]}">{h}</a></div>',
        "math": lambda tex: f'<math display="block" alttext="{attr(tex)}"><mrow><mi>{esc(tex)}</mi></mrow></math>',
        "slide": lambda h: f'<div class="slide"><figure><img src="/s.jpg" alt=""><figcaption class="slide-caption">{h}</figcaption></figure></div>',
        "factbox": lambda items: '<div class="article-body factbox"><ul>' + "".join(f"<li>{i}</li>" for i in items) + "</ul></div>",
        "live": lambda stamp, heading, h: (
            f'<article class="live-entry"><time>{esc(stamp)}</time>' + (f"<h3>{esc(heading)}</h3>" if heading else "")
            + f'<p>{h}</p><div class="entry-tools"><a href="#">Copy link</a></div></article>'
        ),
    }  # fmt: skip


def body_parts(article: Any, style: Style | None = None) -> tuple[str, str]:
    """(lead HTML when the lead sits outside the body, body HTML) of an article."""
    style = {**default_style(), **(style or {})}
    used: set[str] = set()
    lead = ""
    parts = []
    items = list(article.items)
    if "lead-outside" in article.features:
        first = next(i for i in items if i.kind == "p")
        items.remove(first)
        lead = inline(article, first.text, used)
    for item in items:
        if item.kind in ("p", "h2", "h3", "quote", "credit", "figure", "slide"):
            parts.append(style[item.kind](inline(article, item.text, used)))
        elif item.kind == "list":
            parts.append(style["list"]([inline(article, i, used) for i in item.items]))
        elif item.kind == "related":
            parts.append(style["related"](esc(fur(article, "read_also")), esc(item.text)))
        elif item.kind == "math":
            parts.append(style["math"](item.text))
        elif item.kind == "factbox":
            parts.append(style["factbox"]([esc(i) for i in item.items]))
        elif item.kind == "live":
            parts.append(style["live"](item.items[0], item.items[1], inline(article, item.text, used)))
    return lead, "\n".join(parts)


# -- furniture ------------------------------------------------------------------------------------------------
def menu(article: Any, ul_class: str = "menu", li: bool = True) -> str:
    """The site's section menu."""
    items = fur(article, "menu")
    if li:
        return f'<ul class="{ul_class}">' + "".join(f'<li><a href="/{slug(i)}/">{esc(i)}</a></li>' for i in items) + "</ul>"
    return " ".join(f'<a href="/{slug(i)}/">{esc(i)}</a>' for i in items)


def cookie_banner(article: Any, klass: str = "cookie-banner") -> str:
    """A consent banner."""
    return f'<div class="{klass}"><p>{esc(fur(article, "cookie"))}</p><button>{esc(fur(article, "accept"))}</button></div>'


def related_list(article: Any, label_key: str = "more", n: int = 4, klass: str = "related-posts", tag: str = "h3") -> str:
    """A box of related headlines."""
    heads = pick(article, fur(article, "related"), n, klass)
    links = "".join(f'<li><a href="/a/{slug(h)[:40]}">{esc(h)}</a></li>' for h in heads)
    return f'<div class="{klass}"><{tag}>{esc(fur(article, label_key))}</{tag}><ul>{links}</ul></div>'


def teaser_cards(article: Any, n: int = 3, klass: str = "teaser") -> str:
    """Related stories as cards with a one-line summary each."""
    heads = pick(article, fur(article, "related"), n, "cards")
    cards = "".join(
        f'<div class="{klass}"><a href="/a/{slug(h)[:40]}"><h4>{esc(h)}</h4></a><span class="{klass}-meta">{i + 2} min</span></div>'
        for i, h in enumerate(heads)
    )
    return f'<div class="{klass}s">{cards}</div>'


def share_bar(article: Any, klass: str = "share") -> str:
    """Share buttons."""
    return f'<div class="{klass}">' + "".join(f'<a href="#">{esc(s)}</a>' for s in fur(article, "share")) + "</div>"


def newsletter(article: Any, klass: str = "newsletter") -> str:
    """A newsletter sign-up box."""
    return (
        f'<div class="{klass}"><p>{esc(fur(article, "newsletter"))}</p><form><input type="email">'
        f'<button>{esc(fur(article, "subscribe"))}</button></form></div>'
    )


def footer(article: Any, klass: str = "site-footer", tag: str = "footer") -> str:
    """The site footer."""
    links = " · ".join(f'<a href="/{slug(i)}">{esc(i)}</a>' for i in fur(article, "footer_links"))
    site = esc(article.get("site", "News"))
    return f'<{tag} class="{klass}"><nav>{links}</nav><p>© {site}. {esc(fur(article, "footer"))}</p></{tag}>'


def tags_box(article: Any, klass: str = "tags") -> str:
    """The story's tags."""
    words = pick(article, fur(article, "menu"), 3, "tags")
    return f'<div class="{klass}"><span>{esc(fur(article, "tags"))}:</span> ' + " ".join(
        f'<a href="/tag/{slug(w)}">{esc(w.lower())}</a>' for w in words
    ) + "</div>"


def byline_text(article: Any) -> str:
    """The byline as printed ("" when the page prints none)."""
    value = article.get("byline", "-")
    return "" if value == "-" else value


def date_text(article: Any) -> str:
    """The date as printed ("" when the page prints none)."""
    value = article.get("shown", "-")
    return "" if value == "-" else value


def time_tag(article: Any, klass: str = "date") -> str:
    """The printed date, in <time datetime> when the page's markup carries the date, else plain text."""
    shown = date_text(article)
    if not shown:
        return ""
    if article.get("meta", "none") != "none" and article.get("published") not in ("", "-"):
        return f'<time class="{klass}" datetime="{attr(article.get("published"))}">{esc(shown)}</time>'
    return f'<span class="{klass}">{esc(shown)}</span>'


def swallow(article: Any) -> str:
    """An unclosed element at the top of the page that swallows the rest of it, when the page asks for one."""
    features = article.features
    if "swallow-button" in features:
        return '<button class="menu-toggle" aria-label="Menu"><div class="burger"><div class="burger-lines"></button>'
    if "swallow-aside" in features:
        return f'<aside class="top-banner"><p>{esc(pick(article, fur(article, "related"), 1, "banner")[0])}</p>'
    if "swallow-nav" in features:
        return '<nav class="quick-links"><a href="/">' + esc(fur(article, "menu")[0]) + "</a>"
    return ""


def dek(article: Any, tag: str = "p", klass: str = "standfirst") -> str:
    """The standfirst, when the article has one (not part of the labelled body)."""
    text = article.get("dek")
    return f'<{tag} class="{klass}">{esc(text)}</{tag}>' if text else ""


def document(article: Any, head_html: str, body_html: str, body_class: str = "", html_attrs: str = "") -> str:
    """A whole HTML document."""
    lang = article.lang
    klass = f' class="{body_class}"' if body_class else ""
    return (
        f'<!DOCTYPE html>\n<!-- dev page {article.id}: written for news-monitor\'s cleaner benchmark; not a real site -->\n'
        f'<html lang="{lang}"{html_attrs}>\n{head_html}\n<body{klass}>\n{swallow(article)}\n{body_html}\n</body>\n</html>\n'
    )
