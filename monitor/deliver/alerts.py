"""Alert payloads → messages people read: who was named, where, when, and in what context.

Pure functions over Jinja2 templates (monitor/deliver/templates/, which users can override file by file), so
every format is easy to test. Article text is untrusted: it is escaped in
each format (HTML entities for email, Markdown control characters for chat).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

import jinja2

SUBJECT_MAX = 160
SNIPPETS_PER_TERM = 2
# Two passages sharing this share of the shorter one's words say the same thing: quote only the first.
SAME_PASSAGE = 0.8
_WORD = re.compile(r"\w+")
CHAT_MAX = 3500  # under Telegram's 4,096 and Discord's 4,000 characters, with room for the title
# Characters that format inline in CommonMark and chat dialects; `-`, `.` and `+` only matter at the
# start of a line, which escaped text never is, and escaping them everywhere makes chat messages ugly.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


@dataclass(frozen=True)
class Message:
    """One rendered alert: a title plus the body in the three formats apprise services take."""

    title: str
    text: str
    markdown: str
    html: str


def escape_markdown(text: str) -> str:
    """Escape Markdown control characters so article text renders as text in chat."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def names_found(payload: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """(term, [spellings as written]) for the terms this alert is about, in first-seen order."""
    wanted = payload.get("new_terms") or []
    spellings: dict[str, list[str]] = {t: [] for t in wanted}
    for hit in payload.get("hits", []):
        found = " ".join(hit["found"].split())
        if hit["term"] in spellings and found not in spellings[hit["term"]]:
            spellings[hit["term"]].append(found)
    return [(t, s) for t, s in spellings.items()]


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.casefold()))


def _says_the_same(passage: set[str], other: set[str]) -> bool:
    """Most words of the shorter passage are in the other one: a repeated lead, an overlapping snippet."""
    shorter = min(len(passage), len(other))
    return shorter > 0 and len(passage & other) >= SAME_PASSAGE * shorter


def _snippets(payload: dict[str, Any], term: str) -> list[dict[str, Any]]:
    """The passages to quote for `term`: from the article text, each saying something new.

    A hit in the title is not quoted: the headline stands above the quotes already (`in_headline` says so).
    """
    chosen: list[dict[str, Any]] = []
    quoted: list[set[str]] = []
    for hit in payload.get("hits", []):
        if hit["term"] != term or hit.get("field") == "title":
            continue
        words = _words(hit["snippet"])
        if any(_says_the_same(words, earlier) for earlier in quoted):
            continue
        chosen.append(hit)
        quoted.append(words)
        if len(chosen) == SNIPPETS_PER_TERM:
            break
    return chosen


def _in_headline(payload: dict[str, Any], term: str) -> bool:
    return any(hit["term"] == term and hit.get("field") == "title" for hit in payload.get("hits", []))


def published_text(value: str | None) -> str:
    """A stored publication time as the page gave it: "2025-12-03 22:00 UTC-08:00" (its own day and offset)."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value[:16].replace("T", " ")
    offset = moment.strftime("%z")  # "" for a naive time, "+0000" for UTC
    zone = "UTC" if offset in ("", "+0000") else f"UTC{offset[:3]}:{offset[3:]}"
    return f"{moment:%Y-%m-%d %H:%M} {zone}"


def _meta_line(payload: dict[str, Any]) -> str:
    article = payload["article"]
    authors = article.get("authors") or []
    parts = [article.get("source") or "", published_text(article.get("published")),
             f"by {', '.join(authors)}" if authors else ""]
    extra = payload.get("also_reported_by") or []
    line = " · ".join(p for p in parts if p)
    return line + (f" · also reported by: {', '.join(extra)}" if extra else "")


def _split_snippet(hit: dict[str, Any]) -> dict[str, str]:
    snippet, found = hit["snippet"], " ".join(hit["found"].split())
    index = snippet.find(found) if found else -1
    if index < 0:
        return {"before": snippet, "found": "", "after": "", "reason": hit["reason"]}
    return {"before": snippet[:index], "found": found, "after": snippet[index + len(found):], "reason": hit["reason"]}


def context(payload: dict[str, Any]) -> dict[str, Any]:
    """The variables templates see (documented in monitor/deliver/templates/README.md)."""
    article = payload["article"]
    variables = {
        "title": " ".join((article.get("title") or "(untitled)").split()),
        "url": article["url"], "source": article.get("source") or "", "published": article.get("published"),
        "authors": article.get("authors") or [],
        "also_reported_by": payload.get("also_reported_by") or [], "meta": _meta_line(payload),
        "names": [{"term": term, "spellings": spellings, "in_headline": _in_headline(payload, term),
                   "snippets": [_split_snippet(h) for h in _snippets(payload, term)]}
                  for term, spellings in names_found(payload)],
    }
    if _is_post(payload):
        variables.update(post_context(payload))
    return variables


