"""Bylines, author boxes and date lines in the page's markup, for pages whose metadata names no author or date.

One pass over the text elements finds the three kinds at once, and only pages that need them pay for it. It
reads the tree before it is repaired: templates often put the byline and the date in a <footer>.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml.html import HtmlElement

# A byline or author box says little more than the names; a longer one is an author's biography.
BYLINE_MAX_WORDS = 16
MAX_LINES = 6
MAX_DATE_LINES = 12
AUTHOR_CLASS = re.compile(r"byline|author|autor|avtor", re.IGNORECASE)
DATE_CLASS = re.compile(r"date|time|datum|data|submitted|posted|published", re.IGNORECASE)
BYLINE_START = re.compile(
    r"\s*(?:(?:posted |written |words |photographs )?by|von|par|por|door|text:|tekst:|autor(?:ka)?:|автор:?|аўтар:?"
    r"|текст:|тэкст:)\s",
    re.IGNORECASE,
)
# The elements a byline or a date line is written in (not scripts, styles or the document's head).
TEXT_CONTAINERS = (
    "div", "p", "span", "li", "dd", "td", "time", "small", "em", "strong", "b", "i", "address", "section", "footer",
    "header", "aside", "h2", "h3", "h4", "h5", "h6", "font", "a",
)  # fmt: skip


@dataclass
class MarkupHints:
    """Short texts of the elements that look like author boxes, bylines and date lines, in page order."""

    author_boxes: list[str] = field(default_factory=list)  # class says byline or author
    bylines: list[str] = field(default_factory=list)  # text opens with "By", "Von", "Автор:" ...
    date_lines: list[str] = field(default_factory=list)  # class says date, time, posted ...


def text_of(el: HtmlElement) -> str:
    """Whitespace-normalised text of an element."""
    return " ".join(el.text_content().split())


def scan_markup(root: HtmlElement, authors: bool = True, dates: bool = True) -> MarkupHints:
    """Collect author boxes and bylines (when `authors`) and date lines (when `dates`)."""
    hints = MarkupHints()
    for el in root.iter(*TEXT_CONTAINERS):
        klass = el.get("class")
        if klass:
            if authors and len(hints.author_boxes) < MAX_LINES and AUTHOR_CLASS.search(klass):
                _add_short(hints.author_boxes, text_of(el))
            if dates and len(hints.date_lines) < MAX_DATE_LINES and DATE_CLASS.search(klass):
                hints.date_lines.append(text_of(el))
        text = el.text
        if authors and text and len(hints.bylines) < MAX_LINES and BYLINE_START.match(text):
            _add_short(hints.bylines, text_of(el))
    return hints


def _add_short(lines: list[str], text: str) -> None:
    """Keep a byline-sized text."""
    if text and len(text.split()) <= BYLINE_MAX_WORDS:
        lines.append(text)
