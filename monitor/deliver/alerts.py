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


def _snippets(payload: dict[str, Any], term: str) -> list[dict[str, Any]]:
    seen: list[str] = []
    chosen = []
    for hit in payload.get("hits", []):
        if hit["term"] == term and hit["snippet"] not in seen:
            seen.append(hit["snippet"])
            chosen.append(hit)
        if len(chosen) == SNIPPETS_PER_TERM:
            break
    return chosen


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
    return {
        "title": " ".join((article.get("title") or "(untitled)").split()),
        "url": article["url"], "source": article.get("source") or "", "published": article.get("published"),
        "authors": article.get("authors") or [],
        "also_reported_by": payload.get("also_reported_by") or [], "meta": _meta_line(payload),
        "names": [{"term": term, "spellings": spellings,
                   "snippets": [_split_snippet(h) for h in _snippets(payload, term)]}
                  for term, spellings in names_found(payload)],
    }


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


def subject_for(payload: dict[str, Any], templates: str | None = None) -> str:
    """E-mail subject / chat title: the people found and the headline."""
    subject = " ".join(_render_one("subject.txt.j2", context(payload), templates).split())
    return subject if len(subject) <= SUBJECT_MAX else subject[: SUBJECT_MAX - 1].rstrip() + "…"


def render_text(payload: dict[str, Any], templates: str | None = None) -> str:
    """Plain-text body."""
    return _render_one("alert.txt.j2", context(payload), templates).strip() + "\n"


def render_markdown(payload: dict[str, Any], templates: str | None = None) -> str:
    """Compact Markdown body for chat services, cut to fit the strictest common limit."""
    text = _render_one("alert.md.j2", context(payload), templates).strip()
    if len(text) > CHAT_MAX:
        text = text[: CHAT_MAX - 60].rsplit("\n", 1)[0] + "\n… (cut to fit the chat service; full alert by e-mail)"
    return text


def render_html(payload: dict[str, Any], templates: str | None = None) -> str:
    """HTML body for e-mail (apprise adds the plain-text alternative part)."""
    return _render_one("alert.html.j2", context(payload), templates)


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