def _is_post(payload: dict[str, Any]) -> bool:
    return payload["article"].get("kind") == "post" and "text" in payload["article"]


def post_context(payload: dict[str, Any]) -> dict[str, Any]:
    """What a post's alert shows: the channel, the post's date, and its whole text with the names marked."""
    article = payload["article"]
    parts = marked_parts(article["text"], payload.get("hits", []))
    return {"channel": article.get("author") or article.get("source") or "",
            "date": published_text(article.get("published")), "text_parts": parts, "text_lines": _lines(parts)}


def _lines(parts: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The marked parts cut at line breaks: one list of parts per line of the post (an e-mail's HTML shows a
    line per <div>, and so does the plain-text part apprise derives from it)."""
    lines: list[list[dict[str, Any]]] = [[]]
    for part in parts:
        for n, piece in enumerate(part["text"].split("\n")):
            if n:
                lines.append([])
            if piece:
                lines[-1].append({"text": piece, "mark": part["mark"]})
    return lines


def marked_parts(text: str, hits: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The text cut into parts, `mark` true on the passages where a name was found (overlaps merged). A hit
    whose offsets do not hold its words (another copy's, merged into one story's feed entry) marks nothing."""
    spans = sorted((h["start"], h["end"]) for h in hits
                   if h.get("field") == "text" and 0 <= h.get("start", -1) < h.get("end", -1) <= len(text)
                   and " ".join(text[h["start"]:h["end"]].split()) == " ".join(str(h.get("found", "")).split()))
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts, position = [], 0
    for start, end in merged:
        if start > position:
            parts.append({"text": text[position:start], "mark": False})
        parts.append({"text": text[start:end], "mark": True})
        position = end
    if position < len(text):
        parts.append({"text": text[position:], "mark": False})
    return parts


@lru_cache(maxsize=8)
def _environment(folder: str | None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = [jinja2.PackageLoader("monitor.deliver", "templates")]
    if folder:  # the user's copies win over the built-in templates
        loaders.insert(0, jinja2.FileSystemLoader(folder))
    env = jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), undefined=jinja2.StrictUndefined,
                             autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default=False),
                             keep_trailing_newline=True)
    env.filters["md"] = escape_markdown
    return env


def _render_one(name: str, variables: dict[str, Any], folder: str | None) -> str:
    return _environment(folder).get_template(name).render(**variables)


def _template(payload: dict[str, Any], extension: str) -> str:
    """alert.<ext>.j2 for a web page's alert, post.<ext>.j2 for a channel or social post's."""
    return f"{'post' if _is_post(payload) else 'alert'}.{extension}.j2"


def subject_for(payload: dict[str, Any], templates: str | None = None) -> str:
    """E-mail subject / chat title: the people found and the headline."""
    subject = " ".join(_render_one("subject.txt.j2", context(payload), templates).split())
    return subject if len(subject) <= SUBJECT_MAX else subject[: SUBJECT_MAX - 1].rstrip() + "…"


def render_text(payload: dict[str, Any], templates: str | None = None) -> str:
    """Plain-text body."""
    return _render_one(_template(payload, "txt"), context(payload), templates).strip() + "\n"


def render_markdown(payload: dict[str, Any], templates: str | None = None) -> str:
    """Compact Markdown body for chat services, cut to fit the strictest common limit."""
    text = _render_one(_template(payload, "md"), context(payload), templates).strip()
    if len(text) > CHAT_MAX:
        text = text[: CHAT_MAX - 60].rsplit("\n", 1)[0] + "\n… (cut to fit the chat service; full alert by e-mail)"
    return text


def render_html(payload: dict[str, Any], templates: str | None = None) -> str:
    """HTML body for e-mail; apprise derives the plain-text part from it (see alert.html.j2 for how)."""
    return _render_one(_template(payload, "html"), context(payload), templates)


def render(payload: dict[str, Any], templates: str | None = None) -> Message:
    """All formats of one alert."""
    return Message(subject_for(payload, templates), render_text(payload, templates),
                   render_markdown(payload, templates), render_html(payload, templates))


def render_digest(watchlist: str, payloads: Sequence[dict[str, Any]], templates: str | None = None) -> Message:
    """One message for many alerts (digest mode, or instant alerts folded by the rate limit)."""
    names: list[str] = []
    for payload in payloads:
        for term, _ in names_found(payload):
            if term not in names:
                names.append(term)
    title = f"{watchlist} digest: {len(payloads)} stor{'y' if len(payloads) == 1 else 'ies'} — {', '.join(names)}"
    if len(title) > SUBJECT_MAX:
        title = title[: SUBJECT_MAX - 1] + "…"
    return Message(
        title,
        "\n\n".join(render_text(p, templates) for p in payloads),
        "\n\n".join(render_markdown(p, templates) for p in payloads),
        "<hr>\n".join(render_html(p, templates) for p in payloads),
    )
