"""Alert payloads → messages people read: who was named, where, when, and in what context.

Pure functions (no I/O), so every format is easy to test. Article text is untrusted: it is escaped in
each format (HTML entities for email, Markdown control characters for chat).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

SUBJECT_MAX = 160
SNIPPETS_PER_TERM = 2
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


def subject_for(payload: dict[str, Any]) -> str:
    """E-mail subject / chat title: the people found and the headline."""
    names = ", ".join(term for term, _ in names_found(payload))
    title = " ".join((payload["article"].get("title") or "(untitled)").split())
    subject = f"{names}: {title}"
    return subject if len(subject) <= SUBJECT_MAX else subject[: SUBJECT_MAX - 1].rstrip() + "…"


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


def _meta_line(payload: dict[str, Any]) -> str:
    article = payload["article"]
    parts = [article.get("source") or "", (article.get("published") or "")[:16].replace("T", " ")]
    extra = payload.get("also_reported_by") or []
    line = " · ".join(p for p in parts if p)
    return line + (f" · also reported by: {', '.join(extra)}" if extra else "")


def render_text(payload: dict[str, Any]) -> str:
    """Plain-text body."""
    article = payload["article"]
    lines = [article.get("title") or "(untitled)", article["url"], _meta_line(payload), ""]
    for term, spellings in names_found(payload):
        lines.append(f"* {term}  (written: {', '.join(spellings)})" if spellings else f"* {term}")
        for hit in _snippets(payload, term):
            lines.append(f"    “{hit['snippet']}”  [{hit['reason']}]")
    return "\n".join(lines).strip() + "\n"


def _highlight(snippet: str, found: str, wrap: tuple[str, str], escape: Any) -> str:
    index = snippet.find(found) if found else -1
    if index < 0:
        return escape(snippet)
    return (escape(snippet[:index]) + wrap[0] + escape(found) + wrap[1]
            + escape(snippet[index + len(found):]))


def render_markdown(payload: dict[str, Any]) -> str:
    """Compact Markdown body for chat services."""
    article = payload["article"]
    title = escape_markdown(article.get("title") or "(untitled)")
    lines = [f"**[{title}]({article['url']})**", escape_markdown(_meta_line(payload)), ""]
    for term, spellings in names_found(payload):
        written = ", ".join(escape_markdown(s) for s in spellings)
        lines.append(f"• **{escape_markdown(term)}**" + (f" ({written})" if written else ""))
        for hit in _snippets(payload, term)[:1]:
            lines.append("> " + _highlight(hit["snippet"], hit["found"], ("**", "**"), escape_markdown))
    return "\n".join(lines).strip()


def render_html(payload: dict[str, Any]) -> str:
    """HTML body for e-mail (apprise adds the plain-text alternative part)."""
    esc = html.escape
    article = payload["article"]
    parts = [
        f'<h2 style="margin:0 0 4px"><a href="{esc(article["url"], quote=True)}">'
        f"{esc(article.get('title') or '(untitled)')}</a></h2>",
        f'<p style="color:#555;margin:0 0 12px">{esc(_meta_line(payload))}<br>'
        f'<a href="{esc(article["url"], quote=True)}">{esc(article["url"])}</a></p>', "<ul>",
    ]
    for term, spellings in names_found(payload):
        parts.append(f"<li><b>{esc(term)}</b>" + (f" — written: {esc(', '.join(spellings))}" if spellings else ""))
        for hit in _snippets(payload, term):
            quote = _highlight(hit["snippet"], hit["found"], ("<mark>", "</mark>"), esc)
            parts.append(f'<blockquote style="margin:4px 0 4px 12px;color:#333">{quote}</blockquote>')
        parts.append("</li>")
    parts.append("</ul>")
    return "\n".join(parts)


def render(payload: dict[str, Any]) -> Message:
    """All formats of one alert."""
    return Message(subject_for(payload), render_text(payload), render_markdown(payload), render_html(payload))


def render_digest(watchlist: str, payloads: Sequence[dict[str, Any]]) -> Message:
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
        "\n\n".join(render_text(p) for p in payloads),
        "\n\n".join(render_markdown(p) for p in payloads),
        "<hr>\n".join(render_html(p) for p in payloads),
    )
